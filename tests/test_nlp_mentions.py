"""Actor mentions in a parsed Doc: hand-built Docs (a blank pipeline, entities set by hand), and
real parses (slow: loads the spaCy model) of written text and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newstrace.actors import ActorRegistry
from newstrace.nlp.mentions import resolve_doc
from newstrace.nlp.model import load_model

FEB_2022 = "2022-02-01"
SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="module")
def reg() -> ActorRegistry:
    return ActorRegistry.load()


@pytest.mark.slow
def test_mentions_in_written_text(nlp: Language, reg: ActorRegistry) -> None:
    text = (
        "Russian President Vladimir Putin met Hungary's prime minister in the Kremlin on Tuesday. "
        "A State Department official said Washington would respond, and the Russian leader "
        "warned the West. Kiev said the Minsk agreements were dead after a meeting in Stockholm."
    )
    got = {m.text: m.actor for m in resolve_doc(reg, nlp(text), when="2022-02-01")}
    assert got["Russian President Vladimir Putin"].person_id == "vladimir-putin"
    assert (got["Hungary's prime minister"].code, got["Hungary's prime minister"].holder_id) == (
        "HUNGOV",
        "viktor-orban",
    )
    assert got["Washington"].code == "USAGOV"
    assert got["the Russian leader"].holder_id == "vladimir-putin"
    assert got["the West"].code == "WST"
    assert got["A State Department official"].code == "USAGOV"
    assert got["Kiev"].code == "UKRGOV"
    assert "Minsk" not in got  # a capital used as a modifier is not its government
    assert (got["Stockholm"].code, got["Stockholm"].kind) == (
        "SWE",
        "country",
    )  # a place, not a government
    spans = [m for m in resolve_doc(reg, nlp(text), when="2022-02-01")]
    assert all(text[m.start_char : m.end_char] == m.text for m in spans)


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not present")
def test_seed_descriptions_resolve(nlp: Language, reg: ActorRegistry) -> None:
    seed = next(SEEDS.glob("004_*.txt"), None)
    if seed is None:
        pytest.skip("seed 004 not present")
    doc = nlp(seed.read_text(encoding="utf-8"))
    mentions = resolve_doc(reg, doc, when="2022-02-01")
    by_text = {m.text.replace("’", "'"): m.actor for m in mentions}
    assert by_text["Hungary's prime minister"].holder_name == "Viktor Orbán"
    assert by_text["a State Department official"].code == "USAGOV"
    people = {m.actor.person_id for m in mentions if m.actor.person_id}
    assert {
        "vladimir-putin",
        "sergey-lavrov",
        "antony-blinken",
        "volodymyr-zelenskyy",
        "boris-johnson",
        "viktor-orban",
    } <= people


# ---------------------------------------------------------------- documents (blank pipeline, ents by hand)


def _doc(
    words: list[str], spaces: list[bool] | None = None, ents: list[tuple[int, int, str]] = ()
) -> Doc:  # type: ignore[assignment]
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def test_resolve_doc_finds_registry_and_entity_mentions(reg: ActorRegistry) -> None:
    words = [
        "Russian",
        "President",
        "Vladimir",
        "Putin",
        "told",
        "Hungary",
        "'s",
        "prime",
        "minister",
        "in",
        "the",
        "Kremlin",
        "that",
        "Jane",
        "Roe",
        "agreed",
        ".",
    ]
    spaces = [True] * len(words)
    spaces[5] = False
    doc = _doc(
        words, spaces, ents=[(2, 4, "PERSON"), (5, 6, "GPE"), (11, 12, "ORG"), (13, 15, "PERSON")]
    )
    got = [
        (m.text, m.label, m.actor.code, m.actor.person_id or m.actor.name)
        for m in resolve_doc(reg, doc, when=FEB_2022)
    ]
    assert got == [
        ("Russian President Vladimir Putin", "REGISTRY", "RUSGOV", "vladimir-putin"),
        ("Hungary", "GPE", "HUN", "Hungary"),
        ("Kremlin", "ORG", "RUSGOV", "Government of Russia"),
        ("Jane Roe", "PERSON", None, "Jane Roe"),
    ]
    m = resolve_doc(reg, doc, when=FEB_2022)[0]
    assert doc.text[m.start_char : m.end_char] == "Russian President Vladimir Putin"
    assert (m.start, m.end) == (0, 4)


def test_resolve_doc_skips_places_inside_other_entities(reg: ActorRegistry) -> None:
    doc = _doc(
        ["The", "Washington", "Pilgrims", "Society", "met", "in", "Moscow", "."],
        ents=[(0, 4, "ORG"), (6, 7, "GPE")],
    )
    got = [(m.text, m.actor.code) for m in resolve_doc(reg, doc)]
    assert got == [("Moscow", "RUSGOV")]


def test_resolve_doc_skips_lowercase_furniture(reg: ActorRegistry) -> None:
    doc = _doc(["chevron", "downicon", "us", "NATO"], ents=[(0, 1, "ORG")])
    assert [(m.text, m.actor.code) for m in resolve_doc(reg, doc)] == [("NATO", "IGOWSTNAT")]


def test_brussels_follows_the_document(reg: ActorRegistry) -> None:
    eu = _doc(["The", "EU", "said", "Brussels", "would", "act", "."])
    assert [m.actor.code for m in resolve_doc(reg, eu) if m.text == "Brussels"] == ["IGOEUREEC"]
    bel = _doc(["Belgium", "'s", "government", "said", "Brussels", "would", "act", "."])
    assert [m.actor.code for m in resolve_doc(reg, bel) if m.text == "Brussels"] == ["BELGOV"]


def test_registry_scan_ignores_phoenix_place_aliases(reg: ActorRegistry) -> None:
    # "Vladimir" is a Russian region in Phoenix; outside an entity it is not taken for Russia.
    doc = _doc(["By", "VLADIMIR", "ISACHENKOV", "in", "Sochi"])
    assert [m.text for m in resolve_doc(reg, doc)] == []
    doc = _doc(["He", "flew", "to", "Sochi"], ents=[(3, 4, "GPE")])
    assert [(m.text, m.actor.code) for m in resolve_doc(reg, doc)] == [("Sochi", "RUS")]
