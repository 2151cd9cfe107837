"""Drives inputs through the pipeline into the store, batch by batch, then runs corpus stages."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice

from .config import Settings
from .records import Failure, Hints, RawDocument
from .registry import build_pipeline, default_stages, section
from .runners.local import worker_count
from .stage import Pipeline, Processed, corpus_scope, family
from .store import Store

__all__ = ["RunSummary", "analyse_stored", "raw_sha", "run", "run_corpus"]


@dataclass
class RunSummary:
    """Counts by outcome and reason, and the one-line message of every failure."""

    run_id: int = 0
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    products: Counter[str] = field(default_factory=Counter)  # records found in new articles

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
    on_read: Callable[[RawDocument | Failure], None] | None = None,
    pipeline: Pipeline | None = None,
) -> RunSummary:
    """Drive every item through the pipeline into the store, committing once per batch.

    A run killed at any point leaves only whole batches; the next run skips inputs whose
    (source, bytes) are already stored, so it resumes without duplicates. `on_read` hears of each
    input as it is read, `on_item` of its outcome once its batch is committed.

    With the default pipeline, a run of more than one batch cleans and analyses batches in
    worker processes (`n_process`; 0 is one per core as memory allows), and this process commits
    them in input order. A `pipeline` given by the caller runs here, in this process.
    """
    names = None
    if pipeline is None:
        names = default_stages(settings)
        pipeline = build_pipeline(settings, names)
    summary = RunSummary(run_id=store.writer.start_run(inputs))
    batches = _batches(items, settings.batch_size, on_read)
    status = "failed"
    try:
        ahead = list(islice(batches, 2))
        workers = worker_count(settings.n_process)
        if names is not None and workers > 1 and len(ahead) > 1:
            _run_parallel(
                chain(ahead, batches), names, settings, store, summary, on_item, pipeline, workers
            )
        else:
            for batch in chain(ahead, batches):
                job = _prepare(batch, store, summary, on_item)
                if job is not None:
                    done = pipeline.process(*job, store.reader.known_articles)
                    _commit(done, store, pipeline, settings, summary, on_item)
        run_corpus(store, pipeline, batch=settings.batch_size)
        status = "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.writer.finish_run(summary.run_id, summary.as_dict(), status)
    return summary


def _batches(
    items: Iterable[RawDocument | Failure],
    size: int,
    on_read: Callable[[RawDocument | Failure], None] | None,
) -> Iterator[list[RawDocument | Failure]]:
    batch: list[RawDocument | Failure] = []
    for item in items:
        if on_read:
            on_read(item)
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_parallel(
    batches: Iterable[list[RawDocument | Failure]],
    names: Sequence[str],
    settings: Settings,
    store: Store,
    summary: RunSummary,
    on_item: Callable[[str, str], None] | None,
    pipeline: Pipeline,
    workers: int,
) -> None:
    from .runners import LocalRunner

    sections = [section(n, settings) for n in names]
    runner = LocalRunner(names, sections, store.database.target, workers)
    cancel = True
    try:
        jobs = (j for b in batches if (j := _prepare(b, store, summary, on_item)) is not None)
        for done in runner.map(jobs):
            _commit(done, store, pipeline, settings, summary, on_item)
        cancel = False
    finally:
        runner.close(cancel=cancel)


def _prepare(
    batch: list[RawDocument | Failure],
    store: Store,
    summary: RunSummary,
    on_item: Callable[[str, str], None] | None,
) -> tuple[list[RawDocument | Failure], list[str | None]] | None:
    """The inputs of a batch that are not stored yet, with their raw shas (None if none are)."""
    docs = [d for d in batch if isinstance(d, RawDocument)]
    shas = {id(d): raw_sha(d) for d in docs}
    seen = store.reader.seen_sources((d.source, shas[id(d)]) for d in docs)
    todo: list[RawDocument | Failure] = []
    for item in batch:
        if isinstance(item, RawDocument) and (item.source, shas[id(item)]) in seen:
            summary.counts[("article", "already-stored")] += 1
            if on_item:
                on_item(item.source, "already-stored")
        else:
            todo.append(item)
    if not todo:
        return None
    return todo, [shas.get(id(x)) for x in todo]


def _commit(
    done: Processed,
    store: Store,
    pipeline: Pipeline,
    settings: Settings,
    summary: RunSummary,
    on_item: Callable[[str, str], None] | None,
) -> None:
    """Write one processed batch; then the corpus stages catch up on it, here in the driver,
    while the workers parse the batches in flight: grouping overlaps the parse, not after it."""
    for failure in done.failures:
        summary.counts[(failure.kind, failure.reason)] += 1
        summary.messages.append(failure.message)
        if on_item:
            on_item(failure.source, failure.reason)
    stored = store.writer.write_batch(
        done.articles, done.failures, summary.run_id, analyses=done.analyses
    )
    for x in done.analyses:
        for name, records in x.products.items():
            summary.products[name] += len(records)
    # Which articles were new versus repeats of stored ones is only known at write time.
    summary.counts[("article", "new")] += stored.new_articles
    summary.counts[("article", "duplicate")] += stored.duplicates
    if on_item:
        for a, _ in done.articles:
            on_item(a.source, "article")
    run_corpus(store, pipeline, batch=settings.batch_size)


def analyse_stored(
    store: Store,
    settings: Settings,
    *,
    everything: bool = False,
    pipeline: Pipeline | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Analyse stored articles that the current article stages have not seen (stored with
    analysis off, or by an older stage version); with `everything`, all of them. Each batch's new
    products replace the old ones in one transaction, so a killed run leaves every article with
    one whole analysis, and the next run picks up where it stopped. Corpus stages then catch up.
    Returns how many articles were analysed."""
    if pipeline is None:
        pipeline = build_pipeline(replace(settings, analyse=True))
    current = [stage.name for stage in pipeline.article]
    families = {family(v) for v in current}
    topics = tuple(f"{t}:" for t in pipeline.topics)
    assigned = {p for stage in pipeline.article for p in stage.assigns}
    pending = store.reader.articles_lacking(() if everything else current)
    done = 0
    while batch := list(islice(pending, settings.batch_size)):
        bare = [
            replace(
                a,
                warnings=tuple(w for w in a.warnings if not w.startswith(topics)),
                stage_versions=tuple(v for v in a.stage_versions if family(v) not in families),
            )
            for a in batch
        ]
        analysed = pipeline.analyse(bare)
        if not done:
            # A corpus stage that reads a product the re-run stages replace (the event grouper
            # reads events) was built on the old records: it starts again from the first article,
            # before the first batch is replaced, so a killed run leaves nothing stale behind.
            for stage in pipeline.corpus:
                if assigned & set(stage.requires):
                    name = family(stage.name)
                    store.writer.reset(name, stage.name, stage.assigns, corpus_scope(stage))
        store.writer.replace_analysis(analysed, assigned)
        done += len(analysed)
        if on_batch:
            on_batch(len(analysed))
    run_corpus(store, pipeline, batch=settings.batch_size)
    return done


def run_corpus(store: Store, pipeline: Pipeline, *, batch: int = 500) -> dict[str, int]:
    """Let each corpus stage handle the stored articles it has not seen yet; returns how many
    each handled. A stage whose version changed starts again from the first article. Two runs
    grouping at once do not both write a page: the one that finds the watermark moved reads it
    again and goes on from there."""
    handled: dict[str, int] = {}
    for stage in pipeline.corpus:
        name = family(stage.name)
        handled[stage.name] = 0
        while True:
            state = store.reader.stage_state(name)
            if state is None or state.version != stage.name:
                store.writer.reset(name, stage.name, stage.assigns, corpus_scope(stage))
                continue
            page = store.reader.articles_after(state.watermark, limit=batch)
            if not page:
                break
            products = stage.step(page, store.reader)
            if store.writer.advance(name, stage.name, state.watermark, page[-1].seq, products):
                handled[stage.name] += len(page)
    return handled
