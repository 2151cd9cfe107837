"""The article's body text: an HTML page's main text (trafilatura, or the JSON-LD articleBody) and
its not-an-article verdict, and a plain text's kept lines joined into paragraphs."""

from __future__ import annotations

import copy
import re
from collections import Counter
from itertools import pairwise

import lxml.html
from lxml import etree

from ..records import Failure, RawDocument
from .chunks import join_chunks
from .furniture import SENTENCE_END, furniture_kind
from .markup import parse_html, text_of
from .meta import normalize_text
from .page import PageMeta, match_key, words

__all__ = [
    "MIN_WORDS",
    "MIN_WORDS_ARTICLE",
    "dedupe",
    "drop_closing_links",
    "drop_leading_headline",
    "extract_body",
    "json_ld_body",
    "line_paragraphs",
    "link_texts",
    "not_article",
    "restates",
    "same_text",
]


# ---------------------------------------------------------------------------------------------
# HTML: main text and the not-an-article verdict

MIN_WORDS = 40
MIN_WORDS_ARTICLE = 10
_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read|keep reading)|subscribers only|"
    r"this (?:article|content) is (?:only )?(?:available|reserved) (?:to|for) (?:subscribers|members)|"
    r"log ?in to (?:continue|read|view)|sign ?in to (?:continue|read|view)|create a free account to)\b",
    re.I,
)


def _body_paragraphs(body: etree._Element | None) -> list[str]:
    if body is None:
        return []
    from trafilatura.xml import xmltotxt

    flat = xmltotxt(body, include_formatting=False)
    # One pass over the whole text (it keeps line breaks), not one per line: same result, and
    # ftfy's cost is mostly per call.
    paragraphs = normalize_text(flat).split("\n")
    # trafilatura keeps short furniture that sits inside the article element (feed footers, share
    # lines, credits); the plain-text cleaner's line patterns know them. Table rows ("| 1/1/2013 |
    # +13.1% |") are content even when they hold only figures; their "|---|" rules are not.
    return [
        p
        for p in paragraphs
        if p and (_has_cells(p) if _TABLE_ROW.match(p) else furniture_kind(p) is None)
    ]


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


def link_texts(tree: lxml.html.HtmlElement) -> set[str]:
    """The match keys of the texts of every link on the page."""
    # match_key reads only the words, so the text's spacing need not be normalised first.
    anchors = {match_key(" ".join(a.itertext())) for a in tree.iter("a")}
    anchors.discard("")
    return anchors


def _link_share(anchors: set[str], text: str) -> float:
    """Share of main-text words in paragraphs that are exactly the text of a link on the page."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if not paragraphs:
        return 0.0
    total = linked = 0
    for p in paragraphs:
        n = len(words(p))
        total += n
        if match_key(p) in anchors:
            linked += n
    return linked / total if total else 0.0


def not_article(
    raw: RawDocument, tree: lxml.html.HtmlElement, text: str, meta: PageMeta, anchors: set[str]
) -> Failure | None:
    n_words = len(re.findall(r"\w+", text))
    why: str | None = None
    share = _link_share(anchors, text)
    if share > (0.8 if _article_signals(meta) else 0.5):
        why = f"an index page ({round(share * 100)}% of its main text is link titles)"
    elif n_words >= 150:
        return None
    elif n_words < 80 and tree.xpath('//input[@type="password"]'):
        why = "a login form and little text"
    elif _PAYWALL.search(text) or _PAYWALL.search(text_of(tree)[:20000]):
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
    if not any(_hidden(el) for el in tree.xpath(_MICRODATA)):
        return tree
    tree = copy.deepcopy(tree)
    for el in [el for el in tree.xpath(_MICRODATA) if _hidden(el)]:
        if el.getparent() is not None:
            el.drop_tree()
    return tree


_MICRODATA = "//*[@itemscope][@style]"  # XPath, not ElementPath: lxml runs it in C


def _hidden(el: lxml.html.HtmlElement) -> bool:
    return bool(_HIDDEN.search(el.get("style", "")))


def extract_body(tree: lxml.html.HtmlElement, url: str | None) -> str:
    import trafilatura

    tree = _without_hidden_microdata(tree)
    # Comments are not the article; metadata is read separately (htmldate would run twice).
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True
    )
    if doc is None or isinstance(doc, dict):  # a dict only comes back when as_dict=True
        return ""
    return "\n\n".join(join_chunks(tree, _body_paragraphs(doc.body)))


def json_ld_body(meta: PageMeta) -> str:
    """The longest JSON-LD articleBody as paragraphs; some sites write it as HTML, which is read
    for its text only (never rendered, its scripts and styles dropped)."""
    if not meta.bodies:
        return ""
    body = max(meta.bodies, key=len)
    if re.search(r"&lt;(?:p|br|div)\b", body, re.I):  # escaped twice by the site
        import html

        body = html.unescape(body)
    if re.search(r"<(?:p|br|div|h[1-6]|li)\b", body, re.I):
        fragment = parse_html(f"<html><body>{body}</body></html>")
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


_ITEM_MARK = re.compile(r"^[\s\-–—*•·>»]+")
_MAX_ITEM_WORDS = 60  # a teaser: a linked headline and its one-line summary
_MAX_HEADING_WORDS = 6


def _link_item(paragraph: str, anchors: set[str]) -> bool:
    """A paragraph that is a link's text, or opens with one and goes on with its teaser."""
    key = match_key(_ITEM_MARK.sub("", paragraph))
    parts = key.split()
    if not parts or len(parts) > _MAX_ITEM_WORDS:
        return False
    if key in anchors:
        return True
    return any(" ".join(parts[:n]) in anchors for n in range(len(parts) - 1, 3, -1))


def drop_closing_links(text: str, anchors: set[str]) -> str:
    """The body without the list of links that closes it ("Related stories", "More from us"):
    two or more paragraphs at the end that are each a link's text (with its teaser), and the
    short heading over them. Links inside the body are left: a closing run is a list."""
    paragraphs = text.split("\n\n")
    end = len(paragraphs)
    while end > 0 and _link_item(paragraphs[end - 1], anchors):
        end -= 1
    if len(paragraphs) - end < 2 or end == 0:
        return text
    head = paragraphs[end - 1]
    heading = not SENTENCE_END.search(head) and not any(ch.isdigit() for ch in head)
    if heading and len(words(head)) <= _MAX_HEADING_WORDS and end > 1:
        end -= 1
    return "\n\n".join(paragraphs[:end])


def restates(stated: str, text: str) -> bool:
    """Is the extracted text the stated articleBody again, with fewer paragraphs?"""
    if not stated or stated.count("\n\n") <= text.count("\n\n"):
        return False  # the cheap half of the test first: most pages state no body
    a, b = Counter(words(stated)), Counter(words(text))
    n_a, n_b = sum(a.values()), sum(b.values())
    if not n_a or not n_b or stated.count("\n\n") <= text.count("\n\n"):
        return False
    shared = sum((a & b).values())
    return shared >= 0.9 * n_b and shared >= 0.9 * n_a


def drop_leading_headline(text: str, headline: str) -> str:
    """The body without a first paragraph that only repeats the headline (an `<h1>` inside the
    article element is kept by trafilatura); the headline is the title's, not the body's."""
    first, sep, rest = text.partition("\n\n")
    if sep and " ".join(first.split()).casefold() == " ".join(headline.split()).casefold():
        return rest
    return text


# ---------------------------------------------------------------------------------------------
# Plain text: paragraphs


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
    wrapped = sum(1 for line in inner if 40 <= len(line) <= 100 and not SENTENCE_END.search(line))
    return wrapped / len(inner) >= 0.6


def _join(a: str, b: str) -> str:
    if len(a) > 1 and a.endswith("-") and a[-2].isalpha() and b[:1].isalpha():
        return a + b
    return f"{a} {b}"


def line_paragraphs(lines: list[str], drop: dict[int, str]) -> list[str]:
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


def same_text(a: str, b: str) -> bool:
    """The same paragraph but for letter case."""
    return a.casefold() == b.casefold()


def dedupe(paragraphs: list[str]) -> list[str]:
    """Drop repeats: a paragraph said twice, and a standfirst that the next paragraph opens with."""
    out: list[str] = []
    seen: set[str] = set()
    for p in paragraphs:
        key = p.casefold()
        if (out and same_text(out[-1], p)) or (key in seen and len(p.split()) >= 6):
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
