"""Plain-text files (`.txt` or anything that sniffs as text): one document, bytes untouched."""

from __future__ import annotations

from collections.abc import Iterator

from ..records import Hints, RawDocument
from .common import NO_HINTS, Item, failure
from .sniff import is_blank

__all__ = ["read_text", "whole_document"]


def whole_document(
    source: str,
    data: bytes,
    kind: str,
    *,
    hints: Hints = NO_HINTS,
    encoding: str | None = None,
) -> Iterator[Item]:
    """One document from a whole input, or an `empty` failure if it holds nothing but whitespace.

    The bytes are passed on as they are: decoding (and guessing an undeclared encoding) is the
    cleaner's job, which sees the HTML meta charset and can repair mojibake.
    """
    if not data:
        yield failure(source, "empty", "0 bytes, nothing to read")
    elif is_blank(data):
        yield failure(source, "empty", "only whitespace, nothing to read")
    else:
        yield RawDocument(source=source, content=data, kind=kind, hints=hints, encoding=encoding)


def read_text(
    source: str, data: bytes, *, hints: Hints = NO_HINTS, encoding: str | None = None
) -> Iterator[Item]:
    """A plain-text input as one document of kind "text"."""
    return whole_document(source, data, "text", hints=hints, encoding=encoding)
