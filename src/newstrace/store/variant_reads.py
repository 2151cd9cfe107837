"""The reads of quote variants: each `quote_variant` link with both of its quotes, filtered by
speaker, kind of change, story and statement day. Mixed into `Reader`, which supplies `_rows`,
`_quotes_with_seq` and `db`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import aliased

from . import schema
from .models import LinkView, QuoteView, VariantView, model_of
from .products import fold
from .writer import chunks

__all__ = ["VariantFilter", "VariantReads", "variant_list"]


@dataclass(frozen=True)
class VariantFilter:
    """Which variants to list: `speaker` is part of either quote's speaker name or mention (case
    and accents ignored); `change` one change class (verbatim, punctuation, wording, trimmed,
    meaning_changed); `story` a story one of the two quotes' articles is in; `since`/`until`
    bound the later quote's statement day (by leading part)."""

    speaker: str | None = None
    change: str | None = None
    story: str | None = None
    since: str | None = None
    until: str | None = None


def variant_list(bytewise: Any, vf: VariantFilter) -> tuple[Any, list[Any]]:
    """The variant links, the later quote's newest statement day first, and the order's keys."""
    t, q, sa = schema.links, schema.quotes, schema.story_articles
    qa = aliased(q)
    query = (
        select(t)
        .join(q, q.c.id == t.c.b)
        .join(qa, qa.c.id == t.c.a)
        .where(t.c.kind == "quote_variant")
    )
    if vf.change:
        query = query.where(t.c.change == vf.change)
    if vf.speaker is not None:
        key = fold(vf.speaker).strip()
        found = or_(
            q.c.speaker_key.contains(key, autoescape=True),
            qa.c.speaker_key.contains(key, autoescape=True),
        )
        query = query.where(found if key else false())
    if vf.story:
        members = select(sa.c.article_id).where(sa.c.story_id == vf.story)
        query = query.where(or_(q.c.article_id.in_(members), qa.c.article_id.in_(members)))
    if vf.since:
        query = query.where(q.c.date >= vf.since)
    if vf.until:
        query = query.where(func.substr(q.c.date, 1, len(vf.until)) <= vf.until)
    day = func.coalesce(q.c.date, "")
    return query, [(day, False), (bytewise(t.c.a), True), (bytewise(t.c.b), True)]


class VariantReads:
    """Variant reads; see the module's docs."""

    def _quotes_with_seq(self, *where: Any) -> list[tuple[int, QuoteView]]:  # from Reader
        raise NotImplementedError

    def variant_views(self, rows: Sequence[Any]) -> tuple[VariantView, ...]:
        """Each link row of a page with both of its quotes (a link whose quote is gone is left
        out: a page never shows half a pair)."""
        links = [model_of(LinkView, r._mapping) for r in rows]
        ids = sorted({x for link in links for x in (link.a, link.b)})
        quotes: dict[str, QuoteView] = {}
        for chunk in chunks(ids, 500):
            quotes.update(
                (v.id, v) for _s, v in self._quotes_with_seq(schema.quotes.c.id.in_(chunk))
            )
        return tuple(
            variant_view(x, quotes[x.a], quotes[x.b])
            for x in links
            if x.a in quotes and x.b in quotes
        )


def variant_view(link: LinkView, a: QuoteView, b: QuoteView) -> VariantView:
    return VariantView(
        a=link.a,
        b=link.b,
        score=link.score,
        change=link.change,
        detail=link.detail,
        a_speaker=a.speaker,
        a_speaker_actor=a.speaker_actor,
        a_text=a.text,
        a_article_id=a.article_id,
        a_outlet=a.outlet,
        a_date=a.date,
        a_kind=a.kind,
        a_published=a.published,
        b_speaker=b.speaker,
        b_speaker_actor=b.speaker_actor,
        b_text=b.text,
        b_article_id=b.article_id,
        b_outlet=b.outlet,
        b_date=b.date,
        b_kind=b.kind,
        b_published=b.published,
    )
