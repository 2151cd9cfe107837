"""The reads of events: the event list (one row per event, its reports counted), the dyad-days,
an event with its reports, and what the event grouper looks up. Mixed into `Reader`, which
supplies `_rows` and `db`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, case, cast, func, literal, or_, select

from ..events.records import Event
from ..group.events import EventGroup, EventReport
from . import schema
from .models import DyadDay, EventView, ReportView, model_of
from .where import code_prefix, days, listed, outlet_is
from .writer import chunks

__all__ = ["DyadFilter", "EventFilter", "EventReads", "split_dyad"]


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


class EventReads:
    """Event reads; see the module's docs."""

    db: Any

    def _rows(self, query: Any) -> list[Any]:  # supplied by Reader
        raise NotImplementedError

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
                    code_prefix(e.c.source_actor, code),
                    code_prefix(e.c.target_actor, code),
                    e.c.source_actor.contains(f";{code}", autoescape=True),
                    e.c.target_actor.contains(f";{code}", autoescape=True),
                )
            )
        if ef.dyad:
            src, tgt = split_dyad(ef.dyad)
            # A country, or an organisation coded by itself (IGOWSTNAT), as the dyads count them.
            where += [
                or_(listed(e.c.source_country, src), listed(e.c.source_actor, src)),
                or_(listed(e.c.target_country, tgt), listed(e.c.target_actor, tgt)),
            ]
        if ef.type:
            where.append(e.c.event_type == ef.type.strip().upper())
        if ef.outlet:
            where.append(outlet_is(a.c.outlet, ef.outlet))
        if ef.article_id:
            where.append(e.c.article_id == ef.article_id)
        query = query.where(*where, *days(day, ef.since, ef.until))
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
        query = query.where(*where, *days(d.c.date, df.since, df.until))
        query = query.group_by(d.c.source, d.c.target, d.c.date)
        return DyadDay, query, [(b(d.c.source), True), (b(d.c.target), True), (b(d.c.date), True)]

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
