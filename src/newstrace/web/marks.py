"""Article text cut into marked runs for a page, and search snippets made safe to show.

Everything here takes untrusted text and gives back either plain strings (escaped later by the
templates' autoescape) or markup built from escaped text and fixed tags only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..store.models import EntityView, QuoteView

__all__ = ["Run", "changed_html", "runs_of", "safe_url", "snippet_html", "snippet_text"]


def snippet_text(parts: Iterable[tuple[str, bool]]) -> str:
    return "".join(text for text, _hit in parts)


def snippet_html(parts: Iterable[tuple[str, bool]]) -> Markup:
    """Each part escaped first; `<mark>` only around the matched parts, after escaping."""
    out = Markup("")
    for text, hit in parts:
        out += Markup("<mark>{}</mark>").format(text) if hit else escape(text)
    return out


def changed_html(text: str, spans: Sequence[tuple[int, int]], tag: str) -> Markup:
    """`text` escaped, with the words at `spans` (sorted, not overlapping) wrapped in `tag`
    (`del` for words the other rendering lacks, `ins` for words it adds)."""
    if tag not in ("del", "ins"):
        raise ValueError(f"tag must be del or ins, not {tag!r}")
    out, at = Markup(""), 0
    for start, end in spans:
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        out += escape(text[at:start])
        out += Markup(f"<{tag}>{{}}</{tag}>").format(text[start:end])
        at = end
    return out + escape(text[at:])


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host, else None: an article's URL is shown as a link
    only then (no javascript:, data: or relative paths)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\x00\r\n\t"):
        return None
    return url.strip()


@dataclass
class Run:
    """A stretch of text with the marks that cover it: the quote it is in (its number on the
    page), whether it names a quote's speaker, and the entity mention it is."""

    text: str
    quote: int | None = None
    speaker: int | None = None
    entity: EntityView | None = None
    classes: list[str] = field(default_factory=list)


def runs_of(text: str, quotes: Sequence[QuoteView], entities: Sequence[EntityView]) -> list[Run]:
    """The body text (not the title) cut at every mark's edge. Quotes are numbered from 1 in
    the order given; a span outside the text, or empty, is left out rather than trusted."""
    n = len(text)
    quote_at: list[int | None] = [None] * n
    speaker_at: list[int | None] = [None] * n
    entity_at: list[EntityView | None] = [None] * n
    for number, q in enumerate(quotes, 1):
        if q.in_title:
            continue
        for start, end in q.segments or ((q.start, q.end),):
            for i in range(max(0, start), min(n, end)):
                quote_at[i] = number
        if q.speaker_start is not None and q.speaker_end is not None:
            for i in range(max(0, q.speaker_start), min(n, q.speaker_end)):
                speaker_at[i] = number
    for e in entities:
        if e.in_title:
            continue
        for i in range(max(0, e.start), min(n, e.end)):
            entity_at[i] = e
    runs: list[Run] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or (quote_at[i], speaker_at[i], entity_at[i]) != (
            quote_at[start],
            speaker_at[start],
            entity_at[start],
        ):
            run = Run(text[start:i], quote_at[start], speaker_at[start], entity_at[start])
            if run.quote is not None:
                run.classes.append("quote")
            if run.speaker is not None:
                run.classes.append("speaker")
            if run.entity is not None:
                run.classes.append("actor" if run.entity.actor else "entity")
            runs.append(run)
            start = i
    return runs
