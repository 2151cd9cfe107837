"""Where an article's headline and body sit in the text the parser reads, and the mapping of
offsets in that text back to the headline or the body: the one owner of that arithmetic."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Article

__all__ = ["SEPARATOR", "analysed_text", "from_analysed", "split_segments", "title_end"]

# Between headline and body: a blank line keeps the headline a paragraph of its own.
SEPARATOR = "\n\n"


def analysed_text(article: Article) -> tuple[str, int]:
    """The text the parser sees, and where the body starts in it.

    The headline is parsed with the body because a speaker is often named only there
    ("'Reckless' to allow drills – Dragomir").
    """
    if article.title and article.title.strip():
        return f"{article.title}{SEPARATOR}{article.text}", len(article.title) + len(SEPARATOR)
    return article.text, 0


def title_end(body_start: int) -> int:
    """Where the headline ends in the analysed text (0 when there is none)."""
    return max(body_start - len(SEPARATOR), 0)


def from_analysed(start: int, end: int, body_start: int) -> tuple[int, int, bool]:
    """Offsets in the analysed text -> (start, end, in_title) in the article's title or text."""
    if start >= body_start:
        return start - body_start, end - body_start, False
    stop = title_end(body_start)  # a span run past the headline stops at its end
    return min(start, stop), min(end, stop), True


def split_segments(
    segments: Sequence[tuple[int, int]], body_start: int
) -> tuple[list[tuple[int, int]], bool] | None:
    """Segments in the analysed text -> (segments, in_title) in the title or the body, on the side
    the quote starts: a quote the parser ran from the headline into the body keeps its headline
    part. None when nothing is left but the blank line between them."""
    stop = title_end(body_start)
    pieces: list[tuple[int, int, bool]] = []
    for a, b in segments:
        if a < stop:
            pieces.append((a, min(b, stop), True))
        if b > body_start:
            pieces.append((max(a, body_start) - body_start, b - body_start, False))
    pieces = [p for p in pieces if p[0] < p[1]]
    if not pieces:
        return None
    side = pieces[0][2]
    return [(a, b) for a, b, t in pieces if t == side], side
