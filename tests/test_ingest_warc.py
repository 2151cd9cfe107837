"""WARC archives built with warcio's own writer: which records become documents, and damage."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.ingest import ReadOptions, read
from newstrace.records import Failure, RawDocument

PAGE = "<html><body><article><p>Caf\xe9 talks went on.</p></article></body></html>"


def _response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str | None = "text/html; charset=utf-8",
    extra: list[tuple[str, str]] | None = None,
) -> None:
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, headers + (extra or []), protocol="HTTP/1.1")
    # An explicit length keeps warcio from buffering the payload in a temp file it never closes.
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
    )
    writer.write_record(record)


def _archive(compress: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.example")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record("https://a.example/one", "request", http_headers=request)
    )
    _response(
        writer,
        "https://a.example/one",
        PAGE.encode("latin-1"),
        content_type="text/html; charset=ISO-8859-1",
    )
    _response(writer, "https://a.example/missing", b"nope", status="404 Not Found")
    _response(
        writer, "https://a.example/logo.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png"
    )
    _response(writer, "https://a.example/notes.txt", b"Plain notes.", content_type="text/plain")
    _response(writer, "https://a.example/one", b"<html><body><p>Again, later.</p></body></html>")
    _response(
        writer,
        "https://a.example/zipped",
        gzip.compress(b"<html><body><p>Sent gzip-encoded.</p></body></html>"),
        extra=[("Content-Encoding", "gzip")],
    )
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "compress"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_responses_become_documents(tmp_path: Path, name: str, compress: bool) -> None:
    path = tmp_path / name
    path.write_bytes(_archive(compress))
    items = list(read([str(path)]))
    summary = [
        (i.source.split("#", 1)[1], i.reason if isinstance(i, Failure) else i.kind) for i in items
    ]
    assert summary == [
        ("https://a.example/one", "html"),
        ("https://a.example/missing", "http-status"),
        ("https://a.example/logo.png", "unsupported-format"),
        ("https://a.example/notes.txt", "text"),
        ("https://a.example/one@2", "html"),
        ("https://a.example/zipped", "html"),
    ]
    first = items[0]
    assert isinstance(first, RawDocument)
    assert first.source == f"{path}#https://a.example/one"
    assert first.content == PAGE.encode("latin-1")
    assert first.encoding == "iso-8859-1"
    assert first.hints.url == "https://a.example/one"
    assert first.hints.published is None  # WARC-Date is the crawl date
    assert all(i.kind == "skip" for i in items if isinstance(i, Failure))
    zipped = items[-1]
    assert isinstance(zipped, RawDocument) and b"Sent gzip-encoded." in zipped.content


def test_whole_file_gzip_is_read_too(tmp_path: Path) -> None:
    """A WARC gzipped as one member (not per record) is invalid for replay but fine to read."""
    path = tmp_path / "single-member.warc.gz"
    path.write_bytes(gzip.compress(_archive(False)))
    items = list(read([str(path)]))
    assert len([i for i in items if isinstance(i, RawDocument)]) == 4


def _documents_before(
    data: bytes, cut: int, name: str, tmp_path: Path
) -> list[RawDocument | Failure]:
    path = tmp_path / name
    path.write_bytes(data[:cut])
    return list(read([str(path)]))


@pytest.mark.parametrize(("name", "compress"), [("cut.warc", False), ("cut.warc.gz", True)])
def test_truncated_archive_yields_what_was_read_then_corrupt(
    tmp_path: Path, name: str, compress: bool
) -> None:
    data = _archive(compress)
    full = list(read([str(tmp_path / "x")], options=ReadOptions()))  # not-found, keeps types honest
    assert isinstance(full[0], Failure)
    cut = len(data) - 40  # inside the last record
    items = _documents_before(data, cut, name, tmp_path)
    *good, last = items
    assert isinstance(last, Failure)
    assert (last.reason, last.kind) == ("corrupt-warc", "quarantine")
    assert last.source == str(tmp_path / name)
    assert re.search(r"offset \d+", last.message)
    assert last.raw == data[:cut]
    assert [i.source.split("#", 1)[1] for i in good] == [
        "https://a.example/one",
        "https://a.example/missing",
        "https://a.example/logo.png",
        "https://a.example/notes.txt",
        "https://a.example/one@2",
    ]


def test_not_a_warc_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_bytes(b"This is a text file with a .warc name.\n")
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure) and item.reason == "corrupt-warc"
    assert "offset 0" in item.message


def test_archive_without_responses(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
    path = tmp_path / "info.warc.gz"
    path.write_bytes(buffer.getvalue())
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure) and item.reason == "empty"


def test_record_over_the_cap_fails_alone(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    _response(writer, "https://a.example/big", b"<p>" + b"x" * 5000 + b"</p>")
    _response(writer, "https://a.example/small", b"<p>small</p><p>page</p>")
    path = tmp_path / "caps.warc.gz"
    path.write_bytes(buffer.getvalue())
    big, small = list(read([str(path)], options=ReadOptions(max_bytes=2000)))
    assert isinstance(big, Failure) and big.reason == "too-large"
    assert big.source == f"{path}#https://a.example/big"
    assert isinstance(small, RawDocument)


def test_response_without_content_type_is_sniffed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    _response(
        writer, "https://a.example/p", b"<html><body><p>x</p></body></html>", content_type=None
    )
    _response(writer, "https://a.example/b", b"\x89PNG\r\n\x1a\n\x00\x00", content_type=None)
    path = tmp_path / "untyped.warc"
    path.write_bytes(buffer.getvalue())
    page, image = list(read([str(path)]))
    assert isinstance(page, RawDocument) and page.kind == "html"
    assert isinstance(image, Failure) and image.reason == "binary"
