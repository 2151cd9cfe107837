"""`newstrace bench`: our throughput beside a reference measured in the same run and process."""

from __future__ import annotations

import gzip
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .paths import shared_dir

__all__ = ["BENCHMARKS", "run"]


def _median_rate(fn: Callable[[], int], repeat: int) -> float:
    """Items per second, the median over `repeat` timed runs (the machines are shared and noisy)."""
    rates = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        n = fn()
        rates.append(n / max(time.perf_counter() - t0, 1e-9))
    return statistics.median(rates)


def _html_pages(limit: int = 60) -> list[tuple[str, bytes]]:
    """Real pages from the extraction dev sets; the bundled examples when shared/ is absent."""
    root = shared_dir() / "eval" / "extraction"
    pages: list[tuple[str, bytes]] = []
    for sub in ("wcxb_articles/html", "scrapinghub_aeb/html"):
        for path in sorted((root / sub).glob("*.html.gz"))[: limit // 2]:
            pages.append((str(path), gzip.decompress(path.read_bytes())))
    if not pages:
        examples = Path(__file__).resolve().parents[3] / "examples"
        pages = [(str(p), p.read_bytes()) for p in sorted(examples.rglob("*.html"))]
    return pages


def bench_ingest_html(repeat: int) -> dict[str, Any]:
    import trafilatura

    from ..clean.html import clean_html
    from ..records import RawDocument

    pages = _html_pages()
    docs = [RawDocument(name, html, "html") for name, html in pages]

    def ours() -> int:
        for d in docs:
            clean_html(d)
        return len(docs)

    def reference() -> int:
        for _, html in pages:
            trafilatura.extract(html)
        return len(pages)

    ref = _median_rate(reference, repeat)
    mine = _median_rate(ours, repeat)
    return {
        "name": "ingest_html",
        "n": len(pages),
        "ours_per_s": mine,
        "reference": "trafilatura.extract (bare, defaults)",
        "reference_per_s": ref,
        "ratio": mine / ref,
    }


def _example_texts() -> list[str]:
    """Article texts for the pipeline benchmarks: the seeds and the bundled examples' text files."""
    texts: list[str] = []
    seeds = shared_dir() / "seeds"
    examples = Path(__file__).resolve().parents[3] / "examples"
    for path in [*sorted(seeds.glob("*.txt")), *sorted(examples.rglob("*.txt"))]:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
    return texts


def _generated_articles(n: int, words: int = 700) -> list[str]:
    """`n` distinct articles of about `words` words, in the plain-text header form (headline, date,
    URL, paragraphs), put together from the bundled examples' paragraphs in a seeded order."""
    import random

    examples = Path(__file__).resolve().parents[3] / "examples"
    heads: list[str] = []
    paragraphs: list[str] = []
    for path in sorted((examples / "text").glob("*.txt")):
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        heads.append(lines[0])
        paragraphs.extend(x for x in lines[3:] if len(x.split()) >= 12)
    out = []
    for i in range(n):
        rng = random.Random(i)
        body: list[str] = []
        while sum(len(p.split()) for p in body) < words:
            body.append(rng.choice(paragraphs))
        day = f"2025{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        url = f"https://www.example-wire.com/world/{i}"
        out.append("\n".join([f"{rng.choice(heads)} ({i})", day, url, *body]) + "\n")
    return out


def bench_pipeline(repeat: int, n: int = 1000) -> dict[str, Any]:
    """A realistic run: `n` seed-length articles from files into a new store through every stage,
    as `newstrace run` does it (worker processes by `n_process`), against the bare spaCy parse of
    the same texts with the same number of processes. Peak memory is the largest process's."""
    import resource

    from ..config import Settings
    from ..ingest import read
    from ..nlp.model import load_model
    from ..pipeline import run as run_pipeline
    from ..runners import worker_count
    from ..store import Store

    texts = _generated_articles(n)
    settings = Settings()
    workers = worker_count(settings.n_process)
    nlp = load_model(settings.spacy_model)

    def reference() -> int:
        for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=workers):
            pass
        return len(texts)

    def ours() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            for i, text in enumerate(texts):
                (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
            db = str(Path(tmp) / "bench.db")
            store = Store(db)
            summary = run_pipeline(read([str(folder)]), store, replace(settings, db=db))
            store.close()
        return summary.counts[("article", "new")]

    ref = _median_rate(reference, repeat)
    mine = _median_rate(ours, repeat)
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "name": "pipeline",
        "n": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "workers": workers,
        "ours_per_s": mine,
        "reference": f"spacy {settings.spacy_model} nlp.pipe (parse only, n_process={workers})",
        "reference_per_s": ref,
        "ratio": mine / ref,
        "peak_rss_mb": round(peak / 1024),
    }


def _news_articles(limit: int = 120) -> list[Any]:
    """Real English news for the NLP benchmark: PolNeAR dev documents when shared/ is present,
    else the seeds and the bundled examples' text files."""
    from ..records import Article, article_id

    pairs: list[tuple[str | None, str]] = []
    try:
        from .quotes import _polnear_docs, _quotes_root

        for d in _polnear_docs(_quotes_root(None), "dev"):
            pairs.append((d.title, d.text))
            if len(pairs) >= limit:
                break
    except FileNotFoundError:
        pairs = [(None, t) for t in _example_texts()]
    return [
        Article(id=article_id(t), source=f"bench-{i}", text=t, title=title, language="en")
        for i, (title, t) in enumerate(pairs)
    ]


def _bench_analysis(name: str, repeat: int, *, events: bool) -> dict[str, Any]:
    """The article stages on parsed-once articles, against the bare parse of the same texts:
    NLP and quotes only (`nlp_quotes`), or with the event stage after them (`events`)."""
    from ..config import Settings
    from ..nlp.layout import analysed_text
    from ..nlp.model import load_model
    from ..registry import build_pipeline, default_stages

    settings = Settings()
    articles = _news_articles()
    texts = [analysed_text(a)[0] for a in articles]
    nlp = load_model(settings.spacy_model)
    names = [n for n in default_stages(settings) if events or not n.startswith(_EVENTS_FAMILY)]
    if events and not any(n.startswith(_EVENTS_FAMILY) for n in names):
        at = next(i for i, n in enumerate(names) if n.startswith("newstrace.quotes.")) + 1
        names.insert(at, _EVENTS_FAMILY + "v1")  # measured even while left out of the default
    pipeline = build_pipeline(settings, names)

    def reference() -> int:
        for _ in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
        return len(texts)

    def ours() -> int:
        return len(pipeline.analyse(articles))

    ours()  # warm caches (model, registry indexes, lexicons, verb dictionary)
    ref = _median_rate(reference, repeat)
    mine = _median_rate(ours, repeat)
    return {
        "name": name,
        "n": len(articles),
        "words": sum(len(t.split()) for t in texts),
        "stages": [
            n
            for n in names
            if n.startswith(("newstrace.nlp.", "newstrace.quotes.", _EVENTS_FAMILY))
        ],
        "ours_per_s": mine,
        "reference": f"spacy {settings.spacy_model} nlp.pipe (parse only)",
        "reference_per_s": ref,
        "ratio": mine / ref,
    }


_EVENTS_FAMILY = "newstrace.events."


def bench_nlp_quotes(repeat: int) -> dict[str, Any]:
    """The NLP and quote stages on parsed-once articles, against the bare parse of the same texts."""
    return _bench_analysis("nlp_quotes", repeat, events=False)


def bench_events(repeat: int) -> dict[str, Any]:
    """The whole analysis with events (NLP, quotes, events), against the bare parse."""
    return _bench_analysis("events", repeat, events=True)


def bench_nlp_processes(repeat: int) -> dict[str, Any]:
    """The NLP stage parsing with spaCy's own two processes (`NlpStage(n_process=2)`) against one,
    on the same articles. A run does not use this (its workers each run whole batches, see
    `pipeline`); the row says what spaCy's own multiprocessing would buy instead."""
    from ..config import Settings, actors_dir
    from ..nlp.stage import NlpStage
    from ..records import Analysis
    from ..registry import actor_registry

    settings = Settings()
    articles = [Analysis(a) for a in _news_articles()]
    registry = actor_registry([str(actors_dir(settings))])
    single = NlpStage(registry, model=settings.spacy_model, batch_size=settings.batch_size)
    double = NlpStage(
        registry, model=settings.spacy_model, batch_size=settings.batch_size, n_process=2
    )
    single(articles[:5])  # warm the model and the registry indexes
    ref = _median_rate(lambda: len(single(articles)), repeat)
    mine = _median_rate(lambda: len(double(articles)), repeat)
    return {
        "name": "nlp_processes",
        "n": len(articles),
        "ours_per_s": mine,
        "reference": "the same NLP stage with spaCy n_process=1",
        "reference_per_s": ref,
        "ratio": mine / ref,
    }


def bench_group_growth(repeat: int) -> dict[str, Any]:
    """Grouping new articles into a store of 1k and of 100k generated articles (eval.growth);
    NEWSTRACE_BENCH_GROWTH_SIZES ("1000,20000") measures other sizes on a slower machine, and
    NEWSTRACE_BENCH_GROWTH_STAGES ("duplicates,stories") some of the corpus stages only. One
    run per size: each fill takes minutes, and the rate is over 500 articles."""
    import os

    from .growth import run as run_growth

    sizes = os.environ.get("NEWSTRACE_BENCH_GROWTH_SIZES", "1000,100000")
    stages = os.environ.get("NEWSTRACE_BENCH_GROWTH_STAGES", "")
    return run_growth(
        [int(s) for s in sizes.split(",") if s.strip()],
        only=[s.strip() for s in stages.split(",") if s.strip()] or None,
    )


BENCHMARKS: dict[str, Callable[[int], dict[str, Any]]] = {
    "ingest_html": bench_ingest_html,
    "nlp_quotes": bench_nlp_quotes,
    "events": bench_events,
    "nlp_processes": bench_nlp_processes,
    "pipeline": bench_pipeline,
    "group_growth": bench_group_growth,
}


def run(only: Sequence[str] | None = None, repeat: int = 3) -> dict[str, Any]:
    names = list(only) if only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise ValueError(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    return {"benchmarks": [BENCHMARKS[n](repeat) for n in names]}
