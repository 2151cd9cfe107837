"""Grouping on generated articles with known truth (`newstrace eval grouping --generated N`).

`eval.generate` makes N articles with planted copies and quote renderings. They are written as
header .txt files, with the generated world's actor dictionary, and run into a new store by
`pipeline.run`, the path `newstrace run` takes (every default stage, article and corpus). What is
scored is read back from that store: its articles' sources, links and quotes. Nothing is scored
from the generator's own records.

Metrics (all under `results.generated.ours`):
- `near_p`, `near_r`: pairs of inputs linked `near_duplicate` against the pairs whose texts are
  near duplicates (word 5-gram Jaccard >= 0.8) or trimmed copies (containment >= 0.9), measured
  exactly on the generated texts (`generate.near_pairs`); two inputs of one stored article (an
  exact copy) are one text and count under `exact_found` instead.
- `quote_pairwise_p/r/f1`: planted quotes (one per stored article and statement) put in one group
  by the store's `quote_variant` links (connected parts), against the statements they render. A
  planted quote is matched to the stored quote of its article whose words overlap it most (at
  least MATCH of its words, in order); a planted quote with no match is alone in its group.
- `negation_found`, `number_found`, `hedge_found`: of the pairs of one statement rendered with
  its words and with that change, the share linked as `meaning_changed` of that kind.
- `wording_meaning_changed`: of the linked pairs of a statement's own words and a wording
  variant, the share called `meaning_changed` (should be near 0).
- `rewrite_found`: share of planted rewrites linked `rewrite` to their original; `story_bcubed_f1`
  of the stored stories against the generated ones (both reported, with no bar here).
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from .generate import Doc, actors_dictionary, generate, near_pairs

__all__ = ["MATCH", "SYSTEMS", "run", "score_store", "write_inputs"]

SYSTEMS = ("ours",)
MATCH = 0.6
DEFAULT_N = 300


def write_inputs(docs: Sequence[Doc], folder: Path) -> tuple[Path, Path]:
    """The generated articles as files in `folder`/in, and their actor dictionary in
    `folder`/actors; returns both folders."""
    inputs, actors = folder / "in", folder / "actors"
    inputs.mkdir(parents=True, exist_ok=True)
    actors.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (inputs / f"{d.name}.txt").write_text(d.file_text(), encoding="utf-8")
    (actors / "generated.txt").write_text(actors_dictionary(), encoding="utf-8")
    return inputs, actors


def _pairwise(gold: dict[Any, str], pred: dict[Any, str]) -> tuple[float, float, float]:
    from collections import Counter

    def pairs(counts: Counter[Any]) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    keys = list(gold)
    together = pairs(Counter((gold[k], pred[k]) for k in keys))
    g, p = pairs(Counter(gold[k] for k in keys)), pairs(Counter(pred[k] for k in keys))
    prec = together / p if p else 1.0
    rec = together / g if g else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _match(planted: str, stored: Sequence[Any]) -> Any | None:
    from ..group.wording import words

    want = words(planted)
    best, best_share = None, MATCH
    for q in stored:
        got = words(q.text)
        blocks = difflib.SequenceMatcher(None, want, got, autojunk=False).get_matching_blocks()
        share = sum(b.size for b in blocks) / max(1, len(want))
        if share > best_share or (share == best_share and best is None):
            best, best_share = q, share
    return best


def score_store(store: Any, docs: Sequence[Doc], inputs: Path) -> dict[str, Any]:
    """Score what `store` holds after the run of `docs` (written in `inputs`)."""
    from ..group.variants import quote_groups
    from .clustering import bcubed

    reader = store.reader
    article_of: dict[str, str] = {}
    for s in reader.iterate("article_sources"):
        article_of[Path(s.source).stem] = s.article_id
    missing = [d.name for d in docs if d.name not in article_of]
    links = list(reader.iterate("links"))
    docs_of: dict[str, list[str]] = {}
    for name, aid in article_of.items():
        docs_of.setdefault(aid, []).append(name)

    # -- near duplicates and exact copies
    truth = near_pairs(docs)
    predicted: set[frozenset[str]] = set()
    for link in links:
        if link.kind == "near_duplicate":
            predicted |= {frozenset((x, y)) for x in docs_of.get(link.a, ())
                          for y in docs_of.get(link.b, ())}  # fmt: skip
    hit = len(predicted & set(truth))
    exact = [d for d in docs if d.copy_kind == "exact"]
    exact_found = sum(article_of.get(d.name) == article_of.get(d.copy_of or "") for d in exact)
    rewrites = [d for d in docs if d.copy_kind == "rewrite"]
    rewrite_links = {frozenset((x.a, x.b)) for x in links if x.kind == "rewrite"}
    rewrite_found = sum(
        frozenset((article_of.get(d.name), article_of.get(d.copy_of or ""))) in rewrite_links
        for d in rewrites
    )

    # -- quotes: one unit per stored article and statement
    stored_quotes: dict[str, list[Any]] = {}
    for _seq, q in reader.article_quotes(set(article_of.values())):
        stored_quotes.setdefault(q.article_id, []).append(q)
    units: dict[tuple[str, str], tuple[str, str, str | None]] = {}  # -> statement, kind, quote
    for d in docs:
        if d.name not in article_of:
            continue
        aid = article_of[d.name]
        for p in d.quotes:
            if (aid, p.statement) in units:
                continue
            q = _match(p.text, stored_quotes.get(aid, []))
            units[(aid, p.statement)] = (p.statement, p.rendering, q.id if q else None)
    variant_links = [x for x in links if x.kind == "quote_variant"]
    group_of: dict[str, int] = {}
    for n, group in enumerate(quote_groups(variant_links)):
        for qid in group:
            group_of[qid] = n
    gold = {u: v[0] for u, v in units.items()}
    pred = {u: (f"g{group_of[v[2]]}" if v[2] in group_of else f"u{u}") for u, v in units.items()}
    qp, qr, qf = _pairwise(gold, pred)
    between = {frozenset((x.a, x.b)): x for x in variant_links}
    kinds = _kind_scores(units, between)

    # -- stories
    stories = reader.story_of(set(article_of.values()))
    named = [d for d in docs if d.name in article_of]
    story_gold = [d.story for d in named]
    story_pred = [stories.get(article_of[d.name], f"none-{d.name}") for d in named]
    _sp, _sr, story_f1 = bcubed(story_gold, story_pred)

    matched = sum(1 for v in units.values() if v[2] is not None)
    return {
        "n": len(docs),
        "stored_articles": len(docs_of),
        "not_stored": len(missing),
        "near_truth_pairs": len(truth),
        "near_found_pairs": len(predicted),
        "near_p": round(hit / len(predicted), 4) if predicted else 1.0,
        "near_r": round(hit / len(truth), 4) if truth else 1.0,
        "exact_copies": len(exact),
        "exact_found": round(exact_found / len(exact), 4) if exact else 1.0,
        "planted_quotes": len(units),
        "quotes_matched": round(matched / len(units), 4) if units else 1.0,
        "quote_pairwise_p": round(qp, 4),
        "quote_pairwise_r": round(qr, 4),
        "quote_pairwise_f1": round(qf, 4),
        **kinds,
        "rewrites": len(rewrites),
        "rewrite_found": round(rewrite_found / len(rewrites), 4) if rewrites else 1.0,
        "story_bcubed_f1": round(story_f1, 4),
    }


def _kind_scores(
    units: dict[tuple[str, str], tuple[str, str, str | None]], between: dict[frozenset[str], Any]
) -> dict[str, Any]:
    """Per change kind, the share of (own words, changed) pairs the store flags as that change;
    and the share of linked (own words, wording variant) pairs it calls a meaning change."""
    by_statement: dict[str, list[tuple[str, str | None]]] = {}
    for statement, kind, qid in units.values():
        by_statement.setdefault(statement, []).append((kind, qid))
    counts = {k: [0, 0] for k in ("negation", "number", "hedge")}
    wording = [0, 0]  # linked pairs, of them called meaning_changed
    for renderings in by_statement.values():
        own = [q for k, q in renderings if k in ("canonical", "verbatim")]
        for kind, qid in renderings:
            for other in own:
                link = between.get(frozenset((qid, other))) if qid and other else None
                if kind in counts:
                    counts[kind][1] += 1
                    if link is not None and link.change == "meaning_changed":
                        counts[kind][0] += f"({kind})" in (link.detail or "")
                elif kind == "wording" and link is not None:
                    wording[1] += 1
                    wording[0] += link.change == "meaning_changed"
    out: dict[str, Any] = {}
    for kind, (found, total) in counts.items():
        out[f"{kind}_pairs"] = total
        out[f"{kind}_found"] = round(found / total, 4) if total else 1.0
    out["wording_pairs_linked"] = wording[1]
    out["wording_meaning_changed"] = round(wording[0] / wording[1], 4) if wording[1] else 0.0
    return out


def run(
    split: str = "dev",
    data: Path | None = None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
    generated: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Generate `generated` (or `limit`, else DEFAULT_N) articles from `seed`, run them into a
    new store as `newstrace run` does, and score the store. `split` names the seed's use only:
    the generator has no held-out part, so dev and test are the same items."""
    from ..config import Settings
    from ..ingest import read
    from ..pipeline import run as run_pipeline
    from ..store import Store

    chosen = list(systems) if systems else list(SYSTEMS)
    if [s for s in chosen if s not in SYSTEMS]:
        raise EvalDataError(f"grouping eval: the only system is {SYSTEMS[0]!r}")
    n = generated or limit or DEFAULT_N
    docs = generate(n, seed)
    with tempfile.TemporaryDirectory(prefix="newstrace-grouping-") as tmp:
        inputs, actors = write_inputs(docs, Path(tmp))
        db = str(Path(tmp) / "grouping.db")
        settings = replace(Settings(), db=db, actors_dir=str(actors))
        store = Store(db)
        try:
            run_pipeline(read([str(inputs)]), store, settings)
            scores = score_store(store, docs, inputs)
        finally:
            store.close()
    return {"task": "grouping", "split": split, "seed": seed,
            "results": {"generated": {"ours": scores}}}  # fmt: skip
