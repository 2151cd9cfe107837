"""An article body the page splits into several containers (chunks between ads, figures or
newsletter boxes), of which the extractor kept only one: the other chunks joined back in order.

Sites that render their body in chunks give each chunk the same element and class as the one
before it (`<div class="body-chunk">` ... an ad ... `<div class="body-chunk">`). The extractor
scores containers one by one and keeps the best, so the text after the first interruption is
lost. A sibling counts as a chunk of the same body only when it has the kept container's tag and
class and reads as body text itself: paragraphs ending like sentences, few of their words in
links; a related-stories grid or a gallery of the same class is left out by that test.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import lxml.html

from .furniture import SENTENCE_END, furniture_kind
from .markup import INVISIBLE, text_of
from .meta import normalize_text
from .page import match_key, words

__all__ = ["join_chunks"]

# The blocks read from a joined chunk, and the containers whose blocks are not body text.
_BLOCKS = ("p", "h2", "h3", "h4", "blockquote")
_NOT_BODY = INVISIBLE | {"aside", "figure", "figcaption", "form", "header"}
_MIN_CHUNK_WORDS = 40  # a chunk shorter than this is a caption or a teaser, not body text
_MAX_LINK_SHARE = 0.3
_MAX_GAP_WORDS = 30  # an ad slot or a captioned picture between chunks holds fewer words
_LEVELS = 4  # how far above the paragraphs' parent the chunk boundary may sit


_OPENING_WORDS = 4
_OPENING_CHARS = 120  # enough characters for the first four words of any paragraph


def _head_text(el: Any) -> str:
    """The first characters of an element's text, without reading all of it."""
    out: list[str] = []
    n = 0
    for piece in el.itertext():
        out.append(piece)
        n += len(piece)
        if n >= _OPENING_CHARS:
            break
    return " ".join(out)


def _opening(key: str) -> str:
    return " ".join(key.split()[:_OPENING_WORDS])


def _outside_body(el: Any, stop: Any) -> bool:
    for a in el.iterancestors():
        if a is stop:
            return False
        if isinstance(a.tag, str) and a.tag.lower() in _NOT_BODY:
            return True
    return False


def _chunk_paragraphs(chunk: lxml.html.HtmlElement) -> list[str] | None:
    """The chunk's body paragraphs, or None when it does not read as article text."""
    out: list[str] = []
    total = linked = ended = 0
    for el in chunk.iter(*_BLOCKS):
        if _outside_body(el, chunk) or any(a.tag in _BLOCKS for a in el.iterancestors(*_BLOCKS)):
            continue
        text = normalize_text(text_of(el))
        if not text or furniture_kind(text) is not None:
            continue
        n = len(words(text))
        total += n
        in_link = any(a.tag == "a" for a in el.iterancestors())
        linked += n if in_link else sum(len(words(text_of(a))) for a in el.iter("a"))
        ended += int(bool(SENTENCE_END.search(text)))
        out.append(text)
    if total < _MIN_CHUNK_WORDS or not ended or linked > _MAX_LINK_SHARE * total:
        return None
    return out


def _signature(el: Any) -> tuple[str, str] | None:
    cls = " ".join((el.get("class") or "").split())
    return (el.tag, cls) if isinstance(el.tag, str) and cls else None


def join_chunks(tree: lxml.html.HtmlElement, paragraphs: list[str]) -> list[str]:
    """`paragraphs` (the extracted body) with the body's other chunks put back where they stand."""
    keys = [match_key(p) for p in paragraphs]
    kept = {k for k in keys if len(k.split()) >= 5}
    if len(kept) < 2:
        return paragraphs
    # A paragraph of the page is looked up only when it opens like one of the extracted ones
    # (its first words, read from its first characters): most of a page's <p> are not.
    openings = {_opening(k) for k in kept}
    matched = [
        p
        for p in tree.iter("p")
        if _opening(match_key(_head_text(p))) in openings
        and match_key(" ".join(p.itertext())) in kept
    ]
    if len(matched) < 2:
        return paragraphs
    parents = Counter(p.getparent() for p in matched)
    node, _n = parents.most_common(1)[0]
    for _ in range(_LEVELS):
        parent = node.getparent() if node is not None else None
        if parent is None:
            return paragraphs
        sig = _signature(node)
        if sig and any(s is not node and _signature(s) == sig for s in parent):
            return _joined(paragraphs, keys, kept, node, parent, sig)
        node = parent
    return paragraphs


def _words_in(el: Any) -> int:
    return len(words(text_of(el))) if isinstance(el.tag, str) else 0


def _run(siblings: list[Any], sig: tuple[str, str]) -> list[list[str]]:
    """The paragraphs of the chunks that follow on from the kept one, in order. A chunk continues
    the body only across an interruption (an ad slot, a picture, a caption: a sibling with few
    words) and only when it reads as body text; any other sibling ends the run. Two containers
    of one class side by side with nothing between them are sections (an "about the company"
    box, an author's note), not one body cut by the page."""
    out: list[list[str]] = []
    interrupted = False
    for s in siblings:
        if _signature(s) == sig:
            found = _chunk_paragraphs(s) if interrupted else None
            if found is None:
                break
            out.append(found)
            interrupted = False
        elif _words_in(s) < _MAX_GAP_WORDS:
            interrupted = True
        else:
            break
    return out


def _joined(
    paragraphs: list[str],
    keys: list[str],
    kept: set[str],
    node: Any,
    parent: Any,
    sig: tuple[str, str],
) -> list[str]:
    inside = {match_key(text_of(p)) for p in node.iter("p")} & kept
    at = [i for i, k in enumerate(keys) if k in inside]
    # The kept container must be where most of the extracted text came from.
    if not at or sum(len(keys[i].split()) for i in at) < 0.5 * sum(len(k.split()) for k in keys):
        return paragraphs
    order = list(parent)
    i = order.index(node)
    chunks_before = list(reversed(_run(list(reversed(order[:i])), sig)))
    chunks_after = _run(order[i + 1 :], sig)
    before = _new_paragraphs(chunks_before, kept)
    after = _new_paragraphs(chunks_after, kept)
    if not before and not after:
        return paragraphs
    first, last = at[0], at[-1]
    return [
        *paragraphs[:first],
        *before,
        *paragraphs[first : last + 1],
        *after,
        *paragraphs[last + 1 :],
    ]


def _new_paragraphs(chunks: list[list[str]], kept: set[str]) -> list[str]:
    out: list[str] = []
    for found in chunks:
        new = [p for p in found if match_key(p) not in kept]
        if len(new) >= len(found) / 2:  # else the extractor already took this chunk
            out.extend(new)
    return out
