"""Quote-mark pairing on character offsets: which stretches of an article's text sit inside quote marks.

This works on the raw text, not on sentences, because parsers split sentences inside quotes and
journalists break quotes across paragraphs. It knows curly, straight, low-9 („ “), guillemet (« » and
» «) and single (‘ ’, ') marks, nests one style inside another, carries a quote across paragraphs
when the next paragraph reopens it (the newspaper convention for multi-paragraph quotes), and
closes a quote that never closes at the end of its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteRegion", "find_quote_regions", "paragraph_spans"]

_DOUBLE_OPENERS = "“„‟«"
_DOUBLE_CLOSERS = "”»"
_DOUBLE = _DOUBLE_OPENERS + _DOUBLE_CLOSERS + '"'
_SINGLE_OPENERS = "‘‚‹"
_SINGLE_CLOSERS = "’›"
# Characters after which a quote mark reads as opening, and before which one reads as closing.
_OPEN_CONTEXT = "([{—–-/\u2026" + _DOUBLE + "‘‚‹'"
_CLOSE_CONTEXT = ".,;:!?)]}—–-/\u2026" + _DOUBLE + "’›'"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*")


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """One quotation inside marks.

    `segments` are the character spans of the quoted words, one per paragraph (a multi-paragraph
    quote has several), without the marks themselves and without surrounding whitespace.
    `mark_start` is the offset of the opening mark and `mark_end` the offset just after the closing
    mark (or after the last quoted character when the quote never closes). `closed` says whether a
    closing mark was found; `single` whether it is a single-mark (‘ ’) quotation.
    """

    segments: tuple[tuple[int, int], ...]
    mark_start: int
    mark_end: int
    closed: bool
    single: bool = False

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs: any line break ends one (blank lines included).

    Cleaned article text separates paragraphs with a blank line, but scraped text often uses a
    single newline; a quote never legitimately runs across a hard line break without reopening.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[pos : m.start()].strip():
            spans.append(_trim(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append(_trim(text, pos, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _context(text: str, i: int, lo: int, hi: int, length: int = 1) -> tuple[bool, bool]:
    """(looks opening, looks closing) for the mark at i, judged by its neighbours in [lo, hi)."""
    left = text[i - 1] if i > lo else " "
    right = text[i + length] if i + length < hi else " "
    looks_open = (left.isspace() or left in _OPEN_CONTEXT) and not right.isspace()
    looks_close = (right.isspace() or right in _CLOSE_CONTEXT) and not left.isspace()
    return looks_open, looks_close


def _style(ch: str) -> str:
    if ch == '"':
        return "straight"
    if ch in "«»":
        return "guillemet"
    return "curly"


def _double_role(ch: str, looks_open: bool, looks_close: bool) -> str:
    """'open', 'close' or 'either' for a double mark, from its shape and its neighbours."""
    if looks_open and not looks_close:
        return "open"
    if looks_close and not looks_open:
        return "close"
    if ch in "“„‟«":
        # “ also closes German „…“ quotes (and » opens Swiss/German »…« ones); the neighbours decide
        # above, and when they do not, the shape's usual reading wins.
        return "open"
    if ch in "”»":
        return "close"
    return "either"


@dataclass
class _Open:
    style: str
    pos: int  # offset of the opening mark
    segments: list[tuple[int, int]]
    seg_start: int  # where the current paragraph's segment starts


def _finish(text: str, op: _Open, end: int, mark_end: int, closed: bool) -> QuoteRegion | None:
    segments = [*op.segments]
    s, e = _trim(text, op.seg_start, end)
    if e > s:
        segments.append((s, e))
    if not segments:
        return None
    return QuoteRegion(tuple(segments), op.pos, mark_end, closed)


def _double_marks(text: str, p_start: int, p_end: int) -> list[tuple[int, int, str]]:
    """(offset, length, shape) of the double marks in a paragraph. Two apostrophes ('') and two
    backticks (``) are one double mark: wire archives and LexisNexis exports write quotes that way."""
    out: list[tuple[int, int, str]] = []
    i = p_start
    while i < p_end:
        ch = text[i]
        if ch in "'`" and i + 1 < p_end and text[i + 1] == ch:
            out.append((i, 2, '"' if ch == "'" else "“"))
            i += 2
            continue
        if ch in _DOUBLE or ch in "‘’":
            out.append((i, 1, ch))
        i += 1
    return out


def _double_regions(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    outer: _Open | None = None  # the top-level quotation; nested ones only need their style
    nested: list[str] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        if outer is not None:
            # A quote left open at the end of the previous paragraph continues only when this
            # paragraph reopens it; otherwise it was closed at that paragraph's end (see below).
            outer.seg_start = p_start
        singles_open = 0
        for i, length, ch in _double_marks(text, p_start, p_end):
            if ch in "‘’":
                if outer is None or nested:
                    continue
                looks_open, looks_close = _context(text, i, p_start, p_end)
                if ch == "‘" and looks_open:
                    singles_open += 1
                elif looks_close and singles_open:
                    singles_open -= 1
                elif looks_close and ch == "’" and text[i - 1] in ".!?" and outer.style == "curly":
                    # '“Let’s go. We can stop this.’' -- a typo'd closing mark ends the quotation.
                    region = _finish(text, outer, i, i + 1, True)
                    if region:
                        regions.append(region)
                    outer = None
                continue
            if outer is not None and i == p_start and p_index > 0 and i == outer.seg_start:
                # The reopening mark of a continued multi-paragraph quote.
                outer.seg_start = i + length
                continue
            looks_open, looks_close = _context(text, i, p_start, p_end, length)
            role = _double_role(ch, looks_open, looks_close)
            style = _style(ch) + ("2" if length == 2 else "")
            if outer is None:
                if role in ("open", "either"):
                    outer = _Open(style, i, [], i + length)
                    nested = []
                    singles_open = 0
                continue
            if nested:
                if style == nested[-1] and role in ("close", "either"):
                    nested.pop()
                    continue
                if style == outer.style and role in ("close", "either"):
                    nested = []  # an inner quotation left open: the outer one closes here
                elif role == "open" and style != outer.style:
                    nested.append(style)
                    continue
                else:
                    continue
            # Sloppy text mixes shapes ('"...”'): a clear closer of another double style closes too.
            if style == outer.style or (role == "close" and ch in '”»"'):
                if role in ("close", "either"):
                    region = _finish(text, outer, i, i + length, True)
                    if region:
                        regions.append(region)
                    outer = None
                else:
                    # The same style opening again: the previous quotation never closed.
                    region = _finish(text, outer, i, i, False)
                    if region:
                        regions.append(region)
                    outer = _Open(style, i, [], i + length)
                continue
            if role in ("open", "either"):
                nested.append(style)
        if outer is not None:
            nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
            reopened = False
            if nxt is not None:
                first = _double_marks(text, nxt, min(nxt + 2, paragraphs[p_index + 1][1]))
                reopened = bool(first) and first[0][0] == nxt and first[0][2] not in "‘’"
                if reopened:
                    style = _style(first[0][2]) + ("2" if first[0][1] == 2 else "")
                    reopened = style == outer.style
            if reopened and nxt is not None:
                s, e = _trim(text, outer.seg_start, p_end)
                if e > s:
                    outer.segments.append((s, e))
                outer.seg_start = nxt
            else:
                region = _finish(text, outer, p_end, p_end, False)
                if region:
                    regions.append(region)
                outer = None
            nested = []
    return regions


def _single_regions(
    text: str, paragraphs: list[tuple[int, int]], taken: list[tuple[int, int]]
) -> list[QuoteRegion]:
    """Top-level ‘…’ and '…' quotations, closed within their paragraph.

    An unclosed single mark is dropped rather than closed: ’ and ' are also apostrophes.
    """
    regions: list[QuoteRegion] = []

    def inside_double(i: int) -> bool:
        return any(a <= i < b for a, b in taken)

    for p_start, p_end in paragraphs:
        open_at: int | None = None
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in _SINGLE_OPENERS + _SINGLE_CLOSERS + "'" or inside_double(i):
                continue
            if ch == "'" and ("''" in text[max(i - 1, p_start) : i + 2]):
                continue  # half of a '' double mark
            left = text[i - 1] if i > p_start else " "
            right = text[i + 1] if i + 1 < p_end else " "
            opens = ((left.isspace() or left in _OPEN_CONTEXT) and right.isalnum()) or (
                ch in _SINGLE_OPENERS and not right.isspace()
            )
            closes = not left.isspace() and not right.isalnum() and ch in _SINGLE_CLOSERS + "'"
            if open_at is None:
                if opens:
                    open_at = i
            elif closes:
                s, e = _trim(text, open_at + 1, i)
                if e > s:
                    regions.append(QuoteRegion(((s, e),), open_at, i + 1, True, single=True))
                open_at = None
            elif opens and ch in _SINGLE_OPENERS:
                open_at = i
    return regions


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """All top-level quotations in `text`, in order of their opening mark."""
    paragraphs = paragraph_spans(text)
    doubles = _double_regions(text, paragraphs)
    taken = [(r.mark_start, r.mark_end) for r in doubles]
    singles = _single_regions(text, paragraphs, taken)
    return sorted([*doubles, *singles], key=lambda r: r.mark_start)
