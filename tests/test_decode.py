"""Decoding plain-text bytes: BOMs, lying declarations, legacy code pages, binary refusal."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newstrace.clean.decode import DecodeError, decode_bytes, looks_binary

WESTERN = "Café “Zoë” Müller said: ‘It’s fine’ — the naïve façade of talks, François Hollande and José Martí agreed."
CYRILLIC = "Президент России Владимир Путин заявил во вторник, что территория Украины используется третьими странами."


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [
        ("utf-8", None),
        ("utf-8", "utf-8"),
        ("cp1252", None),
        ("cp1252", "windows-1252"),
        ("cp1252", "utf-8"),  # a lying UTF-8 label: the bytes are not valid UTF-8
        ("cp1252", "iso-8859-1"),  # latin-1 labels mean windows-1252, curly quotes included
        ("cp1252", "ascii"),
        ("utf-8", "iso-8859-1"),  # valid multi-byte UTF-8 beats a legacy label
        ("utf-8", "cp1251"),
    ],
)
def test_western_text_comes_out_right(encoding: str, declared: str | None) -> None:
    assert decode_bytes(WESTERN.encode(encoding), declared, "a.txt") == WESTERN


def test_latin1_without_curly_quotes() -> None:
    text = "Señor Muñoz dijo que la situación en Zürich es difícil, según Björn Ålund."
    assert decode_bytes(text.encode("latin-1"), None, "es.txt") == text


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + WESTERN.encode("utf-8"),
        WESTERN.encode("utf-16"),  # with BOM, native order
        codecs.BOM_UTF16_BE + WESTERN.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + WESTERN.encode("utf-16-le"),
        WESTERN.encode("utf-16-le"),  # no BOM: recognised by where the NULs fall
        WESTERN.encode("utf-16-be"),
        WESTERN.encode("utf-32"),
        WESTERN.encode("utf-32-le"),
        WESTERN.encode("utf-32-be"),
    ],
)
def test_boms_and_wide_encodings(data: bytes) -> None:
    assert decode_bytes(data, None, "wide.txt") == WESTERN


def test_bom_is_not_left_in_the_text() -> None:
    assert not decode_bytes(codecs.BOM_UTF8 + b"Hello there", None, "x").startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_cyrillic_legacy_encodings(encoding: str) -> None:
    assert decode_bytes(CYRILLIC.encode(encoding), encoding, "ru.txt") == CYRILLIC


def test_cyrillic_detected_without_a_label_and_despite_a_wrong_one() -> None:
    data = CYRILLIC.encode("cp1251")
    assert decode_bytes(data, None, "ru.txt") == CYRILLIC
    assert decode_bytes(data, "windows-1252", "ru.txt") == CYRILLIC


def test_declared_utf16_without_bom_for_non_latin_text() -> None:
    # Cyrillic UTF-16 has no NUL bytes to recognise it by; the label is what tells.
    assert decode_bytes(CYRILLIC.encode("utf-16-le"), "utf-16-le", "ru16.txt") == CYRILLIC


def test_unknown_label_is_ignored() -> None:
    assert decode_bytes(WESTERN.encode("cp1252"), "no-such-codec", "x") == WESTERN


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode_bytes(b"", None, "empty.txt") == ""


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (b"The story begins\x00\x00and then binary", "NUL"),
        (bytes(range(1, 32)) * 20 + b"some words", "control"),
    ],
)
def test_binary_is_refused_with_a_named_reason(data: bytes, detail: str) -> None:
    assert looks_binary(data)
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, None, "photo.txt")
    err = info.value
    assert err.reason == "binary"
    assert err.source == "photo.txt"
    message = str(err)
    assert message.startswith("photo.txt: binary: ")
    assert detail.lower() in message.lower()
    assert "\n" not in message


@pytest.mark.parametrize(
    "data",
    [
        b"BZh is how the memo began, and it went on in plain words.",
        b"RIFF between the allies widened on Tuesday.",
        b"ID3 is not a signature when plain words follow it.",
        WESTERN.encode("utf-16-le"),
        b"Tabs\tand\fform feeds\r\nare text.",
    ],
)
def test_text_that_only_resembles_binary_is_not_binary(data: bytes) -> None:
    assert not looks_binary(data)
    decode_bytes(data, None, "ok.txt")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(0x80, 0x100))
        * 3,  # every high byte, no structure: no code page reads it as words
        b"The " + bytes(range(0xA0, 0x100)) + b" end",
    ],
)
def test_undecodable_has_its_own_reason(data: bytes) -> None:
    assert not looks_binary(data)  # no NULs or control codes: it is not binary, just unreadable
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, None, "odd.txt")
    assert info.value.reason == "undecodable"
    assert str(info.value) == "odd.txt: undecodable: no text encoding fits"


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=3000),
    st.sampled_from([None, "utf-8", "latin-1", "utf-16", "cp1251", "bogus"]),
)
def test_arbitrary_bytes_give_text_or_a_decode_error(data: bytes, declared: str | None) -> None:
    try:
        text = decode_bytes(data, declared, "fuzz.bin")
    except DecodeError as err:
        assert err.reason in {"binary", "undecodable"}
        assert str(err).startswith("fuzz.bin: ")
    else:
        assert isinstance(text, str)


_PRINTABLE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=400
)


@settings(max_examples=200, deadline=None)
@given(_PRINTABLE, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_text_round_trips(text: str, encoding: str) -> None:
    assume(not text.startswith(("%PDF-", "\ufeff")))
    assert decode_bytes(text.encode(encoding), None, "rt.txt") == text
