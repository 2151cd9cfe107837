"""Rewrites: one article said again in other words (paraphrased, spun, trimmed) in another.

Candidates for a new article are the stored ones published within WINDOW_DAYS that share
MIN_ACTORS of its actors (an index lookup by actor and day), and those its MinHash bands meet
(partial overlap); both are bounded by what is published in the window, not by the store. A
candidate pair is a rewrite when most sentences of the shorter article have a counterpart in the
other (MiniLM cosine at least COUNTERPART) and most of those counterparts share few words with
it (a copy is the duplicate finder's business). Which one is likely the original is said only
on evidence: an earlier date, a dateline that credits an agency, a fuller text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, ClassVar

import numpy as np

from ..records import Link
from .duplicates import bands_of, period_of, periods_near
from .shingles import containment, jaccard, shingles
from .wording import words

__all__ = [
    "COUNTERPART",
    "MATCHED",
    "WINDOW_DAYS",
    "RewriteStage",
    "counterpart_share",
    "sentences",
]

WINDOW_DAYS = 3
MIN_ACTORS = 2  # shared actor ids that make two articles worth comparing
COUNTERPART = 0.75  # cosine at which two sentences say the same thing
MATCHED = 0.6  # share of the shorter article's sentences with a counterpart: a rewrite
REWORDED = 0.5  # word-bigram Jaccard under which a counterpart is said in other words
# The static vectors' bar for ruling a pair out: 99.5% of MRPC dev sentence pairs at MiniLM cosine
# COUNTERPART or more are at wordllama cosine 0.53 or more; a pair whose shorter side has fewer
# than ROUGH_MATCHED of its sentences over ROUGH_COUNTERPART cannot reach MATCHED with MiniLM,
# but for the rare counterpart the rough measure misses, which the margin below MATCHED covers.
# A rewrite needs half of its MATCHED counterparts reworded (REWORDED), so at least 0.3 of the
# shorter side's sentences: ROUGH_REWORDED leaves the same kind of margin.
ROUGH_COUNTERPART = 0.5
ROUGH_MATCHED = 0.5
ROUGH_REWORDED = 0.25
MIN_SENTENCES = 3  # a brief of one or two sentences matches too easily to tell
MAX_CANDIDATES = 50  # the articles sharing most actors are compared first; the rest are not
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])|\n+")
_AGENCY = re.compile(r"^[^\n]{0,60}?\(([A-Z][\w .&-]{1,30})\)\s*[—–-]")


def sentences(text: str) -> list[str]:
    """The sentences of a cleaned text (a paragraph break always ends one)."""
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if len(words(s)) >= 4]


def _bigrams(sentence: str) -> set[tuple[str, str]]:
    w = words(sentence)
    return set(itertools.pairwise(w))


def _overlap(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x | y else 1.0


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _near(day: date | None, other: date | None) -> bool:
    """Within the window of days, or undated (then the window cannot be checked)."""
    return day is None or other is None or abs((day - other).days) <= WINDOW_DAYS


def _agency(text: str) -> str | None:
    found = _AGENCY.match(text)
    return found.group(1) if found else None


def _counterparts(mine: np.ndarray, theirs: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """For each sentence (embedding row) of `mine`, its closest in `theirs`, and which of mine
    have a counterpart there (cosine at least COUNTERPART)."""
    sims = mine @ theirs.T
    best = sims.argmax(axis=1)
    return best, [i for i in range(len(mine)) if sims[i, best[i]] >= COUNTERPART]


def counterpart_share(mine: np.ndarray, theirs: np.ndarray) -> float:
    """The share of the sentences of `mine` (embedding rows) with a counterpart in `theirs`."""
    if not len(mine) or not len(theirs):
        return 0.0
    return len(_counterparts(mine, theirs)[1]) / len(mine)


def likely_original(a: Any, b: Any, n_a: int, n_b: int) -> str:
    """Which article of a rewrite pair is likely the original, and on what evidence."""
    votes: list[tuple[str, str]] = []
    if a.published and b.published and a.published != b.published:
        side = "a" if a.published < b.published else "b"
        votes.append((side, f"published earlier, {min(a.published, b.published)}"))
    agency_a, agency_b = _agency(a.text), _agency(b.text)
    if bool(agency_a) != bool(agency_b):
        side, agency = ("a", agency_a) if agency_a else ("b", agency_b)
        votes.append((side, f"its dateline credits an agency, {agency}"))
    if max(n_a, n_b) >= 1.2 * min(n_a, n_b):
        side = "a" if n_a > n_b else "b"
        votes.append((side, f"fuller text, {max(n_a, n_b)} sentences against {min(n_a, n_b)}"))
    if not votes:
        return "likely original: not known"
    reasons = "; ".join(f"{side}: {why}" for side, why in votes)
    if len({side for side, _ in votes}) > 1:
        return f"likely original: not known ({reasons})"
    return f"likely original: {votes[0][0]} ({', '.join(why for _s, why in votes)})"


def _copy(grams_a: frozenset[str], grams_b: frozenset[str]) -> bool:
    """Two texts that are one text, whole or trimmed: the duplicate finder links those."""
    return bool(grams_a and grams_b) and (
        jaccard(grams_a, grams_b) >= 0.8 or containment(grams_a, grams_b) >= 0.9
    )


def _ids(pairs: Sequence[tuple[Any, Any]]) -> list[str]:
    return sorted({x.article.id for pair in pairs for x in pair})


def _vectors(ids: Sequence[str], split: dict[str, list[str]], encode: Any) -> dict[str, np.ndarray]:
    """The sentence vectors of each article, encoded in one call."""
    vectors = encode([s for i in ids for s in split[i]])
    rows: dict[str, np.ndarray] = {}
    at = 0
    for i in ids:
        rows[i] = vectors[at : at + len(split[i])]
        at += len(split[i])
    return rows


def _may_be_rewrite(a: str, b: str, split: dict[str, list[str]], rough: dict[str, Any]) -> bool:
    """Could MiniLM find this pair a rewrite? Not unless, by the rough vectors, enough of the
    shorter text's sentences have a counterpart in the other, and enough of those are not in it
    word for word (a sentence copied whole has itself as its counterpart: copied, not reworded)."""
    # Both sides hold MIN_SENTENCES or more (`_comparable` has checked).
    short, long_ = (a, b) if len(split[a]) <= len(split[b]) else (b, a)
    close = (rough[short] @ rough[long_].T).max(axis=1) >= ROUGH_COUNTERPART
    if close.mean() < ROUGH_MATCHED:
        return False
    theirs = {tuple(words(x)) for x in split[long_]}
    fresh = sum(1 for i, x in enumerate(split[short]) if close[i] and tuple(words(x)) not in theirs)
    return fresh >= ROUGH_REWORDED * len(split[short])


def _comparable(a: Any, b: Any, split: dict[str, list[str]]) -> bool:
    if min(len(split[a.id]), len(split[b.id])) < MIN_SENTENCES:
        return False
    # The embeddings are English-only: a translation is not judged here.
    return not (a.language and b.language and a.language != b.language)


class RewriteStage:
    """Links each new article to the stored articles it rewrites or that rewrite it."""

    name = "newstrace.group.rewrites.v2"
    kind: ClassVar[str] = "corpus"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("links",)
    scope: ClassVar[Mapping[str, Mapping[str, str]]] = {"links": {"kind": "rewrite"}}

    def step(self, articles: Sequence[Any], reader: Any) -> dict[str, Sequence[Any]]:
        from ..embed import embed, embed_static

        pairs: list[tuple[Any, Any]] = []
        stored: dict[str, Any] = {}
        for item in articles:
            stored[item.article.id] = item
            for other in self._candidates(item, reader):
                stored.setdefault(other.article.id, other)
                pairs.append((other, item))
        split = {i: sentences(s.article.text) for i, s in stored.items()}
        grams = {i: shingles(s.article.text) for i, s in stored.items()}
        # Only pairs that could be rewrites are embedded: both long enough, one language, and
        # not a copy (a copy is linked as a near duplicate, not as a rewrite).
        pairs = [
            (a, b)
            for a, b in pairs
            if _comparable(a.article, b.article, split)
            and not _copy(grams[a.article.id], grams[b.article.id])
        ]
        # The static vectors rule out, cheaply, the pairs whose sentences mostly have no close
        # counterpart even by their rough measure; MiniLM judges the rest.
        rough = _vectors(_ids(pairs), split, embed_static)
        pairs = [
            (a, b) for a, b in pairs if _may_be_rewrite(a.article.id, b.article.id, split, rough)
        ]
        rows = _vectors(_ids(pairs), split, embed)
        links = []
        for earlier, later in pairs:
            link = self._check(earlier, later, split, rows)
            if link is not None:
                links.append(link)
        return {"links": links}

    @staticmethod
    def _candidates(item: Any, reader: Any) -> list[Any]:
        """Stored articles committed before this one that are worth comparing with it."""
        article = item.article
        found: set[str] = set()
        day = _day(article.published)
        actors = reader.article_actors([article.id]).get(article.id, set())
        if day is not None and actors:
            window = timedelta(days=WINDOW_DAYS)
            shared = reader.articles_mentioning(
                actors, (day - window).isoformat(), (day + window).isoformat()
            )
            ranked = sorted((n, i) for i, n in shared.items() if n >= min(MIN_ACTORS, len(actors)))
            found.update(i for _n, i in ranked[-MAX_CANDIDATES:])
        grams = shingles(article.text)
        if grams:
            # Articles of one template share bands with all the others: the most recent few
            # in the window are compared, so the cost stays bounded.
            period = period_of(article.published, article.ingested_at)
            overlapping = reader.article_order(
                reader.band_matches(bands_of(grams), periods_near(period))
            )
            near = [
                (seq, i)
                for i, (seq, published) in overlapping.items()
                if seq < item.seq and _near(day, _day(published))
            ]
            found.update(i for _seq, i in sorted(near)[-MAX_CANDIDATES:])
        found.discard(article.id)
        # Copies are linked already, as near duplicates: a rewrite is another relation.
        copies = {
            x
            for link in reader.links_of([article.id], ("near_duplicate",))
            for x in (link.a, link.b)
        }
        by_id = reader.articles_by_id(found - copies)
        return [s for _i, s in sorted(by_id.items()) if s.seq < item.seq]

    @staticmethod
    def _check(
        earlier: Any, later: Any, split: dict[str, list[str]], rows: dict[str, np.ndarray]
    ) -> Link | None:
        a, b = earlier.article, later.article
        sa, sb = split[a.id], split[b.id]
        short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
        v_short, v_long = (rows[a.id], rows[b.id]) if short is sa else (rows[b.id], rows[a.id])
        best, matched = _counterparts(v_short, v_long)
        share = len(matched) / len(short)
        if share < MATCHED:
            return None
        reworded = [i for i in matched if _overlap(short[i], long_[best[i]]) < REWORDED]
        if len(reworded) < len(matched) / 2:
            return None
        origin = likely_original(a, b, len(sa), len(sb))
        detail = (
            f"{len(matched)} of {len(short)} sentences have a counterpart (cosine >= "
            f"{COUNTERPART}), {len(reworded)} of them in other words; {origin}"
        )
        return Link("rewrite", a.id, b.id, round(share, 4), None, detail)
