"""Event-coding benchmark: PLOVER GSR, the ConfliBERT CAMEO sets and the PETRARCH unit tests, with
ours beside PETRARCH2's stored predictions and a majority anchor, scored by one scorer per set.

What is scored (`results[dataset][system][metric]`, the keys of MEASURING.md, plus `n` and
`coded`, the number of items the system gave a prediction for):

- `plover_gsr` (one gold event per sentence): the system's prediction for a sentence is its
  first event (lowest start offset; on a tie the higher confidence).
  - Types are compared in today's PLOVER vocabulary. The 2016 GSR's older names are mapped the way
    the PLOVER manual's Table 7.1 (CAMEO -> PLOVER) folds them: FIGHT -> ASSAULT,
    DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE; the same map is applied to
    predictions, so either spelling scores alike.
  - `type_acc`: share of sentences whose predicted type is the gold type (no prediction is wrong).
  - `type_macro_f1`, `quad_macro_f1`: per-label F1 averaged over the labels that occur in gold or
    in the predictions (as scikit-learn's macro average does); "no prediction" is not a label,
    it only costs recall. Quads: verbal/material x cooperation/conflict, see `PLOVER_QUAD`.
  - `source_country_acc` / `target_country_acc`: over sentences whose gold side names at least
    one actor code, the set of predicted codes of that side equals the gold set (codes are the
    GSR's: ISO3, or IGO and the like). `*_country_hit` is the lenient variant: the two sets share a
    code. `n_source` / `n_target` are the denominators.
- `conflibert_cameo`:
  - `pentaclass_macro_f1` on `cameo_pentaclass.jsonl`: a predicted CAMEO code maps to the class by
    its 2-digit root (01-02 -> 0, 03-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4; see
    `cameo_pentaclass`), taken from the first event as above. Macro-F1 as above; `pentaclass_acc` too.
  - `span_f1` on `cameo_source_target_ner.jsonl`: exact spans, micro P/R/F1 over
    (sentence, role, start, end). Our choice for R (a reciprocal actor, both source and target):
    an R span counts as one S span and one T span, in gold and in predictions alike, so a system
    that only knows sources and targets is not shut out of R, and getting an R actor right on one
    side only earns half of it. The sentence is the tokens joined by single spaces; a predicted
    span is compared by its character offsets in that text, so it must start and end on token
    edges to match. Every span of every event of the sentence counts. `source_span_f1` and
    `target_span_f1` are the per-role figures.
- `petrarch2_unittest`: (source, target, CAMEO code) triples, the set of unique triples per
  sentence, micro P/R/F1 over sentences (`triple_p`, `triple_r`, `triple_f1`); `error` records
  are skipped, a `noevents` record expects no triple, a missing actor code is "". Records are
  aligned by position (upstream reuses the id AGENTS-19 for two records). `exact_match` is the
  share of sentences whose triple set is exactly the gold set. On dev this scorer gives
  PETRARCH2's stored output P 0.483 / R 0.288 / F1 0.361 and 52/192 exact, the figures its README
  states (tests/test_eval_events.py checks it).

Systems:
- `ours`: what the product stores, through its real pipeline (`_ours_events`): the default
  stages, whose `newstrace.events.v1` assigns "events". Were no stage to assign them, the parse
  would not run at all and ours would predict nothing (`coded` 0, every figure 0).
- `petrarch2`: its stored predictions (`petrarch2_baseline_predictions.jsonl`), petrarch2_unittest
  only: it has no output for the other sets.
- `majority`: the most frequent label of the *dev* part, whatever split is scored: the PLOVER type,
  the quad, the source and the target code set (plover_gsr, each its own majority); the pentaclass
  (conflibert); for spans, the most frequent tag is O, so it predicts no span; for triples, the
  most frequent whole (source, target, code) triple, predicted for every sentence.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import EvalDataError, EvalDataMissing
from .paths import shared_dir

__all__ = [
    "DATASETS",
    "PLOVER_LEGACY",
    "PLOVER_QUAD",
    "EventView",
    "PloverGold",
    "PloverPred",
    "bio_spans",
    "cameo_pentaclass",
    "default_data_root",
    "macro_f1",
    "plover_type",
    "quad_of",
    "run",
    "score_pentaclass",
    "score_plover",
    "score_spans",
    "score_triples",
]

DATASETS = ("plover_gsr", "conflibert_cameo", "petrarch2_unittest")
SYSTEMS = ("ours", "petrarch2", "majority")

# The older GSR labels, folded as the PLOVER manual's Table 7.1 folds their CAMEO roots
# (09 INVESTIGATE -> ACCUSE, 10 DEMAND -> REQUEST, 11 DISAPPROVE -> ACCUSE, 19 FIGHT -> ASSAULT).
PLOVER_LEGACY: dict[str, str] = {
    "FIGHT": "ASSAULT",
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
}

# Quad of each PLOVER type, from the "Quad category" line of each type's section in chapter 3 of
# ../shared/reference/plover/PLOVER_MANUAL.pdf (draft 2.0, 4 Feb 2024), which agrees with that
# manual's Table 7.3 (summary of event categories). Its Table 7.2 lists SANCTION under verbal
# conflict instead; we follow section 3.13 ("Quad category: MATERIAL CONFLICT") and Table 7.3.
VERBAL_COOPERATION = "verbal_cooperation"
MATERIAL_COOPERATION = "material_cooperation"
VERBAL_CONFLICT = "verbal_conflict"
MATERIAL_CONFLICT = "material_conflict"
PLOVER_QUAD: dict[str, str] = {
    "AGREE": VERBAL_COOPERATION,
    "CONSULT": VERBAL_COOPERATION,
    "SUPPORT": VERBAL_COOPERATION,
    "CONCEDE": VERBAL_COOPERATION,
    "COOPERATE": MATERIAL_COOPERATION,
    "AID": MATERIAL_COOPERATION,
    "RETREAT": MATERIAL_COOPERATION,
    "REQUEST": VERBAL_CONFLICT,
    "ACCUSE": VERBAL_CONFLICT,
    "REJECT": VERBAL_CONFLICT,
    "THREATEN": VERBAL_CONFLICT,
    "PROTEST": MATERIAL_CONFLICT,
    "SANCTION": MATERIAL_CONFLICT,
    "MOBILIZE": MATERIAL_CONFLICT,
    "COERCE": MATERIAL_CONFLICT,
    "ASSAULT": MATERIAL_CONFLICT,
}

Span = tuple[str, int, int]  # role ("S" or "T"), start, end
Triple = tuple[str, str, str]  # source code, target code, CAMEO event code


# ---------------------------------------------------------------------------------------------
# Labels


def plover_type(label: str | None) -> str | None:
    """A PLOVER type in today's vocabulary: upper case, older names folded (FIGHT -> ASSAULT)."""
    if not label or not str(label).strip():
        return None
    name = str(label).strip().upper()
    return PLOVER_LEGACY.get(name, name)


def quad_of(label: str | None) -> str | None:
    """The quad of a PLOVER type (older names too); None for no type or one PLOVER does not list."""
    t = plover_type(label)
    return PLOVER_QUAD.get(t) if t else None


def cameo_pentaclass(code: str | None) -> int | None:
    """ConfliBERT's five classes from a CAMEO code's 2-digit root: 01-02 -> 0 (statements and
    appeals), 03-05 -> 1 (verbal cooperation), 06-08 -> 2 (material cooperation), 09-13 -> 3
    (verbal conflict), 14-20 -> 4 (material conflict). None for anything else."""
    if not code:
        return None
    digits = str(code).strip()
    if len(digits) < 2 or not digits[:2].isdigit():
        return None
    root = int(digits[:2])
    for upper, cls in ((2, 0), (5, 1), (8, 2), (13, 3), (20, 4)):
        if 1 <= root <= upper:
            return cls
    return None


# ---------------------------------------------------------------------------------------------
# Scorers (no model needed)


def _r(x: float) -> float:
    return round(x, 4)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def macro_f1(gold: Sequence[Any], pred: Sequence[Any | None]) -> float:
    """Per-label F1 averaged over the labels in gold or predictions; a None prediction is no label
    (it is a miss for the gold label, and a false positive for nothing)."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    labels = {g for g in gold if g is not None} | {p for p in pred if p is not None}
    if not labels:
        return 0.0
    total = 0.0
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        total += 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return total / len(labels)


def _accuracy(gold: Sequence[Any], pred: Sequence[Any | None]) -> float:
    return sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0


@dataclass(frozen=True)
class PloverGold:
    type: str  # as written in the GSR (legacy names allowed)
    source: frozenset[str]
    target: frozenset[str]


@dataclass(frozen=True)
class PloverPred:
    """A system's answer for one GSR sentence. `quad` is set only by a system that predicts the
    quad on its own (the majority anchor); otherwise it is the quad of `type`."""

    type: str | None
    source: frozenset[str] = frozenset()
    target: frozenset[str] = frozenset()
    quad: str | None = None


def score_plover(gold: Sequence[PloverGold], pred: Sequence[PloverPred | None]) -> dict[str, Any]:
    """The plover_gsr metrics (module docstring); `pred[i]` is None when nothing was coded."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    g_type = [plover_type(g.type) for g in gold]
    p_type = [plover_type(p.type) if p else None for p in pred]
    g_quad = [quad_of(g.type) for g in gold]
    p_quad = [(p.quad or quad_of(p.type)) if p else None for p in pred]
    out: dict[str, Any] = {
        "n": len(gold),
        "coded": sum(1 for p in pred if p is not None and (p.type or p.quad)),
        "type_acc": _r(_accuracy(g_type, p_type)),
        "type_macro_f1": _r(macro_f1(g_type, p_type)),
        "quad_acc": _r(_accuracy(g_quad, p_quad)),
        "quad_macro_f1": _r(macro_f1(g_quad, p_quad)),
    }
    for side in ("source", "target"):
        pairs = [
            (getattr(g, side), getattr(p, side) if p else frozenset())
            for g, p in zip(gold, pred, strict=True)
            if getattr(g, side)
        ]
        exact = sum(1 for g, p in pairs if g == p)
        hit = sum(1 for g, p in pairs if g & p)
        out[f"{side}_country_acc"] = _r(exact / len(pairs)) if pairs else 0.0
        out[f"{side}_country_hit"] = _r(hit / len(pairs)) if pairs else 0.0
        out[f"n_{side}"] = len(pairs)
    return out


def score_pentaclass(gold: Sequence[int], pred: Sequence[int | None]) -> dict[str, Any]:
    return {
        "n": len(gold),
        "coded": sum(1 for p in pred if p is not None),
        "pentaclass_acc": _r(_accuracy(gold, pred)),
        "pentaclass_macro_f1": _r(macro_f1(gold, pred)),
    }


def bio_spans(tags: Sequence[str]) -> frozenset[tuple[str, int, int]]:
    """(role, first token, end token) of each BIO span; an I- tag after O or after another role
    starts a span (the lenient IOB reading). Roles as tagged: S, T, R."""
    spans: list[tuple[str, int, int]] = []
    role: str | None = None
    start = 0
    for i, tag in enumerate([*tags, "O"]):
        kind, _, name = tag.partition("-")
        if role is not None and (kind != "I" or name != role):
            spans.append((role, start, i))
            role = None
        if kind in ("B", "I") and name and role is None:
            role, start = name, i
    return frozenset(spans)


def _split_reciprocal(spans: Iterable[Span]) -> frozenset[Span]:
    out: set[Span] = set()
    for role, a, b in spans:
        if role == "R":
            out.update({("S", a, b), ("T", a, b)})
        else:
            out.add((role, a, b))
    return frozenset(out)


def score_spans(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]]) -> dict[str, Any]:
    """Exact-span micro P/R/F1 by role; R spans count as an S and a T span on both sides."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    g_sets = [_split_reciprocal(g) for g in gold]
    p_sets = [_split_reciprocal(p) for p in pred]
    out: dict[str, Any] = {
        "n_ner": len(gold),
        "coded_ner": sum(1 for p in p_sets if p),
    }
    for prefix, roles in (("", ("S", "T")), ("source_", ("S",)), ("target_", ("T",))):
        tp = sum(
            len({s for s in g & p if s[0] in roles}) for g, p in zip(g_sets, p_sets, strict=True)
        )
        n_pred = sum(1 for p in p_sets for s in p if s[0] in roles)
        n_gold = sum(1 for g in g_sets for s in g if s[0] in roles)
        prec, rec, f = _prf(tp, n_pred, n_gold)
        out[f"{prefix}span_p"], out[f"{prefix}span_r"] = _r(prec), _r(rec)
        out[f"{prefix}span_f1"] = _r(f)
    return out


def score_triples(
    gold: Sequence[Iterable[Triple]], pred: Sequence[Iterable[Triple]]
) -> dict[str, Any]:
    """(source, target, code) micro P/R/F1 over the set of unique triples of each sentence."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    g_sets = [frozenset(g) for g in gold]
    p_sets = [frozenset(p) for p in pred]
    tp = sum(len(g & p) for g, p in zip(g_sets, p_sets, strict=True))
    n_pred = sum(len(p) for p in p_sets)
    n_gold = sum(len(g) for g in g_sets)
    prec, rec, f = _prf(tp, n_pred, n_gold)
    exact = sum(1 for g, p in zip(g_sets, p_sets, strict=True) if g == p)
    return {
        "n": len(gold),
        "coded": sum(1 for p in p_sets if p),
        "n_gold_triples": n_gold,
        "n_pred_triples": n_pred,
        "triple_p": _r(prec),
        "triple_r": _r(rec),
        "triple_f1": _r(f),
        "exact_match": _r(exact / len(gold)) if gold else 0.0,
    }


# ---------------------------------------------------------------------------------------------
# Data


def default_data_root() -> Path:
    """`eval/events` in the shared folder (see `newstrace.eval.paths.shared_dir`)."""
    return shared_dir() / "eval" / "events"


def _events_root(data: Path | None) -> Path:
    root = Path(data) if data is not None else default_data_root()
    if (root / "events").is_dir() and not (root / "plover_gsr").is_dir():
        root = root / "events"
    if not root.is_dir():
        raise EvalDataMissing(
            f"events eval: data folder {root} does not exist; pass --data or set NEWSTRACE_SHARED"
        )
    return root


def _file(root: Path, dataset: str, name: str, split: str) -> Path:
    """A dataset's file: at the dataset's root (dev), or in its `test/` folder (test)."""
    base = root / dataset / ("test" if split == "test" else "")
    path = base / name
    if not path.is_file():
        raise EvalDataMissing(f"events eval: {dataset}: no {name} in {base}")
    return path


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise EvalDataError(f"events eval: {path}:{n}: not JSON ({exc})") from exc
            if not isinstance(row, dict):
                raise EvalDataError(f"events eval: {path}:{n}: not a JSON object")
            yield row


def _codes(side: Any) -> frozenset[str]:
    """Actor codes of a GSR side: a list of {actorText, code, sector}, or "" / free text (none)."""
    if not isinstance(side, list):
        return frozenset()
    return frozenset(str(a["code"]).strip() for a in side if isinstance(a, dict) and a.get("code"))


@dataclass(frozen=True)
class _Item:
    text: str
    date: str | None = None


def _plover(path: Path) -> tuple[list[_Item], list[PloverGold]]:
    items, gold = [], []
    for n, r in enumerate(_jsonl(path), 1):
        if not r.get("text") or not r.get("event"):
            raise EvalDataError(f"events eval: {path}:{n}: a GSR record needs text and event")
        items.append(_Item(str(r["text"]), r.get("date")))
        gold.append(PloverGold(str(r["event"]), _codes(r.get("source")), _codes(r.get("target"))))
    return items, gold


def _pentaclass(path: Path) -> tuple[list[_Item], list[int]]:
    items, gold = [], []
    for n, r in enumerate(_jsonl(path), 1):
        try:
            label = int(r["label"])
            items.append(_Item(str(r["text"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise EvalDataError(f"events eval: {path}:{n}: needs text and label ({exc})") from exc
        if not 0 <= label <= 4:
            raise EvalDataError(f"events eval: {path}:{n}: label {label} is not 0-4")
        gold.append(label)
    return items, gold


@dataclass(frozen=True)
class _NerItem:
    text: str  # the tokens joined by single spaces
    token_starts: tuple[int, ...]
    token_ends: tuple[int, ...]
    spans: frozenset[Span]  # gold, in character offsets of `text`, R kept as R


def _ner(path: Path) -> list[_NerItem]:
    out = []
    for n, r in enumerate(_jsonl(path), 1):
        tokens, tags = r.get("tokens"), r.get("tags")
        if not isinstance(tokens, list) or not isinstance(tags, list) or len(tokens) != len(tags):
            raise EvalDataError(f"events eval: {path}:{n}: tokens and tags must be equal lists")
        starts, ends, pos = [], [], 0
        for tok in tokens:
            starts.append(pos)
            pos += len(str(tok))
            ends.append(pos)
            pos += 1
        spans = frozenset(
            (role, starts[a], ends[b - 1]) for role, a, b in bio_spans([str(t) for t in tags])
        )
        out.append(_NerItem(" ".join(map(str, tokens)), tuple(starts), tuple(ends), spans))
    return out


@dataclass(frozen=True)
class _Unittest:
    id: str
    item: _Item
    gold: frozenset[Triple]


def _unittests(path: Path) -> list[_Unittest]:
    """Scorable records (those testing error handling are left out), in file order."""
    out = []
    for n, r in enumerate(_jsonl(path), 1):
        gold = r.get("gold")
        if not isinstance(gold, list) or "text" not in r:
            raise EvalDataError(f"events eval: {path}:{n}: a unit test needs text and gold")
        if any(isinstance(g, dict) and "error" in g for g in gold):
            continue
        triples = frozenset(
            (str(g.get("sourcecode", "")), str(g.get("targetcode", "")), str(g["eventcode"]))
            for g in gold
            if isinstance(g, dict) and "eventcode" in g
        )
        date = str(r.get("date") or "")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 and date.isdigit() else None
        out.append(_Unittest(str(r.get("id", n)), _Item(str(r["text"]), iso), triples))
    return out


def _petrarch2_predictions(path: Path, tests: Sequence[_Unittest]) -> list[frozenset[Triple]]:
    """PETRARCH2's stored triples, aligned with the scorable records by position (ids repeat)."""
    rows = list(_jsonl(path))
    by_order: list[tuple[str, frozenset[Triple]]] = []
    for n, r in enumerate(rows, 1):
        try:
            events = frozenset((str(s), str(t), str(c)) for s, t, c in r.get("events") or [])
        except (TypeError, ValueError) as exc:
            raise EvalDataError(f"events eval: {path}:{n}: events must be triples ({exc})") from exc
        by_order.append((str(r.get("id")), events))
    ids = [i for i, _ in by_order]
    out: list[frozenset[Triple]] = []
    at = 0
    for t in tests:  # the scorable records are a subsequence of the file's records
        while at < len(ids) and ids[at] != t.id:
            at += 1
        if at == len(ids):
            raise EvalDataError(f"events eval: {path}: no prediction for unit test {t.id}")
        out.append(by_order[at][1])
        at += 1
    return out


# ---------------------------------------------------------------------------------------------
# Ours: the product's own pipeline


@dataclass(frozen=True)
class EventView:
    """What the scorer needs of one stored event (see `_event_of`)."""

    type: str | None = None  # PLOVER
    cameo: str | None = None
    source: frozenset[str] = frozenset()  # country codes
    target: frozenset[str] = frozenset()
    source_code: str = ""  # CAMEO actor code (PETRARCH style)
    target_code: str = ""
    # Every actor of a side, when it holds several ("A;B" in source_actor): one triple each
    source_codes: frozenset[str] = frozenset()
    target_codes: frozenset[str] = frozenset()
    spans: frozenset[Span] = frozenset()  # actor spans, character offsets in the sentence
    start: int = 0
    confidence: float = 0.0


def _many(value: Any) -> frozenset[str]:
    """A column holding one code, a JSON list of codes, or codes joined by ";" or ","."""
    if value is None or value == "":
        return frozenset()
    if isinstance(value, (list, tuple)):
        return frozenset(str(v) for v in value if v)
    text = str(value).strip()
    if text.startswith("["):
        try:
            return frozenset(str(v) for v in json.loads(text) if v)
        except ValueError:
            pass
    return frozenset(p.strip() for p in text.replace(",", ";").split(";") if p.strip())


def _event_of(row: dict[str, Any]) -> EventView:
    """One stored "events" row as the scorer reads it. The column names are the export fields of
    issue 9 (`event_type`, `cameo`, `source_country`, `target_country`, `start`, `confidence`),
    plus `source_code`/`target_code` (CAMEO actor codes, else `source_actor`/`target_actor`; every
    code of `source_actor`/`target_actor` when they list several, for one triple per actor) and
    `source_start`/`source_end`/`target_start`/`target_end` (actor offsets): the event stage
    should store them under these names, or this function is the one place to adapt."""
    spans: set[Span] = set()
    for role, side in (("S", "source"), ("T", "target")):
        a, b = row.get(f"{side}_start"), row.get(f"{side}_end")
        if isinstance(a, int) and isinstance(b, int):
            spans.add((role, a, b))
    return EventView(
        type=row.get("event_type") or None,
        cameo=str(row["cameo"]) if row.get("cameo") else None,
        source=_many(row.get("source_country")),
        target=_many(row.get("target_country")),
        source_code=str(row.get("source_code") or row.get("source_actor") or ""),
        target_code=str(row.get("target_code") or row.get("target_actor") or ""),
        source_codes=_many(row.get("source_actor")),
        target_codes=_many(row.get("target_actor")),
        spans=frozenset(spans),
        start=int(row.get("start") or 0),
        confidence=float(row.get("confidence") or 0.0),
    )


def _ours_events(
    items: Sequence[_Item],
    *,
    dictionaries: Sequence[Path] = (),
    verbs: Path | None = None,
    stages: Sequence[str] | None = None,
) -> list[list[EventView]] | None:
    """Ours, on the run path: each item written as a plain-text document, run through
    `newstrace.pipeline.run` into a new store, and the "events" product read back per item.

    When no stage of the run assigns "events", this returns None without parsing anything (the
    scores then say `coded` 0). With the event stage (`newstrace.events.v1` in `default_stages`,
    its product registered in the store) this reads the events it stored, row by row through
    `_event_of`. An item the cleaner refuses (too few words) gets no
    events, like any item nothing was coded for. `dictionaries` are imported into the store's actor
    folder first (the PETRARCH test actors); `verbs` is the verb dictionary the event stage codes
    with (the `event_verbs` setting: the PETRARCH test verbs); `stages` overrides the default stage
    names (tests)."""
    from ..actors import import_dictionary
    from ..config import Settings, actors_dir
    from ..pipeline import run as run_pipeline
    from ..records import Hints, RawDocument
    from ..registry import build_pipeline, default_stages
    from ..store import Store, schema

    with tempfile.TemporaryDirectory(prefix="newstrace-eval-events-") as tmp:
        settings = replace(Settings(), db=str(Path(tmp) / "eval.db"), n_process=1, analyse=True)
        if verbs is not None:
            settings = replace(settings, event_verbs=str(verbs))
        names = tuple(stages) if stages is not None else default_stages(settings)
        if not any("events" in s.assigns for s in build_pipeline(settings, names).stages):
            return None
        folder = actors_dir(settings)
        folder.mkdir(parents=True, exist_ok=True)
        for path in dictionaries:
            import_dictionary(path, store_dir=folder)
        pipeline = build_pipeline(settings, names)  # again: it loads the imported dictionaries
        docs = [
            RawDocument(
                f"item-{i:06d}.txt", it.text.encode("utf-8"), "text", Hints(published=it.date)
            )
            for i, it in enumerate(items)
        ]
        store = Store(settings.db)
        try:
            run_pipeline(docs, store, settings, pipeline=pipeline)
            src = schema.article_sources
            with store.database.read_engine.connect() as conn:
                article_of = {
                    r.source: r.article_id
                    for r in conn.execute(
                        src.select().with_only_columns(src.c.source, src.c.article_id)
                    )
                }
            by_article: dict[str, list[EventView]] = {}
            for row in store.reader.product_rows("events"):
                by_article.setdefault(str(row.get("article_id")), []).append(_event_of(row))
        finally:
            store.close()
    out = []
    for doc in docs:
        events = by_article.get(article_of.get(doc.source, ""), [])
        out.append(sorted(events, key=lambda e: (e.start, -e.confidence)))
    return out


# ---------------------------------------------------------------------------------------------
# Systems' predictions in each set's label space


def _majority(labels: Iterable[Any]) -> Any:
    """The most frequent label; a tie goes to the smallest in sort order (so runs agree)."""
    counts = Counter(labels)
    if not counts:
        return None
    best = max(counts.values())
    return sorted((x for x, c in counts.items() if c == best), key=repr)[0]


def _plover_preds(events: list[list[EventView]] | None, n: int) -> list[PloverPred | None]:
    if events is None:
        return [None] * n
    return [PloverPred(e[0].type, e[0].source, e[0].target) if e else None for e in events]


def _plover_majority(dev: Sequence[PloverGold]) -> PloverPred:
    return PloverPred(
        type=_majority(plover_type(g.type) for g in dev),
        source=_majority(g.source for g in dev if g.source) or frozenset(),
        target=_majority(g.target for g in dev if g.target) or frozenset(),
        quad=_majority(quad_of(g.type) for g in dev),
    )


def _triples_of(events: list[EventView]) -> frozenset[Triple]:
    """(source, target, code) of each event; an event with several actors on a side ("A and B
    signed ...") is one triple per pair of actors, as PETRARCH codes a compound actor."""
    out: set[Triple] = set()
    for e in events:
        if not e.cameo:
            continue
        for src in sorted(e.source_codes) or [e.source_code]:
            for tgt in sorted(e.target_codes) or [e.target_code]:
                out.add((src, tgt, e.cameo))
    return frozenset(out)


def _limit(xs: list[Any], limit: int | None) -> list[Any]:
    return xs if limit is None else xs[:limit]


def _note(result: dict[str, Any], events: list[list[EventView]] | None) -> dict[str, Any]:
    if events is None:
        result["note"] = "no event stage: nothing coded"
    return result


def _run_plover(
    root: Path, split: str, systems: Sequence[str], limit: int | None
) -> dict[str, Any]:
    items, gold = _plover(_file(root, "plover_gsr", "plover_gsr.jsonl", split))
    items, gold = _limit(items, limit), _limit(gold, limit)
    out: dict[str, Any] = {}
    if "ours" in systems:
        events = _ours_events(items)
        out["ours"] = _note(score_plover(gold, _plover_preds(events, len(gold))), events)
    if "majority" in systems:
        _, dev = _plover(_file(root, "plover_gsr", "plover_gsr.jsonl", "dev"))
        m = _plover_majority(dev)
        out["majority"] = score_plover(gold, [m] * len(gold))
        out["majority"]["label"] = f"{m.type}/{m.quad}/{'+'.join(sorted(m.source))}->" + "+".join(
            sorted(m.target)
        )
    return out


def _run_conflibert(
    root: Path, split: str, systems: Sequence[str], limit: int | None
) -> dict[str, Any]:
    items, gold = _pentaclass(_file(root, "conflibert_cameo", "cameo_pentaclass.jsonl", split))
    items, gold = _limit(items, limit), _limit(gold, limit)
    ner = _limit(
        _ner(_file(root, "conflibert_cameo", "cameo_source_target_ner.jsonl", split)), limit
    )
    g_spans = [x.spans for x in ner]
    out: dict[str, Any] = {}
    if "ours" in systems:
        events = _ours_events(items)
        classes = (
            [None] * len(gold)
            if events is None
            else [cameo_pentaclass(e[0].cameo) if e else None for e in events]
        )
        span_events = _ours_events([_Item(x.text) for x in ner]) if events is not None else None
        p_spans: list[frozenset[Span]] = (
            [frozenset()] * len(ner)
            if span_events is None
            else [frozenset(s for e in evs for s in e.spans) for evs in span_events]
        )
        out["ours"] = _note(
            {**score_pentaclass(gold, classes), **score_spans(g_spans, p_spans)}, events
        )
    if "majority" in systems:
        _, dev = _pentaclass(_file(root, "conflibert_cameo", "cameo_pentaclass.jsonl", "dev"))
        label = _majority(dev)
        out["majority"] = {
            **score_pentaclass(gold, [label] * len(gold)),
            **score_spans(g_spans, [frozenset()] * len(ner)),  # the majority tag is O: no span
            "label": label,
        }
    return out


def _run_unittests(
    root: Path, split: str, systems: Sequence[str], limit: int | None
) -> dict[str, Any]:
    tests = _limit(
        _unittests(_file(root, "petrarch2_unittest", "unittest_gold.jsonl", split)), limit
    )
    gold = [t.gold for t in tests]
    out: dict[str, Any] = {}
    if "ours" in systems:
        # The test part's own dictionaries when it has them, else the visible ones.
        base = root / "petrarch2_unittest" / ("test" if split == "test" else "") / "dictionaries"
        if not base.is_dir():
            base = root / "petrarch2_unittest" / "dictionaries"
        dicts = [base / "PETR.Validate.actors.txt", base / "PETR.Validate.agents.txt"]
        verbs = base / "PETR.Validate.verbs.txt"
        events = _ours_events(
            [t.item for t in tests],
            dictionaries=[d for d in dicts if d.is_file()],
            verbs=verbs if verbs.is_file() else None,
        )
        preds = [frozenset()] * len(tests) if events is None else [_triples_of(e) for e in events]
        out["ours"] = _note(score_triples(gold, preds), events)
    if "petrarch2" in systems:
        path = _file(root, "petrarch2_unittest", "petrarch2_baseline_predictions.jsonl", split)
        out["petrarch2"] = score_triples(gold, _petrarch2_predictions(path, tests))
    if "majority" in systems:
        dev = _unittests(_file(root, "petrarch2_unittest", "unittest_gold.jsonl", "dev"))
        triple = _majority(t for d in dev for t in d.gold)
        out["majority"] = score_triples(gold, [frozenset({triple})] * len(gold))
        out["majority"]["label"] = "/".join(triple)
    return out


def run(
    split: str = "dev",
    data: Path | None = None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Score the event systems on the `split` ("dev" or "test") of the three event sets.

    Returns `{"task": "events", "split": ..., "results": {dataset: {system: metrics}}}`; a system
    appears under the sets it has output for (petrarch2 under petrarch2_unittest only).
    """
    if split not in ("dev", "test"):
        raise EvalDataError(f"events eval: split must be 'dev' or 'test', not {split!r}")
    chosen = list(systems) if systems else list(SYSTEMS)
    unknown = [s for s in chosen if s not in SYSTEMS]
    if unknown:
        raise EvalDataError(
            f"events eval: unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}"
        )
    root = _events_root(data)
    return {
        "task": "events",
        "split": split,
        "results": {
            "plover_gsr": _run_plover(root, split, chosen, limit),
            "conflibert_cameo": _run_conflibert(root, split, chosen, limit),
            "petrarch2_unittest": _run_unittests(root, split, chosen, limit),
        },
    }
