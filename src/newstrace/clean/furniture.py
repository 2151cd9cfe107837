"""Site furniture: the boilerplate rules of data/boilerplate.toml (share bars, trackers, credits,
walls, news agencies) and the judgement of a single line against them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["SENTENCE_END", "WORD", "Rules", "agency_name", "boilerplate_rules", "furniture_kind"]


@dataclass(frozen=True)
class _Pattern:
    kind: str
    max_len: int
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    lines: tuple[_Pattern, ...]
    ui_words: frozenset[str]
    ui_strong: frozenset[str]
    ui_substrings: tuple[str, ...]
    ui_min_share: float
    ui_max_len: int
    not_article: tuple[re.Pattern[str], ...]
    not_article_max_words: int
    agencies: dict[str, str]


@lru_cache(maxsize=1)
def boilerplate_rules() -> Rules:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("newstrace").joinpath("data/boilerplate.toml").read_text(encoding="utf-8")
    )
    lines = tuple(
        _Pattern(
            kind=p["kind"],
            max_len=int(p["max_len"]),
            regex=re.compile(p["regex"], 0 if p.get("case") else re.IGNORECASE),
        )
        for p in raw["line"]
    )
    ui = raw["ui"]
    na = raw["not_article"]
    return Rules(
        lines=lines,
        ui_words=frozenset(ui["words"]) | frozenset(ui["strong"]),
        ui_strong=frozenset(ui["strong"]),
        ui_substrings=tuple(ui["substrings"]),
        ui_min_share=float(ui["min_share"]),
        ui_max_len=int(ui["max_len"]),
        not_article=tuple(re.compile(r, re.IGNORECASE) for r in na["regexes"]),
        not_article_max_words=int(na["max_words"]),
        agencies={k.casefold(): v for k, v in raw["agencies"].items()},
    )


SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


def _ui_line(line: str, rules: Rules) -> bool:
    """Mostly share/menu/icon words, with at least one that never stands alone in news."""
    if len(line) > rules.ui_max_len or SENTENCE_END.search(line):
        return False
    words = [w.lower() for w in WORD.findall(line)]
    if not words:
        return False

    def ui(w: str) -> bool:
        return w in rules.ui_words or any(s in w for s in rules.ui_substrings)

    def strong(w: str) -> bool:
        return w in rules.ui_strong or any(s in w for s in rules.ui_substrings)

    hits = sum(1 for w in words if ui(w))
    return hits / len(words) >= rules.ui_min_share and any(strong(w) for w in words)


def furniture_kind(line: str) -> str | None:
    """The kind of site furniture a single line is ("tracker", "image-credit", "ui", ...), or None.

    Only whole lines are judged, and each pattern has a length limit, so a paragraph that mentions
    cookies or starts with "Watch" is never furniture. Lines without a single letter ("0:00", "•")
    are "no-words". Metadata lines (bylines, dates, URLs) are not furniture: `clean_text` reads them.
    """
    line = line.strip()
    if not line:
        return None
    rules = boilerplate_rules()
    for p in rules.lines:
        if len(line) <= p.max_len and p.regex.search(line):
            return p.kind
    if _ui_line(line, rules):
        return "ui"
    if not any(ch.isalpha() for ch in line):
        return "no-words"
    return None


def agency_name(name: str | None) -> str | None:
    if not name:
        return None
    return boilerplate_rules().agencies.get(name.strip().casefold())
