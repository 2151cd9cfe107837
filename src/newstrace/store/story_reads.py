"""The reads of stories: what the story clusterer needs (active stories, entities, document
frequencies, near duplicates), and what users see (a story, its articles, its coverage, an
outlet's coverage). Mixed into `Reader`, which supplies `_rows` and `db`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from . import schema
from .models import (
    EntityView,
    OutletCoverage,
    OutletReport,
    StoryArticleView,
    StoryCoverage,
    StoryMemberView,
    StoryMergeView,
    StoryRow,
    StoryView,
    model_of,
)
from .writer import chunks

__all__ = ["StoryFilter", "StoryReads", "story_filters", "story_list"]


@dataclass(frozen=True)
class StoryFilter:
    """Which stories to list: `since`/`until` bound the story's span (it ends on or after
    `since`, starts on or before `until`, by leading part); `outlet` is an outlet that carried
    one of its articles (case ignored); `actor` an actor code or its prefix that one of its
    articles mentions."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    actor: str | None = None


def story_list(bytewise: Any, newest_first: bool) -> tuple[Any, list[Any]]:
    """The live (not merged) stories in order of their first article, and the order's keys."""
    s = schema.stories
    query = select(s).where(s.c.merged_into.is_(None))
    return query, [(s.c.first_seq, not newest_first)]


def story_filters(sf: StoryFilter) -> list[Any]:
    s, sa, src, e = schema.stories, schema.story_articles, schema.article_sources, schema.entities
    where: list[Any] = []
    if sf.since:
        where.append(s.c.last_date >= sf.since)
    if sf.until:
        where.append(func.substr(s.c.first_date, 1, len(sf.until)) <= sf.until)
    if sf.outlet:
        where.append(
            exists(
                select(sa.c.article_id)
                .join(src, src.c.article_id == sa.c.article_id)
                .where(sa.c.story_id == s.c.id, func.lower(src.c.outlet) == sf.outlet.lower())
            )
        )
    if sf.actor:
        code = sf.actor.strip().upper()
        where.append(
            exists(
                select(sa.c.article_id)
                .join(e, e.c.article_id == sa.c.article_id)
                .where(sa.c.story_id == s.c.id, e.c.actor.startswith(code, autoescape=True))
            )
        )
    return where


class StoryReads:
    """Story reads; see the module's docs."""

    db: Any

    def _rows(self, query: Any) -> list[Any]:  # supplied by Reader
        raise NotImplementedError

    # -- for the story clusterer -------------------------------------------------------------
    def entities_of(self, ids: Iterable[str]) -> dict[str, list[EntityView]]:
        """The stored entity mentions of each of these articles, by article id."""
        e = schema.entities
        found: dict[str, list[EntityView]] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            rows = self._rows(select(e).where(e.c.article_id.in_(chunk)).order_by(e.c.id))
            for r in rows:
                view = model_of(EntityView, r._mapping)
                found.setdefault(view.article_id, []).append(view)
        return found

    def active_stories(
        self, *, since: str | None, until: str | None, after_seq: int
    ) -> list[StoryRow]:
        """Live stories whose date span meets [since, until], or that took an article after
        `after_seq`: the only ones a page of new articles is compared with."""
        s = schema.stories
        near = [s.c.last_seq > after_seq]
        if since and until:
            near.append(and_(s.c.last_date >= since, s.c.first_date <= until))
        query = select(s).where(s.c.merged_into.is_(None), or_(*near)).order_by(s.c.first_seq)
        return [model_of(StoryRow, r._mapping) for r in self._rows(query)]

    def stories_by_id(self, ids: Iterable[str]) -> list[StoryRow]:
        s = schema.stories
        rows = self._rows(select(s).where(s.c.id.in_(sorted(set(ids)))).order_by(s.c.first_seq))
        return [model_of(StoryRow, r._mapping) for r in rows]

    def term_df(self, terms: Iterable[str]) -> dict[str, int]:
        """How many articles the story clusterer has seen each of these terms in."""
        t = schema.story_terms
        found: dict[str, int] = {}
        for chunk in chunks(sorted(set(terms)), 500):
            found.update(
                (r[0], int(r[1]))
                for r in self._rows(select(t.c.term, t.c.df).where(t.c.term.in_(chunk)))
            )
        return found

    def near_duplicates_before(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """For each of these articles, the earlier articles it is a near duplicate of."""
        link = schema.links
        found: dict[str, list[str]] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            query = (
                select(link.c.b, link.c.a)
                .where(link.c.kind == "near_duplicate", link.c.b.in_(chunk))
                .order_by(link.c.b, link.c.score.desc(), link.c.a)
            )
            for b, a in self._rows(query):
                found.setdefault(b, []).append(a)
        return found

    def story_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The story each of these articles is in (articles in none left out)."""
        sa = schema.story_articles
        found: dict[str, str] = {}
        for chunk in chunks(sorted(set(ids)), 500):
            query = select(sa.c.article_id, sa.c.story_id).where(sa.c.article_id.in_(chunk))
            found.update((r[0], r[1]) for r in self._rows(query))
        return found

    def story_members(self, story_id: str) -> list[StoryArticleView]:
        sa = schema.story_articles
        query = select(sa).where(sa.c.story_id == story_id).order_by(sa.c.seq)
        return [model_of(StoryArticleView, r._mapping) for r in self._rows(query)]

    # -- for users ---------------------------------------------------------------------------
    def story_views(self, rows: Sequence[Any]) -> tuple[StoryView, ...]:
        """Stories rows as read models, with the outlets of every source of their articles and
        their article ids in commit order."""
        sa, src = schema.story_articles, schema.article_sources
        ids = [r._mapping["id"] for r in rows]
        articles: dict[str, list[str]] = {i: [] for i in ids}
        outlets: dict[str, set[str]] = {i: set() for i in ids}
        for chunk in chunks(ids, 500):
            for sid, aid in self._rows(
                select(sa.c.story_id, sa.c.article_id)
                .where(sa.c.story_id.in_(chunk))
                .order_by(sa.c.seq)
            ):
                articles[sid].append(aid)
            for sid, outlet in self._rows(
                select(sa.c.story_id, src.c.outlet)
                .join(src, src.c.article_id == sa.c.article_id)
                .where(sa.c.story_id.in_(chunk), src.c.outlet.is_not(None))
                .distinct()
            ):
                outlets[sid].add(outlet)
        out = []
        for r in rows:
            m = model_of(StoryRow, r._mapping)
            out.append(
                StoryView(
                    m.id,
                    m.title,
                    m.first_date,
                    m.last_date,
                    tuple(sorted(outlets[m.id])),
                    tuple(articles[m.id]),
                    m.size,
                    m.actors,
                )
            )
        return tuple(out)

    def story(self, story_id: str) -> StoryView | None:
        """One story; the id of a story merged into another gives the one it is part of now."""
        s = schema.stories
        for _hop in range(64):  # merges point to older stories only; the bound is a guard
            rows = self._rows(select(s).where(s.c.id == story_id))
            if not rows:
                return None
            merged = rows[0]._mapping["merged_into"]
            if merged is None:
                return self.story_views(rows)[0]
            story_id = merged
        return None

    def story_articles(self, story_id: str) -> list[StoryMemberView]:
        """The articles of a story in commit order, with where and when each was published."""
        sa, a = schema.story_articles, schema.articles
        query = (
            select(sa.c.article_id, a.c.title, a.c.outlet, a.c.published, sa.c.score, sa.c.basis)
            .join(a, a.c.id == sa.c.article_id)
            .where(sa.c.story_id == story_id)
            .order_by(sa.c.seq)
        )
        return [model_of(StoryMemberView, r._mapping) for r in self._rows(query)]

    def story_merges(self, story_id: str) -> list[StoryMergeView]:
        """The stories merged into this one, in the order they were."""
        m = schema.story_merges
        query = select(m).where(m.c.kept == story_id).order_by(m.c.seq, m.c.merged)
        return [model_of(StoryMergeView, r._mapping) for r in self._rows(query)]

    def coverage(self, story_id: str) -> StoryCoverage | None:
        """Which outlets reported a story and when each first did (counting every source of its
        articles: the same text carried by two outlets counts for both), and which outlets with
        articles dated within its span did not."""
        story = self.story(story_id)
        if story is None:
            return None
        sa, src, a = schema.story_articles, schema.article_sources, schema.articles
        day = func.coalesce(src.c.published, a.c.published)
        query = (
            select(src.c.outlet, func.min(day), func.count(func.distinct(sa.c.article_id)))
            .select_from(sa)
            .join(src, src.c.article_id == sa.c.article_id)
            .join(a, a.c.id == sa.c.article_id)
            .where(sa.c.story_id == story.id, src.c.outlet.is_not(None))
            .group_by(src.c.outlet)
        )
        reported = sorted(
            (OutletReport(o, d, int(n)) for o, d, n in self._rows(query)),
            key=lambda r: (r.first_date or "9999", r.outlet),
        )
        missed: tuple[str, ...] = ()
        if story.first_date and story.last_date:
            active = select(src.c.outlet).where(
                src.c.outlet.is_not(None),
                src.c.published >= story.first_date,
                src.c.published <= story.last_date,
            )
            had = {r.outlet for r in reported}
            missed = tuple(sorted({r[0] for r in self._rows(active.distinct())} - had))
        return StoryCoverage(story.id, tuple(reported), missed)

    def outlet_coverage(self, outlet: str) -> OutletCoverage:
        """The live stories an outlet carried, and the dated ones it missed while it had
        articles dated within their span (both in story order)."""
        s, sa, src = schema.stories, schema.story_articles, schema.article_sources
        same = func.lower(src.c.outlet) == outlet.strip().lower()
        carried = exists(
            select(sa.c.article_id)
            .join(src, src.c.article_id == sa.c.article_id)
            .where(sa.c.story_id == s.c.id, same)
        )
        active = exists(
            select(src.c.article_id).where(
                same, src.c.published >= s.c.first_date, src.c.published <= s.c.last_date
            )
        )
        live = s.c.merged_into.is_(None)
        covered = self._rows(select(s.c.id).where(live, carried).order_by(s.c.first_seq))
        missed = self._rows(
            select(s.c.id)
            .where(live, s.c.first_date.is_not(None), ~carried, active)
            .order_by(s.c.first_seq)
        )
        return OutletCoverage(outlet, tuple(r[0] for r in covered), tuple(r[0] for r in missed))
