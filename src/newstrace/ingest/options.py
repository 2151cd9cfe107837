"""Reader settings: `ReadOptions` for every reader and `FieldMap` for JSON/CSV exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..config import Settings

__all__ = ["DEFAULT_USER_AGENT", "FieldMap", "ReadOptions"]

# Settings are the one source of defaults; a reader built without settings gets the same ones.
_DEFAULTS = Settings()
DEFAULT_USER_AGENT = _DEFAULTS.user_agent

# Names people type on the command line for a field, mapped to the FieldMap attribute.
_ALIASES = {"author": "authors", "date": "published", "lang": "language"}


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which keys of a JSON object or CSV row hold each piece of an article, tried in order.

    Keys are matched ignoring case, `_`, `-` and spaces (`publishedAt` matches `published_at`);
    a dotted name (`source.name`) reaches into a nested object.
    """

    title: tuple[str, ...] = ("title", "headline", "name")
    text: tuple[str, ...] = (
        "text",
        "body",
        "content",
        "article",
        "maintext",
        "full_text",
        "description",
    )
    url: tuple[str, ...] = ("url", "link", "uri", "source_url")
    published: tuple[str, ...] = (
        "published",
        "date",
        "publish_date",
        "published_at",
        "pubdate",
        "date_publish",
        "datetime",
        "timestamp",
    )
    authors: tuple[str, ...] = ("author", "authors", "byline", "creator")
    outlet: tuple[str, ...] = ("outlet", "source", "site", "site_name", "domain", "publisher")
    language: tuple[str, ...] = ("language", "lang")

    def with_field(self, name: str, keys: str | Sequence[str]) -> FieldMap:
        """Return a copy where field `name` (title, text, url, ...) reads exactly `keys`."""
        return self.with_fields({name: keys})

    def with_fields(self, overrides: Mapping[str, str | Sequence[str]]) -> FieldMap:
        """Return a copy where each named field reads exactly the given key(s) instead."""
        changes: dict[str, tuple[str, ...]] = {}
        names = {f.name for f in fields(self)}
        for name, keys in overrides.items():
            target = _ALIASES.get(name.strip().lower(), name.strip().lower())
            if target not in names:
                known = ", ".join(sorted(names))
                raise ValueError(f"unknown field {name!r}; known fields: {known}")
            values = (keys,) if isinstance(keys, str) else tuple(keys)
            values = tuple(v.strip() for v in values if v.strip())
            if not values:
                raise ValueError(f"field {name!r} needs at least one key name")
            changes[target] = values
        return replace(self, **changes)

    @classmethod
    def from_specs(cls, specs: Iterable[str]) -> FieldMap:
        """Build from command-line style specs: `text=body`, `published=meta.date,pubDate`."""
        overrides: dict[str, tuple[str, ...]] = {}
        for spec in specs:
            name, sep, keys = spec.partition("=")
            if not sep or not name.strip():
                raise ValueError(
                    f"bad field mapping {spec!r}; write it as FIELD=KEY, e.g. text=body"
                )
            overrides[name] = tuple(keys.split(","))
        return cls().with_fields(overrides)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How readers treat their inputs; the defaults are safe for untrusted files and the web.

    `max_bytes` caps every document a reader holds in memory: a file read whole, one line of a
    JSONL, one CSV row, one WARC record, one HTTP response. Streamed containers (JSONL, CSV,
    WARC) may be larger than it as a whole.
    """

    max_bytes: int = _DEFAULTS.max_bytes
    field_map: FieldMap = field(default_factory=FieldMap)
    timeout: float = _DEFAULTS.fetch_timeout  # seconds to connect, and between bytes received
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = _DEFAULTS.respect_robots
    follow_links: bool = False  # a feed read from a URL: fetch each entry's link for the full text
    min_delay: float = _DEFAULTS.fetch_delay  # seconds between two requests to the same host

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ReadOptions:
        """The reader options that `settings` set (and `overrides`, e.g. a field map)."""
        values: dict[str, Any] = {
            "max_bytes": settings.max_bytes,
            "timeout": settings.fetch_timeout,
            "user_agent": settings.user_agent,
            "respect_robots": settings.respect_robots,
            "min_delay": settings.fetch_delay,
        }
        return cls(**(values | overrides))

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, got {self.timeout}")
        if self.min_delay < 0:
            raise ValueError(f"min_delay cannot be negative, got {self.min_delay}")
        if not self.user_agent.strip():
            raise ValueError("user_agent cannot be empty: servers need to know who is fetching")
