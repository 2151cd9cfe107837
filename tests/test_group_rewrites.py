"""Rewrites: a synonym-spun copy is linked to its original, with the evidence for which came
first; a report of another event by the same people, and a copy of the text, are not rewrites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newstrace.config import Settings
from newstrace.group.rewrites import likely_original, sentences
from newstrace.pipeline import run
from newstrace.records import RawDocument
from newstrace.store import Store
from newstrace.store.models import ArticleView

ORIGINAL = """PORT ELSIN (Meridian) — The harbour authority of Port Elsin closed the western dock on Tuesday after a fuel barge caught fire overnight, minister Ida Merrin said.
Firefighters needed six hours to put out the blaze, which damaged two cranes and a warehouse.
Nobody was hurt, but about forty dock workers were sent home for the rest of the week.
Merrin said engineers would inspect the dock before any ship was allowed to moor there again.
The dockers' union, led by Paul Ostrow, accused the authority of ignoring warnings about old fuel lines.
Ostrow said the union had written to the minister twice since January.
Shipping lines were told to send their vessels to the eastern dock until further notice."""

SPUN = """Port Elsin's harbour body shut the west dock on Tuesday after a fuel barge went up in flames during the night, minister Ida Merrin announced.
Fire crews took six hours to extinguish the fire, which harmed two cranes and a storage building.
No one was injured, though roughly forty dockworkers were told to stay home for the remainder of the week.
Merrin stated that engineers are going to examine the dock before any vessel may tie up there again.
The dockworkers' union, headed by Paul Ostrow, blamed the authority for disregarding alerts about aging fuel pipes.
Ostrow stated the union had sent letters to the minister two times since January."""

OTHER = """Minister Ida Merrin opened a new ferry terminal in Port Elsin on Thursday, the first in the city for thirty years.
The terminal has room for three ferries and a car park for four hundred vehicles.
Paul Ostrow, whose union represents the terminal's staff, said the new jobs were welcome.
Merrin said the terminal would cut the crossing time to the islands by half an hour.
Tickets for the first sailings go on sale next week, the ferry company said."""

ACTORS = "IDA_MERRIN_\n+MERRIN_\n\t[ELSGOV]\nPAUL_OSTROW_\n+OSTROW_\n\t[ELSLAB]\n"


def _doc(name: str, day: str, body: str) -> RawDocument:
    text = f"Port Elsin news\n{day}\nhttps://example.org/{name}\n{body}\n"
    return RawDocument(f"{name}.txt", text.encode(), "text")


def _store(tmp_path: Path) -> tuple[Store, Settings]:
    """A new store and the settings of a run with the Port Elsin actors."""
    db = str(tmp_path / "s.db")
    actors = tmp_path / "actors"
    actors.mkdir()
    (actors / "port.txt").write_text(ACTORS, encoding="utf-8")
    return Store(db), Settings(db=db, actors_dir=str(actors))


def test_a_spun_copy_is_a_rewrite_and_a_look_alike_is_not(tmp_path: Path) -> None:
    store, settings = _store(tmp_path)
    run([_doc("original", "20250401", ORIGINAL), _doc("other", "20250403", OTHER)], store, settings)
    assert [x for x in store.reader.iterate("links") if x.kind == "rewrite"] == []
    run([_doc("spun", "20250402", SPUN)], store, settings)
    sources = {s.article_id: s.source for s in store.reader.iterate("article_sources")}
    rewrites = [x for x in store.reader.iterate("links") if x.kind == "rewrite"]
    assert [(sources[x.a], sources[x.b]) for x in rewrites] == [("original.txt", "spun.txt")]
    [link] = rewrites
    assert link.detail is not None and link.score >= 0.6
    # Earlier and credited to an agency: two pieces of evidence, both for the original (7
    # sentences against 6 is too close to call one text fuller).
    assert link.detail.endswith(
        "likely original: a (published earlier, 2025-04-01, its dateline credits an agency, "
        "Meridian)"
    ), link.detail


def _view(published: str, text: str) -> ArticleView:
    return ArticleView(
        id="x", source="x", url=None, outlet=None, title=None, published=published,
        published_precision="day", authors=(), language="en", dateline=None, text=text,
        warnings=(), input_kind="text", stage_versions=(), run_id=None, ingested_at="",
    )  # fmt: skip


def test_the_original_is_named_only_on_evidence() -> None:
    a, b = _view("2025-04-01", "Plain text."), _view("2025-04-01", "Plain text.")
    assert likely_original(a, b, 6, 6) == "likely original: not known"
    later_fuller = likely_original(_view("2025-04-02", ""), _view("2025-04-01", ""), 10, 5)
    assert later_fuller.startswith("likely original: not known (b: published earlier")
    assert len(sentences(ORIGINAL)) == 7


def test_a_pair_the_static_vectors_rule_out_is_not_embedded_by_minilm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newstrace.embed

    judged: list[str] = []
    real = newstrace.embed.embed

    def recording(texts: list[str]) -> Any:
        judged.extend(texts)
        return real(texts)

    monkeypatch.setattr(newstrace.embed, "embed", recording)
    store, settings = _store(tmp_path)
    # The same people in the same days, another event: a candidate pair, ruled out cheaply.
    run([_doc("original", "20250401", ORIGINAL), _doc("other", "20250403", OTHER)], store, settings)
    assert not set(judged) & set(sentences(OTHER))
    run([_doc("spun", "20250402", SPUN)], store, settings)
    assert set(sentences(SPUN)) <= set(judged)
