"""The typed records that flow through the pipeline, from raw input to stored article."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

__all__ = [
    "Article",
    "Failure",
    "Hints",
    "RawDocument",
    "article_id",
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
