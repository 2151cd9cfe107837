"""Datelines: the place (and perhaps date and agency) a wire story opens with, "MOSCOW (AP) —"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import MONTH_TOKEN, parse_month_day
from .furniture import agency_name

__all__ = ["Dateline", "find_dateline"]


@dataclass(frozen=True, slots=True)
class Dateline:
    """The place (and perhaps date and agency) a wire story opens with: "MOSCOW (AP) —".

    `place` is what the article records as its dateline ("MOSCOW", "KYIV / MOSCOW", "KYIV,
    Ukraine"); `prefix` is the whole opening as written ("KYIV / MOSCOW, Feb 1 –"); `month_day`
    is (month, day) when a date is written, `year` only when it is too; `agency` is the canonical
    agency name when one is in parentheses.
    """

    place: str
    prefix: str
    agency: str | None = None
    month_day: tuple[int, int] | None = None
    year: int | None = None
    date_text: str | None = None


_UP_WORD = r"[A-Z][A-Z'’.\-]*[A-Z.]"
_UP_PLACE = rf"{_UP_WORD}(?:\s+{_UP_WORD})*"
_TITLE_PLACE = r"[A-Z][a-z'’.\-]+(?:\s+[A-Z][a-z'’.\-]+){0,2}"
_REGION = rf"(?P<region>,\s*(?!{MONTH_TOKEN}\s+\d)[A-Z][a-zA-Z.]+(?:\s+[A-Z][a-zA-Z.]+)?)"
_DL_DATE = rf"(?:,\s*(?P<date>(?:{MONTH_TOKEN}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_TOKEN})(?:,?\s+(?P<year>(?:19|20)\d\d))?))"
_DL_AGENCY = r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z.&\- ]{0,30})\))"
_DL_DASH = r"\s*(?:—|–|--|-|:)\s*(?=[\"“‘'A-Z])"
_DATELINE_UP = re.compile(
    rf"^(?P<place>{_UP_PLACE}(?:\s*/\s*{_UP_PLACE})*{_REGION}?){_DL_DATE}?{_DL_AGENCY}?{_DL_DASH}"
)
_DATELINE_TITLE = re.compile(
    rf"^(?P<place>{_TITLE_PLACE}(?:\s*/\s*{_TITLE_PLACE})*{_REGION}?){_DL_DATE}?{_DL_AGENCY}{_DL_DASH}"
)


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline a paragraph opens with, or None.

    Forms: "MOSCOW (AP) —", "KYIV / MOSCOW, Feb 1 –", "WASHINGTON, Dec. 8, 2021 (Reuters) -",
    "TARSK, 13 March (Agency) –", "BRASK, Dovra Valley —", "Moscow (Reuters) -". An upper-case
    place needs a region, a date or an agency beside it and a title-case place needs an agency, so
    a paragraph opening "NATO — the alliance ..." is not read as one.
    """
    m = _DATELINE_UP.match(paragraph)
    if not (m and (m.group("date") or m.group("agency") or m.group("region"))):
        m = _DATELINE_TITLE.match(paragraph)
    if not m:
        return None
    place = re.sub(r"\s*/\s*", " / ", m.group("place").strip())
    agency_text = m.group("agency")
    agency = agency_name(agency_text) or (agency_text.strip() if agency_text else None)
    date_text = m.group("date")
    month_day = (
        parse_month_day(re.sub(r",?\s+(?:19|20)\d\d$", "", date_text)) if date_text else None
    )
    year = int(m.group("year")) if m.group("year") and month_day else None
    return Dateline(
        place=place,
        prefix=m.group(0).strip(),
        agency=agency,
        month_day=month_day,
        year=year,
        date_text=date_text,
    )
