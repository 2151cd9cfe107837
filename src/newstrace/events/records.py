"""The event record: who did what to whom, coded in CAMEO and PLOVER, tied to its sentence."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["Event", "event_id"]


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event in one article (a report of a happening).

    `start`/`end` span the sentence that states it, in `Article.text` (or the title when
    `in_title`), as quote offsets are; `trigger_*` the verb, `source_*`/`target_*` the first
    actor mention of each side. A side may hold several actors ("Russia and Azerbaijan"):
    `source_actor` and `source_country` then list their codes joined by ";", and `source_code` is
    the first one (the PETRARCH-style code of the side). `claimed` events are stated inside a
    quote: `quote_id` is that quote and `claimant_actor` its speaker's actor, kept apart from the
    source. `date` is the day the text gives for the event, else the publication day (`date_basis`
    "stated" or "published"); None when neither is known.
    """

    id: str
    article_id: str
    date: str | None
    source_actor: str
    target_actor: str | None
    source_country: str | None
    target_country: str | None
    source_code: str
    target_code: str | None
    event_type: str | None  # PLOVER
    mode: str | None  # PLOVER mode, where the CAMEO code has one
    cameo: str
    goldstein: float | None
    negated: bool
    hypothetical: bool
    future: bool
    claimed: bool
    quote_id: str | None
    claimant_actor: str | None
    sentence: str
    start: int
    end: int
    in_title: bool
    trigger: str
    trigger_start: int
    trigger_end: int
    source_start: int | None
    source_end: int | None
    target_start: int | None
    target_end: int | None
    date_basis: str | None
    confidence: float
    rule: str  # pattern | verb | own | intent (see events.coder)
    stage_version: str


def event_id(article: str, in_title: bool, trigger_start: int, cameo: str) -> str:
    """Stable id: the same article analysed again gives the same ids."""
    key = f"{article}:{int(in_title)}:{trigger_start}:{cameo}"
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:24]
