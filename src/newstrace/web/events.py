"""The API's event routes: the `/events` list's filters (one item per event, its reports counted
beside it; served by the app's list machinery), `/events/{id}` (an event with every report) and
`/dyads` (dyad-days with escalation scores).

Added to the app's router by `create_app`; the shared parameter types and the error shape are
the app's.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time.
import dataclasses
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from ..events.escalation import DyadScore, driving, history_start, scored
from ..formats import FORMATS
from ..store import DyadFilter, EventFilter, Store, split_dyad
from ..store.models import EventView, as_row
from .app import ApiError, Cursor, Day, Format, Limit, ListSpec, Where, export_rows, whole_list
from .models import DyadModel, EventDetail, EventModel, page_model

__all__ = ["EVENTS", "add_event_routes", "dyad_page"]

Actor = Annotated[
    str | None,
    Query(max_length=100, description="An actor code or its prefix (RUS, RUSGOV); case ignored."),
]
Dyad = Annotated[
    str | None,
    Query(max_length=100, description="A directed pair of country codes: RUS-UKR."),
]
PloverType = Annotated[
    str | None, Query(max_length=32, description="A PLOVER type (ACCUSE, THREATEN, ...).")
]


def _dyad_ok(dyad: str | None) -> None:
    if dyad is not None:
        try:
            split_dyad(dyad)
        except ValueError as exc:
            raise ApiError(422, "invalid_parameter", f"dyad: {exc}") from None


def _event_filter(
    actor: Actor = None,
    dyad: Dyad = None,
    type: PloverType = None,
    outlet: Annotated[
        str | None, Query(max_length=200, description="The outlet's name; case ignored.")
    ] = None,
    article_id: Annotated[str | None, Query(max_length=200, description="One article.")] = None,
    since: Day = None,
    until: Day = None,
    order: Annotated[
        Literal["reported", "newest"],
        Query(description="reported: article by article. newest: newest event day first."),
    ] = "reported",
) -> Where:
    _dyad_ok(dyad)
    found = EventFilter(
        actor=actor,
        dyad=dyad,
        type=type,
        outlet=outlet,
        article_id=article_id,
        since=since,
        until=until,
    )
    return Where(events=found, newest_first=order == "newest")


# The event list is one of the app's lists; only its filters are its own.
EVENTS = ListSpec(
    "events",
    "events",
    EventView,
    EventModel,
    _event_filter,
    "Events (one per happening, with the number of reports beside it), by article or newest "
    "first; filter by actor, dyad, PLOVER type, outlet, article and day.",
)


def _dyad_filter(
    actor: Annotated[
        str | None, Query(max_length=100, description="A country code on either side.")
    ] = None,
    dyad: Dyad = None,
    type: PloverType = None,
    since: Day = None,
    until: Day = None,
) -> DyadFilter:
    _dyad_ok(dyad)
    return DyadFilter(actor, dyad, type, since, until)


_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {media.split(";")[0]: {} for media in FORMATS.values()},
        "description": "A page, or the list as a file.",
    }
}


def dyad_page(store: Store, where: DyadFilter, cursor: str | None, limit: int) -> dict[str, Any]:
    """A page of dyad-days, each scored against its own dyad's days before the page's first one
    (the dyads page renders the same dict)."""
    page = store.reader.page("dyads", after=cursor, limit=limit, dyads=where)
    by_dyad: dict[tuple[str, str], list[Any]] = {}
    for d in page.items:
        by_dyad.setdefault((d.source, d.target), []).append(d)
    scores: dict[tuple[str, str, str], DyadScore] = {}
    for (src, tgt), days in by_dyad.items():
        history = DyadFilter(None, f"{src}-{tgt}", where.type, history_start(days[0].date),
                             days[-1].date)  # fmt: skip
        for s in scored(store.reader.iterate("dyads", dyads=history)):
            scores[(s.source, s.target, s.date)] = s
    items = []
    for d in page.items:
        s = scores[(d.source, d.target, d.date)]
        if s.conflict:
            s = replace(s, drivers=driving(store.reader.dyad_events, s.source, s.target, s.date))
        items.append(as_row(s))
    return {"items": items, "next": page.next}


def add_event_routes(router: APIRouter, store: Store) -> None:
    @router.get(
        "/events/{event_id}",
        response_model=EventDetail,
        operation_id="get_event",
        summary="One event with every report of it: article, sentence, offsets, outlet, URL.",
    )
    def get_event(event_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        found = store.reader.event(event_id)
        if found is None:
            raise ApiError(404, "not_found", f"no event with id {event_id[:80]!r}")
        return {
            "event": as_row(found),
            "reports": [as_row(r) for r in store.reader.reports(found.id)],
        }

    @router.get(
        "/dyads",
        response_model=page_model(DyadModel, "DyadPage"),
        operation_id="list_dyads",
        responses=_FILES,
        summary="Directed dyads by day, counted by events (not reports), with summed Goldstein "
        "intensity and the escalation score against the dyad's trailing 14 days.",
    )
    def list_dyads(
        where: Annotated[DyadFilter, Depends(_dyad_filter)],
        cursor: Cursor = None,
        limit: Limit = 50,
        format: Format = "json",
    ) -> Any:
        if whole_list(format, cursor):
            wanted = replace(where, since=history_start(where.since))
            days = scored(store.reader.iterate("dyads", dyads=wanted), store.reader.dyad_events)
            kept = (as_row(d) for d in days if not where.since or d.date >= where.since)
            columns = [f.name for f in dataclasses.fields(DyadScore)]
            return export_rows(kept, "dyads", format, columns)
        return dyad_page(store, where, cursor, limit)
