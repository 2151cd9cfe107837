"""Turn one record of a structured export (a JSON object, a CSV row) into a RawDocument."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..records import Failure, Hints, RawDocument
from .common import failure, one_line, scrub
from .options import FieldMap
from .sniff import looks_like_html

__all__ = ["record_document"]

_KEY_NOISE = re.compile(r"[\s_\-]+")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


@lru_cache(maxsize=4096)  # an export repeats the same few keys in every record
def _norm(key: str) -> str:
    return _KEY_NOISE.sub("", key).lower()


def _clean(value: str) -> str:
    """Strip, drop NULs, and replace lone surrogates (from `\\ud800` escapes) that cannot be stored."""
    return scrub(value.replace("\x00", "")).strip()


class _Record:
    """A record with its keys normalised once, for the dozens of loose lookups a mapping makes."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.keys: dict[str, str] = {}
        for key in data:
            if isinstance(key, str):
                self.keys.setdefault(_norm(key), key)

    def get(self, name: str) -> Any:
        """The value under a (possibly dotted) key, matching keys loosely; None when absent."""
        first, dot, rest = name.partition(".")
        if first in self.data:
            value = self.data[first]
        else:
            key = self.keys.get(_norm(first))
            if key is None:
                return None
            value = self.data[key]
        if not dot:
            return value
        return _Record(value).get(rest) if isinstance(value, Mapping) else None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return _clean(value) or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        # Some exports store the body as a list of paragraphs.
        return _clean("\n\n".join(v.strip() for v in value if v.strip())) or None
    return None


def _as_name(value: Any) -> str | None:
    """A string, or the `name` of an object such as `{"name": "Reuters", "id": "reuters"}`."""
    if isinstance(value, Mapping):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return _clean(value) or None


def _first(record: _Record, names: tuple[str, ...], convert: Any) -> Any:
    for name in names:
        value = convert(record.get(name))
        if value:
            return value
    return None


def _published(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)  # an epoch timestamp; the cleaner decides what it means
    return _as_text(value) if isinstance(value, str) else None


def _authors(value: Any) -> tuple[str, ...] | None:
    items = value if isinstance(value, list) else [value]
    names = [n for n in (_as_name(v) for v in items) if n]
    return tuple(dict.fromkeys(names)) or None


def _outlet(value: Any) -> str | None:
    name = _as_name(value)
    return None if name is None or _URL.match(name) else name


def _url(value: Any) -> str | None:
    text = _as_text(value) if isinstance(value, str) else None
    return text if text and not any(c.isspace() for c in text) else None


def record_document(
    source: str, record: Mapping[str, Any], field_map: FieldMap
) -> RawDocument | Failure:
    """Map a record's fields through `field_map`; a record without text is an `empty` failure."""
    keyed = _Record(record)
    text = _first(keyed, field_map.text, _as_text)
    if text is None:
        keys = [k for k in record if isinstance(k, str)]
        shown = ", ".join(repr(one_line(k, 40)) for k in keys[:12])
        more = f" and {len(keys) - 12} more" if len(keys) > 12 else ""
        return failure(
            source,
            "empty",
            f"no text in any of the fields {', '.join(field_map.text)} "
            f"(the record has {shown or 'no fields'}{more}); name the text field with --field text=KEY",
        )
    hints = Hints(
        title=_first(keyed, field_map.title, _as_text),
        url=_first(keyed, field_map.url, _url),
        published=_first(keyed, field_map.published, _published),
        authors=_first(keyed, field_map.authors, _authors) or (),
        outlet=_first(keyed, field_map.outlet, _outlet),
        language=_first(keyed, field_map.language, _as_text),
    )
    return RawDocument(
        source=source,
        content=text.encode("utf-8"),
        kind="html" if looks_like_html(text) else "text",
        hints=hints,
        encoding="utf-8",
    )
