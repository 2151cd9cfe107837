"""What an HTML page states about itself (JSON-LD, meta tags, markup) as PageMeta; the site's own
names, the outlet a URL belongs to, and the title chosen from the page's candidates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from .furniture import navigation_bar
from .markup import text_of

__all__ = [
    "URLISH",
    "PageMeta",
    "Site",
    "choose_title",
    "match_key",
    "outlet_from_url",
    "page_metadata",
    "strip_site_name",
    "words",
]


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
URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net)/", re.I)


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
        values = [v for v in tags.get(key, ()) if not URLISH.search(v)]
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


_LOGO = re.compile(r"logo|site-?title|site-?name|blog-?title|brand|masthead")
_BYLINE_CLASS = re.compile(r"\b(?:byline|author|writer|contributor)", re.I)
_BYLINE_SKIP = re.compile(
    r"(?:bio|avatar|image|img|photo|social|share|box|description|about|comment|form|label|reply)",
    re.I,
)


def _read_markup(tree: lxml.html.HtmlElement, meta: PageMeta) -> None:
    title_el = tree.find(".//title")
    if title_el is not None:
        meta.html_title = text_of(title_el) or None
    for h1 in tree.iter("h1"):
        text = text_of(h1)
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
        value = el.get("content") or el.get("datetime") or text_of(el)
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
        value = (name_el[0].get("content") or text_of(name_el[0])) if name_el else text_of(el)
        value = value or el.get("content") or ""
        if value and value not in names:
            names.append(value)
    if names:
        meta.authors.append(("itemprop", names))
    names = []
    for el in tree.xpath('//a[@rel="author"]'):
        value = text_of(el)
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
        text = text_of(el)
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


def words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


def match_key(s: str) -> str:
    return " ".join(words(s))


class Site:
    """What the site calls itself, to tell a site name from a headline or a person."""

    def __init__(self, names: Iterable[str], url: str | None) -> None:
        self.keys = {match_key(n) for n in names if n and match_key(n)}
        self.label = ""
        outlet = outlet_from_url(url)
        if outlet:
            self.label = outlet.split(".")[0].replace("-", "")
            self.keys.add(match_key(outlet.split(".")[0]))
        self.keys.discard("")

    def matches(self, text: str) -> bool:
        k = match_key(text)
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


def strip_site_name(title: str, site: Site) -> str:
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
        if words(head) and site.matches(tail):
            return strip_site_name(head, site)
        first, rest = parts[0], sep.join(parts[1:])
        if len(words(rest)) >= 2 and site.matches(first):
            return strip_site_name(rest, site)
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            head, tail = title.rsplit(sep, 1)
            nt, nh = len(words(tail)), len(words(head))
            if 0 < nt <= 3 and nh >= 3 * nt and tail[:1].isupper():
                return head
    return title


def choose_title(meta: PageMeta, site: Site) -> str | None:
    """The visible headline when the page has one clear <h1>, else the best stated title.

    Metadata titles are often SEO variants of the headline; a page's only <h1> (logos and site
    names set aside) is what a reader sees as the title. With several <h1>s, the one the page's
    metadata confirms wins; then JSON-LD's headline, then og:/twitter:/<title> minus the site name.
    A navigation bar ("Outlet | World | Business | Sport") is never a title, whatever holds it.
    """
    stated = [strip_site_name(v, site) for _src, v in meta.titles if v and len(v) < 400]
    if meta.html_title:
        stated.append(strip_site_name(meta.html_title, site))
    stated = [s for s in stated if not navigation_bar(s)]
    keys = [match_key(s) for s in stated]
    h1s = [h for h in meta.h1[:5] if not site.matches(h) and len(h) < 400 and not navigation_bar(h)]
    if len(h1s) == 1:
        return h1s[0]
    for h1 in h1s:
        k = match_key(h1)
        if k and any(k == key or (len(k.split()) >= 3 and k in key) for key in keys):
            return h1
    for src, value in meta.titles:
        if src == "ld-article" and value and len(value) < 400 and not navigation_bar(value):
            return strip_site_name(value, site)
    for title in stated:
        if not site.matches(title):
            return title
    if h1s:
        return h1s[0]
    return stated[0] if stated else None


@lru_cache(maxsize=1)
def _extractor() -> Any:
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
