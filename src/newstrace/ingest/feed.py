"""RSS and Atom feeds via feedparser: one document per entry, with the entry's metadata as hints."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..records import Hints, RawDocument
from .common import Item, failure, one_line, scrub
from .sniff import looks_like_html

__all__ = ["Follow", "read_feed"]

# Fetches an entry's link and yields what it holds; given when a feed read from a URL has
# follow_links on, so that file feeds never reach the network.
Follow = Callable[[str, Hints], Iterator[Item]]

_TAG = re.compile(r"<[^<>]*>")


def _plain(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if "<" in value and looks_like_html(value):
        value = html.unescape(_TAG.sub(" ", value))
    value = " ".join(value.replace("\x00", "").split())
    return scrub(value) or None


def _language(entry: Any, feed_language: str | None) -> str | None:
    for detail in [*(entry.get("content") or []), entry.get("summary_detail") or {}]:
        if isinstance(detail, dict) and detail.get("language"):
            return _plain(detail["language"])
    return _plain(feed_language)


def _hints(entry: Any, feed_language: str | None) -> Hints:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = _plain(author.get("name")) if isinstance(author, dict) else None
        if name and name not in names:
            names.append(name)
    if not names and _plain(entry.get("author")):
        names.append(_plain(entry.get("author")) or "")
    link = _plain(entry.get("link"))
    return Hints(
        title=_plain(entry.get("title")),
        url=link if link and link.lower().startswith(("http://", "https://")) else None,
        # Only `published`: an Atom `updated` is when the entry last changed, not when it came out.
        published=_plain(entry.get("published")),
        authors=tuple(names),
        language=_language(entry, feed_language),
    )


def _body(entry: Any) -> str | None:
    """The fullest body: `content:encoded` / Atom `<content>` when present, else the summary."""
    contents = [
        c["value"]
        for c in entry.get("content") or []
        if isinstance(c, dict) and isinstance(c.get("value"), str) and c["value"].strip()
    ]
    if contents:
        return max(contents, key=len)
    summary = entry.get("summary")
    return summary if isinstance(summary, str) and summary.strip() else None


def read_feed(
    source: str,
    data: bytes,
    *,
    base_url: str | None = None,
    content_type: str | None = None,
    follow: Follow | None = None,
) -> Iterator[Item]:
    """Each entry becomes `source#N` (from 1), of kind "html" when its body carries markup.

    With `follow`, an entry that has a link is fetched instead and named by that URL; its feed
    metadata (title, date, authors) stays as hints. An entry with no body and nothing to follow
    is an `empty` failure, so it is counted rather than lost.
    """
    import feedparser

    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url  # resolves relative entry links
    try:
        # Bytes, never a str: given a str, feedparser would treat it as a URL or a path to open.
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as error:  # feedparser is lenient, but not about everything
        yield failure(
            source, "bad-feed", f"not a readable feed: {type(error).__name__}: {error}", raw=data
        )
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("version"):
            yield failure(source, "empty", "the feed has no entries")
        else:
            why = parsed.get("bozo_exception")
            detail = f" ({one_line(str(why), 120)})" if why else ""
            yield failure(source, "bad-feed", f"not an RSS or Atom feed{detail}", raw=data)
        return
    feed_language = (parsed.get("feed") or {}).get("language")
    for number, entry in enumerate(entries, start=1):
        member = f"{source}#{number}"
        hints = _hints(entry, feed_language)
        if follow is not None and hints.url:
            yield from follow(hints.url, hints)
            continue
        body = _body(entry)
        if body is None:
            title = f" ({hints.title!r})" if hints.title else ""
            tip = (
                ""
                if follow is not None
                else "; read the feed from its URL with follow_links to fetch the article"
            )
            yield failure(member, "empty", f"entry{title} has no content or summary{tip}")
            continue
        yield RawDocument(
            source=member,
            content=scrub(body).encode("utf-8"),
            kind="html" if looks_like_html(body) else "text",
            hints=hints,
            encoding="utf-8",
        )
