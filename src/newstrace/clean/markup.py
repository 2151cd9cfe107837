"""Reading an HTML tree: parsing a page, an element's text, the headline's `<h1>`, and the visible
text and elements around it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

__all__ = [
    "INVISIBLE",
    "elements_after",
    "headline_h1",
    "parse_html",
    "text_of",
    "visible_text",
]

# HTML comments and processing instructions are dropped at parse time, as trafilatura's own loader
# does: left in the tree, a comment inside a paragraph makes trafilatura lose the text after it.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """The document tree of decoded page text, or None when it holds no markup lxml can read."""
    # An XML declaration with an encoding makes lxml refuse an already decoded string.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text, count=1)
    if not text.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


def text_of(el: lxml.html.HtmlElement) -> str:
    """All the text under an element, whitespace runs made single spaces."""
    return " ".join(" ".join(el.itertext()).split())


# What is not read as the page's visible text: code, and the menus and footers around it.
INVISIBLE = {"script", "style", "noscript", "template", "svg", "nav", "footer", "select", "button"}


def visible_text(
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
        if closed or (isinstance(el.tag, str) and el.tag.lower() in INVISIBLE):
            piece = " " + (el.tail or "")
        else:
            starts[el] = n
            piece = " " + (el.text or "")
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        parts.append(piece)
        n += len(piece)
    return "".join(parts), starts


def headline_h1(
    tree: lxml.html.HtmlElement, headline: str | None
) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement] | None:
    """The page's body and the `<h1>` that holds the headline (else its first `<h1>`), or None."""
    body = tree.find(".//body")
    h1s = list(body.iter("h1")) if body is not None else []
    if body is None or not h1s:
        return None
    key = " ".join((headline or "").split()).casefold()
    return body, next((h for h in h1s if text_of(h).casefold() == key), h1s[0])


def elements_after(body: lxml.html.HtmlElement, mark: lxml.html.HtmlElement) -> Iterator[Any]:
    """The elements that follow `mark` in document order, code and menu containers left out (their
    children are still seen: a byline inside a `<nav>` is rare, and a `<footer>` one too far down)."""
    started = False
    for el in body.iter():
        if el is mark:
            started = True
        elif started and isinstance(el.tag, str) and el.tag.lower() not in INVISIBLE:
            yield el
