"""One event, many reports: the event grouper on hand-made events in a real SQLite store (no
model), the escalation score, and the interchange rows. The same behaviour on the example corpus,
through the real pipeline and CLI, is in test_examples.py."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import pytest

from newstrace.events import Event
from newstrace.events.escalation import BASELINE, MIN_SPREAD, alerts, scored
from newstrace.events.interchange import (
    GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
    gdelt_event,
    gdelt_mentions,
    plover_record,
    quad_class,
)
from newstrace.group.events import SIMILAR, EventGroup, EventGroupStage, dyads_of, gist, similarity
from newstrace.pipeline import run_corpus
from newstrace.records import Analysis, Article, Entity
from newstrace.stage import Pipeline
from newstrace.store import DyadFilter, EventFilter, Store
from newstrace.store.models import DyadDay

ROOT = Path(__file__).resolve().parents[1]
NAMES = {"Varnia": ("VRN", "VRN"), "Kestrany": ("KSY", "KSY"), "Olvena": ("KSY", "KSY")}


def _article(key: str, text: str, day: str, outlet: str) -> Article:
    return Article(
        id=f"art-{key}",
        source=f"{key}.txt",
        text=text,
        url=f"https://{outlet}/{key}",
        outlet=outlet,
        published=day,
        published_precision="day",
        language="en",
    )


def _coded(
    a: Article, trigger: str, kind: str, cameo: str, goldstein: float, **flags: Any
) -> tuple[Event, list[Entity]]:
    """The one event of a one-sentence article: its first actor mention is the source, the
    second the target, as the event stage would code it."""
    mentions = [(m.start(), m.end(), m.group()) for m in re.finditer("|".join(NAMES), a.text)]
    entities = [
        Entity(a.id, s, e, t, "GPE", actor=NAMES[t][0], country=NAMES[t][1]) for s, e, t in mentions
    ]
    (src, *rest) = entities
    tgt = rest[0] if rest else None
    t = a.text.index(trigger)
    event = Event(
        id=f"ev-{a.id}", article_id=a.id, date=flags.pop("date", a.published),
        source_actor=src.actor or "", target_actor=tgt.actor if tgt else None,
        source_country=src.country, target_country=tgt.country if tgt else None,
        source_code=src.actor or "", target_code=tgt.actor if tgt else None,
        event_type=kind, mode=None, cameo=cameo, goldstein=goldstein,
        negated=flags.pop("negated", False), hypothetical=flags.pop("hypothetical", False),
        future=False, claimed=False, quote_id=None, claimant_actor=None, sentence=a.text,
        start=0, end=len(a.text), in_title=False, trigger=trigger, trigger_start=t,
        trigger_end=t + len(trigger), source_start=src.start, source_end=src.end,
        target_start=tgt.start if tgt else None, target_end=tgt.end if tgt else None,
        date_basis="published", confidence=0.9, rule="verb", stage_version="newstrace.events.v1",
    )  # fmt: skip
    assert not flags
    return event, entities


def _store(tmp_path: Path, items: list[tuple[Article, Event, list[Entity]]]) -> Store:
    store = Store(str(tmp_path / "events.db"))
    _add(store, items)
    return store


def _add(store: Store, items: list[tuple[Article, Event, list[Entity]]]) -> None:
    for a, e, ents in items:
        x = Analysis(a, products={"events": (e,), "entities": tuple(ents)})
        store.writer.write_batch([(a, f"sha-{a.id}")], [], analyses=[x])


def _group(store: Store, stage: Any = None, batch: int = 500) -> dict[str, int]:
    pipeline = Pipeline((stage or EventGroupStage(),), provided=("raw", "events"))
    return run_corpus(store, pipeline, batch=batch)


def _item(key: str, text: str, day: str, outlet: str, trigger: str, **kw: Any) -> Any:
    a = _article(key, text, day, outlet)
    kind, cameo, gold = kw.pop("code", ("ACCUSE", "112", -2.0))
    e, ents = _coded(a, trigger, kind, cameo, gold, **kw)
    return a, e, ents


# Three outlets, two days: one happening. Then the same dyad and type, other happenings.
WIRE = _item("wire", "Kestrany accused Varnia of moving rocket launchers to the border.",
             "2025-05-06", "wire.example", "accused")  # fmt: skip
AGENCY = _item("agency", "Olvena accuses Varnia of bringing rocket launchers up to the border.",
               "2025-05-06", "agency.example", "accuses")  # fmt: skip
PAPER = _item("paper", "On Tuesday Kestrany accused Varnia over rocket launchers on the border.",
              "2025-05-07", "paper.example", "accused")  # fmt: skip
OTHER = _item("other", "Kestrany accused Varnia of mistreating detained fishermen.",
              "2025-05-06", "other.example", "accused")  # fmt: skip
LATER = _item("later", "Kestrany accused Varnia of moving rocket launchers to the border again.",
              "2025-05-20", "wire.example", "accused")  # fmt: skip
DENIED = _item("denied", "Kestrany did not accuse Varnia of moving rocket launchers to the border.",
               "2025-05-06", "wire.example", "accuse", negated=True)  # fmt: skip


def _events(store: Store) -> dict[str, Any]:
    return {e.article_id: e for e in store.reader.iterate("events")}


def test_one_happening_told_by_three_outlets_is_one_event_with_three_reports(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path, [WIRE, AGENCY, PAPER, OTHER, LATER, DENIED])
    assert _group(store) == {"newstrace.group.events.v1": 6}
    events = _events(store)
    # Later reports of a happening are not events of their own; the founding report stands.
    assert set(events) == {"art-wire", "art-other", "art-later", "art-denied"}
    one = events["art-wire"]
    assert (one.reports, one.articles, one.outlets) == (3, 3, 3)
    assert (one.date, one.last_date) == ("2025-05-06", "2025-05-07")
    assert all(events[k].reports == 1 for k in ("art-other", "art-later", "art-denied"))
    reports = store.reader.reports(one.id)
    assert [r.article_id for r in reports] == ["art-agency", "art-wire", "art-paper"]
    assert {r.url for r in reports} == {
        "https://agency.example/agency", "https://wire.example/wire", "https://paper.example/paper"
    }  # fmt: skip
    paper = next(r for r in reports if r.article_id == "art-paper")
    assert (paper.start, paper.end) == (0, len(PAPER[0].text))
    assert paper.similarity == 1.0  # its content words are all in the wire's
    wire = next(r for r in reports if r.article_id == "art-wire")
    assert wire.similarity == 1.0  # the founder: stored first
    agency = next(r for r in reports if r.article_id == "art-agency")
    assert agency.similarity == 0.75  # bring/up/rocket/launcher/border against the wire's 4 words
    # An id of any report finds the event; a list filtered by dyad and type counts it once.
    assert store.reader.event("ev-art-paper") == one
    found = list(store.reader.iterate("events", events=EventFilter(dyad="KSY-VRN", type="accuse")))
    assert sorted(e.article_id for e in found) == [
        "art-denied",
        "art-later",
        "art-other",
        "art-wire",
    ]
    stats = store.reader.stats()
    assert (stats.events, stats.event_reports) == (4, 6)


def test_dyads_count_events_not_reports_and_never_a_negated_one(tmp_path: Path) -> None:
    store = _store(tmp_path, [WIRE, AGENCY, PAPER, OTHER, LATER, DENIED])
    _group(store)
    days = {(d.source, d.target, d.date): d for d in store.reader.iterate("dyads")}
    # 6 May: the launchers (3 reports) and the fishermen: 2 events; the denial is not counted.
    assert set(days) == {("KSY", "VRN", "2025-05-06"), ("KSY", "VRN", "2025-05-20")}
    may6 = days[("KSY", "VRN", "2025-05-06")]
    assert (may6.events, may6.goldstein, may6.conflict, may6.conflict_events) == (2, -4.0, 4.0, 2)
    assert days[("KSY", "VRN", "2025-05-20")].events == 1
    assert list(store.reader.iterate("dyads", dyads=DyadFilter(dyad="VRN-KSY"))) == []


def test_a_later_run_adds_reports_to_stored_events(tmp_path: Path) -> None:
    store = _store(tmp_path, [WIRE, OTHER])
    _group(store)
    _add(store, [AGENCY])
    _group(store)
    _add(store, [PAPER])
    assert _group(store, batch=1) == {"newstrace.group.events.v1": 1}  # only the new article
    one = _events(store)["art-wire"]
    assert (one.reports, one.outlets, one.last_date) == (3, 3, "2025-05-07")
    assert len(list(store.reader.iterate("events"))) == 2


def test_a_new_version_replaces_what_the_old_one_wrote(tmp_path: Path) -> None:
    store = _store(tmp_path, [WIRE, AGENCY, PAPER, OTHER])
    _group(store)

    class Strict(EventGroupStage):  # a version that never groups
        name = "newstrace.group.events.v2"
        assigns: ClassVar[tuple[str, ...]] = EventGroupStage.assigns

    _group(store, Strict(threshold=1.01))
    events = _events(store)
    assert len(events) == 4 and all(e.reports == 1 for e in events.values())
    assert len(store.reader.product_rows("event_reports")) == 4
    assert len(store.reader.product_rows("event_groups")) == 4


def test_undated_reports_are_never_grouped(tmp_path: Path) -> None:
    a, e, ents = WIRE
    b, f, fents = AGENCY
    store = _store(tmp_path, [(a, replace(e, date=None), ents), (b, replace(f, date=None), fents)])
    _group(store)
    assert [x.reports for x in store.reader.iterate("events")] == [1, 1]
    assert list(store.reader.iterate("dyads")) == []


def test_gist_masks_actors_and_trigger() -> None:
    text = "Kestrany accused Varnia of moving rocket launchers."
    assert gist(text, 0, len(text), [(0, 8), (17, 23)], "accused") == "launc movin rocke"
    assert similarity(frozenset({"a1", "b2"}), frozenset({"a1", "b2", "c3"})) == 1.0
    assert similarity(frozenset(), frozenset({"a1"})) == 0.0


def test_the_threshold_tells_happenings_apart_on_the_written_pairs() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from measure_event_grouping import scores

    found = scores()
    assert len(found) >= 20 and sum(same for same, _ in found) >= 10
    tp = sum(1 for same, s in found if same and s >= SIMILAR)
    fp = sum(1 for same, s in found if not same and s >= SIMILAR)
    fn = sum(1 for same, s in found if same and s < SIMILAR)
    assert tp / (tp + fp) >= 0.85 and tp / (tp + fn) >= 0.75, (tp, fp, fn)


def test_dyads_of_a_compound_side_and_of_flagged_events() -> None:
    g = EventGroup("g1", "k", "VRN;KSY", "IGO;KSY", "VRN", "IGOISC", "AGREE", "057", 8.0, False,
                   False, "2025-05-01", "stated", "2025-05-01", 1, 1, 1, "v")  # fmt: skip
    # The organisation stands for itself (not "IGO"); a country with itself is no dyad.
    assert [(d.source, d.target) for d in dyads_of(g)] == [
        ("VRN", "KSY"), ("VRN", "IGOISC"), ("KSY", "IGOISC")
    ]  # fmt: skip
    assert dyads_of(replace(g, hypothetical=True)) == []
    assert dyads_of(replace(g, negated=True)) == []
    assert dyads_of(replace(g, target_country=None, target_actor="KSYGOV")) == []  # no country
    assert [(d.source, d.target) for d in dyads_of(replace(g, target_country=None))] == [
        ("VRN", "IGOISC"), ("KSY", "IGOISC")
    ]  # fmt: skip


def _day(d: str, conflict: float, events: int = 1) -> DyadDay:
    return DyadDay("VRN", "KSY", d, events, -conflict, conflict, events)


def test_escalation_score_is_against_the_dyads_own_trailing_days() -> None:
    days = [_day("2025-04-01", 2.0), _day("2025-04-03", 4.0), _day("2025-04-05", 17.0)]
    got = scored(days)
    assert got[0].score == 2.0 / MIN_SPREAD and got[0].baseline_mean == 0.0
    mu = (2.0 + 4.0) / BASELINE
    sd = (((2 - mu) ** 2 + (4 - mu) ** 2 + (BASELINE - 2) * mu**2) / BASELINE) ** 0.5
    assert got[2].baseline_mean == round(mu, 4)
    assert got[2].score == round((17.0 - mu) / max(sd, MIN_SPREAD), 4)
    # A day beyond the window forgets it; another dyad has its own baseline.
    far = scored([_day("2025-04-01", 9.0), _day("2025-04-20", 2.0)])
    assert far[1].baseline_mean == 0.0
    other = DyadDay("KSY", "VRN", "2025-04-05", 1, -2.0, 2.0, 1)
    assert scored([*days[:2], other])[2].baseline_mean == 0.0


def test_alerts_in_a_date_range_with_their_drivers() -> None:
    days = [_day("2025-04-01", 2.0), _day("2025-04-03", 4.0), _day("2025-04-05", 17.0)]

    def drivers(src: str, tgt: str, d: str) -> list[tuple[str, float | None]]:
        return [("ev-1", -10.0), ("ev-2", 3.0), ("ev-3", -7.0)]

    assert [s.drivers for s in scored([*days, _day("2025-04-06", 0.0)], drivers)] == [
        ("ev-1", "ev-3"),
        ("ev-1", "ev-3"),
        ("ev-1", "ev-3"),
        (),
    ]  # a day without conflict has no drivers
    found = alerts(days, threshold=3.0, drivers=drivers)
    assert [(a.date, a.drivers) for a in found] == [("2025-04-05", ("ev-1", "ev-3"))]
    assert alerts(days, since="2025-04-06") == []
    assert alerts(days, until="2025-04-04") == []
    # Highest score first: 17 on a small baseline, then 4 (1.93), then 2 on none (1.0).
    assert [a.date for a in alerts(days, threshold=0.9)] == ["2025-04-05", "2025-04-03",
                                                               "2025-04-01"]  # fmt: skip


def test_interchange_rows(tmp_path: Path) -> None:
    store = _store(tmp_path, [WIRE, AGENCY, PAPER])
    _group(store)
    (e,) = store.reader.iterate("events")
    reports = store.reader.reports(e.id)
    row = gdelt_event(e)
    assert len(row) == len(GDELT_EVENT_COLUMNS) == 61
    cell = dict(zip(GDELT_EVENT_COLUMNS, row, strict=True))
    assert (cell["Day"], cell["EventCode"], cell["EventRootCode"], cell["QuadClass"]) == (
        "20250506", "112", "11", 3
    )  # fmt: skip
    assert (cell["NumMentions"], cell["NumSources"], cell["Actor1CountryCode"]) == (3, 3, "KSY")
    mentions = list(gdelt_mentions(e, reports))
    assert all(len(m) == len(GDELT_MENTION_COLUMNS) == 16 for m in mentions)
    urls = [dict(zip(GDELT_MENTION_COLUMNS, m, strict=True))["MentionIdentifier"] for m in mentions]
    assert urls == [r.url for r in reports]
    record = plover_record(e, reports)
    assert {"id", "date", "source", "event"} <= set(record)
    assert record["event"] == ["ACCUSE"] and record["recipient"][0]["code"] == "VRN"
    assert len(record["reports"]) == 3 and json.dumps(record)
    assert [quad_class(c) for c in ("057", "073", "112", "190", "xx")] == [1, 2, 3, 4, None]


@pytest.mark.parametrize("bad", ["RUS", "-UKR", ""])
def test_a_malformed_dyad_is_refused(tmp_path: Path, bad: str) -> None:
    from newstrace.store import split_dyad

    with pytest.raises(ValueError, match="directed pair"):
        split_dyad(bad)


class _Recode:
    """An article stage that codes each article's event again under a new id (as a newer event
    stage would), to see the grouper follow a re-analysis."""

    name = "test.recode.v1"
    kind: ClassVar[str] = "article"
    requires: tuple[str, ...] = ("analysis",)
    assigns: tuple[str, ...] = ("events",)
    topics: tuple[str, ...] = ("events",)

    def __init__(self, items: list[tuple[Article, Event, list[Entity]]]) -> None:
        self.by_article = {a.id: e for a, e, _ in items}

    def __call__(self, batch: Any) -> list[Analysis]:
        return [
            x.assign(self.name, events=[replace(self.by_article[x.article.id],
                                                id=f"new-{x.article.id}")])
            for x in batch
        ]  # fmt: skip


def test_re_analysed_events_are_grouped_again(tmp_path: Path) -> None:
    from newstrace.config import Settings
    from newstrace.pipeline import analyse_stored
    from newstrace.stage import StoredGate

    items = [WIRE, AGENCY, PAPER]
    store = _store(tmp_path, items)
    _group(store)
    pipeline = Pipeline((StoredGate(), _Recode(items), EventGroupStage()), provided=("article",))
    settings = Settings(db=str(tmp_path / "events.db"))
    assert analyse_stored(store, settings, everything=True, pipeline=pipeline) == 3
    (event,) = store.reader.iterate("events")
    assert event.id.startswith("new-") and event.reports == 3
    assert {r.event_id for r in store.reader.reports(event.id)} == {
        f"new-{a.id}" for a, _, _ in items
    }
    assert len(store.reader.product_rows("event_reports")) == 3  # nothing of the old coding
