"""WARC (and legacy ARC) archives, plain or gzip-decompressed upstream: HTML/text responses only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.utils import BUFF_SIZE

from ..records import Hints, RawDocument
from .common import Item, StreamError, failure, mib, parse_content_type
from .options import ReadOptions
from .sniff import describe, is_blank, looks_like_html

__all__ = ["read_warc"]

_DOCUMENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


class _QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator without its stderr warning on a record not followed by blank lines.

    That warning would land in the middle of a CLI's output; a wrong Content-Length shows up as
    a parse failure of the next record anyway, which this reader reports.
    """

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        empty_size = 0
        first_line = True
        while True:
            line = self.reader.readline()
            if len(line) == 0:
                return None, empty_size
            if len(line.rstrip()) == 0 or first_line:
                empty_size += len(line)
                if len(line.rstrip()) != 0:
                    self.err_count += 1
                first_line = False
                continue
            return line, empty_size


class _Truncated(Exception):
    pass


def _tell(iterator: ArchiveIterator) -> int | None:
    try:
        return int(iterator.fh.tell())
    except (OSError, ValueError, AttributeError):
        return None


def _drain(record: Any) -> int:
    """Read what is left of a record and return how many of its declared bytes never came."""
    raw = record.raw_stream
    while raw.read(BUFF_SIZE):
        pass
    return int(getattr(raw, "limit", 0) or 0)


def read_warc(source: str, stream: BinaryIO, head: bytes, options: ReadOptions) -> Iterator[Item]:
    """Each `response` record with HTTP 200 and an HTML or text payload becomes a document.

    Named `source#<WARC-Target-URI>` (`@2`, `@3` for repeats). hints.url is the target URI;
    the WARC-Date is the crawl date, not a publication date, so it is not passed on. Non-200 and
    non-text responses are reported as skips; request, metadata and other records are not
    documents and are passed over. A damaged archive yields what was read, then `corrupt-warc`.
    """
    if not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        # warcio would take any line for an ARC header; without a WARC (or ARC) start, it is not one.
        first = head.lstrip().split(b"\n", 1)[0][:40].decode("utf-8", "replace")
        yield failure(
            source,
            "corrupt-warc",
            f"no WARC header at offset 0 (it starts {first.strip()!r}); not a readable WARC archive",
        )
        return
    uris: Counter[str] = Counter()
    responses = 0
    iterator = _QuietArchiveIterator(stream)
    while True:
        offset = iterator.offset  # where the next record starts: read_to_end() below keeps it exact
        try:
            record = next(iterator)
            if record.format == "warc" and not record.rec_headers.get_header("Content-Length"):
                # Every WARC record states its length; without one, the header was cut short.
                raise _Truncated("a record header without Content-Length (cut short?)")
            item: Item | None = None
            member = ""
            missing = 0
            if record.rec_type == "response":
                uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
                # dns:, whois: and similar records are crawler bookkeeping, not pages.
                if not uri or uri.lower().startswith(("http://", "https://")):
                    responses += 1
                    key = uri or f"record-{responses}"
                    uris[key] += 1
                    member = f"{source}#{key}" if uris[key] == 1 else f"{source}#{key}@{uris[key]}"
                    item = _document(member, record, uri, options)
            missing = _drain(record)  # every record, so a cut in any of them is caught
            iterator.read_to_end()
        except StopIteration:
            # warcio ends quietly on a header cut short by EOF; bytes read past the end of the
            # last whole record show it.
            consumed = _tell(iterator)
            if consumed is not None and consumed > iterator.offset:
                yield failure(
                    source,
                    "corrupt-warc",
                    f"archive is truncated: {consumed - iterator.offset} bytes at offset "
                    f"{iterator.offset} do not make a whole record",
                )
                return
            break
        except StreamError as error:
            reason = "too-large" if error.reason == "too-large" else "corrupt-warc"
            yield failure(source, reason, f"{error.detail}; in the record at offset {offset}")
            return
        except _Truncated as error:
            yield failure(
                source, "corrupt-warc", f"archive is truncated: {error} at offset {offset}"
            )
            return
        except Exception as error:  # warcio raises bare Exceptions (and AttributeErrors) on junk
            yield failure(
                source,
                "corrupt-warc",
                f"not a valid WARC record at offset {offset}: {_brief(error)}",
            )
            return
        if missing:
            yield failure(
                source,
                "corrupt-warc",
                f"archive is truncated: the {record.rec_type} record at offset {offset} "
                f"lacks {missing} of its declared bytes",
            )
            return
        if item is not None:
            yield item
    if responses == 0:
        yield failure(source, "empty", "the archive holds no HTTP responses")


def _brief(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def _document(member: str, record: Any, uri: str, options: ReadOptions) -> Item | None:
    http = record.http_headers
    if http is None:
        return failure(member, "unsupported-format", "response record without HTTP headers")
    status = http.get_statuscode()
    if status != "200":
        return failure(member, "http-status", f"archived response has HTTP status {status}")
    mime, charset = parse_content_type(http.get_header("Content-Type"))
    if mime is not None and mime not in _DOCUMENT_TYPES:
        return failure(
            member, "unsupported-format", f"archived response is {mime}, not HTML or text"
        )
    payload = record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        return failure(member, "too-large", f"payload is larger than {mib(options.max_bytes)}")
    if is_blank(payload):
        return failure(member, "empty", "archived response has no content")
    binary = describe(payload[:4096])
    if binary is not None:
        return failure(member, "binary", f"archived response is {binary}")
    kind = _DOCUMENT_TYPES.get(mime or "", "text")
    # Servers label pages text/plain (or nothing) often enough that the markup decides.
    if kind == "text" and looks_like_html(payload[:65536].decode("utf-8", "replace")):
        kind = "html"
    return RawDocument(
        source=member,
        content=payload,
        kind=kind,
        hints=Hints(url=uri or None),
        encoding=charset,
    )
