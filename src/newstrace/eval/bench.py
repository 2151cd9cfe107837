"""`newstrace bench`: our throughput beside a reference measured in the same run and process."""

from __future__ import annotations

import gzip
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
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


def bench_pipeline(repeat: int) -> dict[str, Any]:
    """Every stage into a fresh store, against the bare spaCy parse of the same texts."""
    from ..config import Settings
    from ..nlp.model import load_model
    from ..pipeline import run as run_pipeline
    from ..records import RawDocument
    from ..registry import build_pipeline
    from ..store import Store

    texts = _example_texts()
    settings = Settings()
    nlp = load_model(settings.spacy_model)
    pipeline = build_pipeline(settings)  # the registry loads once, as in one long run

    def reference() -> int:
        for _ in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
        return len(texts)

    def ours() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(str(Path(tmp) / "bench.db"))
            docs = [RawDocument(f"bench-{i}.txt", t.encode(), "text") for i, t in enumerate(texts)]
            run_pipeline(docs, store, settings, pipeline=pipeline)
            store.close()
        return len(texts)

    ours()  # warm caches (model, registries) so neither side pays load time
    ref = _median_rate(reference, repeat)
    mine = _median_rate(ours, repeat)
    return {
        "name": "pipeline",
        "n": len(texts),
        "ours_per_s": mine,
        "reference": f"spacy {settings.spacy_model} nlp.pipe (parse only)",
        "reference_per_s": ref,
        "ratio": mine / ref,
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


def bench_nlp_quotes(repeat: int) -> dict[str, Any]:
    """The NLP and quote stages on parsed-once articles, against the bare parse of the same texts."""
    from ..config import Settings
    from ..nlp.model import load_model
    from ..nlp.stage import analysed_text
    from ..registry import build_pipeline

    settings = Settings()
    articles = _news_articles()
    texts = [analysed_text(a)[0] for a in articles]
    nlp = load_model(settings.spacy_model)
    pipeline = build_pipeline(settings)

    def reference() -> int:
        for _ in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
        return len(texts)

    def ours() -> int:
        return len(pipeline.analyse(articles))

    ours()  # warm caches (model, registry indexes, lexicons)
    ref = _median_rate(reference, repeat)
    mine = _median_rate(ours, repeat)
    return {
        "name": "nlp_quotes",
        "n": len(articles),
        "words": sum(len(t.split()) for t in texts),
        "ours_per_s": mine,
        "reference": f"spacy {settings.spacy_model} nlp.pipe (parse only)",
        "reference_per_s": ref,
        "ratio": mine / ref,
    }


def bench_nlp_processes(repeat: int) -> dict[str, Any]:
    """The NLP stage with two worker processes (`n_process = 2`) against one, on the same
    articles: what the setting buys on this machine."""
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
        "reference": "the same NLP stage with n_process=1",
        "reference_per_s": ref,
        "ratio": mine / ref,
    }


BENCHMARKS: dict[str, Callable[[int], dict[str, Any]]] = {
    "ingest_html": bench_ingest_html,
    "nlp_quotes": bench_nlp_quotes,
    "nlp_processes": bench_nlp_processes,
    "pipeline": bench_pipeline,
}


def run(only: Sequence[str] | None = None, repeat: int = 3) -> dict[str, Any]:
    names = list(only) if only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise ValueError(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    return {"benchmarks": [BENCHMARKS[n](repeat) for n in names]}
