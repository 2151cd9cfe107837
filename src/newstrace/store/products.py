"""The products the store keeps, one writer entry per record type.

A product is what a stage assigns: entities, quotes, later events, links, stories. Each has a
record type, a table (created by a migration), and here the one function that turns a record
into a row. The writer writes every product an analysis carries through this table, so adding a
product touches nothing in the pipeline or the command line.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Table

from ..errors import StoreError
from ..events.records import Event
from ..group.duplicates import Band
from ..group.events import DyadEvent, EventGroup, EventReport
from ..group.stories import Story, StoryArticle, StoryMerge, TermCount
from ..records import Entity, Link, Quote
from . import schema

__all__ = ["PRODUCTS", "Product", "fold", "product", "register_product", "unregister_product"]


# Latin letters that carry their mark in the letter itself, so decomposing leaves them as they are.
_PLAIN = str.maketrans(
    {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "æ": "ae", "Æ": "ae",
     "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ħ": "h", "Ħ": "h"}
)  # fmt: skip


def fold(text: str | None) -> str:
    """Lower case without accents, for search that ignores both ("orbán" ~ "Orban",
    "Søren" ~ "soren", "Łukasz" ~ "lukasz")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Product:
    """How one product is stored.

    `owner` is the column that ties a record to its article: re-analysing an article replaces its
    records of every product the re-run stages assign. Corpus products have no owner; they name
    the `key` columns that identify a record, and a newer record with the same key replaces it.
    """

    name: str
    record: type
    table: Table
    to_row: Callable[[Any], dict[str, Any]]
    owner: str | None = "article_id"
    key: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.owner is None) == (not self.key):
            raise ValueError(f"product {self.name}: give an owner column or key columns (one)")


def _plain_row(record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        row[f.name] = json.dumps(value, ensure_ascii=False) if isinstance(value, tuple) else value
    return row


def _quote_row(q: Quote) -> dict[str, Any]:
    row = _plain_row(q)
    row["segments"] = json.dumps([list(s) for s in q.segments])
    row["speaker_key"] = fold(" ".join(x for x in (q.speaker, q.speaker_mention) if x))
    return row


PRODUCTS: dict[str, Product] = {
    "entities": Product("entities", Entity, schema.entities, _plain_row),
    "quotes": Product("quotes", Quote, schema.quotes, _quote_row),
    "events": Product("events", Event, schema.events, _plain_row),
    "event_groups": Product(
        "event_groups", EventGroup, schema.event_groups, _plain_row, owner=None, key=("id",)
    ),
    "event_reports": Product(
        "event_reports",
        EventReport,
        schema.event_reports,
        _plain_row,
        owner=None,
        key=("event_id",),
    ),
    "event_dyads": Product(
        "event_dyads",
        DyadEvent,
        schema.event_dyads,
        _plain_row,
        owner=None,
        key=("group_id", "source", "target"),
    ),
    "links": Product("links", Link, schema.links, _plain_row, owner=None, key=("kind", "a", "b")),
    "minhash_bands": Product(
        "minhash_bands",
        Band,
        schema.minhash_bands,
        _plain_row,
        owner=None,
        key=("article_id", "band"),
    ),
    "stories": Product("stories", Story, schema.stories, _plain_row, owner=None, key=("id",)),
    "story_articles": Product(
        "story_articles",
        StoryArticle,
        schema.story_articles,
        _plain_row,
        owner=None,
        key=("article_id",),
    ),
    "story_merges": Product(
        "story_merges",
        StoryMerge,
        schema.story_merges,
        _plain_row,
        owner=None,
        key=("kept", "merged"),
    ),
    "story_terms": Product(
        "story_terms", TermCount, schema.story_terms, _plain_row, owner=None, key=("term",)
    ),
}


def register_product(spec: Product) -> None:
    """Add a product (a plugin's, or a test's). Its table is created when a store opens."""
    if spec.name in PRODUCTS and PRODUCTS[spec.name] is not spec:
        raise ValueError(f"product {spec.name!r} is registered already")
    PRODUCTS[spec.name] = spec
    schema.add_extra_table(spec.table)


def unregister_product(name: str) -> None:
    spec = PRODUCTS.pop(name, None)
    if spec is not None:
        schema.drop_extra_table(spec.table)


def product(name: str) -> Product:
    try:
        return PRODUCTS[name]
    except KeyError:
        raise StoreError(
            f"no store writer for product {name!r}; register it with "
            "newstrace.store.products.register_product"
        ) from None
