"""Typed read models: what the reader returns to the command line, the API and corpus stages.

Fields are in the order of the exported columns, so an export is these records as they are.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Generic, TypeVar

__all__ = [
    "ActorView",
    "ArticleView",
    "DyadDay",
    "EntityView",
    "EventView",
    "Facet",
    "FailureView",
    "LinkView",
    "OutletCoverage",
    "OutletReport",
    "Page",
    "QuoteView",
    "ReportView",
    "RunView",
    "SearchHit",
    "SearchPage",
    "SourceView",
    "StageState",
    "Stats",
    "StoredArticle",
    "StoryArticleView",
    "StoryCoverage",
    "StoryMemberView",
    "StoryMergeView",
    "StoryRow",
    "StoryView",
    "TimelineRow",
    "VariantView",
    "as_row",
    "model_of",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ArticleView:
    """A stored article: its cleaned text, recovered metadata, warnings and stage versions."""

    id: str
    source: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    published_precision: str | None
    authors: tuple[str, ...]
    language: str | None
    dateline: str | None
    text: str
    warnings: tuple[str, ...]
    input_kind: str
    stage_versions: tuple[str, ...]
    run_id: int | None
    ingested_at: str


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as a corpus stage sees it: the article and its place in commit order."""

    seq: int
    article: ArticleView


@dataclass(frozen=True, slots=True)
class SourceView:
    """One input that yielded an article, with the metadata that input stated."""

    source: str
    raw_sha: str
    article_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    published_precision: str | None
    authors: tuple[str, ...]
    language: str | None
    dateline: str | None
    warnings: tuple[str, ...]
    run_id: int | None
    seen_at: str


@dataclass(frozen=True, slots=True)
class FailureView:
    """An input that did not become an article; `raw_bytes` is the size of the kept raw input."""

    id: int
    source: str
    kind: str
    reason: str
    message: str
    run_id: int | None
    seen_at: str
    raw_bytes: int | None


@dataclass(frozen=True, slots=True)
class EntityView:
    """An entity or actor mention (see `records.Entity`) with its stored id."""

    id: int
    article_id: str
    start: int
    end: int
    in_title: bool
    text: str
    label: str
    actor: str | None
    actor_id: str | None
    kind: str | None
    country: str | None
    sector: str | None
    name: str | None
    title: str | None
    basis: str | None


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quote (see `records.Quote`) with where it was reported: its article's outlet, date, URL."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    segments: tuple[tuple[int, int], ...]
    in_title: bool
    kind: str
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: str | None
    speaker_mention: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_actor: str | None
    speaker_actor_id: str | None
    speaker_country: str | None
    date: str | None
    date_basis: str | None
    confidence: float
    rule: str
    stage_version: str
    outlet: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class EventView:
    """One event (a happening, see `group.events`): its founding report's coded event (see
    `events.Event`), the export columns of issue 9 first, `reports` beside it (with the articles
    and outlets they come from and the last day one gives), and where the founding report was
    published: its article's outlet, date and URL. `date` is the event's, the earliest day its
    reports state. An event not grouped yet is its own single report."""

    id: str
    article_id: str
    date: str | None
    source_actor: str
    target_actor: str | None
    source_country: str | None
    target_country: str | None
    event_type: str | None
    mode: str | None
    cameo: str
    goldstein: float | None
    negated: bool
    hypothetical: bool
    claimed: bool
    quote_id: str | None
    sentence: str
    start: int
    end: int
    confidence: float
    reports: int
    articles: int
    outlets: int
    last_date: str | None
    future: bool
    claimant_actor: str | None
    source_code: str
    target_code: str | None
    in_title: bool
    trigger: str
    trigger_start: int
    trigger_end: int
    source_start: int | None
    source_end: int | None
    target_start: int | None
    target_end: int | None
    date_basis: str | None
    rule: str
    stage_version: str
    outlet: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class ReportView:
    """One report of an event: the article and sentence that tell it, where it was published, and
    how alike its sentence is to the closest report before it (1.0 for the founding one)."""

    event_id: str
    group_id: str
    article_id: str
    outlet: str | None
    url: str | None
    published: str | None
    day: str | None
    date_basis: str | None
    sentence: str
    start: int
    end: int
    in_title: bool
    similarity: float
    trigger: str
    trigger_start: int
    cameo: str
    confidence: float


@dataclass(frozen=True, slots=True)
class DyadDay:
    """One directed country dyad on one day, counted by events (not reports): how many, their
    summed Goldstein value, and the conflictual part (the magnitude of negative values)."""

    source: str
    target: str
    date: str
    events: int
    goldstein: float
    conflict: float
    conflict_events: int


@dataclass(frozen=True, slots=True)
class LinkView:
    """A relation between two stored articles (see `records.Link`)."""

    kind: str
    a: str
    b: str
    score: float
    change: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class VariantView:
    """Two renderings of one statement (a `quote_variant` link, quote `a` the earlier): how they
    differ (`change`, and in `detail` the words that show it), whom each names as its speaker,
    and where and when each was reported. Flat, so that it exports as one CSV row."""

    a: str
    b: str
    score: float
    change: str | None
    detail: str | None
    a_speaker: str | None
    a_speaker_actor: str | None
    a_text: str
    a_article_id: str
    a_outlet: str | None
    a_date: str | None
    a_kind: str
    a_published: str | None
    b_speaker: str | None
    b_speaker_actor: str | None
    b_text: str
    b_article_id: str
    b_outlet: str | None
    b_date: str | None
    b_kind: str
    b_published: str | None


@dataclass(frozen=True, slots=True)
class RunView:
    """One `newstrace run`: when, on what, what came of it, and whether it finished."""

    id: int
    started_at: str
    finished_at: str | None
    inputs: tuple[str, ...]
    counts: dict[str, dict[str, int]] | None
    status: str
    pid: int | None
    host: str | None
    heartbeat_at: str | None


@dataclass(frozen=True, slots=True)
class StageState:
    """How far a corpus stage got: the version that ran and the last article seq it handled."""

    family: str
    version: str
    watermark: int


@dataclass(frozen=True, slots=True)
class Stats:
    """What the store holds, for `newstrace stats` and the API's overview."""

    articles: int
    article_sources: int
    quotes: int
    entities: int
    failures: int
    runs: int
    failures_by_reason: dict[str, int] = field(default_factory=dict)
    outlets: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    quotes_by_kind: dict[str, int] = field(default_factory=dict)
    quotes_with_actor: int = 0
    actors_mentioned: int = 0
    published_range: tuple[str | None, str | None] = (None, None)
    runs_by_status: dict[str, int] = field(default_factory=dict)
    events: int = 0  # happenings (see group.events), each counted once
    event_reports: int = 0  # the reports of them: events coded in articles


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list in a stable order; `next` is the cursor of the page after (None at the
    end). A cursor stays valid while the store grows: new rows land on later pages or before it."""

    items: tuple[T, ...]
    next: str | None


_TUPLES = {"authors", "warnings", "stage_versions", "inputs", "actors"}
_BOOLS = {"in_title", "negated", "hypothetical", "claimed", "future"}


def model_of(cls: type[T], row: Any) -> T:
    """The read model `cls` of one row mapping, JSON columns decoded."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        value = row[f.name]
        if f.name in _TUPLES:
            value = tuple(json.loads(value)) if value is not None else ()
        elif f.name == "segments":
            value = tuple(tuple(s) for s in json.loads(value))
        elif f.name == "counts" and value is not None:
            value = json.loads(value)
        elif f.name in _BOOLS:
            value = bool(value)
        values[f.name] = value
    return cls(**values)


def as_row(model: Any) -> dict[str, Any]:
    """A read model as plain values in column order, for JSON, CSV and Parquet exports."""
    return asdict(model)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article or quote that matches a search. `snippet` is the matching passage as parts,
    each `(text, matched)`: the text is raw and untrusted, and a page escapes each part before it
    marks the matched ones. A higher `score` is a better match."""

    kind: str  # article | quote
    id: str
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    speaker: str | None
    speaker_actor: str | None
    score: float
    snippet: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class Facet:
    """A value of one field among all the hits of a search, and how many hits have it."""

    value: str | None
    count: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search hits, best first, with the count and facets of all the hits."""

    hits: tuple[SearchHit, ...]
    next: str | None
    total: int
    facets: dict[str, tuple[Facet, ...]]


@dataclass(frozen=True, slots=True)
class ActorView:
    """An actor code as the store knows it: the names it was given to, and how often the code is
    mentioned, speaks (quotes) and takes part in an event (as source or target)."""

    code: str
    names: tuple[str, ...]
    mentions: int
    quotes: int
    events: int


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """How many statements one outlet reported on one day (the statement's day)."""

    date: str | None
    outlet: str | None
    count: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as the story clusterer stores it (see `group.stories.Story`), profile as JSON."""

    id: str
    title: str
    first_date: str | None
    last_date: str | None
    first_seq: int
    last_seq: int
    size: int
    actors: tuple[str, ...]
    profile: str
    merged_into: str | None


@dataclass(frozen=True, slots=True)
class StoryArticleView:
    """An article's place in a story: the score it joined on and why."""

    article_id: str
    story_id: str
    seq: int
    score: float
    basis: str


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story: the export columns first (its outlets from every source of its articles, its
    articles in commit order), then its size and main actors."""

    id: str
    title: str
    first_date: str | None
    last_date: str | None
    outlets: tuple[str, ...]
    article_ids: tuple[str, ...]
    size: int
    actors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryMemberView:
    """One article of a story as `newstrace story ID` lists it."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    score: float
    basis: str


@dataclass(frozen=True, slots=True)
class OutletReport:
    """An outlet that reported a story: the day it first did (None if undated) and how many of
    the story's articles it carried."""

    outlet: str
    first_date: str | None
    articles: int


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    """Who covered a story and who did not: `missed` are the outlets with articles in the store
    dated within the story's span that carried none of its articles (empty for an undated
    story: nothing says who was active then)."""

    story_id: str
    reported: tuple[OutletReport, ...]
    missed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    """Per outlet: the stories it carried, and those it missed while active in their span."""

    outlet: str
    covered: tuple[str, ...]
    missed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryMergeView:
    """Story `merged` became part of `kept` when article `seq` arrived."""

    kept: str
    merged: str
    seq: int
    score: float
