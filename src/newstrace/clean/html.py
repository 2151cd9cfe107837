"""The HTML cleaning path: decode a page, find its main text and its metadata, or say why not.

Main text comes from trafilatura; metadata is read from what the page states (JSON-LD, meta
tags, `<time>` and byline markup, `<h1>`/`<title>`) before htmldate and trafilatura's guesses.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from ..dates import parse_date
from ..records import Article, Failure, RawDocument
from .authors import choose_authors, header_authors, trafilatura_author
from .body import (
    MIN_WORDS_ARTICLE,
    drop_closing_links,
    drop_leading_headline,
    extract_body,
    json_ld_body,
    link_texts,
    not_article,
    restates,
)
from .dateline import find_dateline
from .markup import parse_html
from .meta import make_article, normalize_text
from .page import Site, choose_title, page_metadata, words
from .published import page_date

__all__ = ["CLEANER_VERSION", "clean_html", "decode_html"]

CLEANER_VERSION = "newstrace.clean.html.v4"

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
    tree = parse_html(html)
    if tree is None:
        return Failure(raw.source, "skip", "not-article", f"{raw.source}: not an article: no HTML")
    meta = page_metadata(tree)
    url = raw.hints.url or meta.canonical_url
    site = Site(meta.site_names, url)
    text = extract_body(tree, url)
    notes: tuple[str, ...] = ()
    stated_body = json_ld_body(meta)
    # The page writes its text with a script (or behind a wall) and states it in JSON-LD; or
    # trafilatura fell back on that same articleBody, running its paragraphs together and keeping
    # what the markup's scripts and styles held.
    if len(words(stated_body)) > max(MIN_WORDS_ARTICLE, 2 * len(words(text))) or restates(
        stated_body, text
    ):
        text = stated_body
        notes = ("text: taken from the page's JSON-LD articleBody (little text in the markup)",)
    anchors = link_texts(tree)
    failure = not_article(raw, tree, text, meta, anchors)
    if failure is not None:
        return failure
    text = drop_closing_links(text, anchors)
    title = choose_title(meta, site)
    if title:
        title = normalize_text(title)
        text = drop_leading_headline(text, raw.hints.title or title)
    # A date stated by the container wins in make_article; no need to search the page for one.
    published = None
    if not parse_date(raw.hints.published):
        published, dated = page_date(meta, tree, url, title)
        notes = (*notes, *dated)
    authors = choose_authors(
        meta, site, lambda: header_authors(tree, title) or trafilatura_author(tree)
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
