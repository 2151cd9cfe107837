"""The plain-text cleaning path: header, site furniture, metadata lines and datelines -> Article.

Scraped text arrives with an optional three-line header (title, YYYYMMDD, URL), page furniture
(share bars, tracker names, photo credits, podcast players) and metadata buried in lines of its
own ("Published 13:55 IST, February 23rd 2022", "By JANE DOE, Reuters"). Metadata lines are
promoted into fields before they are dropped; everything else stays in reading order, one
paragraph per line (or per block, when the text is hard-wrapped), blank-line separated. Unknown
fields stay None with a warning saying why.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from ..dates import (
    HEADER_DATE,
    MONTH_TOKEN,
    WEEKDAY_WORD,
    WEEKDAYS,
    find_full_dates,
    is_time,
    parse_date,
    parse_date_line,
    parse_month_day,
)
from ..records import Article, Failure, RawDocument
from .decode import DecodeError, decode_bytes
from .meta import clean_authors, make_article, normalize_text, outlet_from_url

__all__ = [
    "CLEANER_VERSION",
    "MIN_WORDS",
    "Dateline",
    "clean_text",
    "find_dateline",
    "furniture_kind",
    "parse_byline",
]

CLEANER_VERSION = "newstrace.clean.text.v3"

# Fewer words than this left after cleaning is a stub, a wall or a menu, not an article.
MIN_WORDS = 8

# ---------------------------------------------------------------------------------------------
# Furniture patterns (data/boilerplate.toml)


@dataclass(frozen=True)
class _Pattern:
    kind: str
    max_len: int
    regex: re.Pattern[str]


@dataclass(frozen=True)
class _Rules:
    lines: tuple[_Pattern, ...]
    ui_words: frozenset[str]
    ui_strong: frozenset[str]
    ui_substrings: tuple[str, ...]
    ui_min_share: float
    ui_max_len: int
    not_article: tuple[re.Pattern[str], ...]
    not_article_max_words: int
    agencies: dict[str, str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("newstrace").joinpath("data/boilerplate.toml").read_text(encoding="utf-8")
    )
    lines = tuple(
        _Pattern(
            kind=p["kind"],
            max_len=int(p["max_len"]),
            regex=re.compile(p["regex"], 0 if p.get("case") else re.IGNORECASE),
        )
        for p in raw["line"]
    )
    ui = raw["ui"]
    na = raw["not_article"]
    return _Rules(
        lines=lines,
        ui_words=frozenset(ui["words"]) | frozenset(ui["strong"]),
        ui_strong=frozenset(ui["strong"]),
        ui_substrings=tuple(ui["substrings"]),
        ui_min_share=float(ui["min_share"]),
        ui_max_len=int(ui["max_len"]),
        not_article=tuple(re.compile(r, re.IGNORECASE) for r in na["regexes"]),
        not_article_max_words=int(na["max_words"]),
        agencies={k.casefold(): v for k, v in raw["agencies"].items()},
    )


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


def _ui_line(line: str, rules: _Rules) -> bool:
    """Mostly share/menu/icon words, with at least one that never stands alone in news."""
    if len(line) > rules.ui_max_len or _SENTENCE_END.search(line):
        return False
    words = [w.lower() for w in _WORD.findall(line)]
    if not words:
        return False

    def ui(w: str) -> bool:
        return w in rules.ui_words or any(s in w for s in rules.ui_substrings)

    def strong(w: str) -> bool:
        return w in rules.ui_strong or any(s in w for s in rules.ui_substrings)

    hits = sum(1 for w in words if ui(w))
    return hits / len(words) >= rules.ui_min_share and any(strong(w) for w in words)


def furniture_kind(line: str) -> str | None:
    """The kind of site furniture a single line is ("tracker", "image-credit", "ui", ...), or None.

    Only whole lines are judged, and each pattern has a length limit, so a paragraph that mentions
    cookies or starts with "Watch" is never furniture. Lines without a single letter ("0:00", "•")
    are "no-words". Metadata lines (bylines, dates, URLs) are not furniture: `clean_text` reads them.
    """
    line = line.strip()
    if not line:
        return None
    rules = _rules()
    for p in rules.lines:
        if len(line) <= p.max_len and p.regex.search(line):
            return p.kind
    if _ui_line(line, rules):
        return "ui"
    if not any(ch.isalpha() for ch in line):
        return "no-words"
    return None


def _agency(name: str | None) -> str | None:
    if not name:
        return None
    return _rules().agencies.get(name.strip().casefold())


# ---------------------------------------------------------------------------------------------
# Metadata lines

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
_BYLINE = re.compile(
    r"^(?:by|written by|reported by|words by|story by|text by|author|authors)\s*:?\s+(?P<names>.{2,120})$",
    re.I,
)
_CREDIT = re.compile(r"^\(?\s*(?:additional\s+)?(?:reporting|writing)\s+by\b", re.I)
_PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "der",
    "den",
    "van",
    "von",
    "bin",
    "ibn",
    "al",
    "el",
    "la",
    "le",
    "di",
    "du",
    "dos",
    "das",
    "ter",
    "ten",
    "y",
    "st.",
}
_ROLES = re.compile(
    r"^(?:(?:our|a|special|senior|staff|chief|political|foreign|diplomatic|news|our own)\s+)*"
    r"(?:staff|correspondent|correspondents|reporter|reporters|writer|writers|editor|editors|desk|"
    r"bureau|team|staff writer|staff reporter|news desk|web desk|online desk|digital desk)$",
    re.I,
)
_PLACE_SUFFIX = re.compile(r"\s+(?:in|from)\s+[A-Z][\w'’.-]*(?:,?\s+[A-Z][\w'’.-]*)*$")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")


def _name_like(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in part):
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words) and bool(
        _NAME_WORD.match(words[0])
    )


def parse_byline(line: str) -> tuple[tuple[str, ...], str | None] | None:
    """(authors, agency) from a byline line such as "By JANE DOE, Reuters", else None."""
    m = _BYLINE.match(line)
    if not m:
        return None
    names = m.group("names").strip()
    if _SENTENCE_END.search(names) and not re.search(r"\b(?:[A-Z]|Jr|Sr)\.$", names):
        return None
    people: list[str] = []
    agency = None
    for part in re.split(r"\s*(?:,|;|&|\||\band\b)\s*", names):
        part = _PLACE_SUFFIX.sub("", part.strip(" .-–—"))
        if not part:
            continue
        if _agency(part):
            agency = agency or _agency(part)
        elif _ROLES.match(part):
            continue
        elif _name_like(part):
            people.append(part)
        else:
            return None
    authors = clean_authors(people)
    if not authors and not agency:
        return None  # "By Land and Sea" is a subhead, not a byline
    return authors, agency


def _credit_authors(line: str) -> tuple[str, ...] | None:
    """Authors from a wire credit line: "Reporting by A and B; Writing by C; Editing by D"."""
    if len(line) > 400 or not _CREDIT.match(line):
        return None
    people: list[str] = []
    for clause in re.split(r"\s*;\s*", line.strip("() .")):
        m = re.match(r"^(reporting|writing)\s+by\s+(.+)$", clause.strip(), re.I)
        if not m:
            continue  # "Editing by" names editors, and "additional reporting" names contributors
        for part in re.split(r"\s*(?:,|&|\band\b)\s*", m.group(2)):
            part = _PLACE_SUFFIX.sub("", part.strip(" ."))
            if _name_like(part):
                people.append(part)
    return clean_authors(people)


# ---------------------------------------------------------------------------------------------
# Datelines


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
    agency = _agency(agency_text) or (agency_text.strip() if agency_text else None)
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


# ---------------------------------------------------------------------------------------------
# The cleaner


@dataclass
class _Found:
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


def _fail(raw: RawDocument, kind: str, reason: str, detail: str) -> Failure:
    return Failure(
        raw.source,
        kind,
        reason,
        f"{raw.source}: {reason}: {detail}",
        raw.content if kind == "quarantine" else None,
    )


_MARKUP = re.compile(
    r"^\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(?:html|rss|feed)\b)", re.I
)


def clean_text(raw: RawDocument) -> Article | Failure:
    """Clean one plain-text document (`raw.kind == "text"`) into an Article, or say why not.

    Failures: skip/`empty` (no bytes or only whitespace), skip/`binary` (an image, archive, PDF or
    other non-text file), skip/`not-article` (markup, a wall or a menu: too little text left),
    quarantine/`undecodable` (text in no encoding we can read; the raw bytes are kept). A
    publication date comes only from the text or the source's hints, never from a file's mtime or
    today's date.
    """
    if raw.kind != "text":
        return _fail(
            raw, "skip", "unsupported-format", f"clean_text needs kind 'text', got {raw.kind!r}"
        )
    if not raw.content.strip():
        return _fail(raw, "skip", "empty", "the file holds no text")
    try:
        decoded = decode_bytes(raw.content, raw.encoding, raw.source)
    except DecodeError as exc:
        if exc.reason == "binary":
            return Failure(raw.source, "skip", "binary", str(exc))
        return Failure(raw.source, "quarantine", "undecodable", str(exc), raw.content)
    text = normalize_text(decoded)
    if not text:
        return _fail(raw, "skip", "empty", "the file holds only whitespace or invisible characters")
    if _MARKUP.match(text):
        return _fail(
            raw, "skip", "not-article", "this is markup, not plain text: ingest it as HTML"
        )
    return _clean(raw, text)


def _clean(raw: RawDocument, text: str) -> Article | Failure:
    found = _Found()
    lines = text.split("\n")
    drop: dict[int, str] = {}  # line index -> why it is not article text
    _read_header(lines, found, drop)
    _read_lines(lines, found, drop)
    paragraphs = _paragraphs(lines, drop)
    paragraphs = _take_title(paragraphs, found, raw)
    paragraphs = _dedupe(paragraphs)

    body = "\n\n".join(paragraphs)
    refusal = _not_article(body, found.title)
    if refusal:
        return _fail(raw, "skip", "not-article", refusal)

    dateline, lead = next(((d, p) for p in paragraphs[:4] if (d := find_dateline(p))), (None, ""))
    if dateline and dateline.agency and not found.agency:
        found.agency = dateline.agency
    if not found.published and dateline and dateline.month_day:
        found.published, note = _dateline_date(dateline, lead, text)
        found.warnings.append(note)
    if not found.published and found.updated:
        # As on HTML pages: a text that states only when it was last updated is dated by that
        # day (its words are that version's).
        found.published = found.updated
        found.warnings.append("published: the text states only its update date")
    if not found.published and not found.warnings_for("published"):
        weekdays = sorted({w.capitalize() for w in WEEKDAY_WORD.findall(text)})
        if weekdays:
            found.warnings.append(
                f"published: no date in the text; only weekday names ({', '.join(weekdays)}), "
                "which cannot be placed without one"
            )

    url = raw.hints.url or found.url
    outlet = None
    if found.agency and not raw.hints.outlet and outlet_from_url(url) is None:
        # A wire story's copy names its agency, not the site that ran it: the agency is the only
        # outlet the text supports, and the warning keeps the difference visible.
        outlet = found.agency
        found.warnings.append(
            f"outlet: {found.agency} is the agency the text credits; the site that published this copy is not stated"
        )
    if not found.title and not found.warnings_for("title"):
        found.warnings.append("title: no headline in the text (it opens with a paragraph)")

    article = make_article(
        raw,
        body,
        title=found.title,
        url=found.url,
        published=found.published,
        authors=tuple(found.authors),
        outlet=outlet,
        dateline=dateline.place if dateline else None,
        warnings=tuple(w for w in found.warnings if not _hinted(raw, w)),
    )
    return replace(article, stage_versions=(*article.stage_versions, CLEANER_VERSION))


def _not_article(body: str, title: str | None) -> str | None:
    """Why what is left is not an article (a wall, an error page, a stub), or None."""
    words = len(_WORD.findall(body))
    rules = _rules()
    if words <= rules.not_article_max_words:
        page = f"{title}\n{body}" if title else body  # a wall's message is often its "headline"
        for rx in rules.not_article:
            hit = rx.search(page)
            if hit:
                return f"reads as a wall or error page ({hit.group(0)!r})"
    if words < MIN_WORDS:
        return f"only {words} words of text left after removing site furniture"
    return None


def _hinted(raw: RawDocument, warning: str) -> bool:
    """A warning about a field the source's hints state outright no longer applies."""
    h = raw.hints
    name = warning.split(":", 1)[0]
    return bool(
        {
            "title": h.title,
            "published": h.published and parse_date(h.published),
            "url": h.url,
            "authors": h.authors,
            "outlet": h.outlet,
        }.get(name)
    )


# ---------------------------------------------------------------------------------------------
# Passes


def _header_kind(line: str) -> str | None:
    if HEADER_DATE.match(line) and parse_date(line):
        return "date"
    if _URL_LINE.match(line):
        return "url"
    return None


def _read_header(lines: list[str], found: _Found, drop: dict[int, str]) -> None:
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


def _classify(line: str, found: _Found, near_top: bool) -> str | None:
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
    credited = _credit_authors(line)
    if credited is not None:
        found.authors.extend(a for a in credited if a not in found.authors)
        return "credit"
    return furniture_kind(line)


def _read_lines(lines: list[str], found: _Found, drop: dict[int, str]) -> None:
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


def _hard_wrapped(lines: list[str], drop: dict[int, str]) -> bool:
    """Paragraphs broken into ~70-character lines, as in e-mail and wire-service text exports.

    Judged on the lines that stay (furniture is short and would look wrapped): no long lines,
    and most lines inside multi-line blocks break mid-sentence at a similar width.
    """
    kept = [(i, line) for i, line in enumerate(lines) if line and i not in drop]
    if not kept or max(len(line) for _, line in kept) > 120:
        return False
    inner = [line for (i, line), (j, _) in pairwise(kept) if j == i + 1]
    if len(inner) < 3:
        return False
    wrapped = sum(1 for line in inner if 40 <= len(line) <= 100 and not _SENTENCE_END.search(line))
    return wrapped / len(inner) >= 0.6


def _join(a: str, b: str) -> str:
    if len(a) > 1 and a.endswith("-") and a[-2].isalpha() and b[:1].isalpha():
        return a + b
    return f"{a} {b}"


def _paragraphs(lines: list[str], drop: dict[int, str]) -> list[str]:
    """Kept lines as paragraphs: each line, or each blank-line block when the text is hard-wrapped."""
    if not _hard_wrapped(lines, drop):
        return [line for i, line in enumerate(lines) if line and i not in drop]
    out: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line or i in drop:
            if current:
                out.append(current)
            current = ""
            continue
        current = _join(current, line) if current else line
    if current:
        out.append(current)
    return out


def _title_like(p: str) -> bool:
    """Short, opening with a capital or a quote, not ending like a sentence or a lead-in."""
    if len(p) > 200:
        return False
    words = _WORD.findall(p)
    if not 2 <= len(words) <= 30:
        return False
    first = next((ch for ch in p if ch.isalpha()), "")
    if not first.isupper():
        return False
    end = p.rstrip("\"'”’)]» ")
    if end.endswith((".", ",", ";", ":")):
        return False
    return find_dateline(p) is None


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _take_title(paragraphs: list[str], found: _Found, raw: RawDocument) -> list[str]:
    """Settle the headline and take it, and any repeat of it, out of the body."""
    headline = found.title or (normalize_text(raw.hints.title) if raw.hints.title else None)
    if headline is None and len(paragraphs) > 1 and _title_like(paragraphs[0]):
        found.title = headline = paragraphs[0]
        paragraphs = paragraphs[1:]
    if headline is None:
        return paragraphs
    return [p for p in paragraphs if not _same(p, headline)]


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Drop repeats: a paragraph said twice, and a standfirst that the next paragraph opens with."""
    out: list[str] = []
    seen: set[str] = set()
    for p in paragraphs:
        key = p.casefold()
        if (out and _same(out[-1], p)) or (key in seen and len(p.split()) >= 6):
            continue
        seen.add(key)
        out.append(p)
    kept: list[str] = []
    for i, p in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else ""
        if len(p.split()) >= 5 and len(nxt) > len(p) and nxt.startswith(p):
            continue
        kept.append(p)
    return kept


def _dateline_date(dateline: Dateline, lead: str, text: str) -> tuple[tuple[str, str] | None, str]:
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
