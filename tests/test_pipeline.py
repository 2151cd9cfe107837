"""Pipeline assembly and the run driver: counts by reason, idempotent re-runs, order kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newstrace.config import Settings
from newstrace.pipeline import run
from newstrace.records import Failure, RawDocument
from newstrace.stage import Pipeline, PipelineError
from newstrace.store import Store

BODY = (
    "The foreign minister said on Monday that talks with the neighbouring government would "
    "resume next week, after a month of rising tension along the border.\n\n"
    "Officials in both capitals declined to comment on the timing of the meeting."
)


class _Stage:
    kind = "document"

    def __init__(self, name: str, requires: tuple[str, ...], assigns: tuple[str, ...]) -> None:
        self.name, self.requires, self.assigns = name, requires, assigns

    def __call__(self, batch: Sequence[Any]) -> Sequence[Any]:
        return batch


def test_assembly_fails_when_a_requirement_is_unmet() -> None:
    with pytest.raises(PipelineError, match="requires doc"):
        Pipeline((_Stage("a.v1", ("raw",), ("article",)), _Stage("b.v1", ("doc",), ("quotes",))))


def test_assembly_accepts_a_well_ordered_pipeline() -> None:
    p = Pipeline((_Stage("a.v1", ("raw",), ("article",)), _Stage("b.v1", ("article",), ("doc",))))
    assert p.versions == ("a.v1", "b.v1")


def _docs() -> list[RawDocument | Failure]:
    return [
        RawDocument("one.txt", f"A headline for one\n\n{BODY}".encode(), "text"),
        RawDocument("empty.txt", b"   \n", "text"),
        Failure(
            "broken.gz", "quarantine", "corrupt-gzip", "broken.gz: truncated gzip", b"\x1f\x8b"
        ),
        RawDocument("copy.txt", f"A headline for one\n\n{BODY}".encode(), "text"),
    ]


def test_run_counts_every_outcome_and_stores_articles(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    summary = run(_docs(), store, Settings(batch_size=2))
    counts = summary.as_dict()
    assert counts["article"] == {"new": 1, "duplicate": 1}
    assert counts["quarantine"] == {"corrupt-gzip": 1}
    assert counts["skip"] == {"empty": 1}
    assert store.reader.stats().articles == 1
    assert any("empty.txt" in m for m in summary.messages)
    (run_row,) = store.reader.iterate("runs")
    assert run_row.status == "done"
    assert run_row.counts["article"]["new"] == 1


def test_second_run_is_a_no_op(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    run(_docs(), store, Settings(batch_size=3))
    before = replace(store.reader.stats(), runs=0, runs_by_status={})
    again = run(_docs(), store, Settings(batch_size=3))
    assert again.as_dict()["article"] == {"already-stored": 2}
    after = replace(store.reader.stats(), runs=0, runs_by_status={})
    assert after == before


def test_a_crashing_cleaner_is_quarantined_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newstrace.clean.text as text_mod

    real = text_mod.clean_text

    def flaky(raw: RawDocument) -> Any:
        if raw.source == "one.txt":
            raise RuntimeError("boom")
        return real(raw)

    monkeypatch.setattr(text_mod, "clean_text", flaky)
    store = Store(str(tmp_path / "s.db"))
    summary = run(_docs(), store, Settings())
    assert summary.as_dict()["quarantine"]["clean-error"] == 1
    assert summary.as_dict()["article"] == {"new": 1}
    failed = {r.source: r for r in store.reader.iterate("failures")}
    assert failed["one.txt"].raw_bytes > 0
    assert "RuntimeError: boom" in failed["one.txt"].message


def test_each_input_is_heard_of_as_it_is_read(tmp_path: Path) -> None:
    # The progress bar moves per input read, not once per committed batch.
    store = Store(str(tmp_path / "s.db"))
    heard: list[tuple[str, int]] = []

    def on_read(item: RawDocument | Failure) -> None:
        heard.append((item.source, store.reader.stats().articles))

    run(_docs(), store, Settings(batch_size=64), on_read=on_read)
    assert [s for s, _ in heard] == ["one.txt", "empty.txt", "broken.gz", "copy.txt"]
    assert all(stored == 0 for _, stored in heard)  # heard before their batch was committed


def test_the_progress_meter_counts_files_of_the_total() -> None:
    from newstrace.cli import _Meter

    class Recorder:
        def __init__(self) -> None:
            self.updates: list[dict[str, Any]] = []

        def update(self, _task: Any, **fields: Any) -> None:
            self.updates.append(fields)

    progress = Recorder()
    meter = _Meter(progress, 0, files=2)  # type: ignore[arg-type]
    for source in ("feed.xml#1", "feed.xml#2", "feed.xml#3", "a.txt"):
        meter.read(RawDocument(source, b"x", "text"))
    assert [u["completed"] for u in progress.updates] == [1, 1, 1, 2]
    assert progress.updates[-1]["files"] == "2/2 files" and progress.updates[-1]["inputs"] == 4


def test_the_gate_analyses_the_copy_the_store_keeps() -> None:
    # Two inputs with one body and two headlines share an article id; the writer keeps the first,
    # so the first is the one analysed (its title and date are what offsets and roles refer to).
    from newstrace.records import Article, article_id
    from newstrace.stage import StoredGate

    first = Article(id=article_id(BODY), source="wire.txt", text=BODY, title="Talks resume")
    second = Article(id=first.id, source="repost.txt", text=BODY, title="Minister: talks on")
    assert StoredGate()([first, second], lambda _ids: set()) == [first]
    assert StoredGate()([first, second], lambda ids: set(ids)) == []
