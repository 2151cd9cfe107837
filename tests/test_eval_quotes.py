"""The quote scorer on hand-made gold and predicted spans (no model), and the data readers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newstrace.eval.quotes import (
    EvalDataError,
    GoldQuote,
    PredQuote,
    _german_docs,
    _parse_ann,
    _polnear_docs,
    match,
    score,
    speaker_correct,
    word_set,
)

TEXT = (
    "Senator Ana Ruiz said the vote was rigged and must be rerun. "
    "“We will not accept this,” she added."  # 61..
)


def span(text: str, fragment: str) -> tuple[tuple[int, int], ...]:
    start = text.index(fragment)
    return ((start, start + len(fragment)),)


def test_word_set_ignores_marks_and_punctuation() -> None:
    with_marks = span(TEXT, "“We will not accept this,”")
    bare = span(TEXT, "We will not accept this")
    assert word_set(TEXT, with_marks) == word_set(TEXT, bare)
    assert len(word_set(TEXT, bare)) == 5


def test_match_threshold_is_half_of_the_longer_side() -> None:
    gold = [frozenset(range(10))]
    assert match(gold, [frozenset(range(5))]) == [(0, 0)]  # 5/10 = 0.5
    assert match(gold, [frozenset(range(4))]) == []  # 4/10
    # a long prediction that swallows the gold span does not match either
    assert match([frozenset(range(4))], [frozenset(range(10))]) == []


def test_match_is_one_to_one_and_prefers_the_best_overlap() -> None:
    golds = [frozenset(range(0, 10)), frozenset(range(10, 20))]
    preds = [frozenset(range(0, 6)), frozenset(range(0, 10)), frozenset(range(10, 18))]
    assert match(golds, preds) == [(0, 1), (1, 2)]


def test_exact_match_needs_the_same_words() -> None:
    golds = [frozenset({1, 2, 3})]
    assert match(golds, [frozenset({1, 2, 3})], exact=True) == [(0, 0)]
    assert match(golds, [frozenset({1, 2})], exact=True) == []


def test_speaker_same_mention() -> None:
    gold = GoldQuote(span(TEXT, "the vote was rigged"), span(TEXT, "Senator Ana Ruiz"))
    assert speaker_correct(TEXT, gold, PredQuote((), span(TEXT, "Ana Ruiz"), "Ana Ruiz"))
    assert not speaker_correct(TEXT, gold, PredQuote((), span(TEXT, "the vote"), "the vote"))


def test_speaker_by_name_for_a_pronoun_prediction() -> None:
    gold = GoldQuote(span(TEXT, "We will not accept this"), span(TEXT, "Senator Ana Ruiz"))
    # we answered with the pronoun "she", resolved to the senator's full name
    assert speaker_correct(TEXT, gold, PredQuote((), span(TEXT, "she"), "Ana Ruiz"))
    assert not speaker_correct(TEXT, gold, PredQuote((), span(TEXT, "she"), "Maria Ruiz"))
    assert not speaker_correct(TEXT, gold, PredQuote((), span(TEXT, "she"), None))


def test_gold_pronoun_is_only_matched_by_position() -> None:
    gold = GoldQuote(span(TEXT, "We will not accept this"), span(TEXT, "she"))
    assert speaker_correct(TEXT, gold, PredQuote((), span(TEXT, "she"), "Ana Ruiz"))
    assert not speaker_correct(
        TEXT, gold, PredQuote((), span(TEXT, "Senator Ana Ruiz"), "Ana Ruiz")
    )


def test_score_counts_and_subsets() -> None:
    reported = GoldQuote(
        span(TEXT, "the vote was rigged and must be rerun"),
        span(TEXT, "Senator Ana Ruiz"),
        speech=True,
    )
    direct = GoldQuote(
        span(TEXT, "“We will not accept this,”"), span(TEXT, "she"), speech=True, direct=True
    )
    other = GoldQuote(span(TEXT, "Senator Ana Ruiz said"), None, speech=False)
    preds = [
        PredQuote(
            span(TEXT, "the vote was rigged"), span(TEXT, "Ana Ruiz"), "Ana Ruiz"
        ),  # 4/8 words: match
        PredQuote(span(TEXT, "We will not accept this"), span(TEXT, "she"), "Ana Ruiz"),  # exact
        PredQuote(span(TEXT, "she added"), None, None),  # nothing in gold
    ]
    docs = [(TEXT, [reported, direct, other], preds)]
    res = score(docs, lambda g: g.speech)
    assert res["n"] == 2
    assert res["n_pred"] == 3
    assert res["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert res["recall"] == 1.0
    assert res["f1_exact"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2), abs=1e-4)
    assert res["speaker_acc"] == 1.0 and res["n_speaker"] == 2
    assert res["direct_f1_overlap"] == 1.0
    assert res["indirect_f1_overlap"] == pytest.approx(2 * 0.5 * 1 / 1.5, abs=1e-4)
    everything = score(docs)
    assert everything["n"] == 3 and everything["recall"] == pytest.approx(2 / 3, abs=1e-4)


def test_prediction_matched_outside_the_subset_is_ignored() -> None:
    other = GoldQuote(span(TEXT, "the vote was rigged and must be rerun"), None, speech=False)
    preds = [PredQuote(span(TEXT, "the vote was rigged and must be rerun"), None, None)]
    res = score([(TEXT, [other], preds)], lambda g: g.speech)
    assert res["n"] == 0 and res["precision"] == 0.0
    assert res["n_pred"] == 1  # counted as predicted, but neither right nor wrong in this subset


ANN = (
    "T1\tSource 0 16\tSenator Ana Ruiz\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T2\tCue 17 21\tsaid\n"
    "T3\tContent 22 41;46 59\tthe vote was rigged must be rerun\n"
    "T4\tAttribution 17 21\tsaid\n"
)


def test_parse_ann_reads_discontinuous_spans_and_late_definitions(tmp_path: Path) -> None:
    path = tmp_path / "doc_ab12.ann"
    path.write_text(ANN, encoding="utf-8")
    ((content, source, cue),) = _parse_ann(path)
    assert content == ((22, 41), (46, 59))
    assert source == ((0, 16),)
    assert cue == ((17, 21),)


def test_parse_ann_names_the_file_and_line_on_a_dangling_reference(tmp_path: Path) -> None:
    path = tmp_path / "doc_ab12.ann"
    path.write_text("E1\tAttribution:T4 Content:T9\n", encoding="utf-8")
    with pytest.raises(EvalDataError, match=r"doc_ab12\.ann:1"):
        _parse_ann(path)


def test_polnear_reader_takes_the_lowest_annotator(tmp_path: Path) -> None:
    comp = tmp_path / "polnear" / "dev"
    (comp / "text").mkdir(parents=True)
    (comp / "attributions").mkdir()
    (comp / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
    (comp / "attributions" / "doc_ff01.ann").write_text("", encoding="utf-8")
    (comp / "attributions" / "doc_0a02.ann").write_text(ANN, encoding="utf-8")
    (doc,) = list(_polnear_docs(tmp_path, "dev"))
    assert doc.doc_id == "dev/doc" and len(doc.quotes) == 1


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="no PolNeAR folder"):
        list(_polnear_docs(tmp_path, "dev"))
    with pytest.raises(EvalDataError, match="german_wikinews_quotes"):
        list(_german_docs(tmp_path, "test"))


def test_german_reader(tmp_path: Path) -> None:
    base = tmp_path / "german_wikinews_quotes"
    base.mkdir()
    doc = {
        "originalText": "Er sagte: „Wir bleiben.“",
        "annotations": [
            {
                "quote": {"spans": [{"charBegin": 11, "charEnd": 23}]},
                "speaker": {"spans": [{"charBegin": 0, "charEnd": 2}]},
                "cue": {"spans": [{"charBegin": 3, "charEnd": 8}]},
            }
        ],
    }
    with gzip.open(base / "dev.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(doc) + "\n")
    (gold,) = list(_german_docs(tmp_path, "dev"))
    assert gold.quotes == ((((11, 23),), ((0, 2),), ((3, 8),)),)


@pytest.mark.slow
def test_run_reports_every_dataset_and_system_in_the_measuring_shape(tmp_path: Path) -> None:
    from newstrace.eval.quotes import run

    text = "Budget Deal Reached\n\n“We have a deal,” Senator Ana Ruiz said on Monday. Officials said talks went well.\n"
    comp = tmp_path / "polnear" / "dev"
    (comp / "text").mkdir(parents=True)
    (comp / "attributions").mkdir()
    (comp / "text" / "doc.txt").write_text(text, encoding="utf-8")
    q = text.index("“We")
    src = text.index("Senator")
    cue = text.index("said")
    ann = (
        f"T1\tContent {q} {q + 17}\t“We have a deal,”\n"
        f"T2\tSource {src} {src + 16}\tSenator Ana Ruiz\n"
        f"T3\tCue {cue} {cue + 4}\tsaid\n"
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2\n"
    )
    (comp / "attributions" / "doc_0001.ann").write_text(ann, encoding="utf-8")
    german = tmp_path / "german_wikinews_quotes"
    german.mkdir()
    with gzip.open(german / "dev.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"originalText": "Er sagte: „Wir bleiben.“", "annotations": []}) + "\n")

    out = run("dev", data=tmp_path)
    assert (out["task"], out["split"]) == ("quotes", "dev")
    assert set(out["results"]) == {"polnear/speech", "polnear/all", "german_wikinews_quotes"}
    for dataset in out["results"].values():
        assert set(dataset) == {"ours", "textacy"}
        for metrics in dataset.values():
            for key in ("n", "precision", "recall", "f1_exact", "f1_overlap", "speaker_acc"):
                assert key in metrics
            assert "direct_f1_overlap" in metrics and "indirect_f1_overlap" in metrics
    ours = out["results"]["polnear/speech"]["ours"]
    assert ours["n"] == 1 and ours["recall"] == 1.0 and ours["speaker_acc"] == 1.0
    assert out["results"]["polnear/speech"]["textacy"]["recall"] == 1.0
    with pytest.raises(EvalDataError, match="unknown system"):
        run("dev", data=tmp_path, systems=["nope"])
    with pytest.raises(EvalDataError, match="split must be"):
        run("train", data=tmp_path)


def test_the_shared_dir_setting_points_eval_at_its_data(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, NEWSTRACE_SHARED_DIR=str(tmp_path / "elsewhere"))
    got = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "eval", "quotes", "--limit", "1", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert got.returncode == 2
    assert str(tmp_path / "elsewhere" / "eval" / "quotes") in got.stderr
    assert got.stderr.strip().count("\n") == 0
