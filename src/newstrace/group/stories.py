"""Stories: articles that report one happening, across outlets and days, grouped online.

Each new article is compared with the stories active around its date only: those whose mean day
lies within WINDOW_DAYS of it (an undated article, or an undated story, by commit order: the last
RECENT articles), so the cost of an article does not grow with the store. The mean day, not the
span: a span widens with each article that joins at its edge, and a window around it would travel
with the story, which then chains a whole crisis together. It joins the best story whose score
clears JOIN, or starts one. The score weighs what a look-alike does not share: the words (TF-IDF
cosine against the story's summed terms, with document frequencies kept in the store as articles
arrive), the named entities (cosine of entity counts weighted by the same online IDF, so the two
countries every article of a crisis names count little and a village or a minister much), and
the days between the article and the story's mean day (a Gaussian weight, DAYS_SIGMA wide: the
happenings of one crisis share words and names, and time tells them apart). The date window
keeps the same two leaders at two summits a month apart in two stories. A near duplicate of an
article goes to that article's story without a score. When an article brings two stories
together (they now score MERGE against each other), the younger merges into the older, which
keeps its id, and the merge is recorded.

JOIN, MERGE and ENTITY_WEIGHT were chosen on the ECB+ dev part (`newstrace eval clustering`).
ECB+ carries no dates, so WINDOW_DAYS and DAYS_SIGMA could not be measured there: a follow-up a
day or two later counts almost fully, a report three to four days off half, a week off little.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

__all__ = [
    "DAYS_SIGMA",
    "ENTITY_WEIGHT",
    "JOIN",
    "MERGE",
    "RECENT",
    "WINDOW_DAYS",
    "Story",
    "StoryArticle",
    "StoryMerge",
    "StoryStage",
    "TermCount",
    "entity_keys",
    "terms_of",
]

WINDOW_DAYS = 7
DAYS_SIGMA = 3.0  # the width of the time weight (days): see `_Run._in_time`
RECENT = 2000
JOIN = 0.26
MERGE = 0.60
ENTITY_WEIGHT = 0.30
MAX_TERMS = 300  # a story's profile keeps its heaviest terms only, so it stays small
MAX_ENTITIES = 60
LEAD_WORDS = 400  # the words of an article that are weighed: the lead tells the story
TITLE_WEIGHT = 2.0
TITLE_CHARS = 120

_WORD = re.compile(r"[^\W\d_]{3,}")
# Entity labels that name a participant, a place or an organisation of a happening.
_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART"}


@dataclass(frozen=True, slots=True)
class Story:
    """One story as stored: its title (a headline of one of its articles), date span, commit
    span, size, main actors and the profile new articles are compared with (JSON)."""

    id: str
    title: str
    first_date: str | None
    last_date: str | None
    first_seq: int
    last_seq: int
    size: int
    actors: tuple[str, ...]
    profile: str
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """An article's place in a story: the score it joined on and why (new, similar,
    near_duplicate, merged)."""

    article_id: str
    story_id: str
    seq: int
    score: float
    basis: str


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """Story `merged` became part of the older story `kept` when article `seq` arrived."""

    kept: str
    merged: str
    seq: int
    score: float


@dataclass(frozen=True, slots=True)
class TermCount:
    """How many articles the story clusterer has seen a term in (its online IDF)."""

    term: str
    df: int


_STOP: dict[str, frozenset[str]] = {}


def _stop_words(language: str | None) -> frozenset[str]:
    """The function words of the article's language (spaCy's lists), English besides: an
    article in German shares its names, not its "der" and "und", with the stories it joins."""
    lang = (language or "en").lower()
    if lang not in _STOP:
        from spacy.lang.en.stop_words import STOP_WORDS

        words = set(STOP_WORDS) | {"said", "says", "told", "according", "reported"}
        if lang != "en":
            try:
                from spacy.util import get_lang_class

                words |= set(get_lang_class(lang).Defaults.stop_words)
            except (ImportError, KeyError):  # a language spaCy has no class for: English only
                pass
        _STOP[lang] = frozenset(words)
    return _STOP[lang]


def terms_of(title: str | None, text: str, language: str | None = None) -> Counter[str]:
    """Sublinear term weights of an article's headline (counted twice) and lead."""
    stop = _stop_words(language)
    counts: dict[str, float] = {}
    for w in _WORD.findall((title or "").lower()):
        if w not in stop:
            counts[w] = counts.get(w, 0.0) + TITLE_WEIGHT
    for w in _WORD.findall(text.lower())[:LEAD_WORDS]:
        if w not in stop:
            counts[w] = counts.get(w, 0.0) + 1
    return Counter({t: 1.0 + math.log(n) for t, n in counts.items()})


def _fold(text: str) -> str:
    from ..store.products import fold

    return " ".join(fold(text).split())


def entity_keys(entities: Iterable[Any]) -> tuple[Counter[str], Counter[str]]:
    """Counts of the named participants of an article (an actor by its registry id, a person by
    surname, anything else by its folded name), and of their display names (actor codes where
    the registry knows them)."""
    keys: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for e in entities:
        if e.actor_id:
            keys[f"a:{e.actor_id}"] += 1
            names[e.actor or e.name or e.text] += 1
        elif e.label in _NAMED:
            folded = _fold(e.text)
            if not folded:
                continue
            if e.label == "PERSON":
                keys[f"p:{folded.split()[-1]}"] += 1
                names[e.text] += 1
            else:
                keys[f"{e.label.lower()}:{folded}"] += 1
                if e.label == "ORG":
                    names[e.text] += 1
    return keys, names


def _day(value: str | None) -> date | None:
    if value and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass
class _Doc:
    article_id: str
    seq: int
    day: date | None
    published: str | None
    title: str
    terms: Counter[str]
    entities: Counter[str]
    names: Counter[str]


@dataclass
class _Story:
    """A story being worked on in memory: counters, not JSON."""

    id: str
    title: str
    first_date: str | None
    last_date: str | None
    first_seq: int
    last_seq: int
    size: int
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    merged_into: str | None = None
    day_sum: int = 0  # the sum of its dated articles' day ordinals, and their number
    day_n: int = 0

    @classmethod
    def of(cls, row: Any) -> _Story:
        profile = json.loads(row.profile)
        day_sum, day_n = profile.get("days", (0, 0))
        first, last = _day(row.first_date), _day(row.last_date)
        if not day_n and first is not None and last is not None:
            # A profile stored before dates were summed: the middle of its span stands in.
            day_sum, day_n = first.toordinal() + last.toordinal(), 2
        return cls(
            row.id, row.title, row.first_date, row.last_date, row.first_seq, row.last_seq,
            row.size, Counter(profile.get("terms", {})), Counter(profile.get("entities", {})),
            Counter(profile.get("names", {})), row.merged_into, day_sum, day_n,
        )  # fmt: skip

    def record(self) -> Story:
        terms = dict(sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
        ents = dict(sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ENTITIES])
        names = dict(sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ENTITIES])
        profile = {"terms": {t: round(w, 4) for t, w in terms.items()}, "entities": ents,
                   "names": names, "days": [self.day_sum, self.day_n]}  # fmt: skip
        actors = tuple(n for n, _c in sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        return Story(
            self.id, self.title, self.first_date, self.last_date, self.first_seq, self.last_seq,
            self.size, actors, json.dumps(profile, ensure_ascii=False, sort_keys=True),
            self.merged_into,
        )  # fmt: skip

    def absorb(self, terms: Mapping[str, float], entities: Mapping[str, int],
               names: Mapping[str, int]) -> None:  # fmt: skip
        self.terms.update(terms)
        self.entities.update(entities)
        self.names.update(names)
        # Bounded in memory as in the store: what is compared is what would be read back.
        if len(self.terms) > MAX_TERMS:
            self.terms = Counter(dict(self.terms.most_common(MAX_TERMS)))
        if len(self.entities) > MAX_ENTITIES:
            self.entities = Counter(dict(self.entities.most_common(MAX_ENTITIES)))
        if len(self.names) > MAX_ENTITIES:
            self.names = Counter(dict(self.names.most_common(MAX_ENTITIES)))

    def span(self, published: str | None) -> None:
        day = _day(published)
        if day is None:
            return
        assert published is not None
        self.first_date = min(self.first_date or published, published)
        self.last_date = max(self.last_date or published, published)
        self.day_sum += day.toordinal()
        self.day_n += 1

    def centre(self) -> float | None:
        """The mean day of its dated articles (an ordinal), or None when none is dated."""
        return self.day_sum / self.day_n if self.day_n else None


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


class _Idf:
    """Inverse document frequencies over what the stage has seen, read from the store once per
    page and counted on in memory."""

    def __init__(self, df: dict[str, int], n: int) -> None:
        self.df, self.n = df, n
        self.changed: set[str] = set()

    def add(self, terms: Iterable[str]) -> None:
        self.n += 1
        for t in terms:
            self.df[t] = self.df.get(t, 0) + 1
            self.changed.add(t)

    def weigh(self, terms: Mapping[str, float]) -> dict[str, float]:
        n = self.n
        return {
            t: w * (math.log((n + 1) / (self.df.get(t, 0) + 1)) + 1.0) for t, w in terms.items()
        }


def similarity(
    idf: _Idf,
    terms: Mapping[str, float],
    entities: Mapping[str, float],
    story_terms: Mapping[str, float],
    story_entities: Mapping[str, float],
    entity_weight: float = ENTITY_WEIGHT,
) -> float:
    """The words' TF-IDF cosine, blended with the entities' cosine when both sides name any."""
    text = _cosine(idf.weigh(terms), idf.weigh(story_terms))
    if not entities or not story_entities:
        return text
    # Entities by rarity too: the countries every article of a crisis names say little about
    # which of its happenings an article reports; a village or a minister says much.
    ents = _cosine(idf.weigh({k: math.log1p(v) for k, v in entities.items()}),
                   idf.weigh({k: math.log1p(v) for k, v in story_entities.items()}))  # fmt: skip
    return (1 - entity_weight) * text + entity_weight * ents


class StoryStage:
    """Puts each new article into a story, or starts one (see the module's docs)."""

    name = "newstrace.group.stories.v2"
    kind: ClassVar[str] = "corpus"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("stories", "story_articles", "story_merges", "story_terms")

    def __init__(
        self,
        join: float = JOIN,
        merge: float = MERGE,
        entity_weight: float = ENTITY_WEIGHT,
        window_days: int = WINDOW_DAYS,
        recent: int = RECENT,
        days_sigma: float = DAYS_SIGMA,
    ) -> None:
        self.join, self.merge, self.entity_weight = join, merge, entity_weight
        self.days_sigma = days_sigma
        self.window, self.recent = timedelta(days=window_days), recent

    def step(self, articles: Sequence[Any], reader: Any) -> dict[str, Sequence[Any]]:
        if not articles:
            return {}
        ids = [s.article.id for s in articles]
        entities = reader.entities_of(ids)
        docs = []
        for stored in articles:
            a = stored.article
            keys, names = entity_keys(entities.get(a.id, ()))
            docs.append(_Doc(a.id, stored.seq, _day(a.published), a.published,
                             a.title or "", terms_of(a.title, a.text, a.language), keys, names))  # fmt: skip
        days = [d.day for d in docs if d.day is not None]
        rows = reader.active_stories(
            since=(min(days) - self.window).isoformat() if days else None,
            until=(max(days) + self.window).isoformat() if days else None,
            after_seq=docs[0].seq - self.recent,
        )
        stories = {r.id: _Story.of(r) for r in rows}
        # Entity keys ("a:ID", "p:name", ...) share the terms' frequency table: no word has a colon.
        wanted = {t for d in docs for t in (*d.terms, *d.entities)} | {
            t for s in stories.values() for t in (*s.terms, *s.entities)
        }
        # Every stored article before this page has been seen (seqs count commits from 1): the
        # document count needs no count over the store.
        idf = _Idf(reader.term_df(wanted), docs[0].seq - 1)
        run = _Run(self, stories, idf, reader, reader.near_duplicates_before(ids))
        for doc in docs:
            run.add(doc)
        return run.records()


class _Run:
    """One page of articles being placed: the stories they touch, kept in memory until written."""

    def __init__(self, stage: StoryStage, stories: dict[str, _Story], idf: _Idf, reader: Any,
                 near: Mapping[str, Sequence[str]]) -> None:  # fmt: skip
        self.stage, self.stories, self.idf, self.reader, self.near = (
            stage,
            stories,
            idf,
            reader,
            near,
        )
        self.touched: set[str] = set()
        self.placed: dict[str, StoryArticle] = {}  # article id -> where it now is
        self.members: dict[str, list[str]] = {}  # story id -> its articles placed in this page
        self.merges: list[StoryMerge] = []

    def _active(self, s: _Story, doc: _Doc) -> bool:
        if s.merged_into is not None:
            return False
        centre = s.centre()
        if doc.day is not None and centre is not None:
            # Against the story's mean day, not its span: a span widens with every article
            # that joins near its edge, and the window would travel with it (chaining).
            return abs(doc.day.toordinal() - centre) <= self.stage.window.days
        return s.last_seq > doc.seq - self.stage.recent

    def _in_time(self, a: float | None, b: float | None) -> float:
        """How much a similarity counts between two days `a` and `b` (ordinals; None when
        undated): a Gaussian of their distance, as in Miranda et al.'s temporal features. A day
        or two apart counts almost fully (the next day's follow-up), a week apart little: the
        happenings of one crisis share their words and names, and time is what tells them
        apart."""
        if a is None or b is None or not self.stage.days_sigma:
            return 1.0
        return math.exp(-((a - b) ** 2) / (2 * self.stage.days_sigma**2))

    def _story_of(self, article_id: str) -> str | None:
        if article_id in self.placed:
            return self.placed[article_id].story_id
        return self.reader.story_of([article_id]).get(article_id)

    def add(self, doc: _Doc) -> None:
        self.idf.add((*doc.terms, *doc.entities))
        target, score, basis = None, 1.0, "new"
        for earlier in self.near.get(doc.article_id, ()):
            sid = self._story_of(earlier)
            if sid is not None and sid in self._load(sid):
                target, basis = self._alive(sid), "near_duplicate"
                break
        scored: list[tuple[float, str]] = []
        for s in self.stories.values():
            if self._active(s, doc):
                sim = similarity(self.idf, doc.terms, doc.entities, s.terms, s.entities,
                                 self.stage.entity_weight)  # fmt: skip
                day = doc.day.toordinal() if doc.day is not None else None
                scored.append((sim * self._in_time(day, s.centre()), s.id))
        scored.sort(key=lambda x: (-x[0], x[1]))
        if target is None and scored and scored[0][0] >= self.stage.join:
            score, target = scored[0]
            basis = "similar"
        if target is None:
            target = f"s{doc.seq}"
            self.stories[target] = _Story(target, doc.title[:TITLE_CHARS], None, None, doc.seq,
                                          doc.seq, 0)  # fmt: skip
        story = self.stories[target]
        story.absorb(doc.terms, doc.entities, doc.names)
        story.span(doc.published)
        story.size += 1
        story.last_seq = max(story.last_seq, doc.seq)
        if not story.title and doc.title:
            story.title = doc.title[:TITLE_CHARS]
        self.touched.add(target)
        self.placed[doc.article_id] = StoryArticle(doc.article_id, target, doc.seq,
                                                   round(score, 4), basis)  # fmt: skip
        self.members.setdefault(target, []).append(doc.article_id)
        # Evidence that bridges two stories: those the article also came close to.
        for sim, other in scored:
            if sim < self.stage.join * 0.6:
                break
            if other != target and self.stories[other].merged_into is None:
                self._maybe_merge(target, other, doc.seq)
                target = self._alive(target)

    def _load(self, sid: str) -> dict[str, _Story]:
        """The stories table in memory, with `sid` read from the store if it is not yet."""
        if sid not in self.stories:
            for row in self.reader.stories_by_id([sid]):
                self.stories[row.id] = _Story.of(row)
                story = self.stories[row.id]
                missing = [t for t in (*story.terms, *story.entities) if t not in self.idf.df]
                self.idf.df.update(self.reader.term_df(missing))
        return self.stories

    def _alive(self, sid: str) -> str:
        while self.stories[sid].merged_into is not None:
            sid = self.stories[sid].merged_into  # type: ignore[assignment]
        return sid

    def _maybe_merge(self, a_id: str, b_id: str, seq: int) -> None:
        a, b = self.stories[a_id], self.stories[b_id]
        sim = similarity(self.idf, a.terms, a.entities, b.terms, b.entities,
                         self.stage.entity_weight)  # fmt: skip
        sim *= self._in_time(a.centre(), b.centre())
        if sim < self.stage.merge:
            return
        kept, gone = (a, b) if a.first_seq <= b.first_seq else (b, a)
        kept.absorb(gone.terms, gone.entities, gone.names)
        kept.size += gone.size
        kept.first_seq, kept.last_seq = kept.first_seq, max(kept.last_seq, gone.last_seq)
        kept.first_date = min(filter(None, (kept.first_date, gone.first_date)), default=None)
        kept.last_date = max(filter(None, (kept.last_date, gone.last_date)), default=None)
        kept.day_sum, kept.day_n = kept.day_sum + gone.day_sum, kept.day_n + gone.day_n
        gone.merged_into = kept.id
        self.touched.update((kept.id, gone.id))
        self.merges.append(StoryMerge(kept.id, gone.id, seq, round(sim, 4)))
        moved = {m.article_id: m for m in self.reader.story_members(gone.id)}
        for article_id in self.members.pop(gone.id, []):
            moved[article_id] = self.placed[article_id]
        for article_id, m in moved.items():
            self.placed[article_id] = StoryArticle(article_id, kept.id, m.seq, m.score, "merged")
            self.members.setdefault(kept.id, []).append(article_id)

    def records(self) -> dict[str, Sequence[Any]]:
        return {
            "stories": [self.stories[s].record() for s in sorted(self.touched)],
            "story_articles": list(self.placed.values()),
            "story_merges": self.merges,
            "story_terms": [TermCount(t, self.idf.df[t]) for t in sorted(self.idf.changed)],
        }
