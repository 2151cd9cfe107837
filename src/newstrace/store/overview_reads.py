"""The reads of the overview and actor pages: actor codes with their counts and names, the most
active ones, an actor's statements over time, outlets, the latest articles and the store's
counts. Mixed into `Reader`, which supplies `_rows` and `db`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from ..errors import CursorError
from . import schema
from .models import ActorView, ArticleView, Page, Stats, TimelineRow, model_of
from .where import code_prefix, decode_cursor, encode_cursor

__all__ = ["OverviewReads"]


class OverviewReads:
    """Overview reads; see the module's docs."""

    db: Any

    def _rows(self, query: Any) -> list[Any]:  # supplied by Reader
        raise NotImplementedError

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
            values = decode_cursor(after, 1)
            if not isinstance(values[0], str):
                raise CursorError(f"cursor {after[:40]!r} is not one this list gave out")
            query = query.where(code > values[0])
        rows = self._rows(query.order_by(code).limit(limit + 1))
        found = [r[0] for r in rows[:limit]]
        cursor = encode_cursor([found[-1]]) if len(rows) > limit else None
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
            .where(code_prefix(q.c.speaker_actor, actor))
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
