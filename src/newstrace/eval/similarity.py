"""Similarity benchmark: SemEval-2022 Task 8 English article pairs, MRPC sentence pairs and the
Clough-Stevenson rewritten answers, ours beside TF-IDF cosine and MinHash Jaccard, one scorer.

What is scored (`results[dataset][system][metric]`, the keys of MEASURING.md, plus `n`):
- `semeval2022_en`: original English pairs (no machine-translated augmentations, first
  occurrence of a pair id only); `pearson` of the system's similarity with the negated `Overall`
  grade (the grade runs 1 = very similar to 4 = very dissimilar, so a good similarity correlates
  positively). Split: dev = the HFL team's `training_set.csv` rows, test = `testing_set.csv`.
- `mrpc`: paraphrase or not, `f1` on the paraphrase class (and `accuracy`). Split: dev = the
  train file, test = the test file.
- `clough_stevenson`: each answer against its task's source: derived (cut, light, heavy) or
  not (non). `accuracy` over all answers, and `accuracy_cut`, `accuracy_light`,
  `accuracy_heavy`, `accuracy_non` per rewrite level. Split (the set has none): dev = the answers
  of participant groups g0-g2, test = g3-g4.
A yes/no answer needs a threshold on each system's similarity: it is chosen on the dev part of
the same set (the one that maximises F1, or accuracy for Clough-Stevenson), for every system
alike, and applied unchanged to the split being scored. Nothing is trained.

Systems:
- `ours`: what the product uses. Sentences and articles: the cosine of MiniLM embeddings
  (`newstrace.embed`). Clough-Stevenson, a rewrite question: the share of the answer's sentences
  with a counterpart in the source (the rewrite finder's measure, `group.rewrites`).
- `tfidf_cosine`: TF-IDF (word unigrams and bigrams, sublinear tf) fitted on the texts scored.
- `minhash_jaccard`: MinHash (128 permutations) estimate of the Jaccard similarity of the two
  texts' word 3-gram sets (word 1-grams for sentences shorter than 3 words).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EvalDataError
from .paths import shared_dir

__all__ = ["SYSTEMS", "run"]

SYSTEMS = ("ours", "tfidf_cosine", "minhash_jaccard")
Scorer = Callable[[Sequence[str], Sequence[str]], np.ndarray]
_DEV_GROUPS = ("g0", "g1", "g2")


def _root(data: Path | None) -> Path:
    root = data if data is not None else shared_dir() / "eval" / "similarity"
    if not root.is_dir():
        raise FileNotFoundError(str(root))
    return root


# -- the sets -----------------------------------------------------------------------------------
def _semeval(root: Path, split: str) -> tuple[list[str], list[str], np.ndarray]:
    path = root / "semeval2022_task8_hfl_sample" / "pairs.jsonl"
    wanted = "data/training_set.csv" if split == "dev" else "data/testing_set.csv"
    a, b, grade = [], [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            if p["lang1"] != "en" or p["lang2"] != "en" or p["augmented_translation"]:
                continue
            if p["repeat_of_earlier_row"] or p["hfl_file"] != wanted:
                continue
            a.append(p["text1"])
            b.append(p["text2"])
            grade.append(-float(p["Overall"]))
    return a, b, np.array(grade)


def _mrpc(root: Path, split: str) -> tuple[list[str], list[str], np.ndarray]:
    name = "msr_paraphrase_train.txt" if split == "dev" else "msr_paraphrase_test.txt"
    a, b, label = [], [], []
    with (root / "mrpc" / name).open(encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for row in rows:
            label.append(int(row[0]))
            a.append(row[3])
            b.append(row[4])
    return a, b, np.array(label)


def _clough(root: Path, split: str) -> tuple[list[str], list[str], list[str]]:
    base = root / "clough_stevenson_plagiarism"
    with (base / "file_information.csv").open(encoding="utf-8", newline="") as fh:
        info = list(csv.DictReader(fh))
    texts = base / "texts"

    def read(name: str) -> str:
        return (texts / name).read_bytes().decode("utf-8", errors="replace")

    source = {r["Task"]: read(r["File"]) for r in info if r["Category"] == "orig"}
    answers, sources, levels = [], [], []
    for r in info:
        if r["Category"] == "orig":
            continue
        if (r["File"][:2] in _DEV_GROUPS) != (split == "dev"):
            continue
        answers.append(read(r["File"]))
        sources.append(source[r["Task"]])
        levels.append(r["Category"])
    return answers, sources, levels


# -- the systems --------------------------------------------------------------------------------
def _cosine(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    from ..embed import embed

    return np.asarray((embed(list(a)) * embed(list(b))).sum(axis=1))


def _counterparts(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    from ..embed import embed
    from ..group.rewrites import counterpart_share, sentences

    out = []
    for x, y in zip(a, b, strict=True):
        sx, sy = sentences(x) or [x], sentences(y) or [y]
        out.append(counterpart_share(embed(sx), embed(sy)))
    return np.array(out)


def _tfidf(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(list(a) + list(b))
    xa, xb = vec.transform(a), vec.transform(b)  # rows are L2-normalised
    return np.asarray(xa.multiply(xb).sum(axis=1)).ravel()


def _minhash(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    from datasketch import MinHash

    from ..group.wording import words

    def sketch(text: str) -> MinHash:
        w = words(text)
        grams = {" ".join(w[i : i + 3]) for i in range(len(w) - 2)} or set(w)
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([g.encode("utf-8") for g in grams])
        return m

    return np.array([sketch(x).jaccard(sketch(y)) for x, y in zip(a, b, strict=True)])


def _scorers(task: str) -> dict[str, Scorer]:
    ours: Scorer = _counterparts if task == "clough_stevenson" else _cosine
    return {"ours": ours, "tfidf_cosine": _tfidf, "minhash_jaccard": _minhash}


# -- scoring ------------------------------------------------------------------------------------
def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def _f1(scores: np.ndarray, gold: np.ndarray, threshold: float) -> float:
    said = scores >= threshold
    tp = int((said & (gold == 1)).sum())
    wrong = int((said & (gold == 0)).sum()) + int((~said & (gold == 1)).sum())
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def _best(scores: np.ndarray, gold: np.ndarray, measure: Callable[..., float]) -> float:
    """The threshold on dev scores that maximises `measure` (the lowest of equals)."""
    candidates = np.unique(np.round(scores, 4))
    return float(max(candidates, key=lambda t: (measure(scores, gold, t), -t)))


def _accuracy(scores: np.ndarray, gold: np.ndarray, threshold: float) -> float:
    return float(((scores >= threshold) == (gold == 1)).mean()) if len(gold) else 0.0


def _cut(values: Any, limit: int | None) -> list[Any]:
    return list(values[:limit]) if limit is not None else list(values)


def run(
    split: str = "dev",
    data: Path | None = None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Score the similarity systems on the `split` of the three sets (see the module docs)."""
    if split not in ("dev", "test"):
        raise EvalDataError(f"similarity eval: split must be 'dev' or 'test', not {split!r}")
    chosen = list(systems) if systems else list(SYSTEMS)
    unknown = [s for s in chosen if s not in SYSTEMS]
    if unknown:
        raise EvalDataError(
            f"similarity eval: unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}"
        )
    root = _root(data)
    results: dict[str, dict[str, dict[str, Any]]] = {"semeval2022_en": {}, "mrpc": {}}
    results["clough_stevenson"] = {}

    a, b, grade = _semeval(root, split)
    a, b, grade = _cut(a, limit), _cut(b, limit), np.array(_cut(grade, limit))
    for name in chosen:
        scores = _scorers("semeval")[name](a, b)
        results["semeval2022_en"][name] = {
            "n": len(a),
            "pearson": round(_pearson(scores, grade), 4),
        }

    dev = _mrpc(root, "dev")
    here = dev if split == "dev" else _mrpc(root, split)
    for name in chosen:
        score = _scorers("mrpc")[name]
        da, db, dg = _cut(dev[0], limit), _cut(dev[1], limit), np.array(_cut(dev[2], limit))
        dev_scores = score(da, db)
        threshold = _best(dev_scores, dg, _f1)
        ha, hb, hg = _cut(here[0], limit), _cut(here[1], limit), np.array(_cut(here[2], limit))
        scores = score(ha, hb) if split != "dev" else dev_scores
        results["mrpc"][name] = {
            "n": len(ha),
            "f1": round(_f1(scores, hg, threshold), 4),
            "accuracy": round(_accuracy(scores, hg, threshold), 4),
            "threshold": round(threshold, 4),
        }

    dev_c = _clough(root, "dev")
    here_c = dev_c if split == "dev" else _clough(root, split)
    for name in chosen:
        score = _scorers("clough_stevenson")[name]
        dev_scores = score(dev_c[0], dev_c[1])
        dev_gold = np.array([int(level != "non") for level in dev_c[2]])
        threshold = _best(dev_scores, dev_gold, _accuracy)
        scores = dev_scores if split == "dev" else score(here_c[0], here_c[1])
        levels = np.array(here_c[2])
        gold = (levels != "non").astype(int)
        row: dict[str, Any] = {
            "n": len(levels),
            "accuracy": round(_accuracy(scores, gold, threshold), 4),
            "threshold": round(threshold, 4),
        }
        for level in ("cut", "light", "heavy", "non"):
            mask = levels == level
            row[f"accuracy_{level}"] = round(_accuracy(scores[mask], gold[mask], threshold), 4)
        results["clough_stevenson"][name] = row
    return {"task": "similarity", "split": split, "results": results}
