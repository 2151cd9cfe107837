"""Near duplicates and trimmed copies: MinHash LSH proposes pairs, exact shingle overlap decides.

The LSH index lives in the store (one row per article and band), so it survives a restart, costs
no memory between runs, and a new article is looked up through an index rather than against
every stored one. It is partitioned by time: each row carries the PERIOD_DAYS-long period of its
article's publication day (its ingestion day when undated), and a new article is looked up in its
own period and the two beside it only, so what one lookup reads is bounded by what is published
around it, not by the size of the store (a copy republished more than a period away is not
linked: the cost of finding it would grow with the store). Bands are cut low (32 bands of 4 rows: a pair of Jaccard 0.42 is proposed half
the time, one of 0.8 almost always) and every proposal is checked exactly, so the S-curve costs
checks, not missed copies, and nothing is linked without the check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..records import Link
from .shingles import containment, jaccard, shingles

__all__ = [
    "BANDS",
    "CONTAINED",
    "NEAR",
    "PERMUTATIONS",
    "ROWS",
    "Band",
    "DuplicateStage",
    "bands_of",
    "period_of",
    "periods_near",
]

PERMUTATIONS = 128
BANDS, ROWS = 32, 4
NEAR = 0.8  # verified Jaccard of word 5-grams at or above which two texts are one text
CONTAINED = 0.9  # share of the smaller text's 5-grams found in the larger: a trimmed copy
MIN_SHINGLES = 20  # shorter texts (a caption, a one-line brief) share too little to tell
PERIOD_DAYS = 30  # the index's time partitions: a lookup reads its own period and both neighbours
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Band:
    """One LSH band of an article's MinHash: articles that share (band, bucket) are candidates."""

    article_id: str
    band: int
    bucket: int
    period: int = 0


def period_of(published: str | None, ingested_at: str | None = None) -> int:
    """The index partition of an article: PERIOD_DAYS-long periods counted from 1970, of its
    publication day, else of the day it was stored (an undated copy is usually stored soon after
    its original), else 0."""
    for value in (published, ingested_at):
        if value and len(value) >= 10:
            try:
                return (date.fromisoformat(value[:10]) - _EPOCH).days // PERIOD_DAYS
            except ValueError:
                continue
    return 0


def periods_near(period: int) -> tuple[int, int, int]:
    """The partitions a lookup reads: a copy of an article published at the edge of a period
    is in the next one; two periods either side would double the cost for no such case."""
    return (period - 1, period, period + 1)


def bands_of(grams: frozenset[str]) -> list[tuple[int, int]]:
    """The (band, bucket) pairs of a shingle set's MinHash signature."""
    from datasketch import MinHash

    sketch = MinHash(num_perm=PERMUTATIONS, seed=1)
    sketch.update_batch([g.encode("utf-8") for g in grams])
    values = sketch.hashvalues
    out = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "big", signed=True)))
    return out


class DuplicateStage:
    """Links each new article to the stored ones it is a near duplicate or a trimmed copy of."""

    name = "newstrace.group.duplicates.v2"
    kind: ClassVar[str] = "corpus"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("minhash_bands", "links")
    # A new version forgets its own links only: other stages write other kinds into `links`.
    scope: ClassVar[Mapping[str, Mapping[str, str]]] = {"links": {"kind": "near_duplicate"}}

    def step(self, articles: Sequence[Any], reader: Any) -> dict[str, Sequence[Any]]:
        bands: list[Band] = []
        links: list[Link] = []
        # Articles of this page are not in the index yet: they are matched among themselves here.
        page: dict[tuple[int, int], list[str]] = {}
        grams_of: dict[str, frozenset[str]] = {}
        periods: dict[str, int] = {}

        def _near(period: int, other: str) -> bool:
            return abs(periods[other] - period) <= 1

        for stored in articles:
            article = stored.article
            grams = shingles(article.text)
            if len(grams) < MIN_SHINGLES:
                continue
            grams_of[article.id] = grams
            keys = bands_of(grams)
            period = period_of(article.published, article.ingested_at)
            candidates = reader.band_matches(keys, periods_near(period)) | {
                other for key in keys for other in page.get(key, ()) if _near(period, other)
            }
            candidates.discard(article.id)
            unread = [c for c in candidates if c not in grams_of]
            for other, text in reader.texts(unread).items():
                grams_of[other] = shingles(text)
            for other in sorted(candidates):
                link = self._check(other, article.id, grams_of)
                if link is not None:
                    links.append(link)
            periods[article.id] = period
            for key in keys:
                page.setdefault(key, []).append(article.id)
                bands.append(Band(article.id, *key, period))
        return {"minhash_bands": bands, "links": links}

    @staticmethod
    def _check(earlier: str, later: str, grams_of: dict[str, frozenset[str]]) -> Link | None:
        theirs = grams_of.get(earlier)
        if theirs is None:  # gone from the store since it was indexed
            return None
        mine = grams_of[later]
        near = jaccard(theirs, mine)
        if near >= NEAR:
            return Link("near_duplicate", earlier, later, round(near, 4), None,
                        f"word 5-gram Jaccard {near:.3f}")  # fmt: skip
        held = containment(theirs, mine)
        if held >= CONTAINED:
            shorter = "a" if len(theirs) <= len(mine) else "b"
            return Link("near_duplicate", earlier, later, round(held, 4), None,
                        f"trimmed copy: {held:.3f} of {shorter}'s word 5-grams are in the other "
                        f"(Jaccard {near:.3f})")  # fmt: skip
        return None
