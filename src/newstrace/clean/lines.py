"""The plain text's line pass: which lines are metadata (the seeds' header, URL, date, byline and
credit lines, promoted into fields) and which are furniture, before the rest becomes the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import HEADER_DATE, is_time, parse_date, parse_date_line
from .authors import credit_authors, parse_byline
from .furniture import furniture_kind

__all__ = ["Found", "read_header", "read_lines"]

_URL_LINE = re.compile(
    r"^(?:(?P<label>url|link|source|source url|original|original url|canonical)\s*:\s*)?<?(?P<url>https?://[^\s<>]+)>?$",
    re.I,
)
_PUBLISHED = re.compile(
    r"^(?:first\s+)?(?:published|posted|publication date|date published|date|dated|released)\s*(?:on|at)?\s*[:\-–]?\s*(?P<rest>.{4,90})$",
    re.I,
)
_UPDATED = re.compile(
    r"^(?:last\s+)?(?:updated|modified|last modified)\s*(?:on|at)?\s*[:\-–]?\s*(?P<rest>.{1,90})$",
    re.I,
)


@dataclass
class Found:
    """What the line pass recovered, before it becomes an Article."""

    title: str | None = None
    url: str | None = None
    published: tuple[str, str] | None = None
    updated: tuple[str, str] | None = None  # the first "Updated <date>" line's day
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    warnings: list[str] = field(default_factory=list)

    def warnings_for(self, name: str) -> bool:
        return any(w.startswith(f"{name}:") for w in self.warnings)


def _header_kind(line: str) -> str | None:
    if HEADER_DATE.match(line) and parse_date(line):
        return "date"
    if _URL_LINE.match(line):
        return "url"
    return None


def read_header(lines: list[str], found: Found, drop: dict[int, str]) -> None:
    """The seeds' header: an optional title line, then a YYYYMMDD and/or URL line, at the very top.

    Recognised by what the lines are, not where they are: a first line counts as the header title
    only when a date or URL line follows it, so a text that simply opens with a headline is left
    to the title rule, and one that opens with a paragraph keeps it.
    """
    top = [i for i, line in enumerate(lines) if line][:4]
    if not top:
        return
    title_at = None
    if _header_kind(lines[top[0]]) is None:
        first = lines[top[0]]
        if (
            len(top) < 2
            or _header_kind(lines[top[1]]) is None
            or len(first) > 300
            or furniture_kind(first)
        ):
            return
        title_at, top = top[0], top[1:]
    seen: set[str] = set()
    for i in top:
        kind = _header_kind(lines[i])
        if kind is None or kind in seen:
            break
        seen.add(kind)
        if kind == "date":
            found.published = parse_date(lines[i])
        else:
            m = _URL_LINE.match(lines[i])
            found.url = m.group("url") if m else None
        drop[i] = "header"
    if title_at is not None:
        found.title = lines[title_at]
        drop[title_at] = "header"


_CAPTION_NAME = re.compile(r"^(?:[A-Z][a-z'’.-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’.-]+|[A-Z]\.)){1,3}$")


def _classify(line: str, found: Found, near_top: bool) -> str | None:
    """Why a line is not article text (promoting any metadata it carries), or None to keep it."""
    m = _URL_LINE.match(line)
    if m:
        # A bare URL deep in the body is an embed or a link list, not this article's address.
        if found.url is None and (m.group("label") or near_top):
            found.url = m.group("url")
        return "url"
    m = _PUBLISHED.match(line)
    if m:
        stated = parse_date_line(m.group("rest"))
        if stated:
            found.published = found.published or stated
            return "published"
    m = _UPDATED.match(line)
    if m:
        rest = m.group("rest").strip()
        stated = parse_date_line(rest)
        if stated or is_time(rest):
            if stated and stated[1] == "day":
                found.updated = found.updated or stated
            return "updated"
    stated = parse_date_line(line)
    if stated:
        if near_top and found.published is None:
            found.published = stated
        return "date"
    byline = parse_byline(line)
    if byline:
        people, agency = byline
        found.authors.extend(a for a in people if a not in found.authors)
        found.agency = found.agency or agency
        return "byline"
    credited = credit_authors(line)
    if credited is not None:
        found.authors.extend(a for a in credited if a not in found.authors)
        return "credit"
    return furniture_kind(line)


def read_lines(lines: list[str], found: Found, drop: dict[int, str]) -> None:
    kept = 0
    for i, line in enumerate(lines):
        if not line or i in drop:
            continue
        why = _classify(line, found, near_top=kept < 3)
        if why:
            drop[i] = why
        else:
            kept += 1
    # A lone name beside a photo credit ("Vladimir Putin" over "Image: AP") is the photo's caption.
    nonblank = [i for i, line in enumerate(lines) if line]
    for pos, i in enumerate(nonblank):
        if i in drop or not _CAPTION_NAME.match(lines[i]):
            continue
        near = nonblank[max(pos - 1, 0) : pos] + nonblank[pos + 1 : pos + 2]
        if any(drop.get(j) in ("image-credit", "photo-caption") for j in near):
            drop[i] = "caption-name"
