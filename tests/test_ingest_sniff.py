"""Format detection: content signatures win over extensions; ambiguous content follows the name."""

from __future__ import annotations

import codecs
import gzip

import pytest

from newstrace.ingest import FORMATS, sniff
from newstrace.ingest.sniff import describe, is_blank, looks_like_html

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"Moscow (Reuters) - Talks resumed.", "text"),
        ("a.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("a.txt", b"  \n<html lang='en'><head></head></html>", "html"),
        ("a.txt", PNG, "binary"),
        ("a.html", PNG, "binary"),
        ("a.html", b"Just words, no markup at all.", "text"),
        ("a.html", b"<div><p>fragment</p></div>", "html"),
        ("a.txt", b"%PDF-1.7\n%\xe2\xe3", "binary"),
        ("a.txt", b"PK\x03\x04\x14\x00", "binary"),
        ("a.txt", b"text with a \x00 NUL byte", "binary"),
        ("a.txt", b"", "empty"),
        ("a.txt", b" \n\t\r\n ", "empty"),
        ("a.txt", codecs.BOM_UTF16_LE + "Hello".encode("utf-16-le"), "text"),
        ("a.bin", gzip.compress(b"hello"), "gzip"),
        ("a.txt.gz", gzip.compress(b"hello"), "gzip"),
        ("a.warc", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        ("a.txt", b"WARC/1.1\r\nWARC-Type: response\r\n", "warc"),
        ("a.warc", b"not an archive", "warc"),  # the reader will call it corrupt
        ("feed", b"<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", "feed"),
        ("x.txt", b"<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title></feed>", "feed"),
        ("x.xml", b"<?xml version='1.0'?><!-- c --><rdf:RDF xmlns:rdf='x'></rdf:RDF>", "feed"),
        ("sitemap.xml", b"<?xml version='1.0'?><urlset><url></url></urlset>", "unsupported"),
        ("a.xhtml", b"<?xml version='1.0'?><html xmlns='x'><body><p>x</p></body></html>", "html"),
        ("a.json", b'[{"title": "x"}]', "json"),
        ("a.json", b"Moscow said", "json"),  # named JSON: a JSON error, not a text article
        ("a.jsonl", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("a.jsonl", b'[\n  {"a": 1}\n]', "json"),
        ("a.txt", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("-", b'{\n  "a": 1\n}\n', "json"),
        ("-", b'[{"a": 1}]', "json"),
        ("a.txt", b"[Reuters] Moscow said on Tuesday", "text"),
        ("a.txt", b"{braces} in prose", "text"),
        ("a.csv", b"title,text\nA,B\n", "csv"),
        ("a.tsv", b"title\ttext\nA\tB\n", "tsv"),
        ("a.rss", b"garbage that is not xml", "feed"),
        ("a.txt", b"BZh91AY&SY\x00\x00", "unsupported"),
        ("a.txt", b"\xfd7zXZ\x00\x00", "unsupported"),
        ("a.txt", b"a" * 257 + b"ustar\x00", "unsupported"),
        ("a.gz", b"plain text the server decompressed", "text"),
        ("a.jsonl.gz", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
    ],
)
def test_sniff(name: str, head: bytes, expected: str) -> None:
    assert expected in FORMATS
    assert sniff(name, head) == expected


def test_describe_names_the_format() -> None:
    assert describe(PNG) == "PNG image"
    assert describe(b"plain text") is None
    assert "bzip2" in (describe(b"BZh91AY&SY....") or "")


def test_latin1_text_is_not_binary() -> None:
    assert sniff("a.txt", "Caf\xe9 cr\xe8me, na\xefve".encode("latin-1")) == "text"


def test_is_blank() -> None:
    assert is_blank(b"")
    assert is_blank(b" \n\t")
    assert is_blank(codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"))
    assert is_blank("\u00a0\u3000".encode())
    assert not is_blank(b" a ")


def test_looks_like_html() -> None:
    assert looks_like_html("<p>one</p>")
    assert looks_like_html("a<br>b<br>c")
    assert not looks_like_html("x < y and y > z")
    assert not looks_like_html("Write to <editor@example.com>.")
    assert not looks_like_html("a single <br> is not enough")
