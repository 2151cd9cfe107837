"""The quote stage: attributed statements from each parsed article, with the speaker resolved to a
canonical name and actor and the statement dated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from ..actors import ActorFields, name_key
from ..dates import ISO_DAY as _DAY
from ..nlp.layout import analysed_text, from_analysed, split_segments
from ..records import Analysis, Article, Entity, Quote, quote_id
from .extract import QUOTES_VERSION, QuoteSpan, extract_quotes
from .lexicon import role_heads

if TYPE_CHECKING:
    from ..actors import ActorRegistry, ResolvedActor

__all__ = ["QuoteStage", "quote_date"]

_PRONOUN = re.compile(r"^(?:he|she|they|it|him|her|them|we|i)$", re.I)


def quote_date(span: QuoteSpan, article: Article) -> tuple[str | None, str | None]:
    """(day, basis) a statement was made.

    A time expression on the cue decides: resolved to a day it is the date ("stated"); vague
    ("last week") or unresolvable, the day is unknown. Without one, a news report's statement is
    dated by the report: the publication day ("published"), when that day is known.
    """
    if span.date_text:
        if span.date and _DAY.match(span.date):
            return span.date, "stated"
        return None, None
    if article.published and article.published_precision == "day":
        return article.published, "published"
    return None, None


class QuoteStage:
    """`Analysis` with a parse in, the same with `quotes` filled; other items pass through."""

    name: str = QUOTES_VERSION
    kind: ClassVar[str] = "article"
    requires: tuple[str, ...] = ("doc", "entities")
    assigns: tuple[str, ...] = ("quotes",)
    topics: tuple[str, ...] = ("quotes",)

    def __init__(self, registry: ActorRegistry) -> None:
        self.registry = registry

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [self._stamp(x) for x in batch]

    def _stamp(self, analysis: Analysis) -> Analysis:
        if analysis.doc is None:  # not parsed (its warning says why): seen, nothing to find
            return analysis.assign(self.name)
        return self._one(analysis)

    def _one(self, analysis: Analysis) -> Analysis:
        article = analysis.article
        try:
            spans = extract_quotes(
                analysis.doc,
                title=article.title,
                article_id=article.id,
                published=article.published,
            )
        except Exception as exc:  # one odd document must not stop the batch; say what was lost
            why = f"quotes: extraction failed ({type(exc).__name__}: {str(exc)[:200]})"
            return analysis.noted(self.name, why).assign(self.name)
        context = _Context(self.registry, article, analysis.get("entities"))
        quotes: list[Quote] = []
        for span in spans:
            quote = self._quote(span, context)
            if quote is None:
                continue
            quotes.append(quote)
            if quote.speaker_actor_id and not quote.in_title:
                context.last_speaker = quote
        return analysis.assign(self.name, quotes=quotes)

    def _quote(self, span: QuoteSpan, context: _Context) -> Quote | None:
        article = context.article
        body_start = context.body_start
        if span.in_title:  # a headline parsed apart from the text: offsets already in the title
            segments, in_title = list(span.segments), True
        else:
            found = split_segments(span.segments, body_start)
            if found is None:
                return None
            segments, in_title = found

        def same_side(a: int | None, b: int | None) -> tuple[int, int, bool] | None:
            # A cue or speaker across the headline's end from its quote has no offsets here.
            if a is None or b is None:
                return None
            at = (a, b, True) if span.in_title else from_analysed(a, b, body_start)
            return at if at[2] == in_title and at[0] < at[1] else None

        cue = same_side(span.cue_start, span.cue_end)
        speaker_at = same_side(span.speaker_start, span.speaker_end)
        source = (article.title or "") if in_title else article.text
        date, basis = quote_date(span, article)
        speaker, actor = context.speaker(span, speaker_at, date or article.published)
        fields = ActorFields.from_resolved(actor)
        return Quote(
            id=quote_id(article.id, tuple(segments), in_title),
            article_id=article.id,
            text=" ".join(source[a:b] for a, b in segments),
            start=segments[0][0],
            end=segments[-1][1],
            kind=span.kind,
            segments=tuple(segments),
            in_title=in_title,
            # The cue's class, not its casing: "According to" and "according to" are one cue.
            cue=span.cue.lower() if span.cue else None,
            cue_start=cue[0] if cue else None,
            cue_end=cue[1] if cue else None,
            speaker=speaker,
            speaker_mention=span.speaker,
            speaker_start=speaker_at[0] if speaker_at else None,
            speaker_end=speaker_at[1] if speaker_at else None,
            speaker_actor=fields.actor,
            speaker_actor_id=fields.referent_id,
            speaker_country=fields.country,
            date=date,
            date_basis=basis,
            confidence=span.confidence,
            rule=span.rule,
            stage_version=QUOTES_VERSION,
        )


_DETERMINERS = re.compile(r"^(?:the|a|an|one|another|its|their|his|her)\s+", re.I)
# Person nouns that stand for the body they speak for: "a Defence Ministry official".
_FOR_BODY = re.compile(
    r"\s+(?:officials?|spokes(?:man|woman|person)|sources?|representatives?|statement)$", re.I
)
_LEADER_TITLES = frozenset({"leader", "head"})


class _Context:
    """What one article says about who its speakers are: its named people, its institutions,
    the country its dateline places it in, and the last speaker a quote was resolved to."""

    def __init__(self, registry: ActorRegistry, article: Article, entities: Sequence[Entity]):
        self.registry = registry
        self.article = article
        self.entities = entities
        self.by_span = {(e.start, e.end, e.in_title): e for e in entities}
        self.last_speaker: Quote | None = None
        self.body_start = analysed_text(article)[1]  # where the body starts in the parsed text

    def resolve(self, text: str, when: str | None, label: str | None = None) -> Any:
        try:
            return self.registry.resolve(text, when=when, label=label)
        except ValueError:  # a date the registry cannot read: resolve as undated
            return self.registry.resolve(text, label=label)

    @cached_property
    def home(self) -> str | None:
        """The country of the dateline's one place ("TARSK" -> VRN), None when there is none."""
        place = self.article.dateline
        if not place or "/" in place:
            return None
        found = self.resolve(place, self.article.published)
        return found.country if found is not None and found.kind == "country" else None

    def speaker(
        self, span: QuoteSpan, speaker_at: tuple[int, int, bool] | None, when: str | None
    ) -> tuple[str | None, ResolvedActor | None]:
        """(canonical name, actor) for a quote's speaker."""
        mention = span.speaker
        named = span.speaker_name
        names = [n for n in (named, mention) if n and not _PRONOUN.match(n)]
        label = None
        if speaker_at is not None:
            ent = self.by_span.get(speaker_at)
            label = "PERSON" if ent is not None and ent.label == "PERSON" else None
        if label is None and named and named != mention and named[:1].isupper():
            label = "PERSON"  # the article resolved "he" or "the minister" to this name
        actor = next((r for n in names if (r := self.resolve(n, when, label)) is not None), None)
        if actor is None or (actor.basis == "description" and not actor.country):
            body = self._institution(names, when)
            if body is not None:
                return body.name or body.text, body
        if actor is not None and actor.kind == "person" and actor.basis == "description":
            if actor.holder_name:  # "Hungary's prime minister": who held it that day
                return actor.holder_name, actor
            person = self._person_described(actor, when)
            if person is not None:
                return person.name, person
        if actor is None and mention and not named_person(named, mention):
            previous = self._previous_speaker(mention, when)
            if previous is not None:
                return previous
        if actor is not None and actor.name and (actor.actor_id or actor.person_id):
            # The registry's canonical name, in the article's spelling when only accents differ.
            if named and name_key(named) == name_key(actor.name):
                return named, actor
            return actor.name, actor
        return named or mention, actor

    def _institution(self, names: list[str], when: str | None) -> ResolvedActor | None:
        """An institution named without its country ("the Foreign Ministry", "a Defence Ministry
        official"): the fuller name the article gives it elsewhere, else the dateline's country's."""
        for name in names:
            phrase = _FOR_BODY.sub("", _DETERMINERS.sub("", name.strip()))
            if not phrase or (phrase[:1].islower() and " " not in phrase):
                continue
            tail = name_key(phrase)
            for e in self.entities:
                if e.actor and e.country and e.kind != "person":
                    key = name_key(_DETERMINERS.sub("", e.text))
                    if key != tail and key.endswith(tail):
                        found = self.resolve(e.text, when)
                        if found is not None:
                            return found
            home = self.home
            country = self.registry.get(home) if home else None
            if country is None:
                continue
            described: ResolvedActor | None = None
            for alias in (country.name, *country.aliases):
                if len(alias.split()) != 1:
                    continue
                found = self.resolve(f"{alias.title()} {phrase}", when)
                if found is None or found.country != home or found.kind == "country":
                    continue
                if found.actor_id:  # a registry entry ("Varnian presidential palace")
                    return found
                described = described or found
            if described is not None:
                return described
        return None

    def _person_described(self, described: ResolvedActor, when: str | None) -> Any:
        """ "the Varnian leader": the one person the article names whose actor is the one the
        description resolves to, and whose title (if known) fits it."""
        if not described.code:
            return None
        found: dict[str, Entity] = {}
        for e in self.entities:
            if (
                e.kind == "person"
                and e.actor == described.code
                and e.actor_id
                and e.name
                and _title_fits(described.title, e.title)
            ):
                found.setdefault(e.actor_id, e)
        if len(found) != 1:
            return None
        (e,) = found.values()
        return self.resolve(e.text, when, "PERSON")

    def _previous_speaker(
        self, mention: str, when: str | None
    ) -> tuple[str | None, ResolvedActor | None] | None:
        """ "The president added", with no country: the last speaker, if the title fits."""
        last = self.last_speaker
        head = mention.split()[-1].lower() if mention.split() else ""
        if last is None or last.speaker is None or head not in role_heads():
            return None
        e = next((x for x in self.entities if x.actor_id == last.speaker_actor_id), None)
        if e is None or e.kind != "person" or not _title_fits(head, e.title):
            return None
        return last.speaker, self.resolve(last.speaker, when, "PERSON")


def named_person(named: str | None, mention: str) -> bool:
    """True when the article already resolved the mention to a different, capitalised name."""
    return bool(named and named != mention and named[:1].isupper())


def _title_fits(description: str | None, title: str | None) -> bool:
    """Can a person titled `title` be the one a description with head `description` means?
    An unknown title fits; "leader" fits any head of state or government."""
    if not description or not title:
        return True
    head = description.lower().split()[-1]
    words = set(title.lower().split())
    allowed = role_heads().get(head, frozenset()) | {head}
    return (
        "*" in allowed
        or bool(words & allowed)
        or (head in _LEADER_TITLES and bool(words & role_heads().get("leader", frozenset())))
    )
