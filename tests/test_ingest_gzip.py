"""gzip-compressed inputs: inner formats, damage, bombs."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from newstrace.ingest import ReadOptions, read
from newstrace.records import Failure, RawDocument


def test_gzipped_text_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"Plain words."))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(b"<html><body><p>x</p></body></html>"))
    a, b = list(read([str(tmp_path)]))
    assert isinstance(a, RawDocument) and (a.kind, a.content) == ("text", b"Plain words.")
    assert a.source == str(tmp_path / "a.txt.gz")
    assert isinstance(b, RawDocument) and b.kind == "html"


def test_inner_format_from_inner_name(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    assert [i.source for i in read([str(path)])] == [f"{path}#1", f"{path}#2"]


def test_gzip_magic_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes(gzip.compress(b"title,text\nT,Body\n"))
    [doc] = list(read([str(path)]))
    assert isinstance(doc, RawDocument)  # inner sniffed as text: no .csv name to say otherwise
    path2 = tmp_path / "export.csv.gz"
    path2.write_bytes(gzip.compress(b"title,text\nT,Body\n"))
    [row] = list(read([str(path2)]))
    assert isinstance(row, RawDocument) and row.source == f"{path2}#1" and row.content == b"Body"


def test_multi_member_gzip(tmp_path: Path) -> None:
    path = tmp_path / "parts.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n') + gzip.compress(b'{"text": "two"}\n'))
    assert [i.content for i in read([str(path)]) if isinstance(i, RawDocument)] == [b"one", b"two"]


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(b"Some text that will be cut off. " * 200)
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure)
    assert (item.reason, item.kind) == ("corrupt-gzip", "quarantine")
    assert item.raw == data[: len(data) // 2]


def test_truncated_gzip_jsonl_keeps_the_lines_before(tmp_path: Path) -> None:
    lines = b"".join(b'{"text": "line %d"}\n' % i for i in range(2000))
    data = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: int(len(data) * 0.8)])
    items = list(read([str(path)]))
    *docs, last = items
    assert isinstance(last, Failure) and last.reason == "corrupt-gzip"
    assert last.source == str(path)
    assert len(docs) > 100
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.source for d in docs] == [f"{path}#{n}" for n in range(1, len(docs) + 1)]


def test_damaged_gzip(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(b"x" * 10_000 + b"Some words. " * 500))
    data[30:40] = b"\xff" * 10
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(bytes(data))
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure) and item.reason == "corrupt-gzip"


def test_gzip_bomb_is_stopped(tmp_path: Path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = compressor.compress(b"\n" * (20 * 1024 * 1024)) + compressor.flush()
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(bomb)
    [item] = list(read([str(path)], options=ReadOptions(max_bytes=1024 * 1024)))
    assert isinstance(item, Failure) and item.reason == "too-large"
    assert "gzip bomb" in item.message


def test_decompressed_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "big.txt.gz"
    path.write_bytes(gzip.compress(b"word " * 1000))
    [item] = list(read([str(path)], options=ReadOptions(max_bytes=1000)))
    assert isinstance(item, Failure) and item.reason == "too-large"


@pytest.mark.parametrize("inner", [b"", b"   \n"])
def test_gzip_of_nothing(tmp_path: Path, inner: bytes) -> None:
    path = tmp_path / "empty.txt.gz"
    path.write_bytes(gzip.compress(inner))
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure) and item.reason == "empty"


def test_nesting_is_bounded(tmp_path: Path) -> None:
    data = b"deep"
    for _ in range(5):
        data = gzip.compress(data)
    path = tmp_path / "deep.gz"
    path.write_bytes(data)
    [item] = list(read([str(path)]))
    assert isinstance(item, Failure) and item.reason == "unsupported-format"
