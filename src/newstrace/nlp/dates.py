"""Relative dates ("on Tuesday", "last week", "Feb. 1") resolved against the publication date.

Conventions (newswire style):
- a bare weekday ("Tuesday", "on Tuesday") is the most recent such day on or before publication;
  an article published on a Monday that says "on Monday" means that day. In a parsed Doc, a
  weekday governed by a future auxiliary ("will meet on Thursday") is the next such day instead;
- "last week", "this week", "N weeks ago" have week precision and are written as ISO weeks
  (`2022-W05`); months as `YYYY-MM`, years as `YYYY`; days as `YYYY-MM-DD`;
- a month and day without a year ("Feb. 1") take the year that puts the date nearest to
  publication (so "Dec. 30" in a January article is last December);
- anaphoric expressions ("the day before", "the previous week") are relative to another event,
  not to publication, and are left unresolved;
- with no publication date, or one less precise than the expression needs, nothing relative is
  resolved. A date that carries its own year ("February 23, 2022") needs no publication date.

Month and weekday names and the stored date forms come from `newstrace.dates`. This resolution
stays here, not there: it is about time expressions found in running text, and reads a spaCy
parse (the future auxiliary governing a weekday); `newstrace.dates` only reads dates as written.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..dates import MONTH, MONTH_NAMES, WEEKDAY
from ..dates import MONTHS as _MONTHS
from ..dates import STORED_DATE as _ISO
from ..dates import WEEKDAYS as _WEEKDAYS

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["TimeExpression", "find_time_expressions", "resolve_relative"]

TimeExpression = tuple[int, int, str, str | None]

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": -1, "few": -1,
}  # fmt: skip

_WD = rf"(?:{WEEKDAY})"
_MON = rf"(?:{MONTH})\.?"
# Whole month names but "may", which alone is more often the verb.
_MONTHS_BUT_MAY = "|".join(m for m in MONTH_NAMES if m != "may")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUM = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

_PATTERNS = [
    ("abs_mdy", rf"{_MON}\s+{_DAY},?\s+(?:\d{{4}})"),
    ("abs_dmy", rf"{_DAY}\s+(?:of\s+)?{_MON},?\s+(?:\d{{4}})"),
    ("md", rf"{_MON}\s+{_DAY}\b"),
    ("dm", rf"{_DAY}\s+(?:of\s+)?{_MON}"),
    ("ago", rf"{_NUM}\s+(?:days?|weeks?|months?|years?)\s+ago"),
    (
        "rel_unit",
        r"(?:(?:earlier|later)\s+this|early\s+this|late\s+last|earlier\s+last|last|this|next|past)\s+(?:week|month|year)(?!s)",
    ),
    ("weekday", rf"(?:(?:last|this|next|on|since|until|by)\s+)?{_WD}{_PART}"),
    (
        "deictic",
        r"yesterday|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening)",
    ),
    (
        "month",
        rf"(?:(?:in|since|until|by|last|this|next|early|late|mid-?)\s+)(?:{_MONTHS_BUT_MAY})(?:\s+\d{{4}})?",
    ),
]
_SCAN = re.compile("|".join(f"(?P<{name}>\\b{pat}\\b)" for name, pat in _PATTERNS), re.IGNORECASE)


def _published(published: str | None) -> tuple[int, int | None, date | None] | None:
    """(year, month or None, day-precise date or None) from an ISO YYYY[-MM[-DD]] string."""
    if not published:
        return None
    m = _ISO.match(published.strip()[:10])
    if not m:
        return None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = None
    if m.group(3):
        try:
            d = date(y, int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return y, mo, d


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month_add(y: int, m: int, delta: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + delta
    return idx // 12, idx % 12 + 1


def _month_of(token: str) -> int | None:
    return _MONTHS.get(token.lower().rstrip("."))


def _day_of(token: str) -> int:
    return int(re.sub(r"(st|nd|rd|th)$", "", token.lower()))


def _nearest_year(
    month: int, day: int, pub: date | None, year: int, pub_month: int | None
) -> date | None:
    if pub is None:
        if pub_month is None:
            return None
        pub = date(year, pub_month, 15)
    best: date | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cand = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - pub).days) < abs((best - pub).days):
            best = cand
    return best


def resolve_relative(expression: str, published: str | None, *, future: bool = False) -> str | None:
    """The ISO date (or week `YYYY-Www`, month `YYYY-MM`, year `YYYY`) an expression refers to.

    `published` is the article's ISO publication date (day, month or year precision). `future`
    says the expression is governed by a future tense, so a bare weekday is the next such day.
    Returns None when the expression is not a date we resolve or the publication date is missing
    or too coarse.
    """
    text = " ".join(expression.strip().lower().replace(",", " , ").split()).replace(" ,", ",")
    text = re.sub(r"^(?:on|in|since|until|by|from|as of)\s+", "", text)
    pub = _published(published)
    m = re.fullmatch(rf"({_MON})\s+({_DAY}),?\s+(\d{{4}})", text) or None
    if m:
        return _safe_date(int(m.group(3)), _month_of(m.group(1)), _day_of(m.group(2)))
    m = re.fullmatch(rf"({_DAY})\s+(?:of\s+)?({_MON}),?\s+(\d{{4}})", text)
    if m:
        return _safe_date(int(m.group(3)), _month_of(m.group(2)), _day_of(m.group(1)))
    if pub is None:
        return None
    year, pub_month, pub_day = pub
    m = re.fullmatch(rf"({_MON})\s+({_DAY})", text) or re.fullmatch(
        rf"({_DAY})\s+(?:of\s+)?({_MON})", text
    )
    if m:
        a, b = m.group(1), m.group(2)
        month, day = (_month_of(a), _day_of(b)) if _month_of(a) else (_month_of(b), _day_of(a))
        if month is None:
            return None
        try:
            date(2000, month, day)  # Feb 29 is valid in a leap year
        except ValueError:
            return None
        d = _nearest_year(month, day, pub_day, year, pub_month)
        return d.isoformat() if d else None
    m = re.fullmatch(
        rf"(?:(last|this|next|early|late|mid-?)\s+)?({_MONTHS_BUT_MAY}|may)(?:\s+(\d{{4}}))?",
        text,
    )
    if m and (m.group(1) or m.group(3) or m.group(2) != "may"):
        month = _MONTHS[m.group(2)]
        if m.group(3):
            return f"{int(m.group(3)):04d}-{month:02d}"
        if pub_month is None:
            return None
        mod = m.group(1) or ""
        if mod == "last":
            y = year if month < pub_month else year - 1
        elif mod == "next":
            y = year if month > pub_month else year + 1
        else:
            # "in March" written in a February article most likely means the coming March
            # only if it is near; take the nearest month.
            cands = [
                (abs((y2 * 12 + month) - (year * 12 + pub_month)), y2)
                for y2 in (year - 1, year, year + 1)
            ]
            y = min(cands)[1]
        return f"{y:04d}-{month:02d}"
    m = re.fullmatch(rf"(?:(last|this|next|since|until|by)\s+)?({_WD}){_PART}", text)
    if m:
        if pub_day is None:
            return None
        target = _WEEKDAYS.index(m.group(2))
        mod = m.group(1) or ""
        back = (pub_day.weekday() - target) % 7
        if mod == "next" or (future and mod in ("", "this", "until", "by")):
            ahead = (target - pub_day.weekday()) % 7
            if mod == "next" and ahead == 0:
                ahead = 7
            return (pub_day + timedelta(days=ahead)).isoformat()
        if mod == "last" and back == 0:
            back = 7
        return (pub_day - timedelta(days=back)).isoformat()
    deictic = {
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "last night": -1,
        "tomorrow": 1,
    }
    if text in deictic:
        return (pub_day + timedelta(days=deictic[text])).isoformat() if pub_day else None
    m = re.fullmatch(
        r"(?:(earlier|later|early|late)\s+)?(last|this|next|past)\s+(week|month|year)", text
    )
    if m:
        rel, unit = m.group(2), m.group(3)
        step = {"last": -1, "this": 0, "next": 1, "past": -1}[rel]
        if unit == "week":
            if pub_day is None:
                return None
            return _iso_week(pub_day + timedelta(weeks=step))
        if unit == "month":
            if pub_month is None:
                return None
            y, mo = _month_add(year, pub_month, step)
            return f"{y:04d}-{mo:02d}"
        return f"{year + step:04d}"
    m = re.fullmatch(rf"({_NUM})\s+(day|week|month|year)s?\s+ago", text)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS.get(m.group(1), -1)
        if n < 0:
            return None
        unit = m.group(2)
        if unit == "day":
            return (pub_day - timedelta(days=n)).isoformat() if pub_day else None
        if unit == "week":
            if pub_day is None:
                return None
            # "a week ago" names a day; "three weeks ago" a week.
            d = pub_day - timedelta(weeks=n)
            return d.isoformat() if n == 1 else _iso_week(d)
        if unit == "month":
            if pub_month is None:
                return None
            y, mo = _month_add(year, pub_month, -n)
            return f"{y:04d}-{mo:02d}"
        return f"{year - n:04d}"
    return None


def _safe_date(y: int, m: int | None, d: int) -> str | None:
    if m is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})


def _is_future(doc: Doc, start_char: int, end_char: int) -> bool:
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    head = span.root.head
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX"):
            break
        head = head.head
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in head.children):
        return True
    # "is going to meet on Friday", "plans to meet on Friday"
    return head.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)


def find_time_expressions(doc_or_text: Doc | str, published: str | None) -> list[TimeExpression]:
    """Time expressions in a text or parsed Doc: (start_char, end_char, text, ISO or None).

    Expressions the scanner recognises are resolved with `resolve_relative`; in a Doc, DATE
    entities it does not cover are listed too, resolved when they can be.
    """
    text = doc_or_text if isinstance(doc_or_text, str) else doc_or_text.text
    doc = None if isinstance(doc_or_text, str) else doc_or_text
    out: list[TimeExpression] = []
    covered: list[tuple[int, int]] = []
    for m in _SCAN.finditer(text):
        kind = m.lastgroup or ""
        s, e = m.start(), m.end()
        expr = text[s:e]
        if kind in ("md", "dm") and re.search(r"\bmay\b", expr) and not re.search(r"\bMay\b", expr):
            continue  # "may 5" in lower case is the modal verb before a number
        future = kind == "weekday" and doc is not None and _is_future(doc, s, e)
        out.append((s, e, expr, resolve_relative(expr, published, future=future)))
        covered.append((s, e))
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            if any(s < ent.end_char and ent.start_char < e for s, e in covered):
                continue
            out.append(
                (ent.start_char, ent.end_char, ent.text, resolve_relative(ent.text, published))
            )
    out.sort(key=lambda x: x[0])
    return out
