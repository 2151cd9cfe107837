"""The rule table (which families run, in which order, under which `Quote.rule` names) and the
settling of their candidates: nested speech, overlaps, floating quotes, the final `QuoteSpan`s."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from newstrace.nlp.dates import resolve_relative

from .article import Article, Cand, QuoteSpan
from .coref import SpeakerResolver
from .direct import find_direct
from .headlines import find_according, find_headlines, find_transcripts
from .reported import find_reported
from .tokens import MIN_FLOATING_WORDS, words

__all__ = ["RULES", "Finder", "Rule", "finish", "settle"]

# A family finds its candidates in the article, given the speaker resolver, the title and what
# the families before it found.
Finder = Callable[[Article, SpeakerResolver, str | None, list[Cand]], list[Cand]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule family and the names its candidates store in `Quote.rule`."""

    family: str
    names: tuple[str, ...]
    find: Finder


# In the order they run. Reported speech comes right after direct quotes: it skips their cues and
# stops at their words. Each rule sets the priority of its candidates (lower wins when two claim the
# same words): direct-before/after 0; colon-cue and transcript 2; the others 1.
RULES: tuple[Rule, ...] = (
    Rule(
        "direct", ("direct-before", "direct-after"), lambda art, res, title, found: find_direct(art)
    ),
    Rule(
        "reported",
        ("reported", "unmarked", "as-clause", "parenthetical", "colon-cue"),
        lambda art, res, title, found: find_reported(art, found),
    ),
    Rule("according to", ("according-to",), lambda art, res, title, found: find_according(art)),
    Rule("transcript", ("transcript",), lambda art, res, title, found: find_transcripts(art, res)),
    Rule("headline", ("headline",), lambda art, res, title, found: find_headlines(art, res, title)),
)


def settle(art: Article, cands: list[Cand]) -> list[Cand]:
    """The candidates that stand, in text order (title quotes kept outside the text first): nested
    speech dropped, the surer of two that claim the same words kept, floating quotes attached."""
    # Nested speech: a cue inside another quote's content does not start a quote of its own.
    nested = {
        id(b)
        for a in cands
        for b in cands
        if a is not b and a.priority <= b.priority and _cue_inside(a, b)
    }
    cands = [c for c in cands if id(c) not in nested]
    cands.sort(key=lambda c: (c.priority, c.start))
    accepted: list[Cand] = []
    for c in cands:
        if any(_overlaps(c, a) for a in accepted):
            continue
        accepted.append(c)
    accepted.sort(key=lambda c: (not c.in_title, c.start))
    _attach_floating(art, accepted)
    return accepted


def _overlaps(a: Cand, b: Cand) -> bool:
    if a.in_title != b.in_title:
        return False
    return any(x < d and c < y for x, y in a.segments for c, d in b.segments)


def _cue_inside(a: Cand, b: Cand) -> bool:
    """b's cue lies inside a's content (b is speech nested in a)."""
    if b.cue is None or a.in_title != b.in_title:
        return False
    return any(x <= b.cue[0] < y for x, y in a.segments)


def _attach_floating(art: Article, accepted: list[Cand]) -> None:
    """A quotation with no cue of its own that opens the paragraph after a direct quote continues
    that quote (the speaker goes on talking): it becomes another segment of the same QuoteSpan."""
    used = {k for c in accepted for k in c.regions}
    covered = [(a, b) for c in accepted if not c.in_title for a, b in c.segments]
    body = [c for c in accepted if not c.in_title]
    for k, r in enumerate(art.regions):
        if k in used or r.single or words(art.text[r.start : r.end]) < MIN_FLOATING_WORDS:
            continue
        if any(a < r.end and r.start < b for a, b in covered):
            continue
        pidx = art.para_of(r.mark_start)
        if pidx < 0 or art.paragraphs[pidx][0] != r.mark_start:
            continue
        prev = [c for c in body if c.end <= r.mark_start]
        if not prev:
            continue
        q = max(prev, key=lambda c: c.end)
        if (
            q.kind != "direct"
            or q.speaker is None
            or art.para_of(max(q.end, q.clause_end) - 1) != pidx - 1
        ):
            continue
        q.segments.extend(r.segments)
        q.regions.append(k)
        q.clause_end = r.mark_end
        used.add(k)


def finish(
    art: Article,
    resolver: SpeakerResolver,
    accepted: list[Cand],
    article_id: str,
    published: str | None,
    title: str | None,
) -> list[QuoteSpan]:
    """The accepted candidates as `QuoteSpan`s in text order: speakers resolved, a statement
    repeated with the same speaker kept once, statement dates read off the cue."""
    out: list[QuoteSpan] = []
    seen: set[tuple[str, str]] = set()
    for c in sorted(accepted, key=lambda c: (not c.in_title, c.cue[0] if c.cue else c.start)):
        source = (title or "").strip() if c.in_title else art.text
        speaker = speaker_name = None
        s_start = s_end = None
        confidence = c.confidence
        if c.speaker is not None and c.speaker_head is not None:
            speaker = c.speaker.text
            s_start, s_end = c.speaker.start_char, c.speaker.end_char
            head = (
                c.speaker_head
                if c.speaker.start <= c.speaker_head.i < c.speaker.end
                else c.speaker.root
            )
            speaker_name, person = resolver.resolve(c.speaker, head)
            resolver.note_speaker(head.i, person)
            if person is None and head.pos_ == "PRON":
                confidence -= 0.2
            elif head.pos_ == "PRON":
                confidence -= 0.05
        elif c.title_speaker is not None:
            s_start, s_end = c.title_speaker
            speaker = source[s_start:s_end]
            speaker_name = resolver.name_for_string(speaker)
        else:
            confidence -= 0.3
        segments = tuple(c.segments)
        text = " ".join(source[a:b] for a, b in segments)
        key = (re.sub(r"\W+", " ", text).strip().lower(), (speaker_name or "").lower())
        if key in seen:
            continue  # the same headline repeated in the scraped body
        seen.add(key)
        date = None
        expr = _date_expression(c.verb, c.segments) if c.verb is not None else None
        if expr and published:
            date = resolve_relative(expr, published)
        out.append(
            QuoteSpan(
                text=text,
                start=segments[0][0],
                end=segments[-1][1],
                kind=c.kind,
                cue=source[c.cue[0] : c.cue[1]] if c.cue else None,
                cue_start=c.cue[0] if c.cue else None,
                cue_end=c.cue[1] if c.cue else None,
                speaker=speaker,
                speaker_start=s_start,
                speaker_end=s_end,
                speaker_name=speaker_name,
                confidence=round(max(confidence, 0.05), 2),
                segments=segments,
                in_title=c.in_title,
                article_id=article_id,
                date=date,
                date_text=expr,
                rule=c.rule,
            )
        )
    out.sort(key=lambda q: (not q.in_title, q.start))
    return out


def _date_expression(v: Token, segments: list[tuple[int, int]]) -> str | None:
    """The date words attached to the cue ('said on Tuesday', 'said Wednesday'), outside the content."""
    doc = v.doc
    for c in v.children:
        if any(a <= c.idx < b for a, b in segments):
            continue
        for t in c.subtree:
            if t.ent_type_ == "DATE" and t.ent_iob_ == "B":
                ent = next((e for e in doc.ents if e.start == t.i), None)
                if ent is not None:
                    return ent.text
    return None
