"""`newstrace bench --only group_growth`: the cost of grouping new articles as the store grows.

A store is filled with `size` generated articles (`eval.generate`, at a fixed number of articles a
day, so a larger store spans more days rather than packing more news into each), a batch at a
time, each batch grouped by the corpus stages of a run, as `newstrace run` commits and groups
them. Then NEW more articles, published after the stored ones, are committed and grouped, and
that grouping is timed, stage by stage: articles per second at this store size. Each size runs in
a process of its own, so its peak RSS is its own.

The article stages (parse, entities, quotes) are not run: at 100k articles they would take hours
and their cost per article does not depend on the store. The entities and quotes the corpus
stages read are written from the generator's records instead (each named participant it wrote,
each statement it quoted, with its speaker's actor), the products those stages would find.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .generate import Doc, stream

__all__ = ["NEW", "PER_DAY", "analyses_of", "measure", "run"]

PER_DAY = 240  # generated articles a day: a busy regional desk's wire plus its outlets
NEW = 500  # articles grouped into the filled store, and timed
BATCH = 500  # articles committed and grouped at a time, as a run's default batch


def analyses_of(docs: Sequence[Doc]) -> list[Any]:
    """The generated articles as analysed articles: the text as the header reader stores it, and
    the entities and quotes the generator wrote into it (offsets found in the text)."""
    from ..records import Analysis, Article, Entity, Quote, article_id

    out = []
    done: set[str] = set()
    for d in docs:
        text = d.body
        aid = article_id(text)
        if aid in done:  # an exact copy: one article, as the run stores it
            continue
        done.add(aid)
        article = Article(id=aid, source=f"{d.name}.txt", text=text, title=d.title, url=d.url,
                          outlet=d.domain, published=d.published, published_precision="day",
                          language="en")  # fmt: skip
        entities: list[Entity] = []
        seen: set[tuple[int, int]] = set()
        for m in dict.fromkeys(d.mentions):
            at = text.find(m.text)
            while at >= 0:
                if (at, at + len(m.text)) not in seen:
                    seen.add((at, at + len(m.text)))
                    entities.append(Entity(aid, at, at + len(m.text), m.text, m.label,
                                           actor=m.code, actor_id=_actor(m), name=m.text,
                                           basis="generated"))  # fmt: skip
                at = text.find(m.text, at + 1)
        quotes: list[Quote] = []
        for p in d.quotes:
            words = p.text[:-1] if p.text.endswith(".") else p.text
            at = text.find(words)
            if at < 0:
                continue
            qid = hashlib.sha256(f"{aid}:{at}".encode()).hexdigest()[:24]
            if any(q.id == qid for q in quotes):  # two statements in the same words: one quote
                continue
            quotes.append(Quote(qid, aid, words, at, at + len(words), "direct",
                                segments=((at, at + len(words)),), speaker=p.speaker,
                                speaker_mention=p.speaker.split()[-1],
                                speaker_actor_id=f"gen:{p.speaker}", date=d.published,
                                date_basis="published", confidence=1.0,
                                rule="generated"))  # fmt: skip
        products = {"entities": tuple(entities), "quotes": tuple(quotes)}
        out.append(Analysis(article, products=products))
    return out


def _actor(m: Any) -> str | None:
    if m.code is None:
        return None
    return f"gen:{m.text}" if m.label == "PERSON" else f"gen:{m.code}"


def _corpus_stages(only: Sequence[str] | None = None) -> list[Any]:
    from ..config import Settings
    from ..registry import build, default_stages, section
    from ..stage import Pipeline

    settings = Settings()
    stages = [build(n, section(n, settings)) for n in default_stages(settings)]
    corpus = [s for s in stages if getattr(s, "kind", None) == "corpus"]
    if only:  # "duplicates", "stories": stages named newstrace.group.<one of these>.*
        corpus = [s for s in corpus if s.name.split(".")[2] in only]
    # Built (and checked) as one pipeline, as a run builds it.
    Pipeline(tuple(corpus), provided=("raw", "article", "entities", "quotes", "events"))
    return corpus


def _group(store: Any, stages: Sequence[Any]) -> dict[str, float]:
    """Each corpus stage over what it has not seen, in a run's order; seconds per stage."""
    from ..pipeline import run_corpus
    from ..stage import Pipeline

    spent = {}
    for stage in stages:
        t0 = time.perf_counter()
        run_corpus(store, Pipeline((stage,), provided=("raw", "article", "entities", "quotes",
                                                       "events")), batch=BATCH)  # fmt: skip
        spent[stage.name] = time.perf_counter() - t0
    return spent


def measure(
    size: int,
    new: int = NEW,
    seed: int = 0,
    per_day: int = PER_DAY,
    only: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Fill a new store with `size` articles, grouped batch by batch, then time the grouping of
    `new` more (see the module docs)."""
    from ..store import Store

    # Made a batch at a time, so that what this process holds is the grouping's, not the corpus.
    docs = stream(size + new, seed, per_day=per_day)
    stages = _corpus_stages(only)
    with tempfile.TemporaryDirectory(prefix="newstrace-growth-") as tmp:
        store = Store(str(Path(tmp) / "growth.db"))
        try:
            t0 = time.perf_counter()
            for at in range(0, size, BATCH):
                _commit(store, list(itertools.islice(docs, min(BATCH, size - at))))
                _group(store, stages)
            fill = time.perf_counter() - t0
            _commit(store, list(docs))
            spent = _group(store, stages)
        finally:
            store.close()
    total = sum(spent.values())
    return {
        "size": size,
        "new": new,
        "days": (size + new + per_day - 1) // per_day,
        "per_s": new / max(total, 1e-9),
        "stage_seconds": {k: round(v, 3) for k, v in spent.items()},
        "fill_seconds": round(fill, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _commit(store: Any, docs: Sequence[Doc]) -> None:
    analyses = analyses_of(docs)
    for at in range(0, len(analyses), BATCH):
        chunk = analyses[at : at + BATCH]
        store.writer.write_batch([(x.article, x.article.id) for x in chunk], [], analyses=chunk)


def _child(size: int, new: int, only: Sequence[str] | None, queue: Any) -> None:
    queue.put(measure(size, new, only=only))


def measure_apart(size: int, new: int = NEW, only: Sequence[str] | None = None) -> dict[str, Any]:
    """`measure` in a process of its own (spawned: nothing inherited), so peak RSS is this size's."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(size, new, only, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    return result


def run(
    sizes: Sequence[int] = (1000, 100_000), new: int = NEW, only: Sequence[str] | None = None
) -> dict[str, Any]:
    """The `group_growth` row: grouping rate at the largest size against the smallest."""
    rows = [measure_apart(s, new, only) for s in sizes]
    small, large = rows[0], rows[-1]
    return {
        "name": "group_growth",
        "n": new,
        "ours_per_s": large["per_s"],
        "reference": f"ours at {small['size']} stored articles",
        "reference_per_s": small["per_s"],
        "ratio": large["per_s"] / small["per_s"],
        "stages": sorted(rows[0]["stage_seconds"]),
        "sizes": rows,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
    }
