"""The publication day each cleaner reports: on HTML pages the date shown by the headline and the
vote among the page's date statements, in plain text the date a dateline gives."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

import lxml.html

from ..dates import UTC_TIME, WEEKDAY_WORD, WEEKDAYS, find_full_dates, full_dates_at, parse_date
from .dateline import Dateline
from .markup import headline_h1, text_of, visible_text
from .page import PageMeta

__all__ = ["dateline_date", "page_date"]


# ---------------------------------------------------------------------------------------------
# HTML pages


def _date_group(source: str) -> str:
    return "meta" if source.startswith("meta:") else source


def _shift_day(day: str, delta: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=delta)).isoformat()


def _plausible(day: str) -> bool:
    """A publication day after 1900 and not after tomorrow (placeholders like 0001-01-01 exist)."""
    from datetime import date, timedelta

    try:
        d = date.fromisoformat(day[:10])
    except ValueError:
        return False
    return date(1900, 1, 1) <= d <= date.today() + timedelta(days=1)


_DATE_LABEL = re.compile(
    r"\b(?:updated|modified|revised|edited|reviewed|fact[- ]?checked|refreshed|published|posted|"
    r"written|by)\b",
    re.I,
)
_UPDATE_LABELS = ("updated", "modified", "revised", "edited", "reviewed", "fact", "refreshed")
# The labels among those that say the text itself changed that day.
_CHANGE_LABELS = ("updated", "modified", "revised", "refreshed")


class _Shown(NamedTuple):
    """The dates a page shows beside its headline: the first unlabelled (or "Published") one,
    and the first labelled as an update ("Last updated: ...", "Updated on ...")."""

    day: str | None
    updated: str | None


def _displayed_date(tree: lxml.html.HtmlElement, headline: str | None) -> _Shown:
    """The days the page shows beside its headline: full dates written in the 400 characters
    after the `<h1>` (else the last in the 150 before it), apart by their label. A review or a
    fact-check ("Reviewed on ...") is neither: it says nothing of when the text was written."""
    found = headline_h1(tree, headline)
    if found is None:
        return _Shown(None, None)
    body, h1 = found
    reach = len(text_of(h1)) + 420
    text, starts = visible_text(body, until=h1, beyond=reach)
    if h1 not in starts:
        return _Shown(None, None)
    at = starts[h1]
    low = max(0, at - 150)
    window = text[low : at + reach]
    after: list[str] = []
    before: list[str] = []
    updated: str | None = None
    for start, day in full_dates_at(window):
        labels = list(_DATE_LABEL.finditer(window[max(0, start - 45) : start]))
        label = labels[-1].group(0).lower() if labels else ""
        if label.startswith(_CHANGE_LABELS):
            updated = updated or day
        elif not label.startswith(_UPDATE_LABELS):
            (after if low + start >= at else before).append(day)
    return _Shown(after[0] if after else (before[-1] if before else None), updated)


def _choose_date(
    meta: PageMeta, tree: lxml.html.HtmlElement, url: str | None, displayed: str | None = None
) -> tuple[str, str] | None:
    """Vote among the page's date statements and htmldate's reading; one vote per kind of source.

    Sources disagree when a page was republished or its markup is stale; a majority of
    independent statements is right more often than any single source on dev data. A timestamp
    in UTC does not say which day it was where the article was published: when another source
    names the neighbouring day its local time points to, at least as often, that local day takes
    the UTC votes.
    """
    votes: dict[str, float] = {}
    local_votes: dict[str, float] = {}
    utc_neighbour: dict[str, str] = {}
    order: dict[str, int] = {}
    seen: set[str] = set()
    # The date shown beside the headline is what a reader takes for the article's day, so it
    # comes first and wins a tie (WCXB / trafilatura set dev: 182 -> 184 and 72 -> 74 pages).
    statements = [("displayed", displayed)] if displayed else []
    statements += [(src, value) for src, value in meta.dates]
    found = _htmldate(tree, url)
    if found:
        statements.append(("htmldate", found))
    for i, (src, value) in enumerate(statements):
        group = _date_group(src)
        result = parse_date(value)
        if group in seen or result is None or result[1] != "day" or not _plausible(result[0]):
            continue
        seen.add(group)
        day = result[0]
        votes[day] = votes.get(day, 0.0) + 1.0
        order.setdefault(day, i)
        utc = UTC_TIME.search(value.strip())
        if utc:
            # Early UTC hours are the previous evening in the Americas, late ones the next
            # morning in Asia and Oceania.
            utc_neighbour[day] = _shift_day(day, -1 if int(utc.group(1)) < 12 else 1)
        else:
            local_votes[day] = local_votes.get(day, 0.0) + 1.0
    for day, neighbour in utc_neighbour.items():
        if not local_votes.get(day) and local_votes.get(neighbour, 0.0) >= votes.get(day, 0.0):
            votes[neighbour] += votes.pop(day)
    if votes:
        best = max(votes, key=lambda k: (votes[k], -order[k]))
        return best, "day"
    # Month- or year-only statements are kept only when nothing more precise exists.
    for _src, value in statements:
        result = parse_date(value)
        if result is not None and 1900 <= int(result[0][:4]) <= date.today().year:
            return result
    return None


def page_date(
    meta: PageMeta, tree: lxml.html.HtmlElement, url: str | None, title: str | None
) -> tuple[tuple[str, str] | None, tuple[str, ...]]:
    """The article's date and what to warn about it.

    A page that shows only when its text was last updated ("Last updated: Dec 4, 2025" and no
    other day beside the headline) is dated by that day: its readers take it for the article's
    date, and the text we keep is that version. Another day the page's statements point to is
    said in the warning, not lost. (Dev: WCXB 184 -> 187 of 209, trafilatura set 74 -> 78 of 84;
    the gold of both takes the shown update day more often than not.)
    """
    shown = _displayed_date(tree, title)
    voted = _choose_date(meta, tree, url, shown.day)
    if not shown.updated or shown.day:
        return voted, ()
    note = "published: the page shows only its update date"
    if voted and voted[0] != shown.updated:
        note += f"; its other date statements point to {voted[0]}"
    return (shown.updated, "day"), (note,)


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    from htmldate import find_date

    try:
        # original_date: the publication date, not the last update; extensive_search lets it read
        # dates written in the text when the markup has none.
        found = find_date(tree, original_date=True, extensive_search=True, url=url)
        if found and found.endswith("-01"):
            # Its last resorts (a "© 2025" footer, a lone "March 2025") come back as the first of
            # a year or month. Keep such a day only when the markup or the text states it whole.
            strict = find_date(tree, original_date=True, extensive_search=False, url=url)
            if strict != found and found not in find_full_dates(tree.text_content()):
                return None
        return found
    except (ValueError, TypeError, AttributeError):
        return None


# ---------------------------------------------------------------------------------------------
# Plain text: the dateline's date


def dateline_date(dateline: Dateline, lead: str, text: str) -> tuple[tuple[str, str] | None, str]:
    """The publication day from a dateline's date, and a note saying how its year was known.

    A dateline written without a year ("Feb 1") takes one only from the same day written in full
    elsewhere in the text ("on February 1, 2022"), in exactly one year.

    The lead's weekday ("on Tuesday") is never used to pick the year, even among the years the text
    names: news names past years (seed 004 names 1999 and 2014 beside 2022), and when the
    publication year itself is not written, each named past year still fits the weekday one time in
    seven, which would put a wrong date forward as a fact. Nor can the weekday veto a year: a wire
    dated Feb 2 often reports what was said "on Tuesday", the day before. It is only reported,
    in the note, when it agrees with the year found.
    """
    assert dateline.month_day is not None
    month, day = dateline.month_day
    said = dateline.date_text or f"{month}/{day}"
    if dateline.year:
        iso = f"{dateline.year:04d}-{month:02d}-{day:02d}"
        return (iso, "day"), f"published: from the dateline '{said}'"
    years = sorted(
        {
            int(iso[:4])
            for iso in find_full_dates(text)
            if (int(iso[5:7]), int(iso[8:10])) == (month, day)
        }
    )
    if len(years) == 1:
        year = years[0]
        note = (
            f"published: the dateline gives only '{said}'; year {year} from the same day written "
            "in full elsewhere in the text"
        )
        weekdays = {w.lower() for w in WEEKDAY_WORD.findall(lead)}
        if len(weekdays) == 1:
            weekday = weekdays.pop()
            if _weekday_of(year, month, day) == WEEKDAYS.index(weekday):
                note += f" (the lead's '{weekday.capitalize()}' agrees)"
        return (f"{year:04d}-{month:02d}-{day:02d}", "day"), note
    if len(years) > 1:
        return None, (
            f"published: the dateline gives only '{said}' and the text writes that day in several "
            f"years ({', '.join(map(str, years))}), so the year is unknown"
        )
    return None, (
        f"published: only a month and day ('{said}' in the dateline); the text states no year, "
        "and a weekday is not evidence of one"
    )


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None
