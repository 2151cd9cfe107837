"""Actors: the registry of canonical actors, their records, the description grammar, and the
dictionaries they load from (packaged data, PETRARCH/Phoenix files). No spaCy here: scanning a
parsed document for mentions is `newstrace.nlp.mentions`."""

from newstrace.actors.codes import parse_cameo_code
from newstrace.actors.importing import ImportReport, import_dictionary
from newstrace.actors.loaders import (
    PRIORITY_PACKAGED,
    PRIORITY_PHOENIX,
    PRIORITY_USER,
    RegistryError,
    load_actor_tsv,
)
from newstrace.actors.names import name_key, slug
from newstrace.actors.phoenix import DictionaryError, load_phoenix, parse_phoenix
from newstrace.actors.records import Actor, ActorFields, ActorMention, ResolvedActor, Role
from newstrace.actors.registry import ActorRegistry, MergeReport

__all__ = [
    "PRIORITY_PACKAGED",
    "PRIORITY_PHOENIX",
    "PRIORITY_USER",
    "Actor",
    "ActorFields",
    "ActorMention",
    "ActorRegistry",
    "DictionaryError",
    "ImportReport",
    "MergeReport",
    "RegistryError",
    "ResolvedActor",
    "Role",
    "import_dictionary",
    "load_actor_tsv",
    "load_phoenix",
    "name_key",
    "parse_cameo_code",
    "parse_phoenix",
    "slug",
]
