"""The event scorers on hand-made items (written here, not taken from the data), ours on the run
path with a stand-in event stage, and the runner and CLI on the dev part when ../shared is there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import Column, Float, Integer, String, Table, Text

from newstrace import registry
from newstrace.errors import EvalDataError
from newstrace.eval import events as ev
from newstrace.eval.events import PloverGold, PloverPred
from newstrace.records import Analysis
from newstrace.store import schema
from newstrace.store.products import PRODUCTS, Product, register_product, unregister_product

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DATA = SHARED / "eval" / "events"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason="shared/eval/events is not beside the repository"
)


def fs(*xs: str) -> frozenset[str]:
    return frozenset(xs)


# -- labels ------------------------------------------------------------------------------------
def test_legacy_plover_names_are_folded_and_every_type_has_a_quad() -> None:
    assert ev.plover_type("fight") == "ASSAULT"
    assert ev.plover_type("DEMAND") == "REQUEST"
    assert ev.plover_type("DISAPPROVE") == "ACCUSE"
    assert ev.plover_type("INVESTIGATE") == "ACCUSE"
    assert ev.plover_type(" agree ") == "AGREE"
    assert ev.plover_type("") is None and ev.plover_type(None) is None
    assert len(ev.PLOVER_QUAD) == 16
    assert ev.quad_of("FIGHT") == ev.quad_of("ASSAULT") == "material_conflict"
    assert ev.quad_of("SANCTION") == "material_conflict"  # section 3.13 of the manual
    assert ev.quad_of("CONCEDE") == "verbal_cooperation"
    assert ev.quad_of("RETREAT") == "material_cooperation"
    assert ev.quad_of("DEMAND") == "verbal_conflict"
    assert ev.quad_of("CRIME") is None


def test_cameo_codes_map_to_the_pentaclass_by_their_root() -> None:
    cases = {
        "010": 0,
        "02": 0,
        "036": 1,
        "0512": 1,
        "061": 2,
        "08": 2,
        "090": 3,
        "1311": 3,
        "14": 4,
        "204": 4,
    }
    for code, cls in cases.items():
        assert ev.cameo_pentaclass(code) == cls, code
    for bad in ("00", "21", "9", "abc", "", None):
        assert ev.cameo_pentaclass(bad) is None


# -- scorers -----------------------------------------------------------------------------------
def test_macro_f1_averages_over_gold_and_predicted_labels() -> None:
    # A: tp 1, fn 1 -> 2/3; B: tp 1, fp 1 -> 2/3; C: missed (no prediction) -> 0
    assert ev.macro_f1(["A", "A", "B", "C"], ["A", "B", "B", None]) == pytest.approx(4 / 9)
    assert ev.macro_f1(["A"], [None]) == 0.0
    # a predicted label absent from gold is a label too (F1 0)
    assert ev.macro_f1(["A", "A"], ["A", "Z"]) == pytest.approx((2 / 3 + 0) / 2)


def test_score_plover_exact_figures() -> None:
    gold = [
        PloverGold("AGREE", fs("USA"), fs("RUS")),
        PloverGold("FIGHT", fs("ISR"), fs("PSE")),
        PloverGold("DEMAND", fs("FRA", "DEU"), fs()),  # no target
        PloverGold("CONSULT", fs(), fs("IRN")),  # no source
    ]
    pred: list[PloverPred | None] = [
        PloverPred("AGREE", fs("USA"), fs("RUS")),
        PloverPred("ASSAULT", fs("ISR"), fs("LBN")),  # FIGHT is ASSAULT today
        PloverPred("REQUEST", fs("FRA"), fs()),  # one of the two sources
        None,  # nothing coded
    ]
    got = ev.score_plover(gold, pred)
    assert got["n"] == 4 and got["coded"] == 3
    assert got["type_acc"] == 0.75
    assert got["type_macro_f1"] == 0.75  # AGREE, ASSAULT, REQUEST 1.0; CONSULT 0.0
    assert got["quad_acc"] == 0.75
    # verbal cooperation: tp 1, fn 1 -> 2/3; material conflict 1; verbal conflict 1
    assert got["quad_macro_f1"] == pytest.approx((2 / 3 + 2) / 3, abs=1e-4)
    assert got["n_source"] == 3 and got["n_target"] == 3
    assert got["source_country_acc"] == pytest.approx(2 / 3, abs=1e-4)
    assert got["source_country_hit"] == 1.0
    assert got["target_country_acc"] == pytest.approx(1 / 3, abs=1e-4)
    assert got["target_country_hit"] == pytest.approx(1 / 3, abs=1e-4)


def test_a_predicted_quad_is_scored_on_its_own() -> None:
    gold = [PloverGold("REJECT", fs("A"), fs("B")), PloverGold("AGREE", fs("A"), fs("B"))]
    pred = [PloverPred("AGREE", quad="verbal_conflict")] * 2
    got = ev.score_plover(gold, pred)
    assert got["type_acc"] == 0.5 and got["quad_acc"] == 0.5
    assert got["source_country_acc"] == 0.0


def test_score_pentaclass_exact_figures() -> None:
    got = ev.score_pentaclass([0, 1, 2, 3, 4], [0, 1, 3, 3, None])
    assert got["n"] == 5 and got["coded"] == 4
    assert got["pentaclass_acc"] == 0.6
    # 0: 1, 1: 1, 2: 0, 3: tp 1 fp 1 -> 2/3, 4: 0
    assert got["pentaclass_macro_f1"] == pytest.approx((2 + 2 / 3) / 5, abs=1e-4)


def test_bio_spans() -> None:
    tags = ["B-S", "I-S", "O", "B-T", "O", "B-R", "I-R"]
    assert ev.bio_spans(tags) == {("S", 0, 2), ("T", 3, 4), ("R", 5, 7)}
    assert ev.bio_spans(["O", "I-T", "I-T"]) == {("T", 1, 3)}  # I after O opens a span
    assert ev.bio_spans(["B-S", "I-T"]) == {("S", 0, 1), ("T", 1, 2)}
    assert ev.bio_spans(["B-S", "B-S"]) == {("S", 0, 1), ("S", 1, 2)}


def test_score_spans_counts_a_reciprocal_span_on_both_sides() -> None:
    gold = [{("S", 0, 2), ("T", 3, 4), ("R", 5, 7)}]  # S 0-2, S 5-7; T 3-4, T 5-7
    pred = [{("S", 0, 2), ("T", 3, 5), ("S", 5, 7)}]  # R found as a source only
    got = ev.score_spans(gold, pred)
    assert got["n_ner"] == 1 and got["coded_ner"] == 1
    assert got["span_p"] == pytest.approx(2 / 3, abs=1e-4)
    assert got["span_r"] == 0.5
    assert got["span_f1"] == pytest.approx(4 / 7, abs=1e-4)
    assert got["source_span_f1"] == 1.0
    assert got["target_span_f1"] == 0.0
    both = ev.score_spans(gold, [{("S", 0, 2), ("T", 3, 4), ("R", 5, 7)}])
    assert both["span_f1"] == 1.0


def test_ner_spans_are_character_offsets_in_the_joined_tokens(tmp_path: Path) -> None:
    path = tmp_path / "ner.jsonl"
    row = {
        "tokens": ["Gondor", "troops", "attacked", "Arnor", "."],
        "tags": ["B-S", "I-S", "O", "B-T", "O"],
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (item,) = ev._ner(path)
    assert item.text == "Gondor troops attacked Arnor ."
    assert item.spans == {("S", 0, 13), ("T", 23, 28)}
    assert item.text[23:28] == "Arnor"


def test_score_triples_exact_figures() -> None:
    gold = [
        {("ARN", "GON", "010"), ("ARN", "ELF", "020")},
        set(),  # expects no event
        {("DAG", "GON", "190")},
    ]
    pred = [
        {("ARN", "GON", "010")},
        {("ELF", "ARN", "040")},  # spurious
        {("DAG", "GON", "190")},
    ]
    got = ev.score_triples(gold, pred)
    assert got["n"] == 3 and got["coded"] == 3
    assert got["n_gold_triples"] == 3 and got["n_pred_triples"] == 3
    assert got["triple_p"] == got["triple_r"] == got["triple_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert got["exact_match"] == pytest.approx(1 / 3, abs=1e-4)
    nothing = ev.score_triples(gold, [set(), set(), set()])
    assert nothing["triple_f1"] == 0.0 and nothing["coded"] == 0
    assert nothing["exact_match"] == pytest.approx(1 / 3, abs=1e-4)  # the no-event record


def test_unit_tests_skip_error_records_and_align_predictions_by_position(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "X-1", "date": "19950101", "text": "Arnor met Gondor.", "gold": [{"error": "x"}]},
        {"id": "X-2", "text": "Arnor thanked Gondor.", "gold": [{"noevents": True}]},
        {
            "id": "X-2",  # a repeated id, as upstream has
            "date": "19950102",
            "text": "Gondor praised the elves.",
            "gold": [{"sourcecode": "GON", "eventcode": "051"}],
        },
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tests = ev._unittests(gold)
    assert [t.gold for t in tests] == [frozenset(), {("GON", "", "051")}]
    assert tests[1].item.date == "1995-01-02"
    preds = tmp_path / "preds.jsonl"
    preds.write_text(
        "".join(
            json.dumps({"id": i, "events": e})
            for i, e in (
                ("X-1", [["ARN", "GON", "040"]]),
                ("X-2", []),
                ("X-2", [["GON", "", "051"]]),
            )
        ).replace("}{", "}\n{")
        + "\n",
        encoding="utf-8",
    )
    got = ev._petrarch2_predictions(preds, tests)
    assert got == [frozenset(), {("GON", "", "051")}]


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="split must be"):
        ev.run("train", data=tmp_path)
    with pytest.raises(EvalDataError, match="unknown system"):
        ev.run("dev", data=tmp_path, systems=["nope"])
    with pytest.raises(FileNotFoundError):
        ev.run("dev", data=tmp_path / "absent")


# -- ours on the run path ----------------------------------------------------------------------
def test_without_an_event_stage_ours_parses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(*_a: object, **_k: object) -> None:
        raise AssertionError("the parse ran although no stage codes events")

    monkeypatch.setattr("newstrace.nlp.stage.load_model", no_parse)
    stages = ("newstrace.clean.v1", "newstrace.gate.stored.v1", "newstrace.nlp.v2")
    item = ev._Item("Gondor troops attacked Arnor on the border today.")
    assert ev._ours_events([item], stages=stages) is None


@dataclass(frozen=True, slots=True)
class FakeEvent:
    id: str
    article_id: str
    event_type: str
    cameo: str
    source_country: str
    target_country: str
    source_code: str
    target_code: str
    start: int
    confidence: float
    source_start: int
    source_end: int


FAKE_EVENTS = Table(
    "tests_fake_events",
    schema.metadata,
    Column("id", String(64), primary_key=True),
    Column("article_id", String(32), nullable=False),
    Column("event_type", String(16)),
    Column("cameo", String(8)),
    Column("source_country", Text),
    Column("target_country", Text),
    Column("source_code", String(16)),
    Column("target_code", String(16)),
    Column("start", Integer),
    Column("confidence", Float),
    Column("source_start", Integer),
    Column("source_end", Integer),
)


class FakeEventStage:
    """Codes "X attacked Y" (ASSAULT, 190) and "X praised Y" (SUPPORT, 051), nothing else."""

    name = "tests.events.v1"
    kind: ClassVar[str] = "article"
    requires = ("article",)
    assigns = ("events",)
    topics = ("events",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        out = []
        for x in batch:
            words = x.article.text.split()
            found = []
            for i, w in enumerate(words[1:-1], 1):
                kind = {"attacked": ("ASSAULT", "190"), "praised": ("SUPPORT", "051")}.get(w)
                if kind:
                    src, tgt = words[i - 1], words[i + 1].strip(".")
                    start = x.article.text.index(src)
                    found.append(
                        FakeEvent(
                            f"{x.article.id}-{i}",
                            x.article.id,
                            kind[0],
                            kind[1],
                            src[:3].upper(),
                            tgt[:3].upper(),
                            src[:3].upper(),
                            tgt[:3].upper(),
                            start,
                            0.9,
                            start,
                            start + len(src),
                        )
                    )
            out.append(x.assign(self.name, events=found))
        return out


@pytest.fixture
def event_stage() -> Iterator[str]:
    real = PRODUCTS.pop("events", None)  # the packaged product steps aside for the fake one
    register_product(
        Product(
            "events",
            FakeEvent,
            FAKE_EVENTS,
            lambda r: {f: getattr(r, f) for f in FakeEvent.__dataclass_fields__},
        )
    )
    registry.register(FakeEventStage.name, "article")(lambda _s: FakeEventStage())
    yield FakeEventStage.name
    registry.unregister(FakeEventStage.name)
    unregister_product("events")
    if real is not None:
        PRODUCTS["events"] = real


def test_ours_reads_the_events_product_of_the_run(event_stage: str) -> None:
    items = [
        ev._Item("Gondor attacked Arnor near the river crossing on Monday morning.", "2000-01-01"),
        ev._Item("Nothing of note happened in the capital of Gondor that week at all."),
        ev._Item("Gondor attacked Arnor near the river crossing on Monday morning.", "2000-01-01"),
        ev._Item("Elves praised Gondor for the new bridge they built over the river."),
    ]
    stages = ("newstrace.clean.v1", "newstrace.gate.stored.v1", event_stage)
    got = ev._ours_events(items, stages=stages)
    assert got is not None and len(got) == 4
    assert [len(e) for e in got] == [1, 0, 1, 1]  # the repeated text is one article, read twice
    first = got[0][0]
    assert (first.type, first.cameo, first.source, first.target) == (
        "ASSAULT",
        "190",
        fs("GON"),
        fs("ARN"),
    )
    assert first.spans == {("S", 0, 6)}
    assert ev._triples_of(got[3]) == {("ELV", "GON", "051")}
    preds = ev._plover_preds(got, 4)
    assert preds[1] is None and preds[3] is not None and preds[3].type == "SUPPORT"


# -- the dev part ------------------------------------------------------------------------------
@needs_data
def test_petrarch2_figure_of_its_readme_is_reproduced_on_dev() -> None:
    # petrarch2_unittest/README.md: 192 scorable visible records, P 0.483 / R 0.288 / F1 0.361,
    # exact sentence match 52/192.
    got = ev.run("dev", data=DATA, systems=["petrarch2"])["results"]["petrarch2_unittest"]
    p2 = got["petrarch2"]
    assert p2["n"] == 192
    assert (round(p2["triple_p"], 3), round(p2["triple_r"], 3), round(p2["triple_f1"], 3)) == (
        0.483,
        0.288,
        0.361,
    )
    assert round(p2["exact_match"] * 192) == 52


@needs_data
def test_cli_eval_events_on_dev_has_the_measuring_keys() -> None:
    env = dict(os.environ, NEWSTRACE_SHARED_DIR=str(SHARED.resolve()))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace.cli",
            "eval",
            "events",
            "--split",
            "dev",
            "--json",
            "--system",
            "petrarch2",
            "--system",
            "majority",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["task"] == "events" and result["split"] == "dev"
    res = result["results"]
    assert set(res) == {"plover_gsr", "conflibert_cameo", "petrarch2_unittest"}
    assert set(res["plover_gsr"]) == {"majority"}
    assert set(res["conflibert_cameo"]) == {"majority"}
    assert set(res["petrarch2_unittest"]) == {"petrarch2", "majority"}
    plover = {"type_acc", "type_macro_f1", "quad_macro_f1", "source_country_acc"}
    assert plover | {"target_country_acc", "n", "coded"} <= set(res["plover_gsr"]["majority"])
    assert {"pentaclass_macro_f1", "span_f1", "n"} <= set(res["conflibert_cameo"]["majority"])
    for system in ("petrarch2", "majority"):
        assert {"triple_p", "triple_r", "triple_f1", "n"} <= set(res["petrarch2_unittest"][system])
    # the majority type is the most frequent GSR type of dev: AGREE, 34 of 231
    assert res["plover_gsr"]["majority"]["type_acc"] == pytest.approx(34 / 231, abs=1e-4)
    assert res["petrarch2_unittest"]["petrarch2"]["triple_f1"] == pytest.approx(0.3608, abs=1e-4)


@pytest.mark.slow
@needs_data
def test_ours_codes_with_the_packaged_event_stage() -> None:
    # The default stages now hold newstrace.events.v1: ours parses and codes on every set.
    assert ev._ours_events([]) == []
    res = ev.run("dev", data=DATA, systems=["ours"], limit=5)["results"]
    for dataset in ("plover_gsr", "conflibert_cameo", "petrarch2_unittest"):
        assert "note" not in res[dataset]["ours"], dataset
    assert res["plover_gsr"]["ours"]["coded"] > 0
    assert res["petrarch2_unittest"]["ours"]["n_pred_triples"] > 0
