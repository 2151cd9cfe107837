"""The evaluation gate: our dev scores on the public benchmarks stay at or above the floors pinned
in tests/data/eval_floors.json. Skipped where ../shared/eval is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "tests" / "data" / "eval_floors.json").read_text(encoding="utf-8"))
EVAL = ROOT.parent / "shared" / "eval"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not EVAL.is_dir(), reason=f"shared eval data not found at {EVAL}"),
]


def _below(
    results: dict[str, dict[str, dict[str, float]]], floors: dict[str, dict[str, float]]
) -> list[str]:
    return [
        f"{dataset} {metric}: {results[dataset]['ours'][metric]:.4f} < floor {floor}"
        for dataset, metrics in floors.items()
        for metric, floor in metrics.items()
        if results[dataset]["ours"][metric] < floor
    ]


def test_extraction_stays_above_its_floors() -> None:
    from newstrace.eval.extraction import run

    result = run(split="dev", data=EVAL / "extraction", systems=["ours"])
    assert _below(result["results"], FLOORS["extraction"]) == []


def test_quotes_stay_above_their_floors() -> None:
    from newstrace.eval.quotes import run

    floors = dict(FLOORS["quotes"])
    limit = floors.pop("limit")
    result = run(split="dev", data=EVAL / "quotes", systems=["ours"], limit=limit)
    assert _below(result["results"], floors) == []


def test_similarity_stays_above_its_floors() -> None:
    from newstrace.eval.similarity import run

    floors = dict(FLOORS["similarity"])
    limit = floors.pop("limit")
    result = run(split="dev", data=EVAL / "similarity", systems=["ours"], limit=limit)
    assert _below(result["results"], floors) == []
