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
from dataclasses import replace

from ..dates import WEEKDAY_WORD, parse_date
from ..records import Article, Failure, RawDocument
from .body import dedupe, line_paragraphs, same_text
from .dateline import find_dateline
from .decode import DecodeError, decode_bytes
from .furniture import WORD, boilerplate_rules, navigation_bar
from .lines import Found, read_header, read_lines
from .meta import make_article, normalize_text
from .page import outlet_from_url
from .published import dateline_date

__all__ = ["CLEANER_VERSION", "MIN_WORDS", "clean_text"]

CLEANER_VERSION = "newstrace.clean.text.v4"

# Fewer words than this left after cleaning is a stub, a wall or a menu, not an article.
MIN_WORDS = 8


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
    found = Found()
    lines = text.split("\n")
    drop: dict[int, str] = {}  # line index -> why it is not article text
    read_header(lines, found, drop)
    read_lines(lines, found, drop)
    paragraphs = line_paragraphs(lines, drop)
    paragraphs = _take_title(paragraphs, found, raw)
    paragraphs = dedupe(paragraphs)

    body = "\n\n".join(paragraphs)
    refusal = _not_article(body, found.title)
    if refusal:
        return _fail(raw, "skip", "not-article", refusal)

    dateline, lead = next(((d, p) for p in paragraphs[:4] if (d := find_dateline(p))), (None, ""))
    if dateline and dateline.agency and not found.agency:
        found.agency = dateline.agency
    if not found.published and dateline and dateline.month_day:
        found.published, note = dateline_date(dateline, lead, text)
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
    words = len(WORD.findall(body))
    rules = boilerplate_rules()
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


def _title_like(p: str) -> bool:
    """Short, opening with a capital or a quote, not ending like a sentence or a lead-in."""
    if len(p) > 200:
        return False
    words = WORD.findall(p)
    if not 2 <= len(words) <= 30:
        return False
    first = next((ch for ch in p if ch.isalpha()), "")
    if not first.isupper():
        return False
    end = p.rstrip("\"'”’)]» ")
    if end.endswith((".", ",", ";", ":")) or navigation_bar(p):
        return False
    return find_dateline(p) is None


# Where a headline written as a sentence ends: a full stop and a capital. A question or an
# exclamation inside it ("'Should we go to war with NATO?' Asks Putin") does not end it.
_HEAD_END = re.compile(r"\.[\"'”’)\]]*\s+(?=[\"“‘(]?[A-Z])")
_MAX_HEAD_WORDS = 30


def _head_block(first: str, lead: str) -> tuple[str, str] | None:
    """(headline, standfirst) from a first paragraph that holds both, or None.

    Read only when the next paragraph is the lead (it opens with a dateline): what stands before
    a dateline lead is the article's head, not its text. The headline is its first sentence; the
    rest, the standfirst, stays in the body (so cleaning the result again changes nothing: a
    lone standfirst is one sentence, which is never split).
    """
    if len(first) > 400 or find_dateline(first) is not None or find_dateline(lead) is None:
        return None
    parts = _HEAD_END.split(first, maxsplit=1)
    if len(parts) < 2:
        return None  # one sentence before the lead may be the lead's own first half
    head, rest = parts[0].strip().rstrip("."), parts[1].strip()
    if not 3 <= len(WORD.findall(head)) <= _MAX_HEAD_WORDS or not head[:1].isupper() or not rest:
        return None
    if rest.endswith((":", ",", ";")):
        return None  # an introduction that leads into the lead ("As reported by the AP:")
    return head, rest


def _take_title(paragraphs: list[str], found: Found, raw: RawDocument) -> list[str]:
    """Settle the headline and take it, and any repeat of it, out of the body."""
    headline = found.title or (normalize_text(raw.hints.title) if raw.hints.title else None)
    if headline is None and len(paragraphs) > 1 and _title_like(paragraphs[0]):
        found.title = headline = paragraphs[0]
        paragraphs = paragraphs[1:]
    elif headline is None and len(paragraphs) > 1:
        block = _head_block(paragraphs[0], paragraphs[1])
        if block is not None:
            found.title = headline = block[0]
            paragraphs = [block[1], *paragraphs[1:]] if block[1] else paragraphs[1:]
    if headline is None:
        return paragraphs
    return [p for p in paragraphs if not same_text(p, headline)]
