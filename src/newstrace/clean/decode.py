"""Bytes to text for plain-text inputs: BOMs, lying declarations, legacy code pages, and binary refusal.

`decode_bytes` either returns the text or raises `DecodeError` with a reason a summary can count
("binary" for files that are not text at all, "undecodable" when no text encoding fits).
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from ..errors import NewstraceError

__all__ = ["DecodeError", "decode_bytes", "looks_binary"]


class DecodeError(NewstraceError, ValueError):
    """The bytes are not text we can read.

    `reason` is "binary" (an image, archive, PDF, executable, or bytes full of control codes: skip
    it) or "undecodable" (it looks like text but no encoding fits: quarantine it and re-run once a
    better decoder exists). The message is one line naming the source, the reason and the detail.
    """

    def __init__(self, source: str, reason: str, detail: str) -> None:
        self.source = source
        self.reason = reason
        self.detail = detail
        super().__init__(f"{source or '<bytes>'}: {reason}: {detail}")


# File signatures of formats that are never a plain-text article, checked at offset 0.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office/EPUB file)"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon file"),
    (b"RIFF", "RIFF media (WAV/AVI/WebP)"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM media"),
    (b"\x7fELF", "ELF executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\x00asm", "WebAssembly module"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)
# "BZh" and "ID3"/"RIFF" are three or four printable letters: a text could begin with them, so
# those signatures only count when the bytes after them are not text either.
_WEAK_MAGIC: Final = {
    b"BZh",
    b"ID3",
    b"RIFF",
    b"OggS",
    b"fLaC",
    b"wOFF",
    b"wOF2",
    b"GIF87a",
    b"GIF89a",
}

# Order matters: the UTF-32-LE mark begins with the UTF-16-LE one. The codecs named here consume
# the mark themselves.
_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab, newline, vertical tab, form feed, carriage return and escape, plus
# DEL. A real text file has almost none; a binary one is full of them.
_CONTROL_BYTES: Final = frozenset(
    [*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20), 0x7F]
)
_CONTROL_SHARE: Final = 0.05
_SAMPLE: Final = 65536

# WHATWG: labels that browsers decode as windows-1252, because that is what such pages really are.
_WINDOWS_1252_ALIASES: Final = {"latin_1", "iso8859_1", "ascii", "iso8859_15"}

# Code pages a news text can plausibly be in. charset-normalizer also offers DOS and Mac pages; on a
# short Western text they tie with windows-1252 and turn "naïve" into "naďve", so they are left out.
_WEB_CODECS: Final = re.compile(
    r"^(?:cp125\d|iso8859_\d+|latin_1|koi8_[ru]|shift_jis|cp932|euc_jp|euc_kr|cp949|gb2312|gbk|"
    r"gb18030|big5|big5hkscs|iso2022_jp|tis_620|cp874|utf_8|utf_16(?:_[lb]e)?|utf_32(?:_[lb]e)?|ascii)$"
)
# Above this "mess" (charset-normalizer's measure of implausible characters) a declared encoding
# is taken to be lying.
_DECLARED_MESS: Final = 0.1


def _magic(content: bytes) -> str | None:
    for sig, name in _MAGIC:
        if content.startswith(sig):
            if sig in _WEAK_MAGIC and not _has_controls(content[:512]):
                continue
            return name
    return None


def _has_controls(sample: bytes) -> bool:
    return b"\x00" in sample or any(b in _CONTROL_BYTES for b in sample)


def _bom(content: bytes) -> str | None:
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec
    return None


def _utf16_or_32_without_bom(sample: bytes) -> str | None:
    """Guess UTF-16/32 from where the NUL bytes fall: ASCII-range text in UTF-16 has one NUL per pair."""
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    sample = sample[:n]
    cols = [sample[i::4].count(0) / (n // 4) for i in range(4)]
    if cols[1] > 0.9 and cols[2] > 0.9 and cols[3] > 0.9 and cols[0] < 0.5:
        return "utf-32-le"
    if cols[0] > 0.9 and cols[1] > 0.9 and cols[2] > 0.9 and cols[3] < 0.5:
        return "utf-32-be"
    even = (cols[0] + cols[2]) / 2
    odd = (cols[1] + cols[3]) / 2
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


def _binary_reason(content: bytes) -> str | None:
    """Why these bytes are not text, or None when they may be."""
    if not content:
        return None
    kind = _magic(content)
    if kind:
        return f"starts with the signature of a {kind}"
    if _bom(content) or _utf16_or_32_without_bom(content[:_SAMPLE]):
        return None
    sample = content[:_SAMPLE]
    if b"\x00" in sample:
        return "contains NUL bytes"
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    if controls / len(sample) > _CONTROL_SHARE:
        return f"{controls / len(sample):.0%} of its bytes are control codes"
    return None


def looks_binary(content: bytes) -> bool:
    """True when the bytes are a binary format (image, archive, PDF, executable) or not text at all.

    UTF-16 and UTF-32 text, with or without a byte-order mark, is text even though it holds NULs.
    """
    return _binary_reason(content) is not None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None
    return name.replace("-", "_")


def _strict(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _mess(text: str) -> float:
    from charset_normalizer.md import mess_ratio

    return float(mess_ratio(text[:_SAMPLE]))


def _text_controls(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\x0b\x0c") or ch == "\x7f")
    return bad / len(sample)


def _declared(content: bytes, declared: str | None) -> str | None:
    """The text under the declared encoding, if the declaration is plausible for these bytes."""
    codec = _codec_name(declared)
    if codec is None or codec.startswith("utf_8"):
        return None  # UTF-8 was already tried strictly; a failed UTF-8 claim is a lie
    if codec in _WINDOWS_1252_ALIASES:
        codec = "cp1252"
    text = _strict(content, codec)
    if text is None and codec == "cp1252":
        text = _strict(content, "latin_1")
    if text is None or _text_controls(text) > _CONTROL_SHARE or _mess(text) > _DECLARED_MESS:
        return None
    return text


def _detected(content: bytes) -> str | None:
    """charset-normalizer's reading, preferring windows-1252 among equally plausible Western pages."""
    from charset_normalizer import from_bytes

    ranked: list[tuple[float, float, int, str]] = []
    for match in from_bytes(content):
        for codec in match.could_be_from_charset:
            if _WEB_CODECS.match(codec):
                ranked.append(
                    (round(match.chaos, 2), -round(match.coherence, 2), codec != "cp1252", codec)
                )
    for *_, codec in sorted(ranked):
        text = _strict(content, codec)
        if text is not None:
            return text
    return None


def decode_bytes(content: bytes, declared: str | None = None, source: str = "") -> str:
    """Decode a text file's bytes, trusting evidence over labels.

    Order: a byte-order mark; UTF-16/32 recognised by its NUL pattern; strict UTF-8 (a multi-byte
    UTF-8 sequence is almost never accidental, so it beats any declaration); the declared encoding
    if the result reads as plausible text (latin-1 and ascii labels mean windows-1252, as in
    browsers); then charset-normalizer's detection, preferring windows-1252 when it ties.

    Raises `DecodeError` with reason "binary" for images, archives, PDFs, executables and bytes full
    of control codes, and "undecodable" when no text encoding fits. Empty input gives "".
    """
    if not content:
        return ""
    why = _binary_reason(content)
    if why and not (_wide_declared(declared) and _magic(content) is None):
        raise DecodeError(source, "binary", why)
    text: str | None = None
    bom = _bom(content)
    if bom:
        text = _strict(content, bom)
        if text is None and bom == "utf-32":  # FF FE 00 00 may also be UTF-16-LE starting with NUL
            text = _strict(content, "utf-16")
    if text is None:
        wide = _utf16_or_32_without_bom(content[:_SAMPLE]) or _wide_declared(declared)
        if wide:
            text = _strict(content, wide)
    if text is None:
        text = _strict(content, "utf-8")
    if text is None:
        text = _declared(content, declared)
    if text is None:
        text = _detected(content)
    if text is None:
        raise DecodeError(source, "undecodable", "no text encoding fits")
    if _text_controls(text) > _CONTROL_SHARE:
        raise DecodeError(source, "binary", "the decoded text is mostly control characters")
    return text.lstrip("\ufeff")


def _wide_declared(declared: str | None) -> str | None:
    codec = _codec_name(declared)
    return codec if codec and codec.startswith(("utf_16", "utf_32")) else None
