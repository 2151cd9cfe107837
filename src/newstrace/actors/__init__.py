"""Actors: the registry of canonical actors, their records, and the dictionaries they load from."""

from newstrace.actors.phoenix import DictionaryError, load_phoenix, parse_phoenix
from newstrace.actors.records import Actor, ActorMention, ResolvedActor, Role

__all__ = [
    "Actor",
    "ActorMention",
    "DictionaryError",
    "ResolvedActor",
    "Role",
    "load_phoenix",
    "parse_phoenix",
]
