"""The typed records that flow through the pipeline, from raw input to stored article."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "Analysis",
    "Article",
    "Entity",
    "Failure",
    "Hints",
    "Link",
    "Note",
    "Quote",
    "RawDocument",
    "article_id",
    "quote_id",
]


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata a structured source states outright (JSON/CSV fields, feed entries, WARC headers).

    Every field is optional: a reader fills only what its input really says, and the cleaner
    prefers these over anything it would have to infer from the text.
    """

    title: str | None = None
    url: str | None = None
    published: str | None = None  # as written by the source; the cleaner parses it
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as a reader found it, before any cleaning.

    `source` names where it came from: a path, a URL, or a path with a member suffix
    (`feed.xml#3`, `dump.warc.gz#record-7`, `export.csv#row-12`) so every error can name it.
    `kind` says how to clean `content`: "text" (plain text, maybe with a header) or "html".
    """

    source: str
    content: bytes
    kind: str
    hints: Hints = field(default_factory=Hints)
    encoding: str | None = (
        None  # declared by the container (HTTP header, WARC, XML prolog) if known
    )


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that did not become an article: skipped, quarantined or to retry.

    `kind` is one of "skip" (not an article: empty, binary, login page), "quarantine" (malformed:
    keep the raw bytes to re-run later) or "retry" (transient: network, a locked database).
    `reason` is a short stable code (`empty`, `binary`, `corrupt-gzip`, ...) for the summary; `message`
    is the one line a user reads.
    """

    source: str
    kind: str
    reason: str
    message: str
    raw: bytes | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article with the metadata we could recover; unknown fields stay None.

    `published` is ISO `YYYY-MM-DD` (or `YYYY-MM` / `YYYY` when only that is known, see
    `published_precision`). `warnings` lists what could not be recovered and why, so that an
    unknown is always explained rather than silently missing.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_precision: str | None = None  # "day" | "month" | "year" | None
    authors: tuple[str, ...] = ()
    language: str | None = None
    dateline: str | None = None
    warnings: tuple[str, ...] = ()
    input_kind: str = "text"
    stage_versions: tuple[str, ...] = ()


def article_id(text: str) -> str:
    """Content hash of the cleaned text: the same article ingested twice gets the same id.

    Whitespace is collapsed first so that re-wrapping or trailing spaces do not create a new
    article; anything else (a changed word) does.
    """
    canonical = " ".join(text.split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity or actor mention in an article, with the actor it resolves to (if any).

    Offsets are characters into `Article.text`, or into `Article.title` when `in_title`. `label` is
    the spaCy entity label (PERSON, ORG, GPE, NORP, ...), "CHUNK" for a noun phrase the registry
    resolved ("the Russian leader") or "REGISTRY" for a phrase only the registry knows. The actor
    fields are None when the mention names nothing the registry or the text can place: `actor` is
    the CAMEO-style code that held on the article's date (`RUSGOV`), `actor_id` the registry entry,
    `name` the canonical name, `basis` how it was resolved (alias, metonym, title+name, ...).
    """

    article_id: str
    start: int
    end: int
    text: str
    label: str
    in_title: bool = False
    actor: str | None = None
    actor_id: str | None = None
    kind: str | None = None  # country | organisation | person | sector-group | region
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    title: str | None = None
    basis: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed statement: who said what, with which cue, when, where in the article.

    `start`/`end` span the content (quote marks excluded) in `Article.text`, or in the title when
    `in_title`; `segments` are the pieces of a split or multi-paragraph quote. `speaker` is the
    canonical name (registry name, else the fullest name the article gives, else the mention);
    `speaker_mention` the words the text uses ("he", "the Kremlin"). `speaker_actor` is the actor
    code that held on `date` (or on the publication day). `date` is the day the statement was
    made: a time expression on the cue resolved against the publication date ("stated"), else the
    publication day itself ("published"); None when neither is known (`date_basis` None).
    """

    id: str
    article_id: str
    text: str
    start: int
    end: int
    kind: str  # direct | indirect
    segments: tuple[tuple[int, int], ...] = ()
    in_title: bool = False
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_actor: str | None = None
    speaker_actor_id: str | None = None
    speaker_country: str | None = None
    date: str | None = None
    date_basis: str | None = None  # stated | published
    confidence: float = 0.0
    rule: str = ""  # the extraction rule that found it
    stage_version: str = ""  # the quote stage that made it


@dataclass(frozen=True, slots=True)
class Link:
    """A relation between two stored articles (or, for quote variants, two quotes).

    `kind` is "near_duplicate" for copies of one text (most word 5-grams shared, or one text a
    trimmed copy held in the other); later kinds are rewrite, same_story, quote_variant. `a` was
    stored first, which by itself says nothing about which is the original. `score` is the
    verified overlap; `change` says what kind of difference a variant shows (None for copies);
    `detail` says in words how the pair was measured.
    """

    kind: str
    a: str
    b: str
    score: float
    change: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A warning an analysis stage wrote about one article: which stage, and the line users read.

    `text` starts with the stage's topic ("nlp: ...", "quotes: ..."), as stored on the article, so
    that re-analysing an article can drop the notes of the stages that run again.
    """

    stage: str
    text: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """An article with what the article stages found in it, keyed by product.

    `products` maps a product name ("entities", "quotes", later "events") to the records the
    stage that assigns it produced; the store writes each product with its own writer, so a new
    product needs no change here. `doc` is the spaCy parse of `nlp.layout.analysed_text(article)`, kept in
    memory so every later stage reuses the one parse; it is never stored. `notes` say what could
    not be analysed and why.
    """

    article: Article
    doc: Any = None
    products: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    stage_versions: tuple[str, ...] = ()

    def get(self, product: str) -> tuple[Any, ...]:
        """The records of one product; () when no stage assigned it (or it found nothing)."""
        return self.products.get(product, ())

    def assign(self, stage: str, **products: Sequence[Any]) -> Analysis:
        """A copy with these products set by `stage`, and `stage` recorded as having run."""
        merged = {**self.products, **{k: tuple(v) for k, v in products.items()}}
        return replace(self, products=merged, stage_versions=(*self.stage_versions, stage))

    def noted(self, stage: str, text: str) -> Analysis:
        """A copy with one more note from `stage`."""
        return replace(self, notes=(*self.notes, Note(stage, text)))


def quote_id(article: str, segments: tuple[tuple[int, int], ...], in_title: bool) -> str:
    """Stable id of a quote: the same article analysed again gives the same ids."""
    key = f"{article}:{int(in_title)}:" + ",".join(f"{a}-{b}" for a, b in segments)
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:24]
