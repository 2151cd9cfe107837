"""How names are compared: the keys aliases, phrases and tokens are matched by, and ids from names."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_short", "name_key", "slug", "split_words", "token_key"]

_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})
_WORD_RE = re.compile(r"[\w.\-]+|'s\b|[^\w\s]")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """The form names are compared in: case-, accent-, apostrophe- and whitespace-insensitive.

    Whitespace is removed rather than collapsed so that a key does not depend on how a tokenizer
    split the words ("U.S.", "Kassym-Jomart"); a leading "the" is dropped.
    """
    if text.isascii():  # the common case, and the one the registry load spends its time on
        t = text.lower().replace("_", " ").replace("`", "'").strip()
    else:
        t = _strip_accents(text.translate(_APOS)).casefold().replace("_", " ").strip()
    if t.startswith("the "):
        t = t[4:]
    return "".join(t.split())


def token_key(text: str) -> str:
    """One word as it is compared: case-, accent- and apostrophe-insensitive."""
    return _strip_accents(text.translate(_APOS)).casefold()


def is_short(key: str) -> bool:
    """Acronym-length aliases ("US", "UN") only match text written in capitals."""
    return len(key.replace(".", "")) <= 3


def split_words(text: str) -> list[str]:
    """Text as the words the registry reads: "Hungary's prime minister" -> Hungary, 's, prime, minister."""
    return _WORD_RE.findall(text.translate(_APOS))


def slug(text: str) -> str:
    """A stable lowercase id from a name: 'VLADIMIR_PUTIN_' and 'Vladimir Putin' both give 'vladimir-putin'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
