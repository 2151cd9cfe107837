"""Actor mentions in real parses (slow: loads the spaCy model), on written text and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newstrace.actors import ActorRegistry
from newstrace.nlp.mentions import resolve_doc
from newstrace.nlp.model import load_model

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
