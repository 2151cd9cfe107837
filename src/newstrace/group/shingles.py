"""Word shingles of a cleaned text, and the exact overlap measures every candidate pair is
checked by (LSH only proposes pairs; these decide)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SHINGLE", "containment", "jaccard", "shingles"]

SHINGLE = 5  # words per shingle: long enough that unrelated news texts rarely share one
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> frozenset[str]:
    """The set of k-word runs of `text`, case and accents folded and punctuation dropped, so that
    re-typesetting (quote marks, dashes, line breaks) does not hide a copy."""
    decomposed = unicodedata.normalize("NFKD", text)
    # The marks are looked up once per distinct character, not once per character of the text.
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    folded = decomposed.translate(marks).casefold() if marks else decomposed.casefold()
    words = _WORD.findall(folded)
    if len(words) < k:
        return frozenset()
    return frozenset(" ".join(words[i : i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller set the larger holds: 1.0 for a trimmed copy."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)
