"""HTML pages (`.html`, `.htm`, or content that sniffs as HTML): one document of kind "html"."""

from __future__ import annotations

from collections.abc import Iterator

from ..records import Hints
from .common import NO_HINTS, Item
from .text import whole_document

__all__ = ["read_html"]


def read_html(
    source: str, data: bytes, *, hints: Hints = NO_HINTS, encoding: str | None = None
) -> Iterator[Item]:
    """An HTML page as one document; boilerplate removal and the meta charset are the cleaner's."""
    return whole_document(source, data, "html", hints=hints, encoding=encoding)
