"""Assembles the stages for a run and drives inputs through them into the store, batch by batch."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from .clean import CleanStage
from .config import Settings
from .records import Analysis, Article, Entity, Failure, Hints, Quote, RawDocument
from .stage import Pipeline
from .store import Store

if TYPE_CHECKING:
    from .actors import ActorRegistry

__all__ = [
    "RunSummary",
    "actors_dir",
    "analyse_stored",
    "build_pipeline",
    "load_registry",
    "raw_sha",
    "run",
]


@dataclass
class RunSummary:
    """Counts by outcome and reason, and the one-line message of every failure."""

    run_id: int = 0
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    quotes: int = 0  # quotes found in the articles this run added

    @property
    def stored(self) -> int:
        """Inputs that are in the store as articles after this run (new, duplicate or resumed)."""
        return sum(n for (outcome, _r), n in self.counts.items() if outcome == "article")

    @property
    def failed(self) -> int:
        return sum(n for (outcome, _r), n in self.counts.items() if outcome != "article")

    def as_dict(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (outcome, reason), n in sorted(self.counts.items()):
            if not n:  # Counter += 0 leaves zero entries; a summary lists what happened
                continue
            out.setdefault(outcome, {})[reason] = n
        return out


def actors_dir(settings: Settings) -> Path:
    """Where user actor dictionaries live: the `actors_dir` setting, else `actors/` beside a
    SQLite store, else the user's data folder (for a server database)."""
    if settings.actors_dir:
        return Path(settings.actors_dir).expanduser()
    if "://" not in settings.db:
        return Path(settings.db).expanduser().resolve().parent / "actors"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "newstrace" / "actors"


def load_registry(settings: Settings) -> ActorRegistry:
    """The packaged actor registry plus the user's dictionaries."""
    from .actors import ActorRegistry

    return ActorRegistry.load(extra_dirs=[actors_dir(settings)])


def build_pipeline(settings: Settings, registry: ActorRegistry | None = None) -> Pipeline:
    """The stages in order; assembly fails early if one requires what none before it assigns."""
    if not settings.analyse:
        return Pipeline((CleanStage(),))
    from .nlp.stage import NlpStage
    from .quotes.stage import QuoteStage

    registry = registry if registry is not None else load_registry(settings)
    return Pipeline(
        (
            CleanStage(),
            NlpStage(
                registry,
                model=settings.spacy_model,
                batch_size=settings.batch_size,
                n_process=settings.n_process,
            ),
            QuoteStage(registry),
        )
    )


# Warnings the analysis stages write; re-analysing an article replaces them.
_ANALYSIS_WARNINGS = ("nlp:", "entities:", "quotes:")


def _family(version: str) -> str:
    """ "newstrace.quotes.v2" -> "newstrace.quotes": versions of one stage replace each other."""
    return version.rsplit(".v", 1)[0]


def analyse_stored(
    store: Store,
    settings: Settings,
    *,
    everything: bool = False,
    pipeline: Pipeline | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Analyse stored articles that the current NLP and quote stages have not seen (stored with
    analysis off, or by an older stage version); with `everything`, all of them. Each batch's
    new entities and quotes replace the old ones in one transaction, so a killed run leaves every
    article with one whole analysis, and the next run picks up where it stopped. Returns how many
    articles were analysed."""
    pipeline = pipeline if pipeline is not None else build_pipeline(replace(settings, analyse=True))
    split = pipeline.after("article")
    current = [stage.name for stage in pipeline.stages[split:]]
    families = {_family(v) for v in current}
    pending = store.articles_lacking(() if everything else current)
    done = 0
    while batch := list(islice(pending, settings.batch_size)):
        bare = [
            replace(
                a,
                warnings=tuple(w for w in a.warnings if not w.startswith(_ANALYSIS_WARNINGS)),
                stage_versions=tuple(v for v in a.stage_versions if _family(v) not in families),
            )
            for a in batch
        ]
        analysed = [x for x in pipeline(bare, start=split) if isinstance(x, Analysis)]
        store.replace_analysis(
            [
                replace(
                    x.article,
                    warnings=(*x.article.warnings, *x.warnings),
                    stage_versions=(*x.article.stage_versions, *x.stage_versions),
                )
                for x in analysed
            ],
            [e for x in analysed for e in x.entities],
            [q for x in analysed for q in x.quotes],
        )
        done += len(analysed)
        if on_batch:
            on_batch(len(analysed))
    return done


def raw_sha(doc: RawDocument) -> str:
    """Identity of an input's bytes and stated metadata, to recognise it on a re-run."""
    h = hashlib.sha256(doc.content)
    h.update(repr(_hint_key(doc.hints)).encode("utf-8"))
    return h.hexdigest()


def _hint_key(h: Hints) -> tuple[object, ...]:
    return (h.title, h.url, h.published, h.authors, h.outlet, h.language)


def run(
    items: Iterable[RawDocument | Failure],
    store: Store,
    settings: Settings,
    *,
    inputs: Sequence[str] = (),
    on_item: Callable[[str, str], None] | None = None,
    pipeline: Pipeline | None = None,
) -> RunSummary:
    """Drive every item through the pipeline into the store, committing once per batch.

    A run killed at any point leaves only whole batches; the next run skips inputs whose
    (source, bytes) are already stored, so it resumes without duplicates. `pipeline` defaults to
    `build_pipeline(settings)`; callers that run many times pass one built once.
    """
    pipeline = pipeline if pipeline is not None else build_pipeline(settings)
    summary = RunSummary(run_id=store.start_run(inputs))
    pending: list[RawDocument | Failure] = []

    def flush() -> None:
        if not pending:
            return
        _process(pending, pipeline, store, summary, on_item)
        pending.clear()

    status = "failed"
    try:
        for item in items:
            pending.append(item)
            if len(pending) >= settings.batch_size:
                flush()
        flush()
        status = "done"
    finally:
        store.finish_run(summary.run_id, summary.as_dict(), status)
    return summary


def _process(
    batch: list[RawDocument | Failure],
    pipeline: Pipeline,
    store: Store,
    summary: RunSummary,
    on_item: Callable[[str, str], None] | None,
) -> None:
    docs = [d for d in batch if isinstance(d, RawDocument)]
    shas = {id(d): raw_sha(d) for d in docs}
    seen = store.seen_sources((d.source, shas[id(d)]) for d in docs)
    todo: list[RawDocument | Failure] = []
    for item in batch:
        if isinstance(item, RawDocument) and (item.source, shas[id(item)]) in seen:
            summary.counts[("article", "already-stored")] += 1
            if on_item:
                on_item(item.source, "already-stored")
        else:
            todo.append(item)
    if not todo:
        return
    # Remember each output's raw bytes by position: stages keep order and length.
    raw_of = [shas.get(id(item)) for item in todo]
    split = pipeline.after("article")
    cleaned = pipeline(todo, stop=split)
    articles: list[tuple[Article, str]] = []
    failures: list[Failure] = []
    for item, sha in zip(cleaned, raw_of, strict=True):
        if isinstance(item, Article):
            articles.append((item, sha or ""))
        elif isinstance(item, Failure):
            failures.append(item)
            summary.counts[(item.kind, item.reason)] += 1
            summary.messages.append(item.message)
            if on_item:
                on_item(item.source, item.reason)
    # Only articles the store does not hold yet are analysed, each once: a republished copy
    # shares its original's parse and quotes.
    known = store.known_articles({a.id for a, _ in articles})
    fresh = list({a.id: a for a, _ in articles if a.id not in known}.values())
    analysed = {x.article.id: x for x in pipeline(fresh, start=split) if isinstance(x, Analysis)}
    entities: list[Entity] = []
    quotes: list[Quote] = []
    for i, (article, sha) in enumerate(articles):
        x = analysed.get(article.id)
        if x is None:
            continue
        articles[i] = (
            replace(
                article,
                warnings=(*article.warnings, *x.warnings),
                stage_versions=(*article.stage_versions, *x.stage_versions),
            ),
            sha,
        )
    for x in analysed.values():
        entities.extend(x.entities)
        quotes.extend(x.quotes)
    stored = store.write_batch(articles, failures, summary.run_id, entities=entities, quotes=quotes)
    summary.quotes += len(quotes)
    # Which articles were new versus repeats of stored ones is only known at write time.
    summary.counts[("article", "new")] += stored.new_articles
    summary.counts[("article", "duplicate")] += stored.duplicates
    if on_item:
        for a, _ in articles:
            on_item(a.source, "article")
