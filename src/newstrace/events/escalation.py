"""Escalation per directed dyad and day: the day's conflictual intensity against the dyad's own
recent baseline (the formula is in docs/events-serving.md).

    C(d)    = sum of -goldstein over the dyad's events of day d with a negative Goldstein value
    mu, sd  = mean and population standard deviation of C over the BASELINE days before d
              (days without events count as 0)
    score   = (C(d) - mu) / max(sd, MIN_SPREAD)

An alert is a day whose score reaches the threshold while C(d) > 0. Counts are of events (one
happening with several reports is one), never of reports; negated and hypothetical events are
not in the dyad rows at all (see group.events.dyads_of).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..store.models import DyadDay

__all__ = [
    "BASELINE",
    "MIN_SPREAD",
    "THRESHOLD",
    "Drivers",
    "DyadScore",
    "alerts",
    "driving",
    "history_start",
    "scored",
]

BASELINE = 14  # trailing days the dyad's own baseline is taken over
# The smallest spread a baseline is taken to have: one accusation's Goldstein magnitude, so the
# first accusation in a quiet dyad is news but not an alert by itself.
MIN_SPREAD = 2.0
THRESHOLD = 3.0


@dataclass(frozen=True, slots=True)
class DyadScore:
    """One dyad-day with its escalation score; `drivers` are the ids of the day's conflictual
    events, most conflictual first (when
    the scorer is given a way to read them)."""

    source: str
    target: str
    date: str
    events: int
    goldstein: float
    conflict: float
    conflict_events: int
    baseline_mean: float
    baseline_sd: float
    score: float
    drivers: tuple[str, ...] = ()


def history_start(since: str | None) -> str | None:
    """The first day whose counts a score from `since` on needs (a full day only)."""
    if not since or len(since) != 10:
        return since
    return (date.fromisoformat(since) - timedelta(days=BASELINE)).isoformat()


Drivers = Callable[[str, str, str], Sequence[tuple[str, float | None]]]


def driving(drivers: Drivers, source: str, target: str, day: str) -> tuple[str, ...]:
    """The ids of one dyad-day's conflictual events, most conflictual first."""
    return tuple(i for i, g in drivers(source, target, day) if (g or 0) < 0)


def scored(days: Iterable[DyadDay], drivers: Drivers | None = None) -> list[DyadScore]:
    """Each dyad-day scored against the days of the same dyad before it. `days` must be in
    (source, target, date) order, as the reader lists them, and hold the BASELINE days before the
    first day to be trusted. With `drivers(source, target, day)` (the reader's `dyad_events`),
    each day with conflict lists the conflictual events behind it."""
    out: list[DyadScore] = []
    seen: dict[tuple[str, str], dict[str, float]] = {}
    for d in days:
        past = seen.setdefault((d.source, d.target), {})
        day = date.fromisoformat(d.date)
        window = [
            past.get((day - timedelta(days=k)).isoformat(), 0.0) for k in range(1, BASELINE + 1)
        ]
        mu = sum(window) / BASELINE
        sd = math.sqrt(sum((x - mu) ** 2 for x in window) / BASELINE)
        score = (d.conflict - mu) / max(sd, MIN_SPREAD)
        out.append(
            DyadScore(
                d.source,
                d.target,
                d.date,
                d.events,
                round(d.goldstein, 4),
                round(d.conflict, 4),
                d.conflict_events,
                round(mu, 4),
                round(sd, 4),
                round(score, 4),
                driving(drivers, d.source, d.target, d.date) if drivers and d.conflict else (),
            )
        )
        past[d.date] = d.conflict
    return out


def alerts(
    days: Iterable[DyadDay],
    *,
    since: str | None = None,
    until: str | None = None,
    threshold: float = THRESHOLD,
    drivers: Drivers | None = None,
) -> list[DyadScore]:
    """The dyad-days from `since` to `until` whose score reached `threshold` with some conflict,
    highest score first, each with the events that drove it (`drivers(source, target, day)`)."""
    found = []
    for s in scored(days):
        if since and s.date < since:
            continue
        if until and s.date[: len(until)] > until:
            continue
        if s.conflict > 0 and s.score >= threshold:
            ids: tuple[str, ...] = ()
            if drivers is not None:
                ids = driving(drivers, s.source, s.target, s.date)
            found.append(
                DyadScore(
                    s.source,
                    s.target,
                    s.date,
                    s.events,
                    s.goldstein,
                    s.conflict,
                    s.conflict_events,
                    s.baseline_mean,
                    s.baseline_sd,
                    s.score,
                    ids,
                )
            )
    return sorted(found, key=lambda s: (-s.score, s.source, s.target, s.date))
