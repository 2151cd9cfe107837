"""Cleaning: RawDocument -> Article (text and metadata recovered) or Failure (with its reason)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from ..records import Article, Failure, RawDocument
from .meta import STAGE_VERSION

__all__ = ["CleanStage", "clean"]


def clean(raw: RawDocument) -> Article | Failure:
    """Clean one document with the cleaner for its kind; unexpected errors become a Failure."""
    try:
        if raw.kind == "html":
            from .html import clean_html

            return clean_html(raw)
        if raw.kind == "text":
            from .text import clean_text

            return clean_text(raw)
        return Failure(
            raw.source,
            "skip",
            "unsupported-format",
            f"{raw.source}: no cleaner for kind {raw.kind!r}",
        )
    except RecursionError:
        return Failure(
            raw.source,
            "quarantine",
            "too-deep",
            f"{raw.source}: markup nested too deeply to parse",
            raw.content,
        )
    except Exception as exc:  # one bad document must not stop the run; keep it to re-run later
        return Failure(
            raw.source,
            "quarantine",
            "clean-error",
            f"{raw.source}: cleaning failed ({type(exc).__name__}: {str(exc)[:200]})",
            raw.content,
        )


class CleanStage:
    """Stage wrapper: a batch of RawDocuments in, Articles or Failures out, in the same order;
    the batch is read as a whole once, for the template lines of outlets it holds several
    articles of (`newstrace.clean.template`)."""

    name: str = STAGE_VERSION
    kind: ClassVar[str] = "document"
    requires: tuple[str, ...] = ("raw",)
    assigns: tuple[str, ...] = ("article",)

    def __call__(self, batch: Sequence[RawDocument | Article | Failure]) -> list[Article | Failure]:
        from .template import drop_template_lines

        cleaned = [clean(item) if isinstance(item, RawDocument) else item for item in batch]
        # Lines one outlet repeats across its articles in the batch are its template.
        return drop_template_lines(cleaned)
