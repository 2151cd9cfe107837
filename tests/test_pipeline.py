"""Pipeline assembly and the run driver: counts by reason, idempotent re-runs, order kept."""

from __future__ import annotations

from collections.abc import Sequence
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
    assert store.counts()["articles"] == 1
    assert any("empty.txt" in m for m in summary.messages)
    (run_row,) = store.rows("runs")
    assert run_row["status"] == "done"
    assert run_row["counts"]["article"]["new"] == 1


def test_second_run_is_a_no_op(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    run(_docs(), store, Settings(batch_size=3))
    before = {k: v for k, v in store.counts().items() if k != "runs"}
    again = run(_docs(), store, Settings(batch_size=3))
    assert again.as_dict()["article"] == {"already-stored": 2}
    after = {k: v for k, v in store.counts().items() if k != "runs"}
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
    failed = {r["source"]: r for r in store.rows("failures")}
    assert failed["one.txt"]["raw_bytes"] > 0
    assert "RuntimeError: boom" in failed["one.txt"]["message"]
