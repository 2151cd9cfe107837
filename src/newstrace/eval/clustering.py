"""Story clustering on ECB+ (`newstrace eval clustering`): ours against a TF-IDF centroid anchor.

ECB+ holds, per topic, two real-world events of one type (two celebrity rehab stories, two
earthquakes); the gold story of a document is its `cluster_id`. There are no reliable dates, so
documents go in undated, and only the words and the entities tell the look-alikes apart.

Ours is the real stage: the documents are parsed once by the NLP stage (entities), then, for each
of five fixed orders, written in that order into a new SQLite store and grouped by `run_corpus`
with the duplicate and story stages, as `newstrace run` would; the story each document ends in
is read back from the store. The anchor (`tfidf_centroid`) is a Miranda-style online clusterer
(Miranda et al. 2018, without their learned weights): each document joins the cluster whose
TF-IDF centroid is nearest by cosine if it clears one threshold (tuned on dev), else starts one.
Both see the same documents in the same orders; the scores are the means over the orders.
"""

from __future__ import annotations

import json
import math
import random
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..records import Analysis, Article, article_id
from .paths import shared_dir

__all__ = ["ORDERS", "SYSTEMS", "Doc", "adjusted_rand", "bcubed", "load", "pairwise_f1", "run"]

SYSTEMS = ("ours", "tfidf_centroid")
ORDERS = (0, 1, 2, 3, 4)  # seeds of the five fixed document orders
CENTROID_THRESHOLD = 0.25  # the anchor's one parameter, tuned on dev


@dataclass(frozen=True)
class Doc:
    doc_id: str
    cluster: str
    title: str
    text: str


def _root(data: Path | None) -> Path:
    base = data if data is not None else shared_dir() / "eval" / "clustering"
    root = base / "ecbplus" if (base / "ecbplus").is_dir() else base
    if not root.is_dir():
        raise FileNotFoundError(root)
    return root


def _file(root: Path, split: str) -> Path:
    folder = root / "test" if split == "test" else root
    found = sorted(folder.glob("*.jsonl"))
    if not found:
        raise FileNotFoundError(folder / "*.jsonl")
    return found[0]


def load(path: Path, limit: int | None = None) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                docs.append(
                    Doc(
                        str(row["doc_id"]),
                        str(row["cluster_id"]),
                        row.get("title") or "",
                        row.get("text") or "",
                    )
                )
            except (ValueError, KeyError) as exc:
                raise EvalDataError(f"{path}:{n}: not an ECB+ document ({exc})") from None
    return docs[:limit] if limit else docs


# -- scores ----------------------------------------------------------------------------------
def bcubed(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (Bagga & Baldwin), averaged over items."""
    by_gold: dict[str, set[int]] = {}
    by_pred: dict[str, set[int]] = {}
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        by_gold.setdefault(g, set()).add(i)
        by_pred.setdefault(p, set()).add(i)
    p_sum = r_sum = 0.0
    for g, p in zip(gold, pred, strict=True):
        both = len(by_gold[g] & by_pred[p])
        p_sum += both / len(by_pred[p])
        r_sum += both / len(by_gold[g])
    n = len(gold)
    prec, rec = p_sum / n, r_sum / n
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _pairs(counts: Counter[Any]) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def pairwise_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 over pairs of items put together (as in Priberam's eval_lib)."""
    together = _pairs(Counter(zip(gold, pred, strict=True)))
    gold_pairs, pred_pairs = _pairs(Counter(gold)), _pairs(Counter(pred))
    if not gold_pairs or not pred_pairs:
        return 0.0
    p, r = together / pred_pairs, together / gold_pairs
    return 2 * p * r / (p + r) if p + r else 0.0


def adjusted_rand(gold: Sequence[str], pred: Sequence[str]) -> float:
    """The adjusted Rand index (Hubert & Arabie)."""
    n = len(gold)
    index = _pairs(Counter(zip(gold, pred, strict=True)))
    a, b = _pairs(Counter(gold)), _pairs(Counter(pred))
    total = n * (n - 1) // 2
    expected = a * b / total if total else 0.0
    top = (a + b) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def _scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    p, r, f = bcubed(gold, pred)
    return {"bcubed_p": p, "bcubed_r": r, "bcubed_f1": f, "pairwise_f1": pairwise_f1(gold, pred),
            "ari": adjusted_rand(gold, pred)}  # fmt: skip


# -- the anchor --------------------------------------------------------------------------------
def centroid_clusters(docs: Sequence[Doc], threshold: float = CENTROID_THRESHOLD) -> list[int]:
    """A Miranda-style online clusterer: TF-IDF (online document frequencies) against each
    cluster's centroid, one threshold; returns each document's cluster in the order given."""
    from ..group.stories import terms_of

    df: Counter[str] = Counter()
    sums: list[Counter[str]] = []
    out = []
    for n, d in enumerate(docs, 1):
        terms = terms_of(d.title, d.text)
        df.update(terms.keys())

        vec = _unit({t: w * (math.log((n + 1) / (df[t] + 1)) + 1.0) for t, w in terms.items()})
        best, best_sim = -1, threshold
        for k, centroid in enumerate(sums):
            sim = sum(w * centroid.get(t, 0.0) for t, w in vec.items())
            if sim >= best_sim:
                best, best_sim = k, sim
        if best < 0:
            sums.append(Counter())
            best = len(sums) - 1
        sums[best].update(vec)
        # The centroid is kept as a unit vector, so a dot product is its cosine.
        sums[best] = Counter(_unit(sums[best]))
        out.append(best)
    return out


def _unit(v: dict[str, float] | Counter[str]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
    return {t: w / norm for t, w in v.items()}


# -- ours: the stage, through a real store -------------------------------------------------------
def _articles(docs: Sequence[Doc]) -> list[Article]:
    out = []
    for d in docs:
        text = d.text.strip() or d.title
        out.append(Article(id=article_id(f"{d.doc_id}\n{text}"), source=d.doc_id, text=text,
                           title=d.title or None, language="en"))  # fmt: skip
    return out


def _parsed(articles: Sequence[Article]) -> list[Analysis]:
    """The NLP stage's entities for every document, parsed once for all orders."""
    from ..config import Settings
    from ..registry import build, section

    name = "newstrace.nlp.v2"
    nlp = build(name, section(name, Settings()))
    done: list[Analysis] = []
    for i in range(0, len(articles), 64):
        batch = nlp([Analysis(a) for a in articles[i : i + 64]])
        done.extend(replace(x, doc=None) for x in batch)
    return done


def story_clusters(
    analyses: Sequence[Analysis], order: Sequence[int], folder: Path, stage: Any = None
) -> list[str]:
    """The story of each document after the real corpus stages grouped them, fed in `order`
    (`stage`: a story stage built with other parameters, to tune them on dev)."""
    from ..group import DuplicateStage
    from ..group.stories import StoryStage
    from ..pipeline import run_corpus
    from ..stage import Pipeline
    from ..store import Store

    store = Store(str(folder / "stories.db"))
    try:
        fed = [analyses[i] for i in order]
        for i in range(0, len(fed), 50):  # committed a batch at a time, as a run does
            chunk = fed[i : i + 50]
            store.writer.write_batch([(x.article, x.article.id) for x in chunk], [],
                                     analyses=chunk)  # fmt: skip
            stories = stage if stage is not None else StoryStage()
            pipeline = Pipeline((DuplicateStage(), stories), provided=("raw", "article"))
            run_corpus(store, pipeline, batch=50)
        placed = store.reader.story_of(x.article.id for x in analyses)
    finally:
        store.close()
    return [placed[x.article.id] for x in analyses]


def _orders(n: int) -> Iterator[list[int]]:
    for seed in ORDERS:
        order = list(range(n))
        random.Random(seed).shuffle(order)
        yield order


def _mean(runs: list[dict[str, float]]) -> dict[str, Any]:
    keys = runs[0].keys()
    out: dict[str, Any] = {k: round(sum(r[k] for r in runs) / len(runs), 4) for k in keys}
    out["bcubed_f1_min"] = round(min(r["bcubed_f1"] for r in runs), 4)
    out["bcubed_f1_max"] = round(max(r["bcubed_f1"] for r in runs), 4)
    return out


def run(
    split: str = "dev",
    data: Path | None = None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Score ours and the anchor on ECB+ `split`, the mean over five fixed document orders."""
    if split not in ("dev", "test"):
        raise EvalDataError(f"clustering eval: split must be 'dev' or 'test', not {split!r}")
    chosen = list(systems) if systems else list(SYSTEMS)
    unknown = [s for s in chosen if s not in SYSTEMS]
    if unknown:
        raise EvalDataError(
            f"clustering eval: unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}"
        )
    docs = load(_file(_root(data), split), limit)
    gold = [d.cluster for d in docs]
    runs: dict[str, list[dict[str, float]]] = {s: [] for s in chosen}
    analyses = _parsed(_articles(docs)) if "ours" in chosen else []
    for order in _orders(len(docs)):
        if "tfidf_centroid" in chosen:
            found = centroid_clusters([docs[i] for i in order])
            pred = [""] * len(docs)
            for pos, i in enumerate(order):
                pred[i] = str(found[pos])
            runs["tfidf_centroid"].append(_scores(gold, pred))
        if "ours" in chosen:
            with tempfile.TemporaryDirectory(prefix="newstrace-clustering-") as tmp:
                runs["ours"].append(_scores(gold, story_clusters(analyses, order, Path(tmp))))
    results = {s: {"n": len(docs), "orders": len(ORDERS), **_mean(r)} for s, r in runs.items()}
    return {"task": "clustering", "split": split, "results": {"ecbplus": results}}
