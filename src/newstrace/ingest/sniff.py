"""Format detection from a name and the first bytes: content signatures win over extensions."""

from __future__ import annotations

import codecs
import json
import os
import re

__all__ = [
    "FORMATS",
    "describe",
    "extension",
    "extension_for",
    "is_blank",
    "looks_like_html",
    "sniff",
    "strip_gzip_suffix",
    "xml_root",
]

# What `sniff` can answer. "unsupported" is a recognised format we do not read (xz, tar, sitemaps).
FORMATS = (
    "empty",
    "binary",
    "unsupported",
    "gzip",
    "warc",
    "feed",
    "html",
    "json",
    "jsonl",
    "csv",
    "tsv",
    "text",
)

GZIP_MAGIC = b"\x1f\x8b"

# How far into the head to look for a root element past comments and an XML prolog.
HEAD_SCAN = 16 * 1024

# (offset, signature, description): formats that are not text and never become articles.
_BINARY_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive (or a DOCX/EPUB/XLSX, which are ZIPs)"),
    (0, b"PK\x05\x06", "empty ZIP archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (0, b"\x7fELF", "executable"),
    (0, b"MZ\x90\x00", "Windows executable"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"OggS", "Ogg media"),
    (0, b"ID3", "MP3 audio"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"wOFF", "web font"),
    (0, b"wOF2", "web font"),
    (0, b"\x00asm", "WebAssembly module"),
    (4, b"ftyp", "MP4/MOV video"),
    (8, b"WEBP", "WebP image"),
    (8, b"AVI ", "AVI video"),
    (8, b"WAVE", "WAV audio"),
)

# Text-bearing containers we recognise but do not unpack: the message says how to get at them.
_UNSUPPORTED_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xfd7zXZ\x00", "xz-compressed data; decompress it first (unxz)"),
    (0, b"\x28\xb5\x2f\xfd", "zstd-compressed data; decompress it first (unzstd)"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive; extract it first"),
    (0, b"Rar!\x1a\x07", "RAR archive; extract it first"),
    (257, b"ustar", "tar archive; extract it first (tar -xf)"),
)

_GZIP_EXTS = (".gz", ".gzip", ".tgz")
_WARC_EXTS = {".warc", ".arc"}
_JSON_EXTS = {".json"}
_JSONL_EXTS = {".jsonl", ".ndjson", ".jsonlines", ".ldjson"}
_CSV_EXTS = {".csv"}
_TSV_EXTS = {".tsv", ".tab"}
_FEED_EXTS = {".rss", ".atom", ".rdf", ".xml"}
_HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}

_FEED_ROOTS = {"rss", "feed", "rdf"}
# Elements an HTML page or fragment starts with; an XML root outside this set is not HTML.
_HTML_ROOTS = {
    "html", "head", "body", "meta", "title", "link", "script", "style", "base", "div", "p",
    "span", "a", "article", "section", "main", "header", "footer", "nav", "aside", "h1", "h2",
    "h3", "h4", "h5", "h6", "table", "ul", "ol", "li", "br", "hr", "img", "figure", "form",
    "blockquote", "strong", "em", "b", "i", "pre", "noscript", "iframe", "center", "font",
}  # fmt: skip

_TAGS = (
    r"p|div|br|span|a|html|body|head|article|section|main|h[1-6]|ul|ol|li|table|tr|td|img|"
    r"strong|em|b|i|blockquote|figure|figcaption|header|footer|nav|meta|title|script|style"
)
_OPEN_TAG = re.compile(rf"<(?:{_TAGS})(?:\s[^<>]*)?/?>", re.I)
_CLOSE_TAG = re.compile(rf"</(?:{_TAGS})\s*>", re.I)
_DOCUMENT_TAG = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]", re.I)
_JSON_START = re.compile(r'\{\s*(?:"|\}|$)|\[\s*(?:\{|\]|$)')
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w:.-]*)")
# Control bytes that do not occur in text (tab, newlines, form feed and escape do).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def describe(head: bytes) -> str | None:
    """Name the binary or unsupported format the bytes start with, if any."""
    for offset, magic, what in (*_BINARY_MAGIC, *_UNSUPPORTED_MAGIC):
        if head[offset : offset + len(magic)] == magic:
            if magic == b"ID3" and len(head) > 3 and head[3] not in (2, 3, 4):
                continue
            return what
    if head[:3] == b"BZh" and head[4:10] == b"1AY&SY":
        return "bzip2-compressed data; decompress it first (bunzip2)"
    if _probe(head) is None:
        return "binary data (NUL or control bytes)"
    return None


def _probe(head: bytes) -> str | None:
    """Decode the head for structural checks, or None if it is not text at all."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(codec, "replace")
    if b"\x00" in head:
        return None
    sample = head[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls * 10 > len(sample):
        return None
    return head.decode("utf-8", "replace")


def is_blank(data: bytes) -> bool:
    """True for 0 bytes or only whitespace (in any Unicode encoding with a BOM)."""
    if not data.strip():
        return True
    # Only a BOM-marked encoding or Unicode spaces can hide blankness from bytes.strip(); decide
    # on the first 4 KiB when a visible character is there, so documents are not decoded whole.
    head = _probe(data[:4096])
    if head is None:
        return False
    if len(data) > 4096:
        head = head.rstrip("\ufffd")  # a character cut at the 4 KiB mark
    if head.lstrip("\ufeff").strip():
        return False
    if len(data) <= 4096:
        return True
    whole = _probe(data)
    return whole is not None and not whole.lstrip("\ufeff").strip()


def looks_like_html(text: str) -> bool:
    """True if the text carries HTML markup (not just a stray `<` or an `<email@x>`)."""
    sample = text[: 64 * 1024]
    if _DOCUMENT_TAG.search(sample) or _CLOSE_TAG.search(sample):
        return True
    return len(_OPEN_TAG.findall(sample, 0)) >= 2


def _root_element(text: str) -> tuple[str | None, bool]:
    """The first element name after the XML prolog, comments and doctype; and if a prolog exists."""
    pos = 0
    prolog = False
    n = len(text)
    while pos < n:
        while pos < n and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            prolog = prolog or text[pos : pos + 5].lower() == "<?xml"
            end = text.find("?>", pos)
            if end < 0:
                return None, prolog
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            if end < 0:
                return None, prolog
            pos = end + 3
        elif text[pos : pos + 9].lower() == "<!doctype":
            if re.match(r"<!doctype\s+html\b", text[pos : pos + 30], re.I):
                return "html", prolog
            end = text.find(">", pos)
            if end < 0:
                return None, prolog
            pos = end + 1
        else:
            match = _ROOT_NAME.match(text, pos)
            return (match.group(1).lower() if match else None), prolog
    return None, prolog


def xml_root(head: bytes) -> str | None:
    """The root element name of an XML or HTML document, lower-cased, if the head shows one."""
    probe = _probe(head)
    return None if probe is None else _root_element(probe.lstrip("\ufeff")[:HEAD_SCAN])[0]


def _first_line_is_json(text: str) -> bool:
    line = text.split("\n", 1)[0].strip()
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _is_jsonl(text: str) -> bool:
    """One complete JSON value on the first line and another line after it."""
    first, _, rest = text.partition("\n")
    return _first_line_is_json(first) and rest.lstrip().startswith(("{", "["))


def extension(name: str) -> str:
    """The lower-cased extension of a path or URL path; gzip suffixes are kept as they are."""
    base = os.path.basename(name.rstrip("/")).lower()
    return os.path.splitext(base)[1]


def strip_gzip_suffix(name: str) -> str:
    """The name of what a gzip file holds: `a.jsonl.gz` -> `a.jsonl`, `a.tgz` -> `a.tar`."""
    lower = name.lower()
    if lower.endswith(".tgz"):
        return name[:-4] + ".tar"
    for suffix in (".gzip", ".gz"):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def sniff(name: str, head: bytes) -> str:
    """Decide an input's format from its name and first bytes; returns one of `FORMATS`.

    Signatures in the content (binary magic, gzip, `WARC/`, an HTML or feed root element) win
    over the extension, because extensions lie: a `.txt` that is really HTML or a PNG. Where the
    content is ambiguous (`{`, plain text), the extension decides.
    """
    if not head:
        return "empty"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.lstrip().startswith((b"WARC/", b"filedesc://")):
        return "warc"  # before the binary check: an archive holds images with NUL bytes
    if describe(head) is not None:
        return "unsupported" if _unsupported(head) else "binary"
    probe = _probe(head)
    if probe is None:  # pragma: no cover - describe() already caught it
        return "binary"
    text = probe.lstrip("\ufeff").lstrip()
    if not text:
        return "empty"
    ext = extension(name)
    if ext in _GZIP_EXTS:
        # A .gz whose bytes are not gzip: a server decoded it in transit, or it was misnamed.
        ext = extension(strip_gzip_suffix(name))
    root, prolog = _root_element(text[:HEAD_SCAN])
    if root is not None:
        local = root.rsplit(":", 1)[-1]
        if local in _FEED_ROOTS:
            return "feed"
        if root in _HTML_ROOTS and not (prolog and root != "html"):
            return "html"
        if prolog or ext in _FEED_EXTS:
            return "unsupported"
    if ext in _WARC_EXTS:
        return "warc"
    if ext in _JSON_EXTS:
        return "json"
    if ext in _JSONL_EXTS:
        if text.startswith("[") and not _first_line_is_json(text):
            return "json"  # a pretty-printed array under a JSONL name
        return "jsonl"
    if ext in _CSV_EXTS:
        return "csv"
    if ext in _TSV_EXTS:
        return "tsv"
    if ext in _FEED_EXTS:
        return "feed"
    if ext in _HTML_EXTS:
        return "html" if looks_like_html(text) else "text"
    if _JSON_START.match(text):
        return "jsonl" if _is_jsonl(text) else "json"
    if text.startswith("<") and looks_like_html(text):
        return "html"
    return "text"


def _unsupported(head: bytes) -> bool:
    if head[:3] == b"BZh" and head[4:10] == b"1AY&SY":
        return True
    return any(head[o : o + len(m)] == m for o, m, _ in _UNSUPPORTED_MAGIC)


# A file extension per format, for writing an input's bytes back out under a name we choose.
_SUFFIX = {
    "gzip": ".gz",
    "warc": ".warc",
    "feed": ".xml",
    "html": ".html",
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "tsv": ".tsv",
    "text": ".txt",
}


_KNOWN_SUFFIXES = frozenset(
    {
        ".txt",
        ".html",
        ".htm",
        ".json",
        ".jsonl",
        ".ndjson",
        ".csv",
        ".tsv",
        ".warc",
        ".xml",
        ".rss",
        ".atom",
    }
)


def extension_for(source: str, data: bytes) -> str:
    """The extension that makes `newstrace run` read `data` as it was read from `source`.

    The source's own extension when it is one we read (`.warc.gz` says what is inside the gzip),
    taken from a fixed list, never copied from the untrusted name; else one chosen by sniffing.
    A member of a container (`feed.xml#3`, `dump.warc#<uri>`) is not the container: its bytes
    alone decide.
    """
    if "#" in source:
        return _SUFFIX.get(sniff("", data[:HEAD_SCAN]), ".bin")
    name = source.lower()
    gz = name.endswith(".gz")
    stem = name.removesuffix(".gz")
    for suffix in _KNOWN_SUFFIXES:
        if stem.endswith(suffix):
            return suffix + (".gz" if gz else "")
    return _SUFFIX.get(sniff(source, data[:HEAD_SCAN]), ".bin")
