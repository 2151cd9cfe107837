"""The Python API: open a store, run inputs into it, and read what it holds as typed records or
pandas DataFrames. What the command line does, for scripts and notebooks.

    import newstrace
    newstrace.run(["examples/"], db="news.db")
    quotes = newstrace.read_quotes("news.db", speaker="orban")
    frame = newstrace.to_frame(quotes)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import load_settings
from .events.escalation import DyadScore, history_start, scored
from .pipeline import RunSummary
from .store import DyadFilter, EventFilter, QuoteFilter, Store
from .store.models import ArticleView, EntityView, EventView, LinkView, QuoteView, ReportView, Stats

if TYPE_CHECKING:
    import pandas

__all__ = [
    "open_store",
    "read_articles",
    "read_dyads",
    "read_entities",
    "read_event_reports",
    "read_events",
    "read_links",
    "read_quotes",
    "run",
    "stats",
    "to_frame",
]

StoreLike = Store | str | Path


def open_store(db: str | Path, *, read_only: bool = False, create: bool = False) -> Store:
    """A handle on the store at `db` (a SQLite path or a PostgreSQL URL). By default the store
    must exist (`StoreMissing` otherwise); `create=True` makes a new one; `read_only=True` opens
    no writer and can be used while a run writes."""
    return Store(str(db), create=create, read_only=read_only)


def run(inputs: Sequence[str | Path], *, db: str | Path, **settings: Any) -> RunSummary:
    """Ingest and process `inputs` (files, folders, archives, feeds, URLs) into the store at `db`,
    creating it if needed. Keyword arguments are settings (`analyse=False`, `batch_size=32`, ...:
    see docs/config.md); the config files and NEWSTRACE_* variables apply as on the command line.
    Re-running is safe: what is stored is skipped.

    Unlike the command line, this works in the calling process unless `n_process` is given:
    worker processes re-import the caller's main module, which a script must then guard with
    `if __name__ == "__main__":` (pass `n_process=0` for one worker per core)."""
    from .ingest import ReadOptions, read
    from .pipeline import run as run_pipeline

    settings.setdefault("n_process", 1)
    chosen = load_settings(db=str(db), **settings)
    names = [str(x) for x in inputs]
    with Store(chosen.db) as store:
        items = read(names, options=ReadOptions.from_settings(chosen))
        return run_pipeline(items, store, chosen, inputs=names)


def _reading(store: StoreLike) -> tuple[Store, bool]:
    if isinstance(store, Store):
        return store, False
    return Store.for_reading(str(store)), True


def _listed(store: StoreLike, name: str, quotes: QuoteFilter | None = None) -> Iterator[Any]:
    handle, owned = _reading(store)
    try:
        yield from handle.reader.iterate(name, quotes=quotes)
    finally:
        if owned:
            handle.close()


def read_articles(store: StoreLike) -> Iterator[ArticleView]:
    """Every stored article, in id order, read a page at a time."""
    return _listed(store, "articles")


def read_quotes(
    store: StoreLike,
    *,
    speaker: str | None = None,
    actor: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[QuoteView]:
    """Stored quotes with where they were reported, in report order. `speaker` matches part of the
    name ignoring case and accents; `actor` is an actor code or its prefix; `since`/`until` bound
    the statement's day (YYYY-MM-DD, inclusive)."""
    wanted = QuoteFilter(speaker=speaker, actor=actor, outlet=outlet, since=since, until=until)
    return list(_listed(store, "quotes", wanted))


def read_entities(store: StoreLike) -> Iterator[EntityView]:
    """Every entity and actor mention, by article and position."""
    return _listed(store, "entities")


def read_links(store: StoreLike) -> list[LinkView]:
    """Relations between stored articles: near duplicates and trimmed copies (more kinds later)."""
    return list(_listed(store, "links"))


def read_events(
    store: StoreLike,
    *,
    actor: str | None = None,
    dyad: str | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[EventView]:
    """Stored events, one per happening with `reports` (and the articles and outlets they come
    from) beside it, article by article. `actor` is an actor code or its prefix on either side;
    `dyad` a directed country pair ("RUS-UKR"); `type` a PLOVER type; `since`/`until` the day."""
    wanted = EventFilter(actor=actor, dyad=dyad, type=type, since=since, until=until)
    handle, owned = _reading(store)
    try:
        return list(handle.reader.iterate("events", events=wanted))
    finally:
        if owned:
            handle.close()


def read_event_reports(store: StoreLike, event_id: str) -> list[ReportView]:
    """Every report of one event: its article, sentence, offsets, outlet and URL."""
    handle, owned = _reading(store)
    try:
        return handle.reader.reports(event_id)
    finally:
        if owned:
            handle.close()


def read_dyads(
    store: StoreLike,
    *,
    actor: str | None = None,
    dyad: str | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[DyadScore]:
    """Directed country dyads by day, counted by events (not reports): events, summed
    Goldstein value, conflictual intensity and the escalation score (docs/events-serving.md)."""
    wanted = DyadFilter(actor, dyad, type, history_start(since), until)
    handle, owned = _reading(store)
    try:
        days = scored(handle.reader.iterate("dyads", dyads=wanted), handle.reader.dyad_events)
    finally:
        if owned:
            handle.close()
    return [d for d in days if not since or d.date >= since]


def stats(store: StoreLike) -> Stats:
    """What the store holds."""
    handle, owned = _reading(store)
    try:
        return handle.reader.stats()
    finally:
        if owned:
            handle.close()


def to_frame(records: Iterable[Any]) -> pandas.DataFrame:
    """A pandas DataFrame of read models (one row each, the exported columns)."""
    import pandas

    rows = [asdict(r) for r in records]
    return pandas.DataFrame(rows)
