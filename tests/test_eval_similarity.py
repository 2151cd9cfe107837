"""The similarity eval on a small data folder of the real sets' shapes (written here, fictional):
readers, thresholds chosen on dev, and the metrics of each set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newstrace.errors import EvalDataError
from newstrace.eval import similarity
from newstrace.eval.similarity import _best, _f1, _pearson, run

SAME = [
    ("The port of Vessaly closed its northern quay on Thursday.",
     "On Thursday the northern quay of the Vessaly port was closed."),
    ("Two dock workers were hurt when a crane fell.",
     "A falling crane injured two dock workers."),
]  # fmt: skip
OTHER = [
    ("The port of Vessaly closed its northern quay on Thursday.",
     "Grain prices rose for a third week in Tiren."),
    ("Two dock workers were hurt when a crane fell.",
     "The football season opens in August."),
]  # fmt: skip


def _write(root: Path) -> None:
    sem = root / "semeval2022_task8_hfl_sample"
    sem.mkdir(parents=True)
    rows = []
    for i, ((a, b), grade) in enumerate(
        [(SAME[0], 1.0), (OTHER[0], 4.0), (SAME[1], 1.5), (OTHER[1], 3.5)]
    ):
        for hfl in ("data/training_set.csv", "data/testing_set.csv"):
            rows.append({"pair_id": f"{i}", "lang1": "en", "lang2": "en", "text1": a,
                         "text2": b, "Overall": grade, "augmented_translation": False,
                         "repeat_of_earlier_row": False, "hfl_file": hfl})  # fmt: skip
    rows.append(rows[0] | {"lang1": "de"})  # not English: left out
    (sem / "pairs.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    mrpc = root / "mrpc"
    mrpc.mkdir()
    head = "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
    body = "".join(f"1\t1\t2\t{a}\t{b}\n" for a, b in SAME)
    body += "".join(f"0\t3\t4\t{a}\t{b}\n" for a, b in OTHER)
    for name in ("msr_paraphrase_train.txt", "msr_paraphrase_test.txt"):
        (mrpc / name).write_text(head + body, encoding="utf-8")
    cs = root / "clough_stevenson_plagiarism"
    (cs / "texts").mkdir(parents=True)
    source = " ".join(a for a, _b in SAME) + " Engineers will inspect the other cranes."
    files = {"orig_taska.txt": ("a", "orig", source),
             "g0pA_taska.txt": ("a", "cut", source),
             "g0pB_taska.txt": ("a", "heavy", " ".join(b for _a, b in SAME)),
             "g1pA_taska.txt": ("a", "non", "Tennis is played on grass. The ball is yellow."),
             "g3pA_taska.txt": ("a", "light", source.replace("Thursday", "Friday")),
             "g4pA_taska.txt": ("a", "non", "Cats sleep a lot. Dogs bark at night.")}  # fmt: skip
    lines = ["File,Task,Category"]
    for name, (task, level, text) in files.items():
        (cs / "texts" / name).write_text(text, encoding="utf-8")
        lines.append(f"{name},{task},{level}")
    (cs / "file_information.csv").write_text("\n".join(lines) + "\n")


def test_scores_and_thresholds() -> None:
    scores, gold = np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 1, 0, 0])
    assert _f1(scores, gold, 0.5) == 1.0 and _f1(scores, gold, 0.85) == pytest.approx(2 / 3)
    assert _best(scores, gold, _f1) == 0.8
    assert _pearson(scores, scores * 2) == pytest.approx(1.0)


def test_every_system_on_every_set(tmp_path: Path) -> None:
    _write(tmp_path)
    result = run(split="test", data=tmp_path)
    assert result["task"] == "similarity" and result["split"] == "test"
    results = result["results"]
    assert set(results) == {"semeval2022_en", "mrpc", "clough_stevenson"}
    for name in similarity.SYSTEMS:
        assert results["semeval2022_en"][name]["n"] == 4
        assert results["mrpc"][name]["n"] == 4
        assert results["clough_stevenson"][name]["n"] == 2  # g3 and g4 are the test part
    ours = {k: v["ours"] for k, v in results.items()}
    assert ours["semeval2022_en"]["pearson"] > 0.8  # similar pairs have low grades
    assert ours["mrpc"]["f1"] == 1.0
    assert ours["clough_stevenson"]["accuracy_light"] == 1.0
    assert ours["clough_stevenson"]["accuracy_non"] == 1.0


def test_bad_arguments_are_named(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="split"):
        run(split="train", data=tmp_path)
    with pytest.raises(EvalDataError, match="nope"):
        run(split="dev", data=tmp_path, systems=["nope"])
    with pytest.raises(FileNotFoundError):
        run(split="dev", data=tmp_path / "missing")
