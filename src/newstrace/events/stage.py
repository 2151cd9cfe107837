"""The event stage: CAMEO/PLOVER events from each parsed article's clauses, with source and target
resolved through the article's actor mentions, flagged (negated, hypothetical, future, claimed)
and tied to their sentence and quote.

An event is coded only when a clause states one: a verb the dictionary codes (`coder`) and a
subject that resolves to an actor. Confidence starts at 0.5 for a verb coded by its own code,
0.7 for a matched pattern and 0.6 for our own additions, plus 0.2 when a target resolves, less 0.1
for a verb that is not the sentence's root; it orders a sentence's events, nothing is cut by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from ..dates import ISO_DAY
from ..nlp.dates import find_time_expressions
from ..nlp.layout import analysed_text, from_analysed
from ..records import Analysis, Entity, Quote
from . import EVENTS_VERSION
from .codebook import Code, Codebook, codebook
from .coder import (
    INTENT_OF_ROOT,
    Coded,
    code_verb,
    flags_of,
    intent_governor,
    objects,
    preps,
    under_denial,
)
from .records import Event, event_id

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["EventStage"]

_SOURCE_DEPS = ("nsubj", "nsubjpass", "csubj")
# Prepositions that introduce a target when the verb has no object actor, in order of trust.
_TARGET_PREPS = ("against", "with", "to", "on", "at", "toward", "towards", "into", "for", "from")
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "its", "their"})
_SKIP_SUBTREE = frozenset({"relcl", "acl", "advcl", "ccomp", "appos", "punct"})


class _Actors:
    """The article's resolved actor mentions, found by position in the analysed text."""

    def __init__(self, entities: Sequence[Entity], body_start: int) -> None:
        spans = []
        for e in entities:
            if not e.actor:
                continue
            a = e.start if e.in_title else e.start + body_start
            spans.append((a, a + (e.end - e.start), e))
        self.spans = sorted(spans, key=lambda s: (s[0], -s[1]))

    def covering(self, tok: Token) -> tuple[int, int, Entity] | None:
        for a, b, e in self.spans:
            if a <= tok.idx < b:
                return a, b, e
        return None

    def of_phrase(self, head: Token) -> list[tuple[int, int, Entity]]:
        """The actors a noun phrase names: the head's own mention, else the mentions inside its
        modifiers (not inside clauses it carries); conjuncts count ("Russia and Azerbaijan")."""
        out: list[tuple[int, int, Entity]] = []
        for h in [head, *head.conjuncts]:
            own = self.covering(h)
            if own is not None:
                out.append(own)
                continue
            toks = _phrase_tokens(h)
            for a, b, e in self.spans:
                if any(a <= t.idx < b for t in toks) and (a, b, e) not in out:
                    out.append((a, b, e))
                    break
        seen: set[tuple[int, int]] = set()
        uniq = []
        for s in out:
            if (s[0], s[1]) not in seen:
                seen.add((s[0], s[1]))
                uniq.append(s)
        return uniq


def _phrase_tokens(head: Token) -> list[Token]:
    out = [head]
    for c in head.children:
        if c.dep_ in _SKIP_SUBTREE or c.dep_ in ("conj", "cc"):
            continue
        out.extend(_phrase_tokens(c))
    return out


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject head, passive); through conjoined and controlled verbs to the one that has it."""
    t: Token | None = verb
    seen = 0
    while t is not None and seen < 6:
        subj = [c for c in t.children if c.dep_ in _SOURCE_DEPS]
        if subj and subj[0].lower_ in _PRONOUNS and t.dep_ == "ccomp" and t.head is not t:
            t = t.head  # "Hungary said it will support": the one who said it
            seen += 1
            continue
        if subj:
            return subj[0], subj[0].dep_ == "nsubjpass"
        if t.dep_ in ("conj", "xcomp", "acomp") and t.head is not t:
            t = t.head  # "Varnia is willing to withdraw": through the adjective to its verb
        elif t.dep_ in ("relcl", "acl") and t.head is not t:
            return t.head, False
        else:
            t = None
        seen += 1
    return None, False


class EventStage:
    """`Analysis` with a parse, entities and quotes in; the same with `events` filled."""

    name: str = EVENTS_VERSION
    kind: ClassVar[str] = "article"
    requires: tuple[str, ...] = ("doc", "entities", "quotes")
    assigns: tuple[str, ...] = ("events",)
    topics: tuple[str, ...] = ("events",)

    def __init__(self, book: Codebook | None = None) -> None:
        self.book = book or codebook()

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        out = []
        for x in batch:
            if x.doc is None:
                out.append(x.assign(self.name))
                continue
            try:
                out.append(x.assign(self.name, events=self.events(x)))
            except Exception as exc:  # one odd document must not stop the batch; say so
                why = f"events: coding failed ({type(exc).__name__}: {str(exc)[:200]})"
                out.append(x.noted(self.name, why).assign(self.name))
        return out

    def events(self, analysis: Analysis) -> list[Event]:
        article = analysis.article
        doc = analysis.doc
        body_start = analysed_text(article)[1]
        actors = _Actors(analysis.get("entities"), body_start)
        quotes = _quote_spans(analysis.get("quotes"), body_start)
        events: list[Event] = []
        coded_verbs: set[int] = set()
        for sent in doc.sents:
            intents: set[int] = set()  # governors whose infinitive is coded as the intention
            for tok in sent:
                if intent_governor(tok) is not None and code_verb(tok, self.book) is not None:
                    gov = intent_governor(tok)
                    assert gov is not None
                    intents.add(gov.i)
            for tok in sent:
                if tok.i in intents:
                    continue
                if tok.pos_ not in ("VERB", "AUX") or (tok.pos_ == "AUX" and tok.dep_ == "aux"):
                    continue
                found = code_verb(tok, self.book)
                if found is None:
                    continue
                if under_denial(tok):
                    continue  # the act a denial denies did not happen: the denial is the event
                if tok.dep_ == "xcomp" and tok.head.i in coded_verbs:
                    continue  # "agreed to cooperate", "threatened to strike": the governor's
                event = self._event(analysis, tok, sent, found, actors, quotes, body_start)
                if event is not None:
                    events.append(event)
                    coded_verbs.add(tok.i)
        return events

    def _event(
        self,
        analysis: Analysis,
        verb: Token,
        sent: Span,
        found: Coded,
        actors: _Actors,
        quotes: list[tuple[int, int, Quote]],
        body_start: int,
    ) -> Event | None:
        flags = flags_of(verb)
        if (flags.future or intent_governor(verb) is not None) and found.code[:2] in INTENT_OF_ROOT:
            found = Coded(INTENT_OF_ROOT[found.code[:2]], "intent", found.pattern)
        code = self.book.code(found.code)
        if code is None:  # a code a user's verb dictionary uses that CAMEO does not: kept as is
            code = Code(found.code, "", None, None, None)
        elif not code.plover_type:
            return None  # a plain statement (CAMEO 01): no event of its own
        subj, passive = _subject(verb)
        if subj is None:
            return None
        targets: list[tuple[int, int, Entity]] = []
        if passive:
            agent = preps(verb).get("by", [])
            sources = [s for h in agent for s in actors.of_phrase(h)]
            targets = actors.of_phrase(subj)
        else:
            sources = actors.of_phrase(subj)
        if not sources:
            return None
        if not targets:
            for o in objects(verb):
                if o.dep_ != "nsubjpass":
                    targets.extend(actors.of_phrase(o))
        if not targets:
            by_prep = preps(verb)
            order = [found.pattern.prep] if found.pattern and found.pattern.prep else []
            for p in [*order, *_TARGET_PREPS]:
                for h in by_prep.get(p or "", []):
                    targets.extend(actors.of_phrase(h))
                if targets:
                    break
        if not targets:  # "threatened to impose sanctions on Kestrany": the infinitive's
            for x in (c for c in verb.children if c.dep_ == "xcomp"):
                for o in objects(x):
                    targets.extend(actors.of_phrase(o))
                for p in _TARGET_PREPS:
                    for h in preps(x).get(p, []):
                        targets.extend(actors.of_phrase(h))
                    if targets:
                        break
        src_codes = {e.actor for _a, _b, e in sources}
        targets = [t for t in targets if t[2].actor not in src_codes]
        article = analysis.article
        start, end, in_title = from_analysed(sent.start_char, sent.end_char, body_start)
        t_start, t_end, _ = from_analysed(verb.idx, verb.idx + len(verb), body_start)
        text = (article.title or "") if in_title else article.text
        quote = next((q for a, b, q in quotes if a <= verb.idx < b), None)

        def side(xs: list[tuple[int, int, Entity]]) -> tuple[str | None, str | None]:
            codes = list(dict.fromkeys(e.actor for _a, _b, e in xs if e.actor))
            # An organisation without a country stands for itself: "IGO", as PLOVER codes it.
            countries: list[str] = []
            for _a, _b, e in xs:
                c = e.country or ("IGO" if (e.actor or "").startswith("IGO") else None)
                if c and c not in countries:
                    countries.append(c)
            return (";".join(codes) or None, ";".join(countries) or None)

        def where(xs: list[tuple[int, int, Entity]]) -> tuple[int | None, int | None]:
            if not xs:
                return None, None
            e = xs[0][2]
            return (e.start, e.end) if e.in_title == in_title else (None, None)

        s_actor, s_country = side(sources)
        t_actor, t_country = side(targets)
        date, basis = _date(analysis, verb)
        confidence = {"pattern": 0.7, "verb": 0.5, "own": 0.6, "intent": 0.6}[found.rule]
        confidence += 0.2 if targets else 0.0
        confidence -= 0.1 if verb.dep_ != "ROOT" else 0.0
        s_start, s_end = where(sources)
        tg_start, tg_end = where(targets)
        return Event(
            id=event_id(article.id, in_title, t_start, code.code),
            article_id=article.id,
            date=date,
            source_actor=s_actor or "",
            target_actor=t_actor,
            source_country=s_country,
            target_country=t_country,
            source_code=sources[0][2].actor or "",
            target_code=targets[0][2].actor if targets else None,
            event_type=code.plover_type,
            mode=code.plover_mode,
            cameo=code.code,
            goldstein=code.goldstein,
            negated=flags.negated,
            hypothetical=flags.hypothetical,
            future=flags.future,
            claimed=quote is not None,
            quote_id=quote.id if quote else None,
            claimant_actor=quote.speaker_actor if quote else None,
            sentence=text[start:end].strip(),
            start=start,
            end=end,
            in_title=in_title,
            trigger=verb.text,
            trigger_start=t_start,
            trigger_end=t_end,
            source_start=s_start,
            source_end=s_end,
            target_start=tg_start,
            target_end=tg_end,
            date_basis=basis,
            confidence=round(min(confidence, 1.0), 2),
            rule=found.rule,
            stage_version=EVENTS_VERSION,
        )


def _quote_spans(quotes: Sequence[Quote], body_start: int) -> list[tuple[int, int, Quote]]:
    out = []
    for q in quotes:
        shift = 0 if q.in_title else body_start
        for a, b in q.segments or ((q.start, q.end),):
            out.append((a + shift, b + shift, q))
    return out


def _date(analysis: Analysis, verb: Token) -> tuple[str | None, str | None]:
    """The day a time expression on the verb's clause gives ("on Monday"), else the publication
    day; unknown when the expression does not resolve to a day or there is no publication day."""
    article = analysis.article
    published = article.published if article.published_precision == "day" else None
    lo = min(t.idx for t in verb.subtree)
    hi = max(t.idx + len(t) for t in verb.subtree)
    sent = verb.sent
    own = [t for t in sent if t.head == verb or t == verb]
    near = {t.i for c in own for t in c.subtree if c.dep_ in ("npadvmod", "prep", "advmod", "tmod")}
    for s, e, _text, iso in find_time_expressions(sent.text, article.published):
        a, b = sent.start_char + s, sent.start_char + e
        if not (lo <= a and b <= hi):
            continue
        toks = [t for t in sent if a <= t.idx < b]
        if toks and not any(t.i in near for t in toks):
            continue  # a date inside an object clause belongs to that clause
        if iso and ISO_DAY.match(iso):
            return iso, "stated"
        return None, None
    if published and ISO_DAY.match(published):
        return published, "published"
    return None, None
