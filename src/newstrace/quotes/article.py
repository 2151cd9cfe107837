"""The records the rules share: `Article` (one document, its paragraphs and quotation regions),
`Cand` (a rule's proposal), `QuoteSpan` (the result), and helpers bound to a paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .lexicon import cue_frames
from .marks import QuoteRegion, find_quote_regions, paragraph_spans
from .tokens import ADJUNCT_DEPS, clause_final_speaker, doc_text, speaker_span, subject

__all__ = [
    "Article",
    "Cand",
    "QuoteSpan",
    "inside_marks",
    "para_tokens",
    "speaker_in_para",
    "subject_in_para",
]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One attributed statement.

    `start`/`end` are character offsets of the content in `doc.text` (or in the title when
    `in_title`), without the quote marks; `segments` lists the pieces of a split or multi-paragraph
    quote. `speaker` is the mention as written ("he", "the Russian leader"); `speaker_name` the
    name it resolves to in this article ("Vladimir Putin"), or the body as written ("the Kremlin").
    Speaker and cue fields are None when the text does not give them. `rule` names the rule that
    found the quote; `confidence` is that rule's prior, lowered for unresolved speakers.
    """

    text: str
    start: int
    end: int
    kind: str
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_name: str | None
    confidence: float
    segments: tuple[tuple[int, int], ...] = ()
    in_title: bool = False
    article_id: str = ""
    date: str | None = None
    date_text: str | None = None  # the time expression on the cue, as written ("last week")
    rule: str = ""


@dataclass
class Cand:
    segments: list[tuple[int, int]]
    kind: str
    rule: str
    priority: int  # lower wins when two candidates claim the same words
    confidence: float
    cue: tuple[int, int] | None = None
    verb: Token | None = None
    speaker: Span | None = None
    speaker_head: Token | None = None
    # character offset where the attribution clause ends (split quotes continue there)
    clause_end: int = 0
    regions: list[int] = field(default_factory=list)
    # Set for headline quotes whose title is not part of doc.text.
    in_title: bool = False
    title_speaker: tuple[int, int] | None = None

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


class Article:
    """Everything the rules share about one document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.frames = cue_frames()
        self.paragraphs = paragraph_spans(self.text)
        self.regions = _trim_trailing_attributions(doc, find_quote_regions(self.text), self.frames)
        n = len(self.text)
        self.region_at = [-1] * (n + 1)
        for k, r in enumerate(self.regions):
            for c in range(r.mark_start, min(r.mark_end, n)):
                self.region_at[c] = k
        self.para_at = [-1] * (n + 1)
        for k, (a, b) in enumerate(self.paragraphs):
            for c in range(a, b):
                self.para_at[c] = k

    def region_of(self, tok: Token) -> int:
        return self.region_at[tok.idx]

    def para_of(self, offset: int) -> int:
        offset = min(max(offset, 0), len(self.text) - 1) if self.text else 0
        while offset > 0 and self.para_at[offset] == -1:
            offset -= 1
        return self.para_at[offset] if self.text else -1

    def tokens_between(self, a: int, b: int) -> list[Token]:
        span = self.doc.char_span(a, b, alignment_mode="expand") if b > a else None
        if span is None:
            return []
        return [t for t in span if t.idx >= a and t.idx < b]

    def regions_in(self, segments: Iterable[tuple[int, int]]) -> list[int]:
        """Indices of the quotations that open inside these segments."""
        spans = list(segments)
        return [k for k, r in enumerate(self.regions) if any(a <= r.start < b for a, b in spans)]

    def is_cue(self, tok: Token) -> bool:
        return tok.pos_ == "VERB" and tok.lemma_.lower() in self.frames

    def cue_tokens(self) -> list[Token]:
        """The cue verbs that may start a quote."""
        # Speech reported inside a quotation belongs to that quotation: such cues start nothing.
        return [
            t
            for t in self.doc
            if self.is_cue(t)
            and self.region_of(t) == -1
            # 'a group called Color of Change': a participle that names, not a speech act
            and not (t.tag_ == "VBN" and t.dep_ in ("acl", "amod"))
        ]


def _trim_trailing_attributions(
    doc: Doc, regions: list[QuoteRegion], frames: dict[str, frozenset[str]]
) -> list[QuoteRegion]:
    """Cut ', he added.' off the end of a quote that never closed ('"Our ties are good, he added.')."""
    out: list[QuoteRegion] = []
    text = doc_text(doc)
    for r in regions:
        if r.closed or r.single:
            out.append(r)
            continue
        s, e = r.segments[-1]
        span = doc.char_span(s, e, alignment_mode="expand")
        cut: int | None = None
        if span is not None:
            for tok in span:
                if tok.pos_ != "VERB" or tok.lemma_.lower() not in frames:
                    continue
                subj = subject(tok)
                if subj is None:
                    continue
                left = min(subj.left_edge.i, tok.i)
                if left == 0 or doc[left - 1].text not in (",", "—", "–"):
                    continue
                rest = [t for t in doc[tok.i + 1 : span.end] if not (t.is_punct or t.is_space)]
                if (
                    all(t.head == tok or t.head.head == tok or t in subj.subtree for t in rest)
                    and len(rest) <= 8
                ):
                    cut = doc[left - 1].idx
                    break
        if cut is None or cut <= s:
            out.append(r)
            continue
        end = cut
        while end > s and text[end - 1].isspace():
            end -= 1
        segments = (*r.segments[:-1], (s, end))
        out.append(QuoteRegion(segments, r.mark_start, end, False, r.single))
    return out


def para_tokens(art: Article, tok: Token) -> tuple[int, int]:
    """Token range [start, end) of the paragraph holding `tok`: parses run across paragraph breaks."""
    pidx = art.para_of(tok.idx)
    if pidx < 0:
        return 0, len(art.doc)
    a, b = art.paragraphs[pidx]
    span = art.doc.char_span(a, b, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, len(art.doc))


def _dateline(subj: Token, v: Token) -> bool:
    """'KYIV / MOSCOW, Feb 1 – Russian President ... blamed': a capitalised place line ending in a
    dash before the cue is a dateline, not the speaker."""
    words = [t for t in subj.subtree if t.is_alpha]
    if not words or not all(t.is_upper and len(t.text) > 1 for t in words):
        return False
    doc = subj.doc
    return any(t.text in ("–", "—", "-") for t in doc[subj.i + 1 : v.i])


def subject_in_para(art: Article, v: Token) -> Token | None:
    """The speaker head for cue `v`, within v's paragraph, with two repairs for parses that run
    across sentence or paragraph breaks: a noun right before the verb ('... and Western countries
    say') and a noun phrase left hanging at the paragraph start ('The Prime Minister of Hungary,
    Viktor Orban, who ..., said')."""
    doc = art.doc
    lo, hi = para_tokens(art, v)
    subj = subject(v)
    if subj is not None and subj.head == v and art.region_of(subj) != -1:
        # '"... Full panic mode," said Leslie Wimes': the parser gave the cue two subjects, one of
        # them inside the quotation; the speaker is the one outside.
        outside = [c for c in v.children if c.dep_ == "nsubj" and art.region_of(c) == -1]
        subj = outside[0] if outside else None
    if subj is not None and not lo <= subj.i < hi:
        subj = None
    if subj is not None and _dateline(subj, v):
        subj = clause_final_speaker(v)
    if (
        subj is None
        and v.dep_ in ("advcl", "conj", "xcomp")
        and v.head.pos_ == "VERB"
        and v.head.i < v.i
    ):
        # '..., the country's president, Vladimir Putin, has said, insisting ...': the verb this
        # participle hangs on lost its subject to the parse; repair that one.
        subj = clause_final_speaker(v.head)
    direct_child = subj is not None and subj.head == v
    if direct_child:
        return subj
    if subj is not None and art.region_of(subj) != -1 and art.region_of(v) == -1:
        subj = (
            None  # '"... we have a right ...," cautioning that ...': 'we' speaks inside the quote
        )
    i = v.i - 1
    while i >= lo and doc[i].head == v and doc[i].dep_ in ("aux", "auxpass", "neg", "advmod"):
        i -= 1
    if (
        i >= lo
        and doc[i].pos_ in ("NOUN", "PROPN")
        and not (doc[i].head == v and doc[i].dep_ in ("dobj", "dative"))
        and doc[i].dep_ in ("conj", "nsubj", "appos", "ROOT")
        and art.region_of(doc[i]) == -1
    ):
        return doc[i]
    if subj is not None:
        return subj
    # A noun phrase at the paragraph start whose head the parser put in the previous paragraph.
    for t in doc[lo : v.i]:
        if (
            (t.head.i < lo or t.head.i >= hi)
            and t.pos_ in ("NOUN", "PROPN")
            and art.region_of(t) == -1
        ):
            last = max(u.i for u in t.subtree if lo <= u.i < hi)
            gap = doc[last + 1 : v.i]
            if all(
                u.is_punct or u.is_space or (u.head == v and u.dep_ in ADJUNCT_DEPS) for u in gap
            ):
                return t
    return None


def speaker_in_para(art: Article, v: Token, subj: Token, exclude: set[int]) -> Span:
    """The speaker mention: the subject's phrase within the paragraph, without the clause that holds
    the cue itself ('Annette Guessford, who ... and said she planned ...')."""
    lo, hi = para_tokens(art, v)
    outside = {t.i for t in subj.subtree if not lo <= t.i < hi}
    for c in subj.children:
        sub = {t.i for t in c.subtree}
        if v.i in sub:
            outside |= sub
    return speaker_span(subj, exclude | outside | {v.i})


def inside_marks(art: Article, segments: list[tuple[int, int]]) -> bool:
    """True when every word of the content lies inside quote marks."""
    for a, b in segments:
        for m in re.finditer(r"\w+", art.text[a:b]):
            if art.region_at[a + m.start()] == -1:
                return False
    return True
