"""Scorer helpers shared by the benchmark runners: tokens, precision/recall/F1, exact-match keys."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..dates import ISO_DAY_IN_TEXT as _ISO_DAY

__all__ = [
    "author_key",
    "date_key",
    "f1",
    "ratio",
    "safe_div",
    "shingles",
    "snippet_text",
    "title_key",
    "words",
]

_WORD = re.compile(r"\w+")


def words(text: str | None, *, lower: bool = True) -> list[str]:
    """The `\\w+` tokens of a text (Unicode-aware), lower-cased unless asked otherwise."""
    if not text:
        return []
    return _WORD.findall(text.lower() if lower else text)


def shingles(tokens: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    """Bag of n-gram shingles; a text shorter than n tokens is one shingle of all its tokens."""
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def safe_div(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1(precision: float, recall: float) -> float:
    return safe_div(2 * precision * recall, precision + recall)


def ratio(hits: int, total: int) -> float | None:
    """A rate, or None when nothing was there to count (so 0/0 never reads as a score)."""
    return hits / total if total else None


# Characters folded before snippet matching, on the snippet and the output alike, so that a
# typographic variant chosen by one extractor (or by our normaliser) does not count as a miss.
_SNIPPET_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)


def snippet_text(text: str | None) -> str:
    """Canonical form for substring matching: NFKC, folded quotes/dashes, collapsed whitespace."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_SNIPPET_FOLD)
    return " ".join(text.split())


def title_key(value: str | None) -> str:
    """Exact-match key of a title: its lower-cased `\\w+` tokens joined by single spaces."""
    return " ".join(words(value))


def date_key(value: str | None) -> str:
    """Exact-match key of a date: the first `YYYY-MM-DD` in it, or "" when it has no full day.

    A month- or year-only value never equals a day, by design: the benchmarks' gold dates are days.
    """
    if not value:
        return ""
    m = _ISO_DAY.search(str(value))
    return "-".join(m.groups()) if m else ""


_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;|/&]|\band\b)\s*", re.I)
# Parts that are post-nominal letters rather than names ("Jane Doe, Ph.D.", "John Roe, MD").
_POST_NOMINALS = frozenset(
    {"phd", "ph", "d", "md", "m", "rd", "ms", "ma", "mba", "mph", "msc", "bsc", "ba", "bs", "rn"}
    | {"np", "dnp", "do", "dds", "dmd", "pharmd", "jd", "esq", "cpa", "cfa", "facp", "faclm"}
    | {"frcp", "mrcp", "jr", "sr", "ii", "iii", "iv"}
)


def author_key(value: str | Iterable[str] | None) -> frozenset[str]:
    """Exact-match key of an author field: the set of names it holds.

    A string is split on `, ; | / &` and the word "and"; a list is split element by element the same
    way. Each name is its lower-cased `\\w+` tokens joined by spaces; parts made only of post-nominal
    letters (PhD, MD, Jr) are dropped. Two author fields match when their name sets are equal.
    """
    if not value:
        return frozenset()
    items = [value] if isinstance(value, str) else list(value)
    names: set[str] = set()
    for item in items:
        for part in _AUTHOR_SPLIT.split(str(item)):
            toks = words(part)
            if toks and not all(t in _POST_NOMINALS for t in toks):
                names.add(" ".join(toks))
    return frozenset(names)
