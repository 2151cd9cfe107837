"""The HTML cleaning path: decode a page, find its main text and its metadata, or say why not.

Main text comes from trafilatura; metadata is read from what the page states (JSON-LD, meta
tags, `<time>` and byline markup, `<h1>`/`<title>`) before htmldate and trafilatura's guesses.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

import lxml.html
from lxml import etree

from ..dates import (
    MONTH,
    UTC_TIME,
    WEEKDAY,
    WEEKDAY_ABBREVIATION,
    find_full_dates,
    full_dates_at,
    parse_date,
)
from ..records import Article, Failure, RawDocument
from .meta import make_article, normalize_text, outlet_from_url
from .text import find_dateline, furniture_kind, parse_byline

__all__ = [
    "CLEANER_VERSION",
    "PageMeta",
    "clean_html",
    "decode_html",
    "page_metadata",
]

CLEANER_VERSION = "newstrace.clean.html.v3"

# ---------------------------------------------------------------------------------------------
# Decoding

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: a page labelled latin-1 or ascii is decoded as windows-1252 by every browser.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def _try(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(content: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used).

    Order: byte-order mark; the container's declared encoding; UTF-8 when the bytes are valid
    UTF-8 (pages often mislabel UTF-8 as latin-1, and valid UTF-8 by chance is rare); the
    `<meta charset>` of the page; a statistical guess; UTF-8 with replacement characters.
    """
    for bom, enc in _BOMS:
        if content.startswith(bom):
            text = _try(content, enc)
            if text is not None:
                return text.lstrip("\ufeff"), enc
    declared_codec = _codec(declared)
    if declared_codec:
        text = _try(content, declared_codec)
        if text is not None:
            return text, declared_codec
    text = _try(content, "utf-8")
    if text is not None:
        return text, "utf-8"
    m = _META_CHARSET.search(content[:8192])
    meta_codec = _codec(m.group(1).decode("ascii", "ignore")) if m else None
    if meta_codec and meta_codec not in ("utf-8", "utf-16", "utf-32"):
        text = _try(content, meta_codec)
        if text is not None:
            return text, meta_codec
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        text = _try(content, best.encoding)
        if text is not None:
            return text, best.encoding
    return content.decode("utf-8", errors="replace"), "utf-8"


# HTML comments and processing instructions are dropped at parse time, as trafilatura's own loader
# does: left in the tree, a comment inside a paragraph makes trafilatura lose the text after it.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def _parse(text: str) -> lxml.html.HtmlElement | None:
    # An XML declaration with an encoding makes lxml refuse an already decoded string.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text, count=1)
    if not text.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


# ---------------------------------------------------------------------------------------------
# Metadata stated by the page


@dataclass
class PageMeta:
    """Metadata candidates read from the page, each list in the order it should be trusted."""

    titles: list[tuple[str, str]] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, list[str]]] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    html_title: str | None = None
    site_names: list[str] = field(default_factory=list)
    og_type: str | None = None
    is_article_typed: bool = False
    is_index_typed: bool = False
    canonical_url: str | None = None
    bodies: list[str] = field(
        default_factory=list
    )  # JSON-LD articleBody, for pages that script their text


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "satiricalarticle",
    "techarticle",
    "scholarlyarticle",
    "socialmediaposting",
    "liveblogposting",
    "report",
    "posting",
    "review",
}
_PAGE_TYPES = {"webpage", "itempage", "aboutpage", "faqpage", "qapage", "medicalwebpage"}


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    values = t if isinstance(t, list) else [t]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def _walk_json(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk_json(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_json(v)


def _top_nodes(value: Any) -> Iterator[dict[str, Any]]:
    """The entities a JSON-LD block is about: top-level objects, `@graph` members, `mainEntity`.

    Objects nested under other properties (a paper's `citation` list, a `review` of a product)
    describe other works; their authors and dates are not this page's.
    """
    if isinstance(value, list):
        for v in value:
            yield from _top_nodes(v)
    elif isinstance(value, dict):
        if "@graph" in value:
            yield from _top_nodes(value["@graph"])
        if "@type" in value:
            yield value
        for key in ("mainEntity", "mainEntityOfPage"):
            if isinstance(value.get(key), dict) and "@type" in value[key]:
                yield value[key]


def _load_json_ld(raw: str) -> Any:
    raw = raw.strip()
    raw = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", raw)
    raw = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", raw).strip().rstrip(";")
    try:
        return json.loads(raw)
    except ValueError:
        pass
    # Unescaped control characters inside strings are the commonest breakage; JSON allows none.
    try:
        return json.loads(re.sub(r"[\x00-\x1f]+", " ", raw))
    except ValueError:
        return None


def _json_text(value: Any) -> str | None:
    if isinstance(value, str):
        s = " ".join(_html_unescape(value).split())
        return s or None
    if isinstance(value, dict):
        return _json_text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _json_text(value[0])
    return None


def _html_unescape(s: str) -> str:
    if "&" not in s and "<" not in s:
        return s
    import html

    # JSON-LD and meta values sometimes carry markup or entities; only their text is a value.
    return html.unescape(re.sub(r"<[^>]{0,200}>", " ", s))


def _json_authors(value: Any, ids: dict[str, dict[str, Any]]) -> list[str]:
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            if "name" not in item and isinstance(item.get("@id"), str):
                item = ids.get(item["@id"], item)
            name = _json_text(item.get("name"))
            if name:
                out.append(name)
        elif isinstance(item, str):
            s = _json_text(item)
            if s and not s.startswith(("http://", "https://")):
                out.append(s)
    return out


def _read_json_ld(tree: lxml.html.HtmlElement, meta: PageMeta) -> None:
    nodes: list[dict[str, Any]] = []
    every: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _load_json_ld(script.text or "")
        if data is not None:
            nodes.extend(_top_nodes(data))
            every.extend(_walk_json(data))
    if not nodes:
        return
    ids = {n["@id"]: n for n in every if isinstance(n.get("@id"), str) and len(n) > 1}
    articles = [n for n in nodes if _types(n) & _ARTICLE_TYPES]
    pages = [n for n in nodes if _types(n) & _PAGE_TYPES]
    meta.is_article_typed = bool(articles)
    meta.is_index_typed = any(
        _types(n) & {"collectionpage", "searchresultspage", "profilepage"} for n in nodes
    )
    for kind, group in (("ld-article", articles), ("ld-page", pages)):
        for node in group:
            title = _json_text(node.get("headline")) or (
                _json_text(node.get("name")) if kind == "ld-article" else None
            )
            if title:
                meta.titles.append((kind, title))
            date = _json_text(node.get("datePublished")) or _json_text(node.get("dateCreated"))
            if date:
                meta.dates.append((kind, date))
            body = node.get("articleBody") if kind == "ld-article" else None
            if isinstance(body, str) and body.strip():
                meta.bodies.append(body)
            if "author" in node or "creator" in node:
                names = _json_authors(node.get("author") or node.get("creator"), ids)
                if names:
                    meta.authors.append((kind, names))
    for node in every:
        if _types(node) & {"website", "organization", "newsmediaorganization"}:
            name = _json_text(node.get("name"))
            if name:
                meta.site_names.append(name)


_META_TITLE = (
    "og:title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
    "dc.title",
    "headline",
)
_META_DATE = (
    "article:published_time",
    "og:article:published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "date",
    "dc.date",
    "dcterms.date",
)
_META_AUTHOR = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "byl",
    "twitter:data1",
)
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net)/", re.I)


def _read_meta_tags(tree: lxml.html.HtmlElement, meta: PageMeta) -> None:
    tags: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key:
                tags.setdefault(key, []).append(" ".join(_html_unescape(content).split()))
    for key in _META_TITLE:
        for v in tags.get(key, ())[:1]:
            meta.titles.append((f"meta:{key}", v))
    for key in _META_DATE:
        for v in tags.get(key, ())[:1]:
            meta.dates.append((f"meta:{key}", v))
    for key in _META_AUTHOR:
        if (
            key == "twitter:data1"
            and "written by" not in " ".join(tags.get("twitter:label1", ())).lower()
        ):
            continue
        values = [v for v in tags.get(key, ()) if not _URLISH.search(v)]
        if values:
            meta.authors.append((f"meta:{key}", values))
    meta.site_names.extend(tags.get("og:site_name", ())[:1])
    meta.site_names.extend(tags.get("application-name", ())[:1])
    if tags.get("og:type"):
        meta.og_type = tags["og:type"][0].lower()
    for link in tree.xpath('//link[@rel="canonical"][@href]'):
        meta.canonical_url = link.get("href")
        break
    if not meta.canonical_url and tags.get("og:url"):
        meta.canonical_url = tags["og:url"][0]
    # Only an absolute web address is a URL we can report; anything else is dropped.
    if meta.canonical_url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", meta.canonical_url):
        meta.canonical_url = None


def _text_of(el: lxml.html.HtmlElement) -> str:
    return " ".join(" ".join(el.itertext()).split())


_LOGO = re.compile(r"logo|site-?title|site-?name|blog-?title|brand|masthead")
_BYLINE_CLASS = re.compile(r"\b(?:byline|author|writer|contributor)", re.I)
_BYLINE_SKIP = re.compile(
    r"(?:bio|avatar|image|img|photo|social|share|box|description|about|comment|form|label|reply)",
    re.I,
)


def _read_markup(tree: lxml.html.HtmlElement, meta: PageMeta) -> None:
    title_el = tree.find(".//title")
    if title_el is not None:
        meta.html_title = _text_of(title_el) or None
    for h1 in tree.iter("h1"):
        text = _text_of(h1)
        # A logo or site title marked up as <h1> is not the headline.
        marks = " ".join(
            f"{a.get('class') or ''} {a.get('id') or ''}" for a in (h1, *h1.iterancestors())
        ).lower()
        if text and not _LOGO.search(marks):
            meta.h1.append(text)
    # Dates the page marks up for machines: itemprop first, then <time> in an article header.
    for el in tree.xpath(
        '//*[@itemprop="datePublished"][@content or @datetime] | //time[@itemprop="datePublished"]'
    ):
        value = el.get("content") or el.get("datetime") or _text_of(el)
        if value:
            meta.dates.append(("itemprop", value))
            break
    for el in tree.xpath(
        "//article//time[@datetime] | //header//time[@datetime] | //time[@pubdate][@datetime]"
    ):
        cls = " ".join(
            (a.get("class") or "") for a in (el, el.getparent()) if a is not None
        ).lower()
        if "updat" in cls or "modif" in cls:
            continue
        meta.dates.append(("time", el.get("datetime") or ""))
        break
    # Bylines the page marks up: rel=author links, itemprop=author, byline/author classes.
    names: list[str] = []
    scope: object = None
    for el in tree.xpath('//*[@itemprop="author"]'):
        # Only the first item's authors: later ones belong to cited works or related posts.
        owner = next(iter(el.xpath("ancestor::*[@itemscope][1]")), None)
        if names and owner is not scope:
            break
        scope = owner
        name_el = el.xpath('.//*[@itemprop="name"]')
        value = (name_el[0].get("content") or _text_of(name_el[0])) if name_el else _text_of(el)
        value = value or el.get("content") or ""
        if value and value not in names:
            names.append(value)
    if names:
        meta.authors.append(("itemprop", names))
    names = []
    for el in tree.xpath('//a[@rel="author"]'):
        value = _text_of(el)
        if value and value not in names:
            names.append(value)
    if names:
        meta.authors.append(("rel-author", names))
    for el in tree.xpath(
        "//*[contains(@class,'byline') or contains(@class,'author') or contains(@class,'Byline') or contains(@class,'Author')]"
    ):
        cls = el.get("class") or ""
        if not _BYLINE_CLASS.search(cls) or _BYLINE_SKIP.search(cls):
            continue
        if el.xpath("ancestor::form | ancestor::*[contains(@class,'comment')]"):
            continue  # a comment form's "Name" field or a commenter, not the article's author
        text = _text_of(el)
        if 3 <= len(text) <= 80:
            meta.authors.append(("byline-class", [text]))
            break


def page_metadata(tree: lxml.html.HtmlElement) -> PageMeta:
    """Every title, date and author candidate the page states, by source."""
    meta = PageMeta()
    _read_json_ld(tree, meta)
    _read_meta_tags(tree, meta)
    _read_markup(tree, meta)
    return meta


# ---------------------------------------------------------------------------------------------
# Choosing values


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


def _key(s: str) -> str:
    return " ".join(_words(s))


class _Site:
    """What the site calls itself, to tell a site name from a headline or a person."""

    def __init__(self, names: Iterable[str], url: str | None) -> None:
        self.keys = {_key(n) for n in names if n and _key(n)}
        self.label = ""
        outlet = outlet_from_url(url)
        if outlet:
            self.label = outlet.split(".")[0].replace("-", "")
            self.keys.add(_key(outlet.split(".")[0]))
        self.keys.discard("")

    def matches(self, text: str) -> bool:
        k = _key(text)
        if not k:
            return False
        if k in self.keys or k.replace(" ", "") in {x.replace(" ", "") for x in self.keys}:
            return True
        squashed = k.replace(" ", "")
        return (
            bool(self.label)
            and len(squashed) >= 4
            and (
                squashed in self.label
                or (
                    len(self.label) >= 4
                    and self.label in squashed
                    and len(squashed) <= len(self.label) + 6
                )
            )
        )


_TITLE_SEPS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " // ")


def strip_site_name(title: str, site: _Site) -> str:
    """Drop a site-name suffix or prefix ("Headline | Site", "Site - Headline") from a title.

    A part the site is known by goes whatever its length; an unknown short tail after a pipe or
    dash goes only once and only when the head is much longer (a tagline, not half the headline).
    """
    title = " ".join(title.split())
    for sep in _TITLE_SEPS:
        if sep not in title:
            continue
        parts = title.split(sep)
        head, tail = sep.join(parts[:-1]), parts[-1]
        if _words(head) and site.matches(tail):
            return strip_site_name(head, site)
        first, rest = parts[0], sep.join(parts[1:])
        if len(_words(rest)) >= 2 and site.matches(first):
            return strip_site_name(rest, site)
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            nt, nh = len(_words(tail)), len(_words(head))
            if 0 < nt <= 3 and nh >= 3 * nt and tail[:1].isupper():
                return head
    return title


def _choose_title(meta: PageMeta, site: _Site) -> str | None:
    """The visible headline when the page has one clear <h1>, else the best stated title.

    Metadata titles are often SEO variants of the headline; a page's only <h1> (logos and site
    names set aside) is what a reader sees as the title. With several <h1>s, the one the page's
    metadata confirms wins; then JSON-LD's headline, then og:/twitter:/<title> minus the site name.
    """
    stated = [strip_site_name(v, site) for _src, v in meta.titles if v and len(v) < 400]
    if meta.html_title:
        stated.append(strip_site_name(meta.html_title, site))
    keys = [_key(s) for s in stated]
    h1s = [h for h in meta.h1[:5] if not site.matches(h) and len(h) < 400]
    if len(h1s) == 1:
        return h1s[0]
    for h1 in h1s:
        k = _key(h1)
        if k and any(k == key or (len(k.split()) >= 3 and k in key) for key in keys):
            return h1
    for src, value in meta.titles:
        if src == "ld-article" and value and len(value) < 400:
            return strip_site_name(value, site)
    for title in stated:
        if not site.matches(title):
            return title
    if h1s:
        return h1s[0]
    return stated[0] if stated else None


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


# What is not read as the page's visible text: code, and the menus and footers around it.
_INVISIBLE = {"script", "style", "noscript", "template", "svg", "nav", "footer", "select", "button"}
_DATE_LABEL = re.compile(
    r"\b(?:updated|modified|revised|edited|reviewed|fact[- ]?checked|refreshed|published|posted|"
    r"written|by)\b",
    re.I,
)
_UPDATE_LABELS = ("updated", "modified", "revised", "edited", "reviewed", "fact", "refreshed")
# The labels among those that say the text itself changed that day.
_CHANGE_LABELS = ("updated", "modified", "revised", "refreshed")


def _visible_text(
    root: lxml.html.HtmlElement, until: Any = None, beyond: int = 0
) -> tuple[str, dict[Any, int]]:
    """The visible text under `root` in reading order, and where each element's text starts;
    when `until` is given, the walk stops `beyond` characters after that element's start."""
    parts: list[str] = []
    starts: dict[Any, int] = {}
    n = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # no recursion: pages nest deeper than Python's stack
        if until in starts and n > starts[until] + beyond:
            break
        el, closed = stack.pop()
        piece = ""
        if closed or (isinstance(el.tag, str) and el.tag.lower() in _INVISIBLE):
            piece = " " + (el.tail or "")
        else:
            starts[el] = n
            piece = " " + (el.text or "")
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        parts.append(piece)
        n += len(piece)
    return "".join(parts), starts


def _headline_h1(
    tree: lxml.html.HtmlElement, headline: str | None
) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement] | None:
    """The page's body and the `<h1>` that holds the headline (else its first `<h1>`), or None."""
    body = tree.find(".//body")
    h1s = list(body.iter("h1")) if body is not None else []
    if body is None or not h1s:
        return None
    key = " ".join((headline or "").split()).casefold()
    return body, next((h for h in h1s if _text_of(h).casefold() == key), h1s[0])


class _Shown(NamedTuple):
    """The dates a page shows beside its headline: the first unlabelled (or "Published") one,
    and the first labelled as an update ("Last updated: ...", "Updated on ...")."""

    day: str | None
    updated: str | None


def _displayed_date(tree: lxml.html.HtmlElement, headline: str | None) -> _Shown:
    """The days the page shows beside its headline: full dates written in the 400 characters
    after the `<h1>` (else the last in the 150 before it), apart by their label. A review or a
    fact-check ("Reviewed on ...") is neither: it says nothing of when the text was written."""
    found = _headline_h1(tree, headline)
    if found is None:
        return _Shown(None, None)
    body, h1 = found
    reach = len(_text_of(h1)) + 420
    text, starts = _visible_text(body, until=h1, beyond=reach)
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


def _page_date(
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


_AUTHOR_DROP = re.compile(
    r"^(?:updated|last updated|published|reviewed|fact[- ]checked|edited|photos?|images?|"
    r"illustrations?|video|medically reviewed)\b",
    re.I,
)
_AUTHOR_PREFIX = re.compile(
    r"^\s*(?:view all posts by|more posts by|posts by|articles by|written by|posted by|"
    r"published by|reported by|words by|story by|by|von|authors?)\s*[:\-]?\s+",
    re.I,
)
_AUTHOR_SUFFIX = re.compile(r"\s+(?:says|said|wrote)\s*:?\s*$", re.I)
_ROLES = re.compile(
    r"(?:\s+(?:staff|senior|contributing|staff writer|writer|reporter|correspondent|editor|"
    r"contributor|columnist))+\s*$",
    re.I,
)


# A job title standing alone after a name: at most two qualifiers before the role noun.
_ROLE_AFTER_NAME = re.compile(
    r"^(?:[A-Z][\w&-]*\s+){0,2}(?:staff writer|writer|reporter|correspondent|editor|contributor|"
    r"columnist|producer|analyst|bureau chief|chief)s?$",
    re.I,
)


# A month or weekday name, or its abbreviation.
_DATE_WORD = rf"(?:{MONTH}|{WEEKDAY_ABBREVIATION}|{WEEKDAY})"
_MONTH_OR_DAY = re.compile(rf"\b{_DATE_WORD}\b\.?,?(?=\s*\d)", re.I)
_DATEISH = re.compile(rf"^(?:\s|\d|[,./-]|\b{_DATE_WORD}\b)*$", re.I)
_CLOCK = re.compile(r"\b\d{1,2}:\d\d\b")
# A weekday or day number left over from a split date ("J.R. Stone Thursday"); a trailing month
# name is not stripped, since it can be the name itself ("Theresa May").
_TRAILING_DAY = re.compile(rf"(?:\s+(?:\d{{1,2}}|{WEEKDAY})\.?)+$", re.I)


def _avatar_initials(name: str) -> str:
    """The name without a leading block of its own initials ("CM Craig McCarthy")."""
    first, _, rest = name.partition(" ")
    words = rest.split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    if 2 <= len(first) <= 3 and first.isupper() and len(words) >= 2 and initials.startswith(first):
        return rest
    return name


_NOT_A_BYLINE = {
    "full bio",
    "bio",
    "the author",
    "author",
    "admin",
    "administrator",
    "guest",
    "anonymous",
    "name",
    "posted",
    "by",
    "undefined",
    "null",
    "none",
}
# A CMS login or URL slug ("jdoe", "brandon-peaktwo") is an account, not a byline.
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def _clean_author_values(values: list[str], site: _Site | None = None) -> tuple[str, ...]:
    """Person (or byline) names from author strings; emails, URLs, dates and roles dropped."""
    out: list[str] = []
    for value in values:
        value = " ".join(value.split())
        value = re.split(r"\s+(?:\||·|•|—|–)\s+", value)[0]  # "Jane Doe | Jan 3, 2024"
        value = _AUTHOR_PREFIX.sub("", value)
        value = _AUTHOR_SUFFIX.sub("", value)
        for i, part in enumerate(re.split(r"\s*(?:;|,|\band\b|&)\s*", value)):
            part = _AUTHOR_PREFIX.sub("", part.strip(" ,.-–—|:"))
            if i and _ROLE_AFTER_NAME.match(part):
                continue  # "Corin Ashdown, Diplomatic Editor": the role of the name before it
            # A date glued to the name ("Jane Doe Dec 18", "Team X September 4") ends the name.
            m = _MONTH_OR_DAY.search(part)
            if m:
                part = part[: m.start()]
            if _CLOCK.search(part):
                continue  # "3:51 pm 11 Edit": a timestamp and a button, split off a byline
            part = _TRAILING_DAY.sub("", part.strip())  # "Emily Burack 8", "J.R. Stone Thursday"
            part = _avatar_initials(part)  # "CM Craig McCarthy": the avatar's letters first
            part = re.sub(
                r"\s+(?:last updated|updated|published|posted|on)\b.*$", "", part, flags=re.I
            )
            if _DATEISH.match(part):
                continue
            part = part.strip(" ,.-–—|:")
            without_role = _ROLES.sub("", part).strip(" ,.-–—|:")
            if len(without_role.split()) >= 2:
                part = without_role
            if site is not None and len(part.split()) > 2 and not site.matches(part):
                # "Adam Aaronson PhillyVoice": the outlet's name trails the person's.
                head, _, last = part.rpartition(" ")
                if site.matches(last):
                    part = head
            if not part or "@" in part or _URLISH.search(part) or re.search(r"\d{3}", part):
                continue
            if (
                _AUTHOR_DROP.search(part)
                or len(part.split()) > 6
                or not re.search(r"[^\W\d_]{2}", part)
            ):
                continue
            part = re.sub(r"\s*[*(].*$", "", part)  # "Name *", "Name (required)": form labels
            if (
                not part
                or _SLUG.match(part)
                or _key(part) in _NOT_A_BYLINE
                or _key(part) in {"ph d", "phd", "md", "jr", "sr", "rd", "ms"}
            ):
                continue
            if site is not None and out and site.matches(part):
                continue  # "Rob Picheta, CNN": the outlet after the person
            if part not in out:
                out.append(part)
    return tuple(out)


def _choose_authors(
    meta: PageMeta, site: _Site, fallback: Callable[[], str | None]
) -> tuple[str, ...]:
    """The first source that names someone other than the site itself, else the site if stated.

    `fallback` (trafilatura's author heuristics) is asked only when the page states no person.
    """
    candidates = [_clean_author_values(values, site) for _src, values in meta.authors]
    candidates = [c for c in candidates if c]
    for authors in candidates:
        if not all(site.matches(a) for a in authors):
            return authors
    extra = fallback()
    if extra:
        authors = _clean_author_values(extra.split(";"), site)
        if authors and (not candidates or not all(site.matches(a) for a in authors)):
            return authors
    return candidates[0] if candidates else ()


_HEADER_BYLINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated)\b.{0,40}?\s)?"
    r"(?:by|written by|words by|story by|posted by|reported by)\s+(?P<names>.{2,200})$",
    re.I,
)
_BYLINE_END = re.compile(r"\s*(?:[|⋅·•]|\s[-–—]\s)\s*")


def _header_authors(tree: lxml.html.HtmlElement, headline: str | None) -> str | None:
    """Names from a "By Ann Lee" line among the first elements after the headline's `<h1>`, for
    pages that mark up no byline: the text after "By" up to a date or a separator is read as a
    byline by the plain-text cleaner's rules (so "By Land and Sea" is no author)."""
    found = _headline_h1(tree, headline)
    if found is None:
        return None
    body, h1 = found
    looked = 0
    for el in _after(body, h1):
        looked += 1
        if looked > 60:
            break
        text = _text_of(el)
        m = _HEADER_BYLINE.match(text) if len(text) <= 160 else None
        if not m:
            continue
        names = m.group("names")
        dates = full_dates_at(names)
        names = _BYLINE_END.split(names[: dates[0][0]] if dates else names)[0].strip(" ,")
        found = parse_byline(f"By {names}")
        if found and found[0]:
            return "; ".join(found[0])
    return None


def _after(body: lxml.html.HtmlElement, mark: lxml.html.HtmlElement) -> Iterator[Any]:
    """The elements that follow `mark` in document order, code and menu containers left out (their
    children are still seen: a byline inside a `<nav>` is rare, and a `<footer>` one too far down)."""
    started = False
    for el in body.iter():
        if el is mark:
            started = True
        elif started and isinstance(el.tag, str) and el.tag.lower() not in _INVISIBLE:
            yield el


def _trafilatura_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's own author reading (meta tags, JSON-LD, byline XPaths), without its date."""
    from trafilatura import metadata as tm

    try:
        found = tm.examine_meta(tree)
        if found.author and " " not in found.author:
            found.author = None  # trafilatura's own rule: a one-word meta author is a handle
        found = tm.extract_meta_json(tree, found)
        return found.author or tm.extract_author(tree)
    except (
        Exception
    ):  # a library bug on odd markup must not lose the page; the author stays unknown
        return None


# ---------------------------------------------------------------------------------------------
# Main text and the not-an-article verdict

MIN_WORDS = 40
MIN_WORDS_ARTICLE = 10
_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read|keep reading)|subscribers only|"
    r"this (?:article|content) is (?:only )?(?:available|reserved) (?:to|for) (?:subscribers|members)|"
    r"log ?in to (?:continue|read|view)|sign ?in to (?:continue|read|view)|create a free account to)\b",
    re.I,
)


def _body_text(body: etree._Element | None) -> str:
    if body is None:
        return ""
    from trafilatura.xml import xmltotxt

    flat = xmltotxt(body, include_formatting=False)
    # One pass over the whole text (it keeps line breaks), not one per line: same result, and
    # ftfy's cost is mostly per call.
    paragraphs = normalize_text(flat).split("\n")
    # trafilatura keeps short furniture that sits inside the article element (feed footers, share
    # lines, credits); the plain-text cleaner's line patterns know them. Table rows ("| 1/1/2013 |
    # +13.1% |") are content even when they hold only figures; their "|---|" rules are not.
    return "\n\n".join(
        p
        for p in paragraphs
        if p and (_has_cells(p) if _TABLE_ROW.match(p) else furniture_kind(p) is None)
    )


_TABLE_ROW = re.compile(r"^\|.*\|$")


def _has_cells(row: str) -> bool:
    """A table row with something in its cells (not the `|---|---|` rule under a header)."""
    return any(ch.isalnum() for ch in row)


def _article_signals(meta: PageMeta) -> bool:
    """Does the page's own markup say it is an article (not a home, section or search page)?"""
    return (
        meta.is_article_typed
        or (meta.og_type or "").startswith("article")
        or any(src.startswith(("meta:article:", "ld-article")) for src, _v in meta.dates)
    )


def _link_share(tree: lxml.html.HtmlElement, text: str) -> float:
    """Share of main-text words in paragraphs that are exactly the text of a link on the page."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if not paragraphs:
        return 0.0
    anchors = {_key(_text_of(a)) for a in tree.iter("a")}
    anchors.discard("")
    total = linked = 0
    for p in paragraphs:
        n = len(_words(p))
        total += n
        if _key(p) in anchors:
            linked += n
    return linked / total if total else 0.0


def _not_article(
    raw: RawDocument, tree: lxml.html.HtmlElement, text: str, meta: PageMeta
) -> Failure | None:
    n_words = len(re.findall(r"\w+", text))
    why: str | None = None
    share = _link_share(tree, text)
    if share > (0.8 if _article_signals(meta) else 0.5):
        why = f"an index page ({round(share * 100)}% of its main text is link titles)"
    elif n_words >= 150:
        return None
    elif n_words < 80 and tree.xpath('//input[@type="password"]'):
        why = "a login form and little text"
    elif _PAYWALL.search(text) or _PAYWALL.search(_text_of(tree)[:20000]):
        why = "a subscription or login wall"
    elif n_words == 0:
        why = "no main text"
    elif _article_signals(meta):
        # A page that calls itself an article keeps a short text (a brief, a teaser).
        if n_words < MIN_WORDS_ARTICLE:
            why = f"too little main text ({n_words} words)"
    elif n_words < MIN_WORDS:
        why = f"too little main text ({n_words} words)"
    elif meta.is_index_typed:
        why = f"an index page ({n_words} words of main text, no article markup)"
    if why is None:
        return None
    return Failure(
        source=raw.source,
        kind="skip",
        reason="not-article",
        message=f"{raw.source}: not an article: {why}",
    )


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _without_hidden_microdata(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The tree without schema.org blocks hidden from readers (`<div style="display:none"
    itemscope>` holding the headline, dates and image URLs again for search engines).

    Their values are metadata, read with the rest of the page's microdata; as text they were
    taken for body paragraphs. Other hidden elements stay: some pages hide their whole article
    until a script shows it. The page's own tree is left whole for the date and author readers.
    """
    if not any(_hidden(el) for el in tree.iterfind(_MICRODATA)):
        return tree
    tree = copy.deepcopy(tree)
    for el in [el for el in tree.iterfind(_MICRODATA) if _hidden(el)]:
        if el.getparent() is not None:
            el.drop_tree()
    return tree


_MICRODATA = ".//*[@itemscope][@style]"


def _hidden(el: lxml.html.HtmlElement) -> bool:
    return bool(_HIDDEN.search(el.get("style", "")))


def _extract_body(tree: lxml.html.HtmlElement, url: str | None) -> str:
    import trafilatura

    tree = _without_hidden_microdata(tree)
    # Comments are not the article; metadata is read separately (htmldate would run twice).
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True
    )
    if doc is None or isinstance(doc, dict):  # a dict only comes back when as_dict=True
        return ""
    return _body_text(doc.body)


def _json_ld_body(meta: PageMeta) -> str:
    """The longest JSON-LD articleBody as paragraphs; some sites write it as HTML, which is read
    for its text only (never rendered, its scripts and styles dropped)."""
    if not meta.bodies:
        return ""
    body = max(meta.bodies, key=len)
    if re.search(r"&lt;(?:p|br|div)\b", body, re.I):  # escaped twice by the site
        import html

        body = html.unescape(body)
    if re.search(r"<(?:p|br|div|h[1-6]|li)\b", body, re.I):
        fragment = _parse(f"<html><body>{body}</body></html>")
        if fragment is None:
            return ""
        for el in list(fragment.iter("script", "style")):
            el.drop_tree()
        for el in fragment.iter("br", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li"):
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
        body = fragment.text_content()
    # Blank lines part paragraphs where the body has them; single line breaks are then only
    # wrapping. A body without blank lines puts one paragraph on each line.
    if re.search(r"\n[ \t]*\n", body):
        chunks = [" ".join(c.split()) for c in re.split(r"\n[ \t]*\n", body)]
    else:
        chunks = body.splitlines()
    paragraphs = [normalize_text(c.strip()) for c in chunks]
    return "\n\n".join(p for p in paragraphs if p and furniture_kind(p) is None)


def _restates(stated: str, text: str) -> bool:
    """Is the extracted text the stated articleBody again, with fewer paragraphs?"""
    a, b = Counter(_words(stated)), Counter(_words(text))
    n_a, n_b = sum(a.values()), sum(b.values())
    if not n_a or not n_b or stated.count("\n\n") <= text.count("\n\n"):
        return False
    shared = sum((a & b).values())
    return shared >= 0.9 * n_b and shared >= 0.9 * n_a


def _drop_leading_headline(text: str, headline: str) -> str:
    """The body without a first paragraph that only repeats the headline (an `<h1>` inside the
    article element is kept by trafilatura); the headline is the title's, not the body's."""
    first, sep, rest = text.partition("\n\n")
    if sep and " ".join(first.split()).casefold() == " ".join(headline.split()).casefold():
        return rest
    return text


def clean_html(raw: RawDocument) -> Article | Failure:
    """Clean one HTML page into an Article, or a skip Failure when the page holds no article.

    A page the parsing libraries choke on becomes a quarantine Failure that keeps the raw bytes,
    so one odd page never stops a run and can be re-run after a fix.
    """
    if not raw.content or not raw.content.strip():
        return Failure(raw.source, "skip", "empty", f"{raw.source}: empty HTML page")
    try:
        return _clean(raw)
    except RecursionError:
        why = "markup nested too deeply to parse"
    except Exception as exc:  # third-party parsers on untrusted markup; see docstring
        why = f"{type(exc).__name__}: {str(exc)[:120]}"
    message = " ".join(f"{raw.source}: could not extract the page: {why}".split())
    return Failure(raw.source, "quarantine", "extract-error", message, raw=raw.content)


def _clean(raw: RawDocument) -> Article | Failure:
    html, _encoding = decode_html(raw.content, raw.encoding)
    tree = _parse(html)
    if tree is None:
        return Failure(raw.source, "skip", "not-article", f"{raw.source}: not an article: no HTML")
    meta = page_metadata(tree)
    url = raw.hints.url or meta.canonical_url
    site = _Site(meta.site_names, url)
    text = _extract_body(tree, url)
    notes: tuple[str, ...] = ()
    stated_body = _json_ld_body(meta)
    # The page writes its text with a script (or behind a wall) and states it in JSON-LD; or
    # trafilatura fell back on that same articleBody, running its paragraphs together and keeping
    # what the markup's scripts and styles held.
    if len(_words(stated_body)) > max(MIN_WORDS_ARTICLE, 2 * len(_words(text))) or _restates(
        stated_body, text
    ):
        text = stated_body
        notes = ("text: taken from the page's JSON-LD articleBody (little text in the markup)",)
    failure = _not_article(raw, tree, text, meta)
    if failure is not None:
        return failure
    title = _choose_title(meta, site)
    if title:
        title = normalize_text(title)
        text = _drop_leading_headline(text, raw.hints.title or title)
    # A date stated by the container wins in make_article; no need to search the page for one.
    published = None
    if not parse_date(raw.hints.published):
        published, dated = _page_date(meta, tree, url, title)
        notes = (*notes, *dated)
    authors = _choose_authors(
        meta, site, lambda: _header_authors(tree, title) or _trafilatura_author(tree)
    )
    dateline = next((d for p in text.split("\n\n")[:4] if (d := find_dateline(p))), None)
    article = make_article(
        raw,
        text,
        title=title,
        url=url,
        published=published,
        authors=authors,
        dateline=dateline.place if dateline else None,
        warnings=notes,
    )
    return replace(article, stage_versions=(*article.stage_versions, CLEANER_VERSION))
