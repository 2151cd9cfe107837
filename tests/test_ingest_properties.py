"""Property tests: whatever the bytes and whatever the name, readers yield values, never raise."""

from __future__ import annotations

import gzip
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.ingest import REASONS, ReadOptions, read
from newstrace.records import Failure, RawDocument

SETTINGS = settings(
    max_examples=150,
    deadline=None,  # a shared 2-core machine; timing is not what these tests check
    suppress_health_check=[HealthCheck.too_slow],
)

EXTENSIONS = [
    "", ".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".warc",
    ".warc.gz", ".gz", ".rss", ".atom", ".xml", ".jsonl.gz", ".csv.gz", ".txt.gz", ".bin",
]  # fmt: skip

# Starts of real formats, so that random tails reach deep into each reader, not just the sniffer.
PREFIXES = [
    b"",
    b"WARC/1.0\r\n",
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
    b'{"text": ',
    b'[{"text": "a"}, ',
    b'{"text": "a"}\n{',
    b"<?xml version='1.0'?><rss version='2.0'><channel><item><description>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='html'>",
    b"<!doctype html><html><body>",
    b"title,text\n",
    b'title,text\n"unterminated',
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]


def _check(items: list[RawDocument | Failure], source: str) -> None:
    for item in items:
        assert isinstance(item, RawDocument | Failure)
        assert item.source == source or item.source.startswith(source + "#")
        if isinstance(item, Failure):
            assert item.reason in REASONS
            assert item.kind in ("skip", "quarantine", "retry")
            assert "\n" not in item.message and item.message.startswith(source)
            assert "internal error" not in item.message, item.message
        else:
            assert item.kind in ("text", "html")
            assert isinstance(item.content, bytes) and item.content.strip()


def _read_bytes(
    data: bytes, name: str, **options: object
) -> tuple[list[RawDocument | Failure], str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(read([str(path)], options=ReadOptions(**options)))  # type: ignore[arg-type]
        return items, str(path)


@SETTINGS
@given(
    prefix=st.sampled_from(PREFIXES),
    tail=st.binary(max_size=2048),
    ext=st.sampled_from(EXTENSIONS),
    compress=st.booleans(),
)
def test_any_bytes_under_any_name(prefix: bytes, tail: bytes, ext: str, compress: bool) -> None:
    data = prefix + tail
    if compress:
        data = gzip.compress(data)
    items, source = _read_bytes(data, "input" + ext, max_bytes=4096)
    _check(items, source)
    assert items, "every input yields at least one value"


@SETTINGS
@given(text=st.text(max_size=500), ext=st.sampled_from(EXTENSIONS))
def test_any_text_under_any_name(text: str, ext: str) -> None:
    items, source = _read_bytes(text.encode("utf-8", "surrogatepass"), "input" + ext)
    _check(items, source)
    assert items


def _jsonl_gzip() -> bytes:
    return gzip.compress(b"".join(b'{"text": "record %d"}\n' % i for i in range(300)))


JSONL_GZ = _jsonl_gzip()


@SETTINGS
@given(cut=st.integers(min_value=2, max_value=len(JSONL_GZ) - 1))
def test_truncated_gzip_is_a_failure(cut: int) -> None:
    items, source = _read_bytes(JSONL_GZ[:cut], "dump.jsonl.gz")
    _check(items, source)
    *docs, last = items
    assert isinstance(last, Failure) and last.reason == "corrupt-gzip"
    assert all(isinstance(d, RawDocument) for d in docs)
    # What came before the damage is exactly the first lines, none of them cut short.
    assert [d.content for d in docs if isinstance(d, RawDocument)] == [
        b"record %d" % i for i in range(len(docs))
    ]


def _warc(compress: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for i in range(4):
        body = b"<html><body><p>Page %d.</p><p>More words.</p></body></html>" % i
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://a.example/{i}",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
            )
        )
    return buffer.getvalue()


def _record_bounds(data: bytes) -> set[int]:
    """Offsets where a record starts or ends (and, uncompressed, the blank lines after it)."""
    iterator = ArchiveIterator(io.BytesIO(data))
    bounds = {len(data)}
    for _ in iterator:
        start, length = iterator.get_record_offset(), iterator.get_record_length()
        bounds.update(range(start + length, start + length + 5))
        bounds.add(start)
    return bounds


WARCS = {compress: _warc(compress) for compress in (False, True)}
BOUNDS = {compress: _record_bounds(data) for compress, data in WARCS.items()}


@SETTINGS
@given(compress=st.booleans(), fraction=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_warc_is_a_failure(compress: bool, fraction: float) -> None:
    data = WARCS[compress]
    cut = 2 + int(fraction * (len(data) - 3))
    items, source = _read_bytes(data[:cut], "crawl.warc.gz" if compress else "crawl.warc")
    _check(items, source)
    docs = [i for i in items if isinstance(i, RawDocument)]
    # Never a page cut short: every document is one of the whole pages, in order.
    assert [d.content for d in docs] == [
        b"<html><body><p>Page %d.</p><p>More words.</p></body></html>" % i for i in range(len(docs))
    ]
    if cut not in BOUNDS[compress]:
        assert isinstance(items[-1], Failure)
        assert items[-1].reason == "corrupt-warc", items[-1].message
