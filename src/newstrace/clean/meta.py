"""Metadata helpers shared by the text and HTML cleaners: dates, outlets, language, authors, Unicode."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = [
    "clean_authors",
    "detect_language",
    "normalize_text",
    "outlet_from_url",
    "parse_date",
]

# Typographic variants folded to one form each. Curly double and single quotes are kept as they are
# (their open/close direction is what quote detection pairs on); only rarer look-alikes are folded.
_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,  # stray byte-order mark
        "\u00ad": None,  # soft hyphen
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "\u2013",
        "\u2015": "\u2014",
        "\u201e": "\u201c",  # „ low opening double quote
        "\u201f": "\u201c",
        "\u2033": "\u201d",  # ″ double prime used as a quote
        "\u201a": "\u2018",
        "\u201b": "\u2018",
        "\u2032": "\u2019",
        "\u0060": "\u2018",
        "\u00b4": "\u2019",
        "\r": None,
    }
)
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANKS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Fold Unicode look-alikes and stray spacing, keeping words, punctuation and paragraphs.

    Mojibake ("Putinâ€™s") is repaired with ftfy, which only changes text it is confident was
    decoded with the wrong codec.
    """
    import ftfy

    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=True)
    text = text.translate(_CHAR_MAP)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[T ]\d\d:\d\d|\b)")
_COMPACT = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)\s*$")
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+((?:19|20)\d\d)\b", re.I)
_MDY = re.compile(r"\b" + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
_MY = re.compile(r"\b" + _MONTH_RE + r",?\s+((?:19|20)\d\d)\b", re.I)


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def parse_date(text: str | None) -> tuple[str, str] | None:
    """Parse a date as written in a page into (ISO string, precision), or None.

    Precision is "day", "month" or "year". A date without a year ("Feb 1") gives None: the year
    must come from evidence elsewhere, never from today's date. Times and zones are dropped; the
    product keeps the publication *day*.
    """
    if not text:
        return None
    s = text.strip()
    if len(s) > 200:
        s = s[:200]
    for rx in (_ISO, _COMPACT):
        m = rx.search(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if _valid(y, mo, d):
                return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    m = _DMY.search(s)
    if m:
        d, mo, y = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    m = _MDY.search(s)
    if m:
        mo, d, y = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    m = _MY.search(s)
    if m:
        return f"{int(m.group(2)):04d}-{_MONTHS[m.group(1).lower()]:02d}", "month"
    return _parse_date_fallback(s)


def _parse_date_fallback(s: str) -> tuple[str, str] | None:
    """Other languages and odd formats, through dateparser; it must see a year to answer."""
    from dateparser.date import DateDataParser

    data = _date_parser().get_date_data(s)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "day":
        return d.isoformat(), "day"
    if data.period == "month":
        return f"{d.year:04d}-{d.month:02d}", "month"
    if data.period == "year":
        return f"{d.year:04d}", "year"
    _ = DateDataParser  # period "week"/"time" are not publication dates we can trust
    return None


@lru_cache(maxsize=1)
def _date_parser():  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    return DateDataParser(
        settings={"REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}
    )


@lru_cache(maxsize=1)
def _extractor():  # type: ignore[no-untyped-def]
    import tldextract

    # suffix_list_urls=() keeps it offline: it uses the snapshot of the public-suffix list it ships.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def outlet_from_url(url: str | None) -> str | None:
    """The registrable domain of a URL (`www.aa.com.tr/en/...` -> `aa.com.tr`), or None."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    ext = _extractor()(host)
    if not ext.domain or not ext.suffix:
        return None
    return f"{ext.domain}.{ext.suffix}".lower()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:5000]
    if len(re.findall(r"\w+", sample)) < 8:
        return None
    import py3langid

    lang, _score = py3langid.classify(sample)
    return str(lang)


_BY = re.compile(r"^\s*(?:by|reported by|written by|author|authors|posted by)\s*[:\-]?\s*", re.I)
_NOT_A_NAME = re.compile(r"@|https?://|www\.|\d", re.I)
_ROLE_WORDS = re.compile(
    r"\b(staff|correspondent|reporter|editor|desk|bureau|agency|agencies|news|team|contributor|writer)\b",
    re.I,
)


def clean_authors(values: list[str] | tuple[str, ...] | str | None) -> tuple[str, ...]:
    """Normalise author strings into a tuple of person names, dropping roles, emails and outlets."""
    if not values:
        return ()
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        value = _BY.sub("", value.strip())
        for part in re.split(r"\s*(?:,|;|\band\b|&|\|)\s*", value):
            part = part.strip(" .-–—|")
            if not part or _NOT_A_NAME.search(part):
                continue
            part = _ROLE_WORDS.sub("", part).strip(" ,.-–—")
            words = part.split()
            if not 1 < len(words) <= 5:
                continue
            if part.isupper() or part.islower():
                part = part.title()
            if part not in out:
                out.append(part)
    return tuple(out)
