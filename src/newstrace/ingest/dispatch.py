"""Route one byte stream to the reader its sniffed format calls for; never raise for bad input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..records import Hints
from .common import (
    HEAD_BYTES,
    NO_HINTS,
    Item,
    StreamError,
    failure,
    mib,
    one_line,
    peek,
    read_capped,
)
from .compressed import GzipStream
from .csv_export import read_csv
from .feed import Follow, read_feed
from .html import read_html
from .json_export import read_json, read_jsonl
from .options import ReadOptions
from .sniff import describe, extension, sniff, strip_gzip_suffix, xml_root
from .text import read_text
from .warc import read_warc

__all__ = ["read_stream"]

# gzip inside gzip happens (a .gz of a .jsonl.gz); deeper is a trick, not an export.
MAX_GZIP_NESTING = 3

# The reason a Failure gets if a reader for this format breaks on input it should have rejected.
_FALLBACK_REASON = {
    "gzip": "corrupt-gzip",
    "warc": "corrupt-warc",
    "feed": "bad-feed",
    "json": "bad-json",
    "jsonl": "bad-json",
    "csv": "bad-csv",
    "tsv": "bad-csv",
}


def read_stream(
    source: str,
    name: str,
    stream: BinaryIO,
    options: ReadOptions,
    *,
    hints: Hints = NO_HINTS,
    encoding: str | None = None,
    content_type: str | None = None,
    base_url: str | None = None,
    follow: Follow | None = None,
    depth: int = 0,
) -> Iterator[Item]:
    """Sniff `stream` (named `name` for its extension) and read it, naming results `source`.

    `hints` and `encoding` are what a container (HTTP, a feed entry) said about a single page;
    `content_type`, `base_url` and `follow` matter to feeds fetched from the web.
    """
    try:
        head, stream = peek(stream, HEAD_BYTES)
    except StreamError as error:
        # Damage in the first block of a .warc.gz is damage to the archive, as a reader sees it.
        reason = error.reason
        if reason == "corrupt-gzip" and extension(name) in (".warc", ".arc"):
            reason = "corrupt-warc"
        yield failure(source, reason, error.detail)
        return
    except OSError as error:
        yield failure(source, "unreadable", f"read error: {error.strerror or error}")
        return
    fmt = sniff(name, head)
    try:
        if fmt == "gzip":
            if depth >= MAX_GZIP_NESTING:
                yield failure(
                    source, "unsupported-format", f"gzip nested more than {MAX_GZIP_NESTING} deep"
                )
                return
            yield from read_stream(
                source,
                strip_gzip_suffix(name),
                GzipStream(stream, options.max_bytes),  # type: ignore[arg-type]
                options,
                hints=hints,
                content_type=None,
                base_url=base_url,
                follow=follow,
                depth=depth + 1,
            )
        elif fmt == "empty" and len(head) < HEAD_BYTES:
            yield failure(
                source,
                "empty",
                "0 bytes, nothing to read" if not head else "only whitespace, nothing to read",
            )
        elif fmt == "binary":
            yield failure(source, "binary", f"{describe(head) or 'binary data'}, not an article")
        elif fmt == "unsupported":
            root = xml_root(head)
            what = describe(head) or (
                f"an XML document with root <{one_line(root, 40)}>, not an RSS or Atom feed"
                if root
                else "a format newstrace does not read"
            )
            yield failure(source, "unsupported-format", what)
        elif fmt == "warc":
            yield from read_warc(source, stream, head, options)
        elif fmt == "jsonl":
            yield from read_jsonl(source, stream, options)
        elif fmt in ("csv", "tsv"):
            yield from read_csv(source, stream, head, options, tsv=fmt == "tsv")
        else:
            yield from _read_whole(
                source, fmt, stream, options, hints, encoding, content_type, base_url, follow
            )
    except StreamError as error:
        yield failure(source, error.reason, error.detail)
    except OSError as error:
        yield failure(source, "unreadable", f"read error: {error.strerror or error}")
    except Exception as error:
        # A reader met input it should have turned into a Failure itself. The user still gets one
        # line, not a traceback; "internal error" marks it as ours to fix (tests look for it).
        yield failure(
            source,
            _FALLBACK_REASON.get(fmt, "unsupported-format"),
            f"could not be read as {fmt} (internal error: {type(error).__name__}: {error}); "
            "please report this",
        )


def _read_whole(
    source: str,
    fmt: str,
    stream: BinaryIO,
    options: ReadOptions,
    hints: Hints,
    encoding: str | None,
    content_type: str | None,
    base_url: str | None,
    follow: Follow | None,
) -> Iterator[Item]:
    data = read_capped(stream, options.max_bytes)
    if data is None:
        yield failure(
            source,
            "too-large",
            f"larger than {mib(options.max_bytes)} (max_bytes); raise the limit to read it",
        )
    elif fmt == "json":
        yield from read_json(source, data, options)
    elif fmt == "feed":
        yield from read_feed(
            source, data, base_url=base_url, content_type=content_type, follow=follow
        )
    elif fmt == "html":
        yield from read_html(source, data, hints=hints, encoding=encoding)
    else:
        yield from read_text(source, data, hints=hints, encoding=encoding)
