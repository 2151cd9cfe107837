"""Versioned stage names -> factories that build each stage from its own settings section.

Any process can rebuild a pipeline from stage names and settings sections (plain values), which
is what lets a worker process or a cluster node run the same stages as the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings, actors_dir
from .errors import PipelineError
from .stage import Pipeline, StoredGate

if TYPE_CHECKING:
    from .actors import ActorRegistry

__all__ = [
    "Entry",
    "actor_registry",
    "build",
    "build_pipeline",
    "default_stages",
    "entries",
    "register",
    "section",
    "unregister",
]

Factory = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Entry:
    """One registered stage: its versioned name, its kind, the settings its section holds (names
    of `Settings` fields, plus `actors_dirs` for stages that resolve actors), and its factory."""

    name: str
    kind: str
    settings: tuple[str, ...]
    factory: Factory
    summary: str


_STAGES: dict[str, Entry] = {}


def register(
    name: str, kind: str, settings: Sequence[str] = (), summary: str = ""
) -> Callable[[Factory], Factory]:
    """Register a stage factory under its versioned name (a decorator)."""

    def add(factory: Factory) -> Factory:
        if name in _STAGES and _STAGES[name].factory is not factory:
            raise PipelineError(f"stage {name} is registered already")
        _STAGES[name] = Entry(name, kind, tuple(settings), factory, summary)
        return factory

    return add


def unregister(name: str) -> None:
    _STAGES.pop(name, None)


def entries() -> tuple[Entry, ...]:
    return tuple(_STAGES.values())


def section(name: str, settings: Settings) -> dict[str, Any]:
    """The settings section of stage `name`: only what its factory reads, as plain values."""
    entry = _entry(name)
    values = asdict(settings)
    out: dict[str, Any] = {}
    for key in entry.settings:
        if key == "actors_dirs":
            out[key] = [str(actors_dir(settings))]
        else:
            out[key] = values[key]
    return out


def build(name: str, section: Mapping[str, Any]) -> Any:
    """A stage built from its name and its section."""
    entry = _entry(name)
    stage = entry.factory(section)
    if stage.name != name or stage.kind != entry.kind:
        raise PipelineError(
            f"stage {name}: its factory built {stage.name} ({stage.kind}); fix the registration"
        )
    return stage


def default_stages(settings: Settings) -> tuple[str, ...]:
    """The stages of a run: cleaning only, or with `analyse` on the gate and article stages too."""
    if not settings.analyse:
        return (_CLEAN, _DUPLICATES, _STORIES)
    return (
        _CLEAN,
        StoredGate.name,
        _NLP,
        _QUOTES,
        _EVENTS,
        _DUPLICATES,
        _EVENT_GROUPS,
        _REWRITES,
        _VARIANTS,
        _STORIES,
    )


def build_pipeline(settings: Settings, names: Sequence[str] | None = None) -> Pipeline:
    """The pipeline of these stage names (default: `default_stages`), each built from its
    section; assembly fails early if one requires what none before it assigns."""
    names = default_stages(settings) if names is None else names
    return Pipeline(tuple(build(n, section(n, settings)) for n in names))


def _entry(name: str) -> Entry:
    try:
        return _STAGES[name]
    except KeyError:
        known = ", ".join(sorted(_STAGES))
        raise PipelineError(f"unknown stage {name!r}; registered stages: {known}") from None


@lru_cache(maxsize=4)
def _registry(dirs: tuple[str, ...], _files: tuple[tuple[str, int, int], ...]) -> ActorRegistry:
    from .actors import ActorRegistry

    return ActorRegistry.load(extra_dirs=[Path(d) for d in dirs])


def actor_registry(dirs: Sequence[str]) -> ActorRegistry:
    """The packaged actor registry plus the dictionaries in `dirs`, loaded once per process and
    shared by every stage that resolves actors (loaded again when a dictionary changes)."""
    files = tuple(
        (str(f), f.stat().st_mtime_ns, f.stat().st_size)
        for d in dirs
        if Path(d).is_dir()
        for f in sorted(Path(d).iterdir())
        if f.is_file()
    )
    return _registry(tuple(dirs), files)


# -- the packaged stages ---------------------------------------------------------------------
_CLEAN = "newstrace.clean.v1"
_NLP = "newstrace.nlp.v2"
_QUOTES = "newstrace.quotes.v2"
_DUPLICATES = "newstrace.group.duplicates.v2"
_EVENTS = "newstrace.events.v1"
_EVENT_GROUPS = "newstrace.group.events.v1"
_REWRITES = "newstrace.group.rewrites.v2"
_VARIANTS = "newstrace.group.variants.v1"
_STORIES = "newstrace.group.stories.v2"


@register(_CLEAN, "document", summary="raw input -> article with metadata, or a failure")
def _clean(_section: Mapping[str, Any]) -> Any:
    from .clean import CleanStage

    return CleanStage()


@register(StoredGate.name, "gate", summary="analyse only articles the store does not hold")
def _gate(_section: Mapping[str, Any]) -> Any:
    return StoredGate()


@register(
    _NLP,
    "article",
    settings=("spacy_model", "batch_size", "actors_dirs"),
    summary="spaCy parse, entities and actor mentions on the article's date",
)
def _nlp(section: Mapping[str, Any]) -> Any:
    from .nlp.stage import NlpStage

    return NlpStage(
        actor_registry(section["actors_dirs"]),
        model=section["spacy_model"],
        batch_size=section["batch_size"],
    )


@register(
    _QUOTES,
    "article",
    settings=("actors_dirs",),
    summary="direct and reported speech with the speaker resolved, and the statement's day",
)
def _quotes(section: Mapping[str, Any]) -> Any:
    from .quotes.stage import QuoteStage

    return QuoteStage(actor_registry(section["actors_dirs"]))


@register(
    _EVENTS,
    "article",
    settings=("event_verbs",),
    summary="CAMEO/PLOVER events from the clauses, actors resolved, flagged, tied to sentence and quote",
)
def _events(section: Mapping[str, Any]) -> Any:
    from .events.codebook import codebook
    from .events.stage import EventStage

    return EventStage(codebook(section["event_verbs"]))


@register(
    _DUPLICATES,
    "corpus",
    summary="near duplicates and trimmed copies: MinHash LSH in the store, verified by exact overlap",
)
def _duplicates(_section: Mapping[str, Any]) -> Any:
    from .group import DuplicateStage

    return DuplicateStage()


@register(
    _EVENT_GROUPS,
    "corpus",
    summary="one event, many reports: same dyad, type and flags, near days, alike sentences",
)
def _event_groups(_section: Mapping[str, Any]) -> Any:
    from .group.events import EventGroupStage

    return EventGroupStage()


@register(
    _REWRITES,
    "corpus",
    summary="rewrites: most sentences of one article said again in other words in another",
)
def _rewrites(_section: Mapping[str, Any]) -> Any:
    from .group.rewrites import RewriteStage

    return RewriteStage()


@register(
    _VARIANTS,
    "corpus",
    summary="quote variants: one statement by one speaker across articles, aligned word by word",
)
def _variants(_section: Mapping[str, Any]) -> Any:
    from .group.variants import VariantStage

    return VariantStage()


@register(
    _STORIES,
    "corpus",
    summary="stories: online clustering of new articles by words, entities and date window",
)
def _stories(_section: Mapping[str, Any]) -> Any:
    from .group.stories import StoryStage

    return StoryStage()
