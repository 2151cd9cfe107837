"""Event coding: who did what to whom, in CAMEO and PLOVER, from the parse, actors and quotes."""

from .records import Event, event_id

__all__ = ["EVENTS_VERSION", "Event", "event_id"]

EVENTS_VERSION = "newstrace.events.v1"
