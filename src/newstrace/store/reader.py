"""The reader: typed read models in a stable order, a page at a time (keyset cursors).

The command line, the API and corpus stages read through here; nothing outside `store/` sees a
row. Every list has one fixed order whose last key is unique, so a cursor (the keys of the last
item of a page) names a place in the list that stays valid while the store grows.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Integer, and_, case, cast, false, func, literal, or_, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import CursorError, StoreError
from ..events.records import Event
from ..group.events import EventGroup, EventReport
from ..records import Article
from . import schema, search
from .engine import Database, one_line
from .models import (
    ActorView,
    ArticleView,
    DyadDay,
    EntityView,
    EventView,
    Facet,
    FailureView,
    LinkView,
    Page,
    QuoteView,
    ReportView,
    RunView,
    SearchHit,
    SearchPage,
    SourceView,
    StageState,
    Stats,
    StoredArticle,
    StoryView,
    TimelineRow,
    model_of,
)
from .products import fold
from .story_reads import StoryFilter, StoryReads, story_filters, story_list
from .variant_reads import VariantFilter, VariantReads, variant_list
from .writer import chunks

__all__ = [
    "LISTS",
    "ArticleFilter",
    "DyadFilter",
    "EntityFilter",
    "EventFilter",
    "QuoteFilter",
    "Reader",
    "SearchFilter",
    "StoryFilter",
    "VariantFilter",
]

SearchFilter = search.SearchFilter
# The fields of the hits that a search counts values of, and how many values of each it keeps.
FACETS = {"outlet": "outlet", "speaker": "speaker", "actor": "speaker_actor"}
FACET_SIZE = 20


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


@dataclass(frozen=True)
class EventFilter:
    """Which events to list. `actor` is an actor code or its prefix on either side (RUS, RUSGOV);
    `dyad` a directed pair of country codes ("RUS-UKR", or RUS>UKR); `type` a PLOVER type
    (ACCUSE; case ignored); `since`/`until` bound the event's day as for quotes."""

    actor: str | None = None
    dyad: str | None = None
    type: str | None = None
    outlet: str | None = None
    article_id: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class DyadFilter:
    """Which dyad-days to list: `actor` a country code on either side, `dyad` one directed pair
    ("RUS-UKR"), `type` only events of one PLOVER type, `since`/`until` the day."""

    actor: str | None = None
    dyad: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None


def split_dyad(dyad: str) -> tuple[str, str]:
    """ "RUS-UKR", "RUS>UKR" or "RUS→UKR" -> ("RUS", "UKR"); a ValueError names what is wrong."""
    for sep in ("→", ">", "-"):
        if sep in dyad:
            a, _, b = dyad.partition(sep)
            a, b = a.strip().upper(), b.strip().upper()
            if a and b:
                return a, b
    raise ValueError(f"dyad {dyad[:40]!r}: give a directed pair of codes, e.g. RUS-UKR")


# Every list the reader serves by name, and so every table `newstrace export` can write.
LISTS = (
    "articles",
    "quotes",
    "entities",
    "events",
    "dyads",
    "links",
    "stories",
    "variants",
    "failures",
    "article_sources",
    "runs",
)


class Reader(StoryReads, VariantReads):
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
        events: EventFilter | None = None,
        dyads: DyadFilter | None = None,
        stories: StoryFilter | None = None,
        variants: VariantFilter | None = None,
        newest_first: bool = False,
    ) -> Page[Any]:
        """One page of list `name` (one of LISTS) after cursor `after`. Quotes, articles and
        entities can be filtered, and quotes listed newest statement first instead of in report
        order."""
        if name not in LISTS:
            raise StoreError(f"unknown list {name!r}; choose one of {', '.join(LISTS)}")
        if limit < 1:
            raise StoreError(f"page size must be at least 1, got {limit}")
        if name == "events":
            model, query, keys = self._events(events or EventFilter(), newest_first)
        elif name == "dyads":
            model, query, keys = self._dyads(dyads or DyadFilter())
        elif name == "variants":
            model, (query, keys) = (
                LinkView,
                variant_list(self.db.bytewise, variants or VariantFilter()),
            )
        else:
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
        elif name == "variants":
            items = self.variant_views(rows[:limit])
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
        events: EventFilter | None = None,
        dyads: DyadFilter | None = None,
        stories: StoryFilter | None = None,
        variants: VariantFilter | None = None,
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
                events=events,
                dyads=dyads,
                stories=stories,
                variants=variants,
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

    def _events(self, ef: EventFilter, newest_first: bool) -> tuple[type, Any, list[Any]]:
        """One row per event: a founding report with its group's counts, or an event no group
        holds yet (its own single report); a later report of a group is not an event."""
        e, a, g, r = schema.events, schema.articles, schema.event_groups, schema.event_reports
        b = self.db.bytewise
        day = func.coalesce(g.c.date, e.c.date)
        one_outlet = case((a.c.outlet.is_(None), 0), else_=1)
        query = (
            select(
                *[c for c in e.c if c.name != "date"],
                day.label("date"),
                func.coalesce(g.c.reports, 1).label("reports"),
                func.coalesce(g.c.articles, 1).label("articles"),
                func.coalesce(g.c.outlets, one_outlet).label("outlets"),
                func.coalesce(g.c.last_date, e.c.date).label("last_date"),
                a.c.outlet,
                a.c.published,
                a.c.url,
            )
            .join(a, a.c.id == e.c.article_id)
            .outerjoin(g, g.c.id == e.c.id)
            .outerjoin(r, r.c.event_id == e.c.id)
            .where(or_(g.c.id.is_not(None), r.c.event_id.is_(None)))
        )
        where: list[Any] = []
        if ef.actor:
            code = ef.actor.strip().upper()
            where.append(
                or_(
                    _code_prefix(e.c.source_actor, code),
                    _code_prefix(e.c.target_actor, code),
                    e.c.source_actor.contains(f";{code}", autoescape=True),
                    e.c.target_actor.contains(f";{code}", autoescape=True),
                )
            )
        if ef.dyad:
            src, tgt = split_dyad(ef.dyad)
            # A country, or an organisation coded by itself (IGOWSTNAT), as the dyads count them.
            where += [
                or_(_listed(e.c.source_country, src), _listed(e.c.source_actor, src)),
                or_(_listed(e.c.target_country, tgt), _listed(e.c.target_actor, tgt)),
            ]
        if ef.type:
            where.append(e.c.event_type == ef.type.strip().upper())
        if ef.outlet:
            where.append(_outlet_is(a.c.outlet, ef.outlet))
        if ef.article_id:
            where.append(e.c.article_id == ef.article_id)
        query = query.where(*where, *_days(day, ef.since, ef.until))
        title_first = case((e.c.in_title, 0), else_=1)
        if newest_first:
            keys = [(func.coalesce(day, ""), False), (b(e.c.article_id), True)]
            keys += [(title_first, True), (e.c.start, True), (b(e.c.id), True)]
        else:
            order = [b(e.c.article_id), title_first, e.c.start, e.c.trigger_start, b(e.c.id)]
            keys = [(k, True) for k in order]
        return EventView, query, keys

    def _dyads(self, df: DyadFilter) -> tuple[type, Any, list[Any]]:
        d = schema.event_dyads
        b = self.db.bytewise
        value = func.coalesce(d.c.goldstein, 0.0)
        hostile = case((value < 0, -value), else_=0.0)
        query = select(
            d.c.source,
            d.c.target,
            d.c.date,
            func.count().label("events"),
            cast(func.coalesce(func.sum(value), 0.0), Float).label("goldstein"),
            cast(func.coalesce(func.sum(hostile), 0.0), Float).label("conflict"),
            func.coalesce(func.sum(case((value < 0, 1), else_=0)), 0).label("conflict_events"),
        )
        where: list[Any] = []
        if df.actor:
            code = df.actor.strip().upper()
            where.append(or_(d.c.source == code, d.c.target == code))
        if df.dyad:
            src, tgt = split_dyad(df.dyad)
            where += [d.c.source == src, d.c.target == tgt]
        if df.type:
            where.append(d.c.event_type == df.type.strip().upper())
        query = query.where(*where, *_days(d.c.date, df.since, df.until))
        query = query.group_by(d.c.source, d.c.target, d.c.date)
        return DyadDay, query, [(b(d.c.source), True), (b(d.c.target), True), (b(d.c.date), True)]

    # -- full-text search ------------------------------------------------------------------
    def search(
        self, sf: search.SearchFilter, *, after: str | None = None, limit: int = 20
    ) -> SearchPage:
        """Articles and quotes matching `sf.q`, best first (ties by kind and id), a page at a
        time after cursor `after`, with the count and the facets of every hit."""
        if limit < 1:
            raise StoreError(f"page size must be at least 1, got {limit}")
        dialect = "sqlite" if self.db.is_sqlite else "postgresql"
        if not search.fts_query(sf.q):
            return SearchPage((), None, 0, {name: () for name in FACETS})
        sql, params = search.search_sql(dialect, sf)
        collate = "" if self.db.is_sqlite else ' COLLATE "C"'
        keyset = ""
        if after is not None:
            values = _decode_cursor(after, 3)
            score, kind, ref = values
            if not (
                isinstance(score, int | float) and isinstance(kind, str) and isinstance(ref, str)
            ):
                raise CursorError(f"cursor {after[:40]!r} is not one this list gave out")
            params |= {"c_score": float(score), "c_kind": kind, "c_ref": ref}
            keyset = (
                " WHERE s.score < :c_score OR (s.score = :c_score AND (s.kind > :c_kind OR "
                f"(s.kind = :c_kind AND s.ref{collate} > :c_ref{collate})))"
            )
        page_sql = (
            f"SELECT * FROM ({sql}) s{keyset} "
            f"ORDER BY s.score DESC, s.kind, s.ref{collate} LIMIT :limit"
        )
        rows = self._rows(text(page_sql).bindparams(**params, limit=limit + 1))
        hits = tuple(_hit(r._mapping) for r in rows[:limit])
        cursor = None
        if len(rows) > limit:
            last = hits[-1]
            cursor = _encode_cursor([last.score, last.kind, last.id])
        bare, bare_params = search.search_sql(dialect, sf, snippets=False)
        total = self._scalar(text(f"SELECT count(*) FROM ({bare}) s").bindparams(**bare_params))
        facets = {}
        for name, column in FACETS.items():
            facet_sql = (
                f"SELECT s.{column}, count(*) AS n FROM ({bare}) s WHERE s.{column} IS NOT NULL "
                f"GROUP BY s.{column} ORDER BY n DESC, s.{column}{collate} LIMIT {FACET_SIZE}"
            )
            found = self._rows(text(facet_sql).bindparams(**bare_params))
            facets[name] = tuple(Facet(r[0], int(r[1])) for r in found)
        return SearchPage(hits, cursor, total, facets)

    # -- actors, outlets and what the pages show around an item ----------------------------
    def actors(self, *, after: str | None = None, limit: int = 100) -> Page[ActorView]:
        """Every actor code found in mentions, quotes or events, by code, a page at a time."""
        e, q, v = schema.entities, schema.quotes, schema.events
        codes = (
            select(e.c.actor.label("code"))
            .where(e.c.actor.is_not(None))
            .union(
                select(q.c.speaker_actor).where(q.c.speaker_actor.is_not(None)),
                select(v.c.source_code),
                select(v.c.target_code).where(v.c.target_code.is_not(None)),
            )
            .subquery()
        )
        code = self.db.bytewise(codes.c.code)
        query = select(codes.c.code)
        if after is not None:
            values = _decode_cursor(after, 1)
            if not isinstance(values[0], str):
                raise CursorError(f"cursor {after[:40]!r} is not one this list gave out")
            query = query.where(code > values[0])
        rows = self._rows(query.order_by(code).limit(limit + 1))
        found = [r[0] for r in rows[:limit]]
        cursor = _encode_cursor([found[-1]]) if len(rows) > limit else None
        return Page(tuple(self._actor_views(found)), cursor)

    def actor(self, code: str) -> ActorView | None:
        """One actor code, or None when nothing in the store carries it."""
        view = self._actor_views([code])[0]
        return view if view.mentions or view.quotes or view.events else None

    def _actor_views(self, codes: Sequence[str]) -> list[ActorView]:
        if not codes:
            return []
        e, q, v = schema.entities, schema.quotes, schema.events
        mentions = dict(
            self._rows(
                select(e.c.actor, func.count()).where(e.c.actor.in_(codes)).group_by(e.c.actor)
            )
        )
        quotes = dict(
            self._rows(
                select(q.c.speaker_actor, func.count())
                .where(q.c.speaker_actor.in_(codes))
                .group_by(q.c.speaker_actor)
            )
        )
        events: dict[str, int] = {}
        for column in (v.c.source_code, v.c.target_code):
            for c, n in self._rows(
                select(column, func.count()).where(column.in_(codes)).group_by(column)
            ):
                events[c] = events.get(c, 0) + int(n)
        names: dict[str, list[str]] = {}
        named = (
            select(e.c.actor, e.c.name, func.count().label("n"))
            .where(e.c.actor.in_(codes), e.c.name.is_not(None))
            .group_by(e.c.actor, e.c.name)
            .order_by(e.c.actor, func.count().desc(), e.c.name)
        )
        for c, name, _n in self._rows(named):
            names.setdefault(c, []).append(name)
        return [
            ActorView(
                c,
                tuple(names.get(c, [])[:5]),
                int(mentions.get(c, 0)),
                int(quotes.get(c, 0)),
                events.get(c, 0),
            )
            for c in codes
        ]

    def most_active(self, limit: int = 10) -> list[ActorView]:
        """The actor codes with the most statements and events together."""
        q, v = schema.quotes, schema.events
        score: dict[str, int] = {}
        for column in (q.c.speaker_actor, v.c.source_code, v.c.target_code):
            for c, n in self._rows(
                select(column, func.count()).where(column.is_not(None)).group_by(column)
            ):
                score[c] = score.get(c, 0) + int(n)
        top = sorted(score, key=lambda c: (-score[c], c))[:limit]
        return self._actor_views(top)

    def quote_timeline(self, actor: str) -> list[TimelineRow]:
        """Statements by an actor code (or a code under it) per statement day and outlet."""
        q, a = schema.quotes, schema.articles
        query = (
            select(q.c.date, a.c.outlet, func.count())
            .join(a, a.c.id == q.c.article_id)
            .where(_code_prefix(q.c.speaker_actor, actor))
            .group_by(q.c.date, a.c.outlet)
            .order_by(q.c.date, a.c.outlet)
        )
        return [TimelineRow(d, o, int(n)) for d, o, n in self._rows(query)]

    def outlets(self, limit: int = 100) -> list[tuple[str | None, int]]:
        """Outlets by how many articles they have, most first."""
        a = schema.articles
        query = (
            select(a.c.outlet, func.count())
            .group_by(a.c.outlet)
            .order_by(func.count().desc(), self.db.bytewise(func.coalesce(a.c.outlet, "")))
            .limit(limit)
        )
        return [(o, int(n)) for o, n in self._rows(query)]

    def latest_articles(self, limit: int = 10) -> list[ArticleView]:
        """The most recently published articles (undated ones last)."""
        a = schema.articles
        query = (
            select(a)
            .order_by(a.c.published.is_(None), a.c.published.desc(), self.db.bytewise(a.c.id))
            .limit(limit)
        )
        return [model_of(ArticleView, r._mapping) for r in self._rows(query)]

    def sources_of(self, article_id: str) -> list[SourceView]:
        t = schema.article_sources
        query = select(t).where(t.c.article_id == article_id).order_by(t.c.seen_at, t.c.source)
        return [model_of(SourceView, r._mapping) for r in self._rows(query)]

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

    def band_matches(
        self, keys: Sequence[tuple[int, int]], periods: Sequence[int] | None = None
    ) -> set[str]:
        """Stored articles that share any of these (band, bucket) LSH keys, in these index
        partitions (see group.duplicates.period_of) or in all of them."""
        if not keys:
            return set()
        m = schema.minhash_bands
        wanted = set(keys)
        query = select(m.c.article_id, m.c.band, m.c.bucket).where(
            m.c.bucket.in_(sorted({bucket for _band, bucket in wanted}))
        )
        if periods is not None:
            query = query.where(m.c.period.in_(sorted(set(periods))))
        return {r[0] for r in self._rows(query) if (r[1], r[2]) in wanted}

    def events_of_articles(self, ids: Sequence[str]) -> list[Event]:
        """The coded events of these stored articles, as the event stage made them."""
        e = schema.events
        found: list[Event] = []
        for chunk in chunks(sorted(set(ids)), 500):
            rows = self._rows(select(e).where(e.c.article_id.in_(chunk)))
            found.extend(model_of(Event, r._mapping) for r in rows)
        return found

    def actor_spans(self, ids: Sequence[str]) -> dict[str, list[tuple[int, int, bool]]]:
        """The actor mentions of these articles: (start, end, in_title) by article id."""
        t = schema.entities
        found: dict[str, list[tuple[int, int, bool]]] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            query = select(t.c.article_id, t.c.start, t.c.end, t.c.in_title).where(
                t.c.article_id.in_(chunk), t.c.actor.is_not(None)
            )
            for r in self._rows(query):
                found.setdefault(r[0], []).append((int(r[1]), int(r[2]), bool(r[3])))
        return found

    def reports_near(self, key: str, lo: str, hi: str) -> list[EventReport]:
        """Stored event reports of one group key whose day is within [lo, hi]: the index lookup
        of the event grouper, whatever the size of the store."""
        r = schema.event_reports
        rows = self._rows(
            select(r)
            .where(r.c.key == key, r.c.day >= lo, r.c.day <= hi)
            .order_by(r.c.day, r.c.event_id)
        )
        return [model_of(EventReport, x._mapping) for x in rows]

    def event_group(self, group_id: str) -> EventGroup | None:
        g = schema.event_groups
        rows = self._rows(select(g).where(g.c.id == group_id))
        return model_of(EventGroup, rows[0]._mapping) if rows else None

    def group_reports(self, group_id: str) -> list[EventReport]:
        r = schema.event_reports
        rows = self._rows(select(r).where(r.c.group_id == group_id).order_by(r.c.event_id))
        return [model_of(EventReport, x._mapping) for x in rows]

    def event(self, event_id: str) -> EventView | None:
        """One event by its id; the id of a later report of it finds the event too."""
        r = schema.event_reports
        owner = self._rows(select(r.c.group_id).where(r.c.event_id == event_id))
        wanted = owner[0][0] if owner else event_id
        model, query, _keys = self._events(EventFilter(), False)
        rows = self._rows(query.where(schema.events.c.id == wanted))
        return model_of(model, rows[0]._mapping) if rows else None

    def reports(self, event_id: str) -> list[ReportView]:
        """Every report of the event `event_id`, oldest day first: its article, sentence, offsets
        and where it was published. An event no group holds yet is its own one report."""
        e, a, r = schema.events, schema.articles, schema.event_reports
        b = self.db.bytewise
        cols = [a.c.outlet, a.c.url, a.c.published, e.c.trigger, e.c.trigger_start, e.c.cameo]
        cols.append(e.c.confidence)
        query = (
            select(*[c for c in r.c if c.name not in ("outlet", "key", "gist")], *cols)
            .join(e, e.c.id == r.c.event_id)
            .join(a, a.c.id == r.c.article_id)
            .where(r.c.group_id == event_id)
            .order_by(func.coalesce(r.c.day, ""), b(r.c.article_id), r.c.start, b(r.c.event_id))
        )
        rows = self._rows(query)
        if rows:
            return [model_of(ReportView, x._mapping) for x in rows]
        alone = self._rows(
            select(
                e.c.id.label("event_id"),
                e.c.id.label("group_id"),
                e.c.article_id,
                e.c.date.label("day"),
                e.c.date_basis,
                e.c.sentence,
                e.c.start,
                e.c.end,
                e.c.in_title,
                literal(1.0).label("similarity"),
                *cols,
            )
            .join(a, a.c.id == e.c.article_id)
            .where(e.c.id == event_id)
        )
        return [model_of(ReportView, x._mapping) for x in alone]

    def dyad_events(self, source: str, target: str, day: str) -> list[tuple[str, float | None]]:
        """The events (ids and Goldstein values) of one directed dyad on one day, most
        conflictual first."""
        d = schema.event_dyads
        rows = self._rows(
            select(d.c.group_id, d.c.goldstein)
            .where(d.c.source == source, d.c.target == target, d.c.date == day)
            .order_by(func.coalesce(d.c.goldstein, 0.0), d.c.group_id)
        )
        return [(x[0], x[1]) for x in rows]

    def article_quotes(self, ids: Iterable[str]) -> list[tuple[int, QuoteView]]:
        """The quotes of these stored articles, each with its article's commit order (`seq`)."""
        found: list[tuple[int, QuoteView]] = []
        for chunk in chunks(sorted(set(ids)), 500):
            found += self._quotes_with_seq(schema.quotes.c.article_id.in_(chunk))
        return found

    def speaker_quotes(
        self, actor_ids: Iterable[str], since: str, until: str
    ) -> list[tuple[int, QuoteView]]:
        """The quotes of these speakers (actor ids) made between two days, inclusive, each with
        its article's `seq`: an index lookup by speaker and day, whatever the store's size."""
        q = schema.quotes
        found: list[tuple[int, QuoteView]] = []
        for chunk in chunks(sorted(set(actor_ids)), 500):
            found += self._quotes_with_seq(
                q.c.speaker_actor_id.in_(chunk), q.c.date >= since, q.c.date <= until
            )
        return found

    def _quotes_with_seq(self, *where: Any) -> list[tuple[int, QuoteView]]:
        _model, query, _keys = self._list("quotes", QuoteFilter(), False)
        query = query.add_columns(schema.articles.c.seq.label("article_seq")).where(*where)
        rows = self._rows(query.order_by(schema.articles.c.seq, schema.quotes.c.start))
        return [(int(r._mapping["article_seq"]), model_of(QuoteView, r._mapping)) for r in rows]

    def article_actors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """The actor ids each of these articles mentions (articles with none left out)."""
        e = schema.entities
        found: dict[str, set[str]] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            query = select(e.c.article_id, e.c.actor_id).where(
                e.c.article_id.in_(chunk), e.c.actor_id.is_not(None)
            )
            for article_id, actor_id in self._rows(query.distinct()):
                found.setdefault(article_id, set()).add(actor_id)
        return found

    def articles_mentioning(
        self, actor_ids: Iterable[str], since: str, until: str
    ) -> dict[str, int]:
        """Articles published between two days (inclusive) that mention any of these actor
        ids, with how many of them each mentions."""
        e, a = schema.entities, schema.articles
        wanted = sorted(set(actor_ids))
        if not wanted:
            return {}
        query = (
            select(e.c.article_id, func.count(func.distinct(e.c.actor_id)))
            .join(a, a.c.id == e.c.article_id)
            .where(e.c.actor_id.in_(wanted), a.c.published >= since, a.c.published <= until)
            .group_by(e.c.article_id)
        )
        return {r[0]: int(r[1]) for r in self._rows(query)}

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, StoredArticle]:
        """These stored articles with their `seq`, by id (missing ids left out)."""
        a = schema.articles
        found: dict[str, StoredArticle] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            for r in self._rows(select(a).where(a.c.id.in_(chunk))):
                found[r._mapping["id"]] = StoredArticle(
                    r._mapping["seq"], model_of(ArticleView, r._mapping)
                )
        return found

    def article_order(self, ids: Iterable[str]) -> dict[str, tuple[int, str | None]]:
        """The `seq` and publication day of each of these stored articles, by id."""
        a = schema.articles
        found: dict[str, tuple[int, str | None]] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            query = select(a.c.id, a.c.seq, a.c.published).where(a.c.id.in_(chunk))
            found.update((r[0], (int(r[1]), r[2])) for r in self._rows(query))
        return found

    def links_of(self, ids: Iterable[str], kinds: Sequence[str] | None = None) -> list[LinkView]:
        """The links (of these kinds, or of every kind) that have one of these ids on either
        side, by kind, a and b."""
        t = schema.links
        found: dict[tuple[str, str, str], LinkView] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            query = select(t).where(or_(t.c.a.in_(chunk), t.c.b.in_(chunk)))
            if kinds is not None:
                query = query.where(t.c.kind.in_(list(kinds)))
            for r in self._rows(query):
                view = model_of(LinkView, r._mapping)
                found[(view.kind, view.a, view.b)] = view
        return [found[k] for k in sorted(found)]

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
            **self._event_counts(),
        )

    def _event_counts(self) -> dict[str, int]:
        e, r = schema.events, schema.event_reports
        coded = self._scalar(select(func.count()).select_from(e))
        # A report that is not its group's founder is not an event of its own.
        later = self._scalar(
            select(func.count())
            .select_from(r.join(e, e.c.id == r.c.event_id))
            .where(r.c.group_id != r.c.event_id)
        )
        return {"events": coded - later, "event_reports": coded}

    def _scalar(self, query: Any) -> int:
        return int(self._rows(query)[0][0])

    def schema_version(self) -> int:
        return self.db.schema_version()


def _outlet_is(column: Any, outlet: str) -> Any:
    return func.lower(column) == outlet.strip().lower()


def _code_prefix(column: Any, code: str) -> Any:
    """An actor code or its prefix (RUS, RUSGOV), whatever its case."""
    return column.startswith(code.strip().upper(), autoescape=True)


def _listed(column: Any, code: str) -> Any:
    """A ";"-joined code list holds `code` as one of its items."""
    return or_(
        column == code,
        column.startswith(f"{code};", autoescape=True),
        column.endswith(f";{code}", autoescape=True),
        column.contains(f";{code};", autoescape=True),
    )


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


def _hit(row: Any) -> SearchHit:
    return SearchHit(
        kind=row["kind"],
        id=row["ref"],
        article_id=row["article_id"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        speaker=row["speaker"],
        speaker_actor=row["speaker_actor"],
        score=float(row["score"] or 0.0),
        snippet=_snippet_parts(row["snippet"] or ""),
    )


def _snippet_parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """A snippet with highlight marks as (text, matched) parts, the marks taken out."""
    parts: list[tuple[str, bool]] = []
    matched = False
    for piece in re.split(f"([{search.MARK_START}{search.MARK_END}])", snippet):
        if piece == search.MARK_START:
            matched = True
        elif piece == search.MARK_END:
            matched = False
        elif piece:
            parts.append((piece, matched))
    return tuple(parts)


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
