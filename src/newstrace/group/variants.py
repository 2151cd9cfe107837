"""Quote variants: renderings of one statement by one speaker across articles, and what changed.

A new quote is compared only with the stored quotes of the same speaker (actor id) made within
WINDOW_DAYS of it, found through the store's index by speaker and day, so the cost of a new
article does not grow with the store. Two quotes render one statement when their embeddings (whole
quote, or best pair of sentences) are close, or when they share a long run of words; each such pair
is aligned word by word (`wording.compare`) and stored as a `quote_variant` link. Quotes with no
resolved speaker or no day are left out: precision before recall where people are named.

A copy of an article (near duplicate or rewrite) that gives a quote to another speaker is a
change of meaning too: those quotes are compared across speakers, within the linked pair only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, ClassVar

import numpy as np

from ..records import Link
from .wording import Comparison, compare, words

__all__ = ["SIMILAR", "WINDOW_DAYS", "VariantStage", "likely_original", "quote_groups"]

WINDOW_DAYS = 3  # a statement is reported, and re-reported, within a few days of being made
SIMILAR = 0.75  # cosine of MiniLM embeddings (whole quote or best sentence pair): one statement
SHARED_RUN = 6  # words in one unbroken run shared by two quotes: one is quoting the other
SAME_WORDS = 0.8  # share of the shorter quote's words aligned: the same words, another speaker
# A looser translation: a lower cosine will do when half the shorter quote's content words are
# the other's too (the cosine alone, that low, also joins two statements on one topic).
LOOSE, SHARED_CONTENT = 0.65, 0.5
_FUNCTION = frozenset(
    [
        "that",
        "this",
        "these",
        "those",
        "with",
        "from",
        "have",
        "been",
        "were",
        "they",
        "them",
        "their",
        "there",
        "what",
        "which",
        "when",
        "will",
        "would",
        "about",
        "into",
        "than",
        "then",
        "also",
        "just",
        "very",
    ]
)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])")


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _longest_run(a: Sequence[str], b: Sequence[str]) -> int:
    import difflib

    match = difflib.SequenceMatcher(None, list(a), list(b), autojunk=False)
    return match.find_longest_match(0, len(a), 0, len(b)).size


class _Similarity:
    """Embedding similarity of quote texts, each text (and its sentences) embedded once a step."""

    def __init__(self, texts: Iterable[str]) -> None:
        from ..embed import embed

        unique = sorted(set(texts))
        pieces = {t: [t, *_sentences(t)] for t in unique}
        flat = [p for t in unique for p in pieces[t]]
        vectors = embed(flat)
        self._rows: dict[str, np.ndarray] = {}
        at = 0
        for t in unique:
            n = len(pieces[t])
            self._rows[t] = vectors[at : at + n]
            at += n

    def __call__(self, a: str, b: str) -> float:
        va, vb = self._rows[a], self._rows[b]
        whole = float(va[0] @ vb[0])
        best = float((va @ vb.T).max())  # the whole quotes, or any pair of their sentences
        return max(whole, best)


def likely_original(a: Any, b: Any, comparison: Comparison | None) -> str:
    """Which of two quote renderings is likely the original, and on what evidence; "not known"
    when there is none, or when the evidence points both ways."""
    votes: list[tuple[str, str]] = []
    # Words dropped point to the fuller rendering as the source; a word put in (a "not", a
    # number) says nothing about which came first.
    dropped = comparison is not None and (
        comparison.change == "trimmed" or comparison.kind == "hedge"
    )
    if comparison is not None and comparison.fuller and dropped:
        other = "b" if comparison.fuller == "a" else "a"
        votes.append((comparison.fuller, f"{other} drops words of it"))
    if a.kind != b.kind:
        direct = "a" if a.kind == "direct" else "b"
        votes.append((direct, "quoted directly, the other paraphrases"))
    if a.published and b.published and a.published[:10] != b.published[:10]:
        earlier = "a" if a.published[:10] < b.published[:10] else "b"
        votes.append((earlier, f"published earlier, {min(a.published, b.published)[:10]}"))
    if not votes:
        return "likely original: not known"
    sides = {side for side, _why in votes}
    reasons = "; ".join(f"{side}: {why}" for side, why in votes)
    if len(sides) > 1:
        return f"likely original: not known ({reasons})"
    return f"likely original: {votes[0][0]} ({', '.join(why for _s, why in votes)})"


def _detail(comparison: Comparison, origin: str) -> str:
    if comparison.change == "meaning_changed":
        head = f"meaning changed ({comparison.kind}): {comparison.evidence}"
    else:
        head = f"{comparison.change}: {comparison.evidence}" if comparison.evidence else "verbatim"
    return f"{head}; {origin}"


class VariantStage:
    """Links each new quote to the stored renderings of the same statement by the same speaker."""

    name = "newstrace.group.variants.v1"
    kind: ClassVar[str] = "corpus"
    requires: tuple[str, ...] = ("article", "quotes")
    assigns: tuple[str, ...] = ("links",)
    scope: ClassVar[Mapping[str, Mapping[str, str]]] = {"links": {"kind": "quote_variant"}}

    def step(self, articles: Sequence[Any], reader: Any) -> dict[str, Sequence[Any]]:
        ids = [s.article.id for s in articles]
        new = [(seq, q) for seq, q in reader.article_quotes(ids) if q.speaker_actor_id and q.date]
        pairs: dict[tuple[str, str], tuple[Any, Any]] = {}
        for earlier, later in self._same_speaker(new, reader):
            pairs[(earlier.id, later.id)] = (earlier, later)
        similar = _Similarity(q.text for pair in pairs.values() for q in pair)
        links: list[Link] = []
        for earlier, later in pairs.values():
            score = similar(earlier.text, later.text)
            if not _one_statement(earlier.text, later.text, score):
                continue
            comparison = compare(earlier.text, later.text)
            origin = likely_original(earlier, later, comparison)
            links.append(Link("quote_variant", earlier.id, later.id, round(score, 4),
                              comparison.change, _detail(comparison, origin)))  # fmt: skip
        links += self._speaker_changed(ids, reader)
        return {"links": links}

    @staticmethod
    def _same_speaker(new: Sequence[tuple[int, Any]], reader: Any) -> list[tuple[Any, Any]]:
        """(stored earlier, new) quote pairs of one speaker within the window of days."""
        out: list[tuple[Any, Any]] = []
        by_speaker: dict[str, list[tuple[int, Any]]] = {}
        for seq, q in new:
            by_speaker.setdefault(q.speaker_actor_id, []).append((seq, q))
        window = timedelta(days=WINDOW_DAYS)
        for speaker, mine in sorted(by_speaker.items()):
            days = [d for d in (_day(q.date) for _s, q in mine) if d is not None]
            if not days:
                continue
            stored = reader.speaker_quotes(
                [speaker], (min(days) - window).isoformat(), (max(days) + window).isoformat()
            )
            for seq, q in mine:
                day = _day(q.date)
                if day is None:
                    continue
                for other_seq, other in stored:
                    other_day = _day(other.date or "")
                    # Each pair once: the later article of the two is the one that links it.
                    if other_seq >= seq or other.article_id == q.article_id or other_day is None:
                        continue
                    if abs((other_day - day).days) <= WINDOW_DAYS:
                        out.append((other, q))
        return out

    @staticmethod
    def _speaker_changed(ids: Sequence[str], reader: Any) -> list[Link]:
        """In copies of an article, the same words given to another speaker."""
        copies = reader.links_of(ids, ("near_duplicate", "rewrite"))
        if not copies:
            return []
        mine = set(ids)
        quotes: dict[str, list[tuple[int, Any]]] = {}
        for seq, q in reader.article_quotes({x for c in copies for x in (c.a, c.b)}):
            quotes.setdefault(q.article_id, []).append((seq, q))
        links: list[Link] = []
        for copy in copies:
            # The later article of the pair links it, once.
            later = copy.b if copy.b in mine else copy.a
            earlier = copy.a if later == copy.b else copy.b
            for _s, old in quotes.get(earlier, []):
                for _t, q in quotes.get(later, []):
                    if not (old.speaker and q.speaker) or _same_speaker(old, q):
                        continue
                    a_words, b_words = words(old.text), words(q.text)
                    comparison = compare(old.text, q.text)
                    if min(len(a_words), len(b_words)) < SHARED_RUN:
                        continue
                    if comparison.similarity < SAME_WORDS:
                        continue
                    origin = likely_original(old, q, None)
                    detail = (f"meaning changed (speaker): '{old.speaker}' in a, '{q.speaker}' "
                              f"in b; {origin}")  # fmt: skip
                    links.append(Link("quote_variant", old.id, q.id, comparison.similarity,
                                      "meaning_changed", detail))  # fmt: skip
        return links


def _content(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 3 and w not in _FUNCTION}


def _one_statement(a: str, b: str, cosine: float) -> bool:
    """Whether two quotes of one speaker render one statement (see the module docs)."""
    if cosine >= SIMILAR or _longest_run(words(a), words(b)) >= SHARED_RUN:
        return True
    ca, cb = _content(a), _content(b)
    share = len(ca & cb) / max(1, min(len(ca), len(cb)))
    return cosine >= LOOSE and share >= SHARED_CONTENT


def _same_speaker(a: Any, b: Any) -> bool:
    if a.speaker_actor_id and b.speaker_actor_id:
        return bool(a.speaker_actor_id == b.speaker_actor_id)
    return bool(a.speaker == b.speaker)


def quote_groups(links: Iterable[Any]) -> list[set[str]]:
    """Quote ids grouped by statement: the connected parts of the quote_variant links."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.kind == "quote_variant":
            parent[root(link.a)] = root(link.b)
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(root(x), set()).add(x)
    return sorted(groups.values(), key=lambda g: sorted(g))
