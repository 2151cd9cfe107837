"""The reader: typed read models in a stable order, a page at a time (keyset cursors).

The command line, the API and corpus stages read through here; nothing outside `store/` sees a
row. Every list has one fixed order whose last key is unique, so a cursor (the keys of the last
item of a page) names a place in the list that stays valid while the store grows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, case, false, func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import CursorError, StoreError
from ..records import Article
from . import schema
from .engine import Database, one_line
from .models import (
    ArticleView,
    EntityView,
    EventView,
    FailureView,
    LinkView,
    Page,
    QuoteView,
    RunView,
    SourceView,
    StageState,
    Stats,
    StoredArticle,
    StoryView,
    model_of,
)
from .products import fold
from .story_reads import StoryFilter, StoryReads, story_filters, story_list
from .writer import chunks

__all__ = ["LISTS", "ArticleFilter", "EntityFilter", "QuoteFilter", "Reader", "StoryFilter"]


@dataclass(frozen=True)
class QuoteFilter:
    """Which quotes to list. `speaker` matches part of the speaker's name or the words the text
    uses, ignoring case and accents; `actor` is an actor code or its prefix (RUS, RUSGOV);
    `since`/`until` bound the statement's day, inclusive (YYYY-MM-DD, or YYYY-MM / YYYY: then
    `until` keeps the whole month or year)."""

    speaker: str | None = None
    actor: str | None = None
    outlet: str | None = None
    article_id: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to list. `outlet` is the outlet's name (case ignored); `since`/`until`
    bound the publication date, inclusive, by its leading part: `until="2022-02"` keeps every
    article published in February 2022 or before. Articles with no date match no bound."""

    outlet: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class EntityFilter:
    """Which entity mentions to list: of one article, by actor code or its prefix (RUS, RUSGOV),
    by label (PERSON, GPE, ...; case ignored)."""

    article_id: str | None = None
    actor: str | None = None
    label: str | None = None


# Every list the reader serves by name, and so every table `newstrace export` can write.
LISTS = (
    "articles",
    "quotes",
    "entities",
    "events",
    "links",
    "stories",
    "failures",
    "article_sources",
    "runs",
)


class Reader(StoryReads):
    """Read-only access to one database; safe to use while a run writes (WAL, or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _rows(self, query: Any) -> list[Any]:
        try:
            with self.db.read_engine.connect() as conn:
                return list(conn.execute(query))
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.db.name}: {one_line(exc)}") from None

    # -- lists, a page at a time -----------------------------------------------------------
    def page(
        self,
        name: str,
        *,
        after: str | None = None,
        limit: int = 100,
        quotes: QuoteFilter | None = None,
        articles: ArticleFilter | None = None,
        entities: EntityFilter | None = None,
        stories: StoryFilter | None = None,
        newest_first: bool = False,
    ) -> Page[Any]:
        """One page of list `name` (one of LISTS) after cursor `after`. Quotes, articles and
        entities can be filtered, and quotes listed newest statement first instead of in report
        order."""
        if name not in LISTS:
            raise StoreError(f"unknown list {name!r}; choose one of {', '.join(LISTS)}")
        if limit < 1:
            raise StoreError(f"page size must be at least 1, got {limit}")
        model, query, keys = self._list(name, quotes or QuoteFilter(), newest_first)
        if name == "articles" and articles is not None:
            query = query.where(*_article_filters(articles))
        if name == "entities" and entities is not None:
            query = query.where(*_entity_filters(entities))
        if name == "stories" and stories is not None:
            query = query.where(*story_filters(stories))
        query = query.add_columns(*(k.label(f"k{i}") for i, (k, _up) in enumerate(keys)))
        if after is not None:
            values = _decode_cursor(after, len(keys))
            _check_cursor_types(after, keys, values)
            query = query.where(_after(keys, values))
        query = query.order_by(*(k if up else k.desc() for k, up in keys)).limit(limit + 1)
        rows = self._rows(query)
        items: tuple[Any, ...]
        if name == "stories":
            items = self.story_views(rows[:limit])
        else:
            items = tuple(model_of(model, r._mapping) for r in rows[:limit])
        cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]._mapping
            cursor = _encode_cursor([last[f"k{i}"] for i in range(len(keys))])
        return Page(items, cursor)

    def iterate(
        self,
        name: str,
        *,
        quotes: QuoteFilter | None = None,
        articles: ArticleFilter | None = None,
        entities: EntityFilter | None = None,
        stories: StoryFilter | None = None,
        newest_first: bool = False,
        size: int = 500,
    ) -> Iterator[Any]:
        """Every item of list `name`, in its order, read a page at a time."""
        after = None
        while True:
            page = self.page(
                name,
                after=after,
                limit=size,
                quotes=quotes,
                articles=articles,
                entities=entities,
                stories=stories,
                newest_first=newest_first,
            )
            yield from page.items
            if page.next is None:
                return
            after = page.next

    def _list(self, name: str, qf: QuoteFilter, newest_first: bool) -> tuple[type, Any, list[Any]]:
        t = schema.metadata.tables[name]
        b = self.db.bytewise
        if name == "articles":
            return ArticleView, select(t), [(b(t.c.id), True)]
        if name == "article_sources":
            return SourceView, select(t), [(b(t.c.source), True), (b(t.c.raw_sha), True)]
        if name == "failures":
            cols = [c for c in t.c if c.name != "raw"]
            size = func.length(t.c.raw).label("raw_bytes")
            return FailureView, select(*cols, size), [(t.c.id, True)]
        if name == "runs":
            return RunView, select(t), [(t.c.id, True)]
        if name == "stories":
            query, keys = story_list(b, newest_first)
            return StoryView, query, keys
        if name == "links":
            pair = [(b(t.c.kind), True), (b(t.c.a), True), (b(t.c.b), True)]
            return LinkView, select(t), pair
        title_first = case((t.c.in_title, 0), else_=1)
        if name == "events":
            a = schema.articles
            query = select(t, a.c.outlet, a.c.published, a.c.url).join(a, a.c.id == t.c.article_id)
            order = [b(t.c.article_id), title_first, t.c.start, t.c.trigger_start, b(t.c.id)]
            return EventView, query, [(k, True) for k in order]
        if name == "entities":
            spans = [b(t.c.article_id), title_first, t.c.start, t.c.end, t.c.id]
            return EntityView, select(t), [(k, True) for k in spans]
        a = schema.articles
        query = select(
            *[c for c in t.c if c.name != "speaker_key"], a.c.outlet, a.c.published, a.c.url
        ).join(a, a.c.id == t.c.article_id)
        query = query.where(*_quote_filters(qf))
        if newest_first:
            keys = [(func.coalesce(t.c.date, ""), False), (b(t.c.article_id), True)]
            keys += [(t.c.start, True), (b(t.c.id), True)]
        else:
            published = func.coalesce(a.c.published, "")
            keys = [(b(published), True), (b(t.c.article_id), True), (title_first, True)]
            keys += [(t.c.start, True), (t.c.end, True), (b(t.c.id), True)]
        return QuoteView, query, keys

    # -- single items ----------------------------------------------------------------------
    def article(self, article_id: str) -> ArticleView | None:
        rows = self._rows(select(schema.articles).where(schema.articles.c.id == article_id))
        return model_of(ArticleView, rows[0]._mapping) if rows else None

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The cleaned text of each of these stored articles, by id (missing ids left out)."""
        a = schema.articles
        found: dict[str, str] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            found.update(
                (r[0], r[1]) for r in self._rows(select(a.c.id, a.c.text).where(a.c.id.in_(chunk)))
            )
        return found

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids the store already holds."""
        found: set[str] = set()
        a = schema.articles
        for chunk in chunks(sorted(set(ids)), 500):
            found.update(r[0] for r in self._rows(select(a.c.id).where(a.c.id.in_(chunk))))
        return found

    def seen_sources(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which (source, raw_sha) pairs are already stored: a resumed run skips them."""
        keys = list(keys)
        found: set[tuple[str, str]] = set()
        t = schema.article_sources
        for chunk in chunks(sorted({sha for _s, sha in keys}), 500):
            rows = self._rows(select(t.c.source, t.c.raw_sha).where(t.c.raw_sha.in_(chunk)))
            found.update((r[0], r[1]) for r in rows)
        return found & set(keys)

    def failure_raw(self) -> Iterator[tuple[FailureView, bytes]]:
        """Every quarantined input with its raw bytes, in id order, one at a time."""
        f = schema.failures
        ids = [
            r[0] for r in self._rows(select(f.c.id).where(f.c.raw.is_not(None)).order_by(f.c.id))
        ]
        _model, query, _keys = self._list("failures", QuoteFilter(), False)
        for failure_id in ids:
            rows = self._rows(query.add_columns(f.c.raw).where(f.c.id == failure_id))
            if rows:
                yield model_of(FailureView, rows[0]._mapping), bytes(rows[0]._mapping["raw"])

    # -- what the stages read --------------------------------------------------------------
    def articles_lacking(self, versions: Sequence[str], *, batch: int = 500) -> Iterator[Article]:
        """Stored articles whose stage versions miss any of `versions` (all of them when empty),
        in id order, read a page at a time so a large store is never held in memory."""
        after = None
        while True:
            page = self.page("articles", after=after, limit=batch)
            for view in page.items:
                if not versions or not set(versions) <= set(view.stage_versions):
                    yield _article_of(view)
            if page.next is None:
                return
            after = page.next

    def articles_after(self, seq: int, *, limit: int = 500) -> list[StoredArticle]:
        """Up to `limit` stored articles committed after `seq`, in commit order."""
        a = schema.articles
        rows = self._rows(select(a).where(a.c.seq > seq).order_by(a.c.seq).limit(limit))
        return [StoredArticle(r._mapping["seq"], model_of(ArticleView, r._mapping)) for r in rows]

    def band_matches(self, keys: Sequence[tuple[int, int]]) -> set[str]:
        """Stored articles that share any of these (band, bucket) LSH keys."""
        if not keys:
            return set()
        m = schema.minhash_bands
        wanted = set(keys)
        query = select(m.c.article_id, m.c.band, m.c.bucket).where(
            m.c.bucket.in_(sorted({bucket for _band, bucket in wanted}))
        )
        return {r[0] for r in self._rows(query) if (r[1], r[2]) in wanted}

    def stage_state(self, family: str) -> StageState | None:
        s = schema.stage_state
        rows = self._rows(select(s).where(s.c.family == family))
        if not rows:
            return None
        r = rows[0]._mapping
        return StageState(r["family"], r["version"], int(r["watermark"]))

    def product_rows(self, name: str) -> list[dict[str, Any]]:
        """Every row of a registered product's table as plain values (for tests and exports of
        products that have no read model yet)."""
        from .products import product

        table = product(name).table
        return [dict(r._mapping) for r in self._rows(select(table).order_by(*table.primary_key))]

    # -- overview --------------------------------------------------------------------------
    def stats(self) -> Stats:
        s = schema
        count = {
            name: self._scalar(select(func.count()).select_from(s.metadata.tables[name]))
            for name in ("articles", "article_sources", "quotes", "entities", "failures", "runs")
        }
        f, a, q, e, r = s.failures, s.articles, s.quotes, s.entities, s.runs
        by_reason = self._rows(
            select(f.c.kind, f.c.reason, func.count())
            .group_by(f.c.kind, f.c.reason)
            .order_by(f.c.kind, f.c.reason)
        )
        languages = self._rows(
            select(a.c.language, func.count())
            .group_by(a.c.language)
            .order_by(func.count().desc(), a.c.language.nulls_first())
        )
        kinds = self._rows(select(q.c.kind, func.count()).group_by(q.c.kind).order_by(q.c.kind))
        statuses = self._rows(
            select(r.c.status, func.count()).group_by(r.c.status).order_by(r.c.status)
        )
        first, last = self._rows(select(func.min(a.c.published), func.max(a.c.published)))[0]
        return Stats(
            **count,
            failures_by_reason={f"{k}/{why}": n for k, why, n in by_reason},
            outlets=self._scalar(select(func.count(func.distinct(a.c.outlet)))),
            languages={str(lang): n for lang, n in languages},
            quotes_by_kind={str(kind): n for kind, n in kinds},
            quotes_with_actor=self._scalar(
                select(func.count()).select_from(q).where(q.c.speaker_actor.is_not(None))
            ),
            actors_mentioned=self._scalar(select(func.count(func.distinct(e.c.actor)))),
            published_range=(first, last),
            runs_by_status={str(st): n for st, n in statuses},
        )

    def _scalar(self, query: Any) -> int:
        return int(self._rows(query)[0][0])

    def schema_version(self) -> int:
        return self.db.schema_version()


def _outlet_is(column: Any, outlet: str) -> Any:
    return func.lower(column) == outlet.strip().lower()


def _code_prefix(column: Any, code: str) -> Any:
    """An actor code or its prefix (RUS, RUSGOV), whatever its case."""
    return column.startswith(code.strip().upper(), autoescape=True)


def _days(column: Any, since: str | None, until: str | None) -> list[Any]:
    """A day column within [since, until], inclusive; `until` compares by its leading part, so
    a month or a year keeps all its days."""
    where = []
    if since:
        where.append(column >= since)
    if until:
        where.append(func.substr(column, 1, len(until)) <= until)
    return where


def _quote_filters(qf: QuoteFilter) -> list[Any]:
    q, a = schema.quotes, schema.articles
    where: list[Any] = []
    if qf.speaker is not None:
        key = fold(qf.speaker).strip()
        where.append(q.c.speaker_key.contains(key, autoescape=True) if key else false())
    if qf.actor:
        where.append(_code_prefix(q.c.speaker_actor, qf.actor))
    if qf.outlet:
        where.append(_outlet_is(a.c.outlet, qf.outlet))
    if qf.article_id:
        where.append(q.c.article_id == qf.article_id)
    return where + _days(q.c.date, qf.since, qf.until)


def _article_filters(af: ArticleFilter) -> list[Any]:
    a = schema.articles
    where: list[Any] = []
    if af.outlet:
        where.append(_outlet_is(a.c.outlet, af.outlet))
    return where + _days(a.c.published, af.since, af.until)


def _entity_filters(ef: EntityFilter) -> list[Any]:
    e = schema.entities
    where: list[Any] = []
    if ef.article_id:
        where.append(e.c.article_id == ef.article_id)
    if ef.actor:
        where.append(_code_prefix(e.c.actor, ef.actor))
    if ef.label:
        where.append(e.c.label == ef.label.strip().upper())
    return where


def _after(keys: list[Any], values: list[Any]) -> Any:
    """Rows strictly after `values` in the order `keys`: the keyset condition."""
    clauses = []
    for i, ((key, up), value) in enumerate(zip(keys, values, strict=True)):
        same = [k == v for (k, _), v in zip(keys[:i], values[:i], strict=True)]
        clauses.append(and_(*same, key > value if up else key < value))
    return or_(*clauses)


def _encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, n: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != n:
        raise CursorError(f"cursor {cursor[:40]!r} is not one this list gave out")
    if not all(v is None or isinstance(v, str | int | float) for v in values):
        raise CursorError(f"cursor {cursor[:40]!r} is not one this list gave out")
    return values


def _check_cursor_types(cursor: str, keys: list[Any], values: list[Any]) -> None:
    """Each key of a cursor has its column's type: a forged one is refused here, before it
    reaches a database that would fail on an integer compared with a string (PostgreSQL)."""
    for (key, _up), value in zip(keys, values, strict=True):
        integer = isinstance(key.type, Integer)
        fits = (
            isinstance(value, int) and not isinstance(value, bool)
            if integer
            else isinstance(value, str)
        )
        if not fits:
            raise CursorError(f"cursor {cursor[:40]!r} is not one this list gave out")


def _article_of(view: ArticleView) -> Article:
    return Article(
        id=view.id,
        source=view.source,
        text=view.text,
        title=view.title,
        url=view.url,
        outlet=view.outlet,
        published=view.published,
        published_precision=view.published_precision,
        authors=view.authors,
        language=view.language,
        dateline=view.dateline,
        warnings=view.warnings,
        input_kind=view.input_kind,
        stage_versions=view.stage_versions,
    )
