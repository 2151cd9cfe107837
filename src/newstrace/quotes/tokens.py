"""Helpers on the parse that know nothing of the article: speakers of a cue verb, speaker spans,
runs of tokens as character spans, cue spans and word counts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

__all__ = [
    "ADJUNCT_DEPS",
    "MIN_FLOATING_WORDS",
    "QUOTE_CHARS",
    "RIGHT_DEPS",
    "clause_final_speaker",
    "cue_span",
    "doc_text",
    "runs",
    "speaker_span",
    "subject",
    "words",
]

QUOTE_CHARS = "\"“”„‟«»‘’‚‛‹›'"

ADJUNCT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "npadvmod", "punct", "prt", "cc"})

RIGHT_DEPS = frozenset(
    {"dobj", "dative", "prep", "npadvmod", "advmod", "prt", "punct", "agent", "obl", "tmod"}
)

MIN_FLOATING_WORDS = 4


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


# Verbs whose clausal complement is what someone says: a participle hung on that complement
# ('..., noting ...') is still the speaker's act.
_SAYING = frozenset({"say", "tell", "add", "state", "argue", "write", "insist", "claim", "warn"})


def subject(v: Token) -> Token | None:
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


def speaker_span(subj: Token, exclude: set[int]) -> Span:
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


def clause_final_speaker(v: Token) -> Token | None:
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


def doc_text(doc: Doc) -> str:
    """`doc.text`, read once per Doc: spaCy joins every token's text again on each read, and the
    rules ask for it once per candidate."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_TEXT_KEY = "newstrace.text"


def runs(doc: Doc, indices: Iterable[int]) -> list[tuple[int, int]]:
    """Character spans of the maximal runs of consecutive tokens, trimmed of edge punctuation."""
    idx = sorted(set(indices))
    groups: list[list[int]] = []
    for i in idx:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    out: list[tuple[int, int]] = []
    text = doc_text(doc)
    for run in groups:
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
        if _quote_marks(text[start:end]) % 2:
            # keep quotation marks paired: 'looks "alarming"', not 'looks "alarming'
            after = end
            while after < len(text) and text[after] in ".,;:!?":
                after += 1
            if after < len(text) and text[after] in QUOTE_CHARS:
                end = after + 1
        out.append((start, end))
    return out


def _quote_marks(text: str) -> int:
    """Quotation marks in `text`, not counting apostrophes inside words."""
    n = 0
    for i, ch in enumerate(text):
        if ch not in QUOTE_CHARS:
            continue
        if ch in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            continue
        n += 1
    return n


def cue_span(v: Token) -> tuple[int, int]:
    """The cue as written: the verb with its particle ("pointed out", "called on", "called for")."""
    end_tok = v
    for c in v.rights:
        if c.dep_ == "prt" and c.i == end_tok.i + 1:
            end_tok = c
    return v.idx, end_tok.idx + len(end_tok.text)
