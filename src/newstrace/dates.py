"""Month and weekday names, the date and time forms the project reads, and reading a day from text.

The one home of date names and formats: the cleaners, nlp (relative dates) and quotes import them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

__all__ = [
    "HEADER_DATE",
    "ISO_DAY",
    "ISO_DAY_IN_TEXT",
    "MONTH",
    "MONTHS",
    "MONTH_NAMES",
    "MONTH_TOKEN",
    "STORED_DATE",
    "UTC_TIME",
    "WEEKDAY",
    "WEEKDAYS",
    "WEEKDAY_ABBREVIATION",
    "WEEKDAY_WORD",
    "find_full_dates",
    "full_dates_at",
    "is_time",
    "parse_date",
    "parse_date_line",
    "parse_month_day",
]

# ---------------------------------------------------------------------------------------------
# Names

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# The written abbreviations; "may" is its own.
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")  # fmt: skip
# Name or abbreviation (lower case) -> month number.
MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(MONTH_NAMES)} | {
    abbr: next(i + 1 for i, name in enumerate(MONTH_NAMES) if name.startswith(abbr))
    for abbr in _MONTH_ABBREVIATIONS
}
# A month name or abbreviation, as a regex alternation (no group, no flags): whole names first.
MONTH = "|".join(MONTH_NAMES + _MONTH_ABBREVIATIONS)

# The same, in any case and with an optional full stop ("Feb.", "SEPT"), as a regex fragment.
MONTH_TOKEN = rf"(?i:{MONTH})\.?"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A weekday's full name, as a regex alternation (no group, no flags).
WEEKDAY = "|".join(WEEKDAYS)
# A weekday's three-letter abbreviation, as a regex alternation.
WEEKDAY_ABBREVIATION = "|".join(w[:3] for w in WEEKDAYS)
WEEKDAY_WORD = re.compile(r"\b(" + WEEKDAY + r")\b", re.I)

# ---------------------------------------------------------------------------------------------
# Forms

_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[T ]\d\d:\d\d|\b)")
_COMPACT = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)\s*$")
# Whole month names or their abbreviations only: a looser `may[a-z]*` read "Maybe 1, 2022" as a date.
_MONTH_RE = r"(" + MONTH + r")\b\.?"
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+((?:19|20)\d\d)\b", re.I)
_MDY = re.compile(r"\b" + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
_MY = re.compile(r"\b" + _MONTH_RE + r",?\s+((?:19|20)\d\d)\b", re.I)
_MONTH_DAY = re.compile(r"^\s*" + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?\s*$", re.I)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"\s*$", re.I)

# A line that is only a numeric day (YYYYMMDD, or ISO with an optional time): the seeds' header.
HEADER_DATE = re.compile(
    r"^(?:(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:19|20)\d\d-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?)$"
)
# A timestamp given in UTC; group 1 is its hour.
UTC_TIME = re.compile(r"\d[T ](\d\d):\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)\s*$", re.I)
# The ISO forms records store: YYYY, YYYY-MM or YYYY-MM-DD.
STORED_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A stored date precise to the day.
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A YYYY-MM-DD anywhere in a value (years 1800-2999): how the extraction scorer reads gold days.
ISO_DAY_IN_TEXT = re.compile(r"((?:1[89]|2\d)\d\d)-(\d\d)-(\d\d)")

# What may surround a date on a line of its own: weekday, time, zone, "at"/"on"/"of".
_DATE_TOKENS = re.compile(
    r"\b(?:"
    + MONTH_TOKEN
    + r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"
    + r"|\d{1,4}(?:st|nd|rd|th)?|[ap]\.?m\.?|at|on|of|the|hrs|h"
    + r"|ist|gmt|utc|bst|cet|cest|eet|eest|msk|est|edt|cst|cdt|mst|mdt|pst|pdt|et|pt|jst|aest|z)\b",
    re.I,
)
_AGO = re.compile(
    r"\d{1,3}\s*(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s+ago", re.I
)
_TIME = re.compile(r"\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?", re.I)

# ---------------------------------------------------------------------------------------------
# Reading


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def parse_date(text: str | None, *, fallback: bool = True) -> tuple[str, str] | None:
    """Parse a date as written in a page into (ISO string, precision), or None.

    Precision is "day", "month" or "year". A date without a year ("Feb 1") gives None: the year
    must come from evidence elsewhere, never from today's date. Times and zones are dropped; the
    product keeps the publication *day*. `fallback=False` skips dateparser (other languages, odd
    forms), which costs milliseconds a call: for callers that test many lines of English text.
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
        d, mo, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    m = _MDY.search(s)
    if m:
        mo, d, y = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    m = _MY.search(s)
    if m:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}", "month"
    return _parse_date_fallback(s) if fallback else None


def find_full_dates(text: str) -> list[str]:
    """Every date with day, month and year written in `text`, as ISO strings, in reading order.

    Only unambiguous written forms count ("February 1, 2022", "1 Feb 2022", "2022-02-01"); numeric
    forms like 02/01/2022 are left out because their day/month order is not knowable.
    """
    return [iso for _start, iso in full_dates_at(text)]


def full_dates_at(text: str) -> list[tuple[int, str]]:
    """`find_full_dates` with where each date starts in `text`."""
    found: list[tuple[int, str]] = []
    for m in _ISO.finditer(text):
        y, mo, d = (int(g) for g in m.groups())
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    for m in _DMY.finditer(text):
        d, mo, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    for m in _MDY.finditer(text):
        mo, d, y = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    return sorted(found)


def parse_month_day(text: str | None) -> tuple[int, int] | None:
    """(month, day) from a yearless date such as "Feb 1" or "1 February", or None.

    Such a date cannot become a publication date on its own: the caller must find the year in
    other evidence. Feb 29 is accepted, since it exists in some year.
    """
    if not text:
        return None
    m = _MONTH_DAY.match(text)
    if m:
        mo, d = MONTHS[m.group(1).lower()], int(m.group(2))
    else:
        m = _DAY_MONTH.match(text)
        if not m:
            return None
        d, mo = int(m.group(1)), MONTHS[m.group(2).lower()]
    return (mo, d) if _valid(2000, mo, d) else None


def parse_date_line(line: str) -> tuple[str, str] | None:
    """A line that is a date and nothing else ("8 Dec, 2021 14:34"), parsed; else None."""
    # Without a year-like number no parse can succeed; checking first keeps dateparser off
    # timestamps and tables of figures.
    if len(line) > 60 or not re.search(r"(?:19|20)\d\d", line):
        return None
    if any(ch.isalpha() for ch in _DATE_TOKENS.sub(" ", line)):
        return None
    # Only English month names and numbers are left, which the regular forms cover.
    return parse_date(line, fallback=False)


def is_time(rest: str) -> bool:
    """A time or "2 hours ago": with a date, what follows "Updated" on a furniture line."""
    return bool(_AGO.fullmatch(rest) or _TIME.fullmatch(rest))


def _parse_date_fallback(s: str) -> tuple[str, str] | None:
    """Other languages and odd formats, through dateparser; it must see a year to answer."""
    from dateparser.date import DateDataParser

    data = _date_parser().get_date_data(s)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    # dateparser takes a day number for a two-digit year ("Apr 12" -> April 2012): the year must
    # be written out in full.
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in s)
    if str(d.year) not in digits:
        return None
    if data.period == "day":
        return d.isoformat(), "day"
    if data.period == "month":
        return f"{d.year:04d}-{d.month:02d}", "month"
    if data.period == "year":
        return f"{d.year:04d}", "year"
    _ = DateDataParser  # period "week"/"time" are not publication dates we can trust
    return None


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(
        settings={
            "REQUIRE_PARTS": ["year"],
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": False,
        }
    )
