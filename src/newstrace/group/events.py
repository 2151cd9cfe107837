"""One event, many reports: the coded events of stored articles grouped into happenings.

Two reports are one happening when they share the directed dyad, the PLOVER type and the flags
(negated, hypothetical), their days are at most `WINDOW` apart, and their sentences are alike
(`SIMILAR`, see `similarity`; the threshold is measured in docs/events-serving.md). Sentences are compared
by their `gist`: the content words left once the actor mentions and the trigger are taken out,
since two reports of one key share those by construction. A new report is looked
up by (key, day range) in the stored reports, an index in the store, so the cost of one new
article does not grow with the store. The founding report's event id is the event's id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, ClassVar

__all__ = [
    "SIMILAR",
    "WINDOW",
    "DyadEvent",
    "EventGroup",
    "EventGroupStage",
    "EventReport",
    "dyads_of",
    "gist",
    "group_key",
    "sides",
    "similarity",
    "words",
]

WINDOW = 2  # days between two reports of one happening: "on Tuesday" in Wednesday's paper
SIMILAR = 0.5  # gist overlap at or above which two same-key reports tell one happening (docs/events-serving.md)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Function words and the reporting frame ("said", "on Tuesday") say nothing about the happening.
_STOP_WORDS = (
    "a an the of to in on at by for from with and or but as that this these those it its their "
    "his her he she they we our us is are was were be been being has have had do does did not no "
    "will would shall should can could may might must said says say told tells according also "
    "after before over into about than then there here which who whom whose what when where while "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight earlier "
    "later week weekend day night morning evening statement"
)
_STOP = frozenset(_STOP_WORDS.split())


def words(sentence: str) -> frozenset[str]:
    """The content words of a sentence, case folded, a plural's ending dropped and cut to five
    letters, so that inflections ("accused", "accuses", "accusing"; "lorries", "lorry") meet."""
    return frozenset(_stem(w) for w in _WORD.findall(sentence.casefold()) if _content(w))


def _content(w: str) -> bool:
    return len(w) > 1 and w not in _STOP  # "s" of a possessive whose actor was masked


def _stem(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"  # lorries -> lorry
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return w[:5]


def gist(text: str, start: int, end: int, actors: Sequence[tuple[int, int]], trigger: str) -> str:
    """The content words of text[start:end] outside the actor mentions `actors` (offsets into
    `text`) and other than the trigger's, sorted and space-joined: what a report says besides who
    did it to whom."""
    chars = list(text[start:end])
    for a, b in actors:
        for i in range(max(a, start), min(b, end)):
            chars[i - start] = " "
    return " ".join(sorted(words("".join(chars)) - words(trigger)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two content-word sets: a short headline-like report inside a long
    one scores as high as two reports of equal length (Jaccard would punish the length gap)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class EventGroup:
    """One happening: the founding report's event, with the counts of its reports. `date` is the
    earliest day its reports give, preferring days the text states over publication days."""

    id: str  # the founding report's event id
    key: str
    source_country: str | None
    target_country: str | None
    source_actor: str
    target_actor: str | None
    event_type: str | None
    cameo: str
    goldstein: float | None
    negated: bool
    hypothetical: bool
    date: str | None
    date_basis: str | None
    last_date: str | None
    reports: int
    articles: int
    outlets: int
    stage_version: str


@dataclass(frozen=True, slots=True)
class EventReport:
    """One report of a happening: an event coded in one article, tied to its sentence."""

    event_id: str
    group_id: str
    article_id: str
    outlet: str | None
    key: str
    day: str | None
    date_basis: str | None
    sentence: str
    start: int
    end: int
    in_title: bool
    gist: str  # see `gist`: what the sentences are compared by
    similarity: float  # to the closest report already in the group (1.0 for the founder)


@dataclass(frozen=True, slots=True)
class DyadEvent:
    """A happening counted once in one directed country dyad on its day (never a negated or
    hypothetical one); several countries on a side give one row per pair."""

    group_id: str
    source: str
    target: str
    date: str
    event_type: str | None
    cameo: str
    goldstein: float | None


def sides(actors: str | None, countries: str | None) -> list[str]:
    """The codes one side of a dyad is counted under: its countries, except that an organisation
    without a country (coded IGO) stands for itself, so NATO and the UN are not one side."""
    igos = [a for a in (actors or "").split(";") if a.startswith("IGO")]
    found = [c for c in (countries or "").split(";") if c and c != "IGO"]
    return list(dict.fromkeys([*found, *igos]))


def group_key(e: Any) -> str:
    """Directed dyad (countries and organisations, else actor codes), PLOVER type (else the CAMEO
    root) and flags."""
    src = ";".join(sides(e.source_actor, e.source_country)) or e.source_actor or "?"
    tgt = ";".join(sides(e.target_actor, e.target_country)) or e.target_actor or "-"
    kind = e.event_type or f"CAMEO{e.cameo[:2]}"
    return f"{src}>{tgt}|{kind}|{'n' if e.negated else ''}{'h' if e.hypothetical else ''}"


def dyads_of(g: EventGroup) -> list[DyadEvent]:
    """The dyad rows of a happening; none for a denial of it, a hypothetical, or an undated one."""
    if g.negated or g.hypothetical or g.date is None:
        return []
    out = []
    for s in sides(g.source_actor, g.source_country):
        for t in sides(g.target_actor, g.target_country):
            if s != t:
                out.append(DyadEvent(g.id, s, t, g.date, g.event_type, g.cameo, g.goldstein))
    return out


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _earlier(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Is (day, basis) `a` a better day for the happening than `b`: stated before published,
    then the earlier."""
    if a[0] is None:
        return False
    if b[0] is None:
        return True
    return (a[1] != "stated", a[0]) < (b[1] != "stated", b[0])


class EventGroupStage:
    """Groups each new article's events with the stored reports of the same happening."""

    name = "newstrace.group.events.v1"
    kind: ClassVar[str] = "corpus"
    requires: tuple[str, ...] = ("events",)
    assigns: tuple[str, ...] = ("event_groups", "event_reports", "event_dyads")

    def __init__(self, window: int = WINDOW, threshold: float = SIMILAR) -> None:
        self.window, self.threshold = window, threshold

    def step(self, articles: Sequence[Any], reader: Any) -> dict[str, Sequence[Any]]:
        outlet_of = {s.article.id: s.article.outlet for s in articles}
        texts = {s.article.id: (s.article.text, s.article.title or "") for s in articles}
        spans = reader.actor_spans(list(outlet_of))
        order = {a: i for i, a in enumerate(outlet_of)}
        events = sorted(
            reader.events_of_articles(list(outlet_of)),
            key=lambda e: (order[e.article_id], not e.in_title, e.start, e.trigger_start, e.id),
        )
        groups: dict[str, EventGroup] = {}  # touched this page, in their latest state
        members: dict[str, list[EventReport]] = {}  # every report of a touched group
        page: dict[str, list[EventReport]] = {}  # this page's reports by key
        reports: list[EventReport] = []
        for e in events:
            key = group_key(e)
            body, title = texts[e.article_id]
            own = [(a, b) for a, b, t in spans.get(e.article_id, ()) if t == e.in_title]
            said = gist(title if e.in_title else body, e.start, e.end, own, e.trigger)
            mine = frozenset(said.split())
            best: tuple[float, EventReport] | None = None
            if e.date is not None:
                lo, hi = _shift(e.date, -self.window), _shift(e.date, self.window)
                # A lede retold further down the same article is the same happening too.
                for r in [*reader.reports_near(key, lo, hi), *page.get(key, ())]:
                    if r.day is None or not lo <= r.day <= hi:
                        continue
                    score = similarity(mine, frozenset(r.gist.split()))
                    if score >= self.threshold and (best is None or score > best[0]):
                        best = (score, r)
            group_id = best[1].group_id if best else e.id
            report = EventReport(
                e.id, group_id, e.article_id, outlet_of.get(e.article_id), key, e.date,
                e.date_basis, e.sentence, e.start, e.end, e.in_title, said,
                round(best[0], 4) if best else 1.0,
            )  # fmt: skip
            reports.append(report)
            page.setdefault(key, []).append(report)
            if best is None:
                groups[e.id] = EventGroup(
                    e.id, key, e.source_country, e.target_country, e.source_actor,
                    e.target_actor, e.event_type, e.cameo, e.goldstein, e.negated,
                    e.hypothetical, e.date, e.date_basis, e.date, 1, 1, 1 if report.outlet else 0,
                    self.name,
                )  # fmt: skip
                members[e.id] = [report]
                continue
            if group_id not in groups:
                stored = reader.event_group(group_id)
                if stored is None:  # founded earlier on this page: always in `groups`
                    raise AssertionError(f"event group {group_id} is neither stored nor new")
                groups[group_id] = stored
                members[group_id] = list(reader.group_reports(group_id))
            members[group_id].append(report)
            groups[group_id] = _counted(groups[group_id], members[group_id])
        dyads = [d for g in groups.values() for d in dyads_of(g)]
        return {
            "event_groups": list(groups.values()),
            "event_reports": reports,
            "event_dyads": dyads,
        }


def _counted(g: EventGroup, reports: Sequence[EventReport]) -> EventGroup:
    best: tuple[str | None, str | None] = (g.date, g.date_basis)
    last = g.last_date
    for r in reports:
        if _earlier((r.day, r.date_basis), best):
            best = (r.day, r.date_basis)
        if r.day is not None and (last is None or r.day > last):
            last = r.day
    return replace(
        g,
        date=best[0],
        date_basis=best[1],
        last_date=last,
        reports=len(reports),
        articles=len({r.article_id for r in reports}),
        outlets=len({r.outlet for r in reports if r.outlet}),
    )
