"""Adding a product and a corpus stage touches only the stage, its record, its table and its
store writer: the test suite registers its own and runs them through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import Column, Integer, String, Table

from newstrace import registry
from newstrace.config import Settings
from newstrace.pipeline import run
from newstrace.records import Analysis, RawDocument
from newstrace.store import Store, schema
from newstrace.store.products import Product, register_product, unregister_product
from newstrace.store.reader import Reader

BODY = "The council met on {day} and said the harbour would stay open to all ships for now."


@dataclass(frozen=True, slots=True)
class WordCount:
    article_id: str
    words: int


@dataclass(frozen=True, slots=True)
class OutletTally:
    outlet: str
    articles: int


WORDS = Table(
    "tests_wordcounts",
    schema.metadata,
    Column("article_id", String(32), primary_key=True),
    Column("words", Integer, nullable=False),
)
TALLY = Table(
    "tests_outlet_tally",
    schema.metadata,
    Column("outlet", String(64), primary_key=True),
    Column("articles", Integer, nullable=False),
)


class WordCountStage:
    """An article stage: one record per article, from nothing but the article."""

    name = "tests.wordcount.v1"
    kind: ClassVar[str] = "article"
    requires = ("article",)
    assigns = ("wordcounts",)
    topics = ("wordcount",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        out = []
        for x in batch:
            words = len(x.article.text.split())
            x = x.assign(self.name, wordcounts=[WordCount(x.article.id, words)])
            out.append(x.noted(self.name, "wordcount: counted") if words < 20 else x)
        return out


class OutletStage:
    """A corpus stage: keeps a running tally of stored articles per outlet."""

    kind: ClassVar[str] = "corpus"
    requires = ("article",)
    assigns = ("outlet_tally",)

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[str] = []

    def step(self, articles: Sequence[Any], reader: Reader) -> dict[str, Sequence[Any]]:
        tally = {r["outlet"]: r["articles"] for r in reader.product_rows("outlet_tally")}
        for stored in articles:
            self.seen.append(stored.article.id)
            outlet = stored.article.outlet or "(unknown)"
            tally[outlet] = tally.get(outlet, 0) + 1
        return {"outlet_tally": [OutletTally(k, n) for k, n in tally.items()]}


@pytest.fixture
def stages() -> Iterator[dict[str, OutletStage]]:
    built = {v: OutletStage(f"tests.outlets.{v}") for v in ("v1", "v2")}
    register_product(
        Product(
            "wordcounts", WordCount, WORDS, lambda r: {"article_id": r.article_id, "words": r.words}
        )
    )
    register_product(
        Product(
            "outlet_tally",
            OutletTally,
            TALLY,
            lambda r: {"outlet": r.outlet, "articles": r.articles},
            owner=None,
            key=("outlet",),
        )
    )
    registry.register(WordCountStage.name, "article")(lambda _s: WordCountStage())
    for stage in built.values():
        registry.register(stage.name, "corpus")(lambda _s, stage=stage: stage)
    yield built
    for name in (WordCountStage.name, *(s.name for s in built.values())):
        registry.unregister(name)
    unregister_product("wordcounts")
    unregister_product("outlet_tally")


def _docs(days: Sequence[str], outlet: str) -> list[RawDocument]:
    return [
        RawDocument(
            f"{outlet}-{day}.txt",
            f"Harbour stays open\n20250310\nhttps://www.{outlet}/{day}\n{BODY.format(day=day)}".encode(),
            "text",
        )
        for day in days
    ]


def _names(corpus: str) -> list[str]:
    return ["newstrace.clean.v1", "newstrace.gate.stored.v1", WordCountStage.name, corpus]


def test_a_new_product_is_stored_by_its_writer(
    tmp_path: Path, stages: dict[str, OutletStage]
) -> None:
    store = Store(str(tmp_path / "s.db"))
    settings = Settings(db=str(tmp_path / "s.db"))
    pipeline = registry.build_pipeline(settings, _names(stages["v1"].name))
    summary = run(
        _docs(["Monday", "Tuesday"], "harbourwire.com"), store, settings, pipeline=pipeline
    )
    assert summary.products["wordcounts"] == 2
    counts = {r["article_id"]: r["words"] for r in store.reader.product_rows("wordcounts")}
    stored = list(store.reader.iterate("articles"))
    assert counts == {a.id: len(a.text.split()) for a in stored}
    article = stored[0]
    assert "tests.wordcount.v1" in article.stage_versions
    assert "wordcount: counted" in article.warnings  # the stage's note is on the article


def test_a_corpus_stage_handles_only_new_articles(
    tmp_path: Path, stages: dict[str, OutletStage]
) -> None:
    store = Store(str(tmp_path / "s.db"))
    settings = Settings(db=str(tmp_path / "s.db"), batch_size=2)
    stage = stages["v1"]
    pipeline = registry.build_pipeline(settings, _names(stage.name))
    run(
        _docs(["Monday", "Tuesday", "Wednesday"], "harbourwire.com"),
        store,
        settings,
        pipeline=pipeline,
    )
    first = list(stage.seen)
    assert len(first) == 3
    more = _docs(["Monday", "Tuesday", "Wednesday"], "harbourwire.com") + _docs(
        ["Thursday", "Friday"], "baynews.org"
    )
    run(more, store, settings, pipeline=pipeline)
    # The second run hands the stage the two new articles only, in commit order.
    assert len(stage.seen) == 5 and set(stage.seen[3:]).isdisjoint(first)
    tally = {r["outlet"]: r["articles"] for r in store.reader.product_rows("outlet_tally")}
    assert tally == {"harbourwire.com": 3, "baynews.org": 2}
    state = store.reader.stage_state("tests.outlets")
    assert state is not None and state.version == stage.name


def test_a_new_version_of_a_corpus_stage_starts_again(
    tmp_path: Path, stages: dict[str, OutletStage]
) -> None:
    store = Store(str(tmp_path / "s.db"))
    settings = Settings(db=str(tmp_path / "s.db"))
    run(_docs(["Monday", "Tuesday"], "harbourwire.com"), store, settings,
        pipeline=registry.build_pipeline(settings, _names(stages["v1"].name)))  # fmt: skip
    newer = registry.build_pipeline(settings, _names(stages["v2"].name))
    run(_docs(["Friday"], "harbourwire.com"), store, settings, pipeline=newer)
    # v2 saw every stored article, and what v1 wrote was replaced, not added to.
    assert len(stages["v2"].seen) == 3
    assert store.reader.product_rows("outlet_tally") == [
        {"outlet": "harbourwire.com", "articles": 3}
    ]


def test_a_stale_watermark_writes_nothing(tmp_path: Path, stages: dict[str, OutletStage]) -> None:
    # Two runs grouping at once: the one whose start is no longer the stored watermark loses.
    store = Store(str(tmp_path / "s.db"))
    settings = Settings(db=str(tmp_path / "s.db"))
    stage = stages["v1"]
    pipeline = registry.build_pipeline(settings, _names(stage.name))
    run(_docs(["Monday", "Tuesday"], "harbourwire.com"), store, settings, pipeline=pipeline)
    before = store.reader.product_rows("outlet_tally")
    late = {"outlet_tally": [OutletTally("harbourwire.com", 99)]}
    assert not store.writer.advance("tests.outlets", stage.name, 0, 1, late)
    assert store.reader.product_rows("outlet_tally") == before
    state = store.reader.stage_state("tests.outlets")
    assert state is not None and state.watermark == 2
