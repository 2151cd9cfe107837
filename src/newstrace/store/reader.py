"""The reader: typed read models in a stable order, a page at a time (keyset cursors).

The command line, the API and corpus stages read through here; nothing outside `store/` sees a
row. Every list has one fixed order whose last key is unique, so a cursor (the keys of the last
item of a page) names a place in the list that stays valid while the store grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, false, func, or_, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import CursorError, StoreError
from ..records import Article
from . import schema, search
from .engine import Database, one_line
from .event_reads import DyadFilter, EventFilter, EventReads, split_dyad
from .models import (
    ArticleView,
    EntityView,
    Facet,
    FailureView,
    LinkView,
    Page,
    QuoteView,
    RunView,
    SearchHit,
    SearchPage,
    SourceView,
    StageState,
    StoredArticle,
    StoryView,
    model_of,
)
from .overview_reads import OverviewReads
from .products import fold
from .story_reads import StoryFilter, StoryReads, story_filters, story_list
from .variant_reads import VariantFilter, VariantReads, variant_list
from .where import after as after_keys
from .where import check_cursor_types, code_prefix, days, decode_cursor, encode_cursor, outlet_is
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
    "split_dyad",
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


class Reader(EventReads, OverviewReads, StoryReads, VariantReads):
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
            values = decode_cursor(after, len(keys))
            check_cursor_types(after, keys, values)
            query = query.where(after_keys(keys, values))
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
            cursor = encode_cursor([last[f"k{i}"] for i in range(len(keys))])
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
            values = decode_cursor(after, 3)
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
            cursor = encode_cursor([last.score, last.kind, last.id])
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

    # -- what the pages show around an item -------------------------------------------------

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

    def schema_version(self) -> int:
        return self.db.schema_version()


def _quote_filters(qf: QuoteFilter) -> list[Any]:
    q, a = schema.quotes, schema.articles
    where: list[Any] = []
    if qf.speaker is not None:
        key = fold(qf.speaker).strip()
        where.append(q.c.speaker_key.contains(key, autoescape=True) if key else false())
    if qf.actor:
        where.append(code_prefix(q.c.speaker_actor, qf.actor))
    if qf.outlet:
        where.append(outlet_is(a.c.outlet, qf.outlet))
    if qf.article_id:
        where.append(q.c.article_id == qf.article_id)
    return where + days(q.c.date, qf.since, qf.until)


def _article_filters(af: ArticleFilter) -> list[Any]:
    a = schema.articles
    where: list[Any] = []
    if af.outlet:
        where.append(outlet_is(a.c.outlet, af.outlet))
    return where + days(a.c.published, af.since, af.until)


def _entity_filters(ef: EntityFilter) -> list[Any]:
    e = schema.entities
    where: list[Any] = []
    if ef.article_id:
        where.append(e.c.article_id == ef.article_id)
    if ef.actor:
        where.append(code_prefix(e.c.actor, ef.actor))
    if ef.label:
        where.append(e.c.label == ef.label.strip().upper())
    return where


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
