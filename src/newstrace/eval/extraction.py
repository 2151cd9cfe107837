"""The extraction benchmark: our HTML cleaner against trafilatura, readability and newspaper4k.

It scores main text, title, date and author on three public sets kept in
`shared/eval/extraction/` (`scrapinghub_aeb`, `wcxb_articles`, `trafilatura_eval_en`; dev = each
folder's root, test = its `test/` folder) with one scorer for every system.

Main-text metrics (each set's own, re-implemented from the set's README):

* `scrapinghub_aeb`: per page, bags of 4-gram shingles of `\\w+` tokens (case kept); precision is
  averaged over pages with a non-empty prediction, recall over pages with non-empty gold, and `f1`
  is the harmonic mean of the two averages. `accuracy` = share of pages whose token sequence equals
  the gold one.
* `wcxb_articles`: per page, bag-of-words precision/recall/F1 on lower-cased `\\w+` tokens, each
  averaged over all pages (an empty output scores 0 on that page).
* `trafilatura_eval_en`: each `with` snippet found in the output is a true positive (else a false
  negative), each `without` snippet found is a false positive (else a true negative); precision,
  recall, F1 and accuracy over all snippets. Output and snippet are both NFKC-normalised, quotes
  and dashes folded to ASCII and whitespace collapsed before the substring test.

Metadata exact match (identical for every system; see `newstrace.eval.scoring`):

* title: lower-cased `\\w+` tokens joined by spaces must be equal;
* date: the first `YYYY-MM-DD` of the value must equal the gold day (a month-only date is a miss);
* author: the set of names must be equal; a field is split into names on `, ; | / &` and "and",
  each name is its lower-cased `\\w+` tokens, parts that are only post-nominals (PhD, MD, Jr) drop.

`title_exact`, `date_exact` and `author_exact` are rates over pages whose gold value is non-empty;
`invented` is the rate of non-empty values a system gave where the gold field is annotated but
empty, pooled over title, date and author. A system that does not extract a field (readability
has no date or author) scores 0 on it. A system that raises on a page gets an empty output for that
page, counted in `errors`; the run goes on. Every system runs offline: sockets refuse to connect
while a system runs, so an anchor that tries to fetch fails on that page instead of reaching out.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import socket
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import shared_dir
from .scoring import (
    author_key,
    date_key,
    f1,
    ratio,
    safe_div,
    shingles,
    snippet_text,
    title_key,
    words,
)

__all__ = [
    "DATASETS",
    "SYSTEMS",
    "Extraction",
    "Page",
    "default_root",
    "extract_all",
    "load_pages",
    "run",
    "score",
]

DATASETS = ("scrapinghub_aeb", "wcxb_articles", "trafilatura_eval_en")
_WITH_METADATA = {"wcxb_articles", "trafilatura_eval_en"}  # AEB's gold is body text only


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page and its gold annotations.

    For title, date and author, None means "not annotated" (the page is left out of that metric)
    and "" means "annotated as absent" (a value given there counts as invented).
    """

    dataset: str
    page_id: str
    url: str | None
    html: bytes
    text: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    author: str | tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a system returned for one page; `error` is set when it raised (everything else empty)."""

    text: str = ""
    title: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()
    error: str | None = None
    skipped: bool = False


# ---------------------------------------------------------------------------------------------
# Data


def default_root() -> Path:
    """`eval/extraction` in the shared folder (see `newstrace.eval.paths.shared_dir`)."""
    return shared_dir() / "eval" / "extraction"


def _folder(root: Path, dataset: str, split: str) -> Path:
    if split not in ("dev", "test"):
        raise ValueError(f"split must be 'dev' or 'test', not {split!r}")
    base = root / dataset
    return base / "test" if split == "test" else base


def _gz(path: Path) -> bytes:
    with gzip.open(path, "rb") as fh:
        return fh.read()


def _gold_field(entry: dict[str, Any], key: str) -> str | None:
    if key not in entry:
        return None
    value = entry[key]
    return "" if value is None else str(value).strip()


def load_pages(dataset: str, split: str = "dev", root: Path | None = None) -> list[Page]:
    """Every page of one set's split, sorted by id, with gold read from the set's own files."""
    folder = _folder(root or default_root(), dataset, split)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: benchmark folder not found")
    pages: list[Page] = []
    if dataset == "scrapinghub_aeb":
        gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        for pid in sorted(gold):
            entry = gold[pid]
            pages.append(
                Page(
                    dataset,
                    pid,
                    entry.get("url"),
                    _gz(folder / "html" / f"{pid}.html.gz"),
                    text=entry.get("articleBody") or "",
                )
            )
    elif dataset == "wcxb_articles":
        for path in sorted((folder / "ground-truth").glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            g = doc["ground_truth"]
            pages.append(
                Page(
                    dataset,
                    path.stem,
                    doc.get("url"),
                    _gz(folder / "html" / f"{path.stem}.html.gz"),
                    text=g.get("main_content") or "",
                    with_snippets=tuple(g.get("with") or ()),
                    without_snippets=tuple(g.get("without") or ()),
                    title=_gold_field(g, "title"),
                    date=_gold_field(g, "publish_date"),
                    author=_gold_field(g, "author"),
                )
            )
    elif dataset == "trafilatura_eval_en":
        gold = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
        for url in sorted(gold):
            entry = gold[url]
            author: str | tuple[str, ...] | None
            if isinstance(entry.get("author"), list):
                author = tuple(str(a).strip() for a in entry["author"] if str(a).strip())
            else:
                author = _gold_field(entry, "author")
            pages.append(
                Page(
                    dataset,
                    entry.get("file") or url,
                    url,
                    _gz(folder / entry["html_file"]),
                    with_snippets=tuple(entry.get("with") or ()),
                    without_snippets=tuple(entry.get("without") or ()),
                    title=_gold_field(entry, "title"),
                    date=_gold_field(entry, "date"),
                    author=author,
                )
            )
    else:
        raise ValueError(f"unknown extraction dataset {dataset!r}; known: {', '.join(DATASETS)}")
    return pages


# ---------------------------------------------------------------------------------------------
# Systems


def _ours(page: Page) -> Extraction:
    from ..clean.html import clean_html
    from ..records import Article, Hints, RawDocument

    raw = RawDocument(
        source=f"{page.dataset}/{page.page_id}",
        content=page.html,
        kind="html",
        hints=Hints(url=page.url),
    )
    result = clean_html(raw)
    if not isinstance(result, Article):
        return Extraction(skipped=True)
    date = result.published if result.published_precision == "day" else None
    return Extraction(result.text, result.title, date, result.authors)


def _split_authors(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def _trafilatura(page: Page) -> Extraction:
    import trafilatura

    text = trafilatura.extract(page.html, url=page.url) or ""
    meta = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if meta is None or isinstance(meta, dict):  # a dict only comes back when as_dict=True
        return Extraction(text)
    return Extraction(text, meta.title, meta.date, _split_authors(meta.author))


def _decoded(page: Page) -> str:
    from ..clean.html import decode_html

    return decode_html(page.html)[0]


def _readability(page: Page) -> Extraction:
    import lxml.html
    from readability import Document

    doc = Document(_decoded(page), url=page.url)
    summary = doc.summary()
    text = ""
    if summary.strip():
        tree = lxml.html.fromstring(summary)
        text = "\n".join(t.strip() for t in tree.itertext() if t.strip())
    return Extraction(text, doc.short_title() or None)


def _newspaper(page: Page) -> Extraction:
    import newspaper

    # Images would be fetched to rank them; the benchmark never touches the network.
    config = newspaper.Config()
    config.fetch_images = False
    config.follow_meta_refresh = False
    article = newspaper.Article(page.url or "http://localhost/", config=config)
    article.download(input_html=_decoded(page))
    article.parse()
    date = article.publish_date.date().isoformat() if article.publish_date else None
    return Extraction(article.text or "", article.title or None, date, tuple(article.authors))


SYSTEMS: dict[str, Callable[[Page], Extraction]] = {
    "ours": _ours,
    "trafilatura": _trafilatura,
    "readability": _readability,
    "newspaper4k": _newspaper,
}


class _NetworkBlocked(OSError):
    pass


@contextlib.contextmanager
def _offline() -> Iterator[None]:
    """Refuse every outgoing connection for the duration (the anchors must not fetch)."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise _NetworkBlocked("network access is disabled during the extraction benchmark")

    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection)
    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]
    socket.create_connection = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = saved  # type: ignore[method-assign]


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    """Mute the extractors' per-page log lines ("discarding data") while a benchmark runs."""
    loggers = [
        logging.getLogger(n) for n in ("trafilatura", "htmldate", "newspaper", "readability")
    ]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, saved, strict=True):
            lg.setLevel(level)


def extract_all(system: str, pages: Sequence[Page]) -> tuple[list[Extraction], float]:
    """Run one system over the pages; returns its outputs and the seconds it took."""
    fn = SYSTEMS[system]
    out: list[Extraction] = []
    start = time.perf_counter()
    with _offline(), _quiet_libraries(), warnings.catch_warnings():
        # Library deprecation noise is not a result; warnings must not turn into page failures.
        warnings.simplefilter("ignore")
        for page in pages:
            try:
                out.append(fn(page))
            except Exception as exc:  # any crash is that system's empty output for the page
                out.append(Extraction(error=f"{type(exc).__name__}: {exc}"[:200]))
    return out, time.perf_counter() - start


# ---------------------------------------------------------------------------------------------
# Scorers


def score_aeb(golds: Sequence[str], preds: Sequence[str]) -> dict[str, float]:
    """Scrapinghub AEB: 4-gram shingle precision/recall averaged per page, F1 of the averages."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = 0
    for gold, pred in zip(golds, preds, strict=True):
        g_toks, p_toks = words(gold, lower=False), words(pred, lower=False)
        exact += int(g_toks == p_toks)
        g, p = shingles(g_toks), shingles(p_toks)
        tp = sum((g & p).values())
        fp = sum(p.values()) - tp
        fn = sum(g.values()) - tp
        if p:
            precisions.append(safe_div(tp, tp + fp))
        if g:
            recalls.append(safe_div(tp, tp + fn))
    precision = safe_div(sum(precisions), len(precisions))
    recall = safe_div(sum(recalls), len(recalls))
    return {
        "f1": f1(precision, recall),
        "precision": precision,
        "recall": recall,
        "accuracy": safe_div(exact, len(golds)),
    }


def word_prf(gold: str, pred: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of one page (lower-cased `\\w+` tokens)."""
    g, p = Counter(words(gold)), Counter(words(pred))
    if not g and not p:
        return 1.0, 1.0, 1.0
    tp = sum((g & p).values())
    precision = safe_div(tp, sum(p.values()))
    recall = safe_div(tp, sum(g.values()))
    return precision, recall, f1(precision, recall)


def score_wcxb(golds: Sequence[str], preds: Sequence[str]) -> dict[str, float]:
    """WCXB: per-page word precision, recall and F1, each averaged over all pages."""
    rows = [word_prf(g, p) for g, p in zip(golds, preds, strict=True)]
    n = len(rows)
    return {
        "f1": safe_div(sum(r[2] for r in rows), n),
        "precision": safe_div(sum(r[0] for r in rows), n),
        "recall": safe_div(sum(r[1] for r in rows), n),
    }


def score_snippets(
    items: Sequence[tuple[Sequence[str], Sequence[str]]], preds: Sequence[str]
) -> dict[str, float]:
    """Trafilatura's snippet metric over (with, without) snippet lists and one output per page."""
    tp = fn = fp = tn = 0
    for (with_, without), pred in zip(items, preds, strict=True):
        text = snippet_text(pred)
        for s in with_:
            if text and snippet_text(s) in text:
                tp += 1
            else:
                fn += 1
        for s in without:
            if text and snippet_text(s) in text:
                fp += 1
            else:
                tn += 1
    precision = safe_div(tp, tp + fp)
    recall = safe_div(tp, tp + fn)
    return {
        "f1": f1(precision, recall),
        "precision": precision,
        "recall": recall,
        "accuracy": safe_div(tp + tn, tp + fn + fp + tn),
    }


def score_metadata(pages: Sequence[Page], outs: Sequence[Extraction]) -> dict[str, float | None]:
    """Title/date/author exact-match rates where gold is non-empty, and the `invented` rate."""
    hits = {"title": 0, "date": 0, "author": 0}
    totals = {"title": 0, "date": 0, "author": 0}
    invented = empty = 0
    for page, out in zip(pages, outs, strict=True):
        fields: tuple[tuple[str, Any, Any, Callable[[Any], Any]], ...] = (
            ("title", page.title, out.title, title_key),
            ("date", page.date, out.date, date_key),
            ("author", page.author, out.authors, author_key),
        )
        for name, gold, pred, key in fields:
            if gold is None:
                continue
            gold_key = key(gold)
            if not gold_key:
                empty += 1
                invented += int(bool(pred))
                continue
            totals[name] += 1
            hits[name] += int(bool(pred) and key(pred) == gold_key)
    result: dict[str, float | None] = {
        f"{name}_exact": ratio(hits[name], totals[name]) for name in ("title", "date", "author")
    }
    result["invented"] = ratio(invented, empty)
    result["gold_empty_fields"] = empty
    return result


def score(dataset: str, pages: Sequence[Page], outs: Sequence[Extraction]) -> dict[str, Any]:
    """All metrics of one system on one set: the set's main-text metric plus metadata."""
    texts = [o.text for o in outs]
    main: dict[str, float]
    if dataset == "scrapinghub_aeb":
        main = score_aeb([p.text or "" for p in pages], texts)
    elif dataset == "wcxb_articles":
        main = score_wcxb([p.text or "" for p in pages], texts)
    else:
        main = score_snippets([(p.with_snippets, p.without_snippets) for p in pages], texts)
    result: dict[str, Any] = {"n": len(pages), **main}
    if dataset in _WITH_METADATA:
        result.update(score_metadata(pages, outs))
    result["errors"] = sum(o.error is not None for o in outs)
    result["empty"] = sum(not o.text.strip() for o in outs)
    result["skipped"] = sum(o.skipped for o in outs)
    return result


# ---------------------------------------------------------------------------------------------
# Runner


def run(
    split: str = "dev",
    data: Path | None = None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Score `systems` (default: ours and every anchor) on the three sets' `split`.

    `data` is the folder holding the three sets (default: `default_root()`); `limit` keeps the
    first N pages of each set (by id), for quick checks. Returns the MEASURING.md object
    `{"task": "extraction", "split": ..., "results": {dataset: {system: {metric: value}}}}`.
    """
    root = Path(data) if data is not None else default_root()
    names = list(systems) if systems is not None else list(SYSTEMS)
    unknown = [s for s in names if s not in SYSTEMS]
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    results: dict[str, dict[str, Any]] = {}
    for dataset in DATASETS:
        pages = load_pages(dataset, split, root)
        if limit is not None:
            pages = pages[:limit]
        results[dataset] = {}
        for system in names:
            outs, seconds = extract_all(system, pages)
            row = score(dataset, pages, outs)
            row["seconds"] = round(seconds, 2)
            results[dataset][system] = row
            if log:
                log(f"{dataset} {system}: f1={row['f1']:.4f} n={row['n']} ({seconds:.0f}s)")
    return {"task": "extraction", "split": split, "results": results}
