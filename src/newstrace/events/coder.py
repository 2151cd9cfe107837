"""Verbs to CAMEO codes over spaCy's dependency parse, and the clause's flags.

A verb is coded from the simplified PETRARCH2 dictionary (`codebook`): the most specific pattern
whose particle, object words and prepositional-object words the parse shows wins (a pattern coded
"---" upstream blocks the event); else the verb's own code; else nothing. There is no default
code: a verb the dictionary does not code yields no event.

Kept from PETRARCH2's patterns: the particle, the words after the verb (taken as words of the
direct object) and the first preposition group. Dropped: patterns with a required subject noun
before the verb, the source/target markers, later preposition groups, the transformations
("A says A will attack B"), and paired codes (only the first code of "[042:043]").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .codebook import Codebook, Pattern

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["OWN_CODES", "Coded", "Flags", "code_verb", "flags_of", "governed_by"]

# Our own additions, for verbs the dictionary gives no code of their own (its REFUSE block has
# none): a denial or refusal is a rejection, whatever was denied. Written for newstrace from the
# CAMEO codebook's category names, not from any evaluation sentence.
OWN_CODES: dict[str, str] = {
    "deny": "120",
    "reject": "120",
    "refuse": "120",
    "rebuff": "120",
}
# Verbs whose dictionary code we override: agreeing is CAMEO's "express intent to cooperate" (03),
# not the support (050) the dictionary gives it.
OVERRIDES: dict[str, str] = {"agree": "030"}
# An intention to cooperate is CAMEO 03, by the kind of cooperation intended (the codebook's
# 031-036): to meet (04) 036, diplomatic cooperation (05) 032, material cooperation (06) 031,
# aid (07) 033, to yield (08) 035.
INTENT_OF_ROOT = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}
# Governors whose infinitive states an intention ("agreed to withdraw", "ready to host").
INTENT = frozenset(
    {"agree", "promise", "pledge", "offer", "vow", "decide", "commit", "willing", "ready",
     "prepared", "plan", "intend", "want", "hope", "seek", "aim", "expect", "undertake"}
)  # fmt: skip
# Signing a document is signing an agreement (CAMEO 057) only when the object is one.
_SIGNED = frozenset({"agreement", "declaration", "treaty", "accord", "pact", "deal", "memorandum"})
_NEG = frozenset({"neg"})
_MODALS = frozenset({"would", "could", "might", "should"})
_IF = frozenset({"if", "unless", "whether", "suppose", "supposing"})
_IMAGINE = frozenset({"imagine", "suppose", "hypothesize", "envisage"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll"})
_PLAN = INTENT | {"schedule", "prepare", "going"}
_DENY = frozenset({"deny", "reject", "refute", "dismiss"})


@dataclass(frozen=True)
class Coded:
    code: str
    rule: str  # pattern | verb | own
    pattern: Pattern | None = None


@dataclass(frozen=True)
class Flags:
    negated: bool
    hypothetical: bool
    future: bool


def _words(tokens: Iterable[Token]) -> tuple[set[str], str]:
    toks = list(tokens)
    words = {t.lower_ for t in toks} | {t.lemma_.lower() for t in toks}
    return words, " ".join(t.lower_ for t in toks)


def _has(groups: tuple[frozenset[str], ...], words: set[str], phrase: str) -> bool:
    """Every group has an alternative present: a word among `words`, a phrase inside `phrase`."""
    return all(any((a in phrase) if " " in a else (a in words) for a in alts) for alts in groups)


def objects(verb: Token) -> list[Token]:
    """Direct objects (and their conjuncts); a passive verb's subject is its object."""
    out = [
        c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass", "attr", "oprd", "dative")
    ]
    return out + [x for o in out for x in o.conjuncts]


def preps(verb: Token) -> dict[str, list[Token]]:
    """Preposition -> its objects, on the verb and on its direct objects."""
    out: dict[str, list[Token]] = {}
    heads = [verb, *[o for o in objects(verb) if o.dep_ != "nsubjpass"]]
    for h in heads:
        for c in h.children:
            if c.dep_ in ("prep", "agent", "dative") and c.pos_ in ("ADP", "PART"):
                pobj = [x for x in c.children if x.dep_ in ("pobj", "pcomp")]
                out.setdefault(c.lower_, []).extend(pobj + [x for p in pobj for x in p.conjuncts])
    return out


def code_verb(verb: Token, book: Codebook) -> Coded | None:
    lemma = verb.lemma_.lower()
    particles = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep")}
    entry = None
    for p in sorted(particles):  # a verb_particle form ("ask_for") before the bare verb
        entry = book.entry(f"{lemma}_{p}")
        if entry is not None:
            break
    if entry is None:
        entry = book.entry(lemma) or book.entry(verb.lower_)
    if lemma in OVERRIDES:
        return Coded(OVERRIDES[lemma], "own")
    obj_tokens = [t for o in objects(verb) for t in o.subtree]
    obj_words, obj_phrase = _words(obj_tokens)
    by_prep = preps(verb)
    if entry is not None:
        own, patterns = entry
        best: Pattern | None = None
        for pat in patterns:
            if pat.particle and pat.particle not in particles:
                continue
            if pat.obj and not _has(pat.obj, obj_words, obj_phrase):
                continue
            if pat.prep:
                if pat.prep not in by_prep:
                    continue
                pw, pp = _words(t for h in by_prep[pat.prep] for t in h.subtree)
                if pat.pobj and not _has(pat.pobj, pw, pp):
                    continue
            if best is None or pat.size > best.size:
                best = pat
        if best is not None:
            return Coded(best.code, "pattern", best) if best.code else None
        if own:
            return Coded(own, "verb")
    if lemma in OWN_CODES:
        return Coded(OWN_CODES[lemma], "own")
    if lemma == "sign" and obj_words & _SIGNED:
        return Coded("057", "own")
    return None


def intent_governor(verb: Token) -> Token | None:
    """The verb or adjective stating an intention this infinitive carries out ("agreed to
    withdraw", "is ready to host", "will"), or None."""
    h = verb.head
    if verb.dep_ != "xcomp" or h is verb:
        return None
    if h.lemma_.lower() in INTENT:
        return h
    return None


def governed_by(verb: Token) -> list[Token]:
    """The verbs above this one, nearest first, through clausal links."""
    out = []
    t = verb
    while t.dep_ in ("xcomp", "ccomp", "conj", "advcl", "csubj", "relcl", "acl", "pcomp", "pobj"):
        if t.head is t:
            break
        t = t.head
        out.append(t)
    return out


def _negated(verb: Token) -> bool:
    return any(c.dep_ in _NEG for c in verb.children) or any(
        c.lower_ in ("never", "no") and c.dep_ in ("advmod", "neg", "det") for c in verb.children
    )


def flags_of(verb: Token) -> Flags:
    chain = [verb, *governed_by(verb)]
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    negated = _negated(verb) or any(
        _negated(h) for h, low in zip(chain[1:], chain, strict=False) if low.dep_ == "xcomp"
    )
    sent = verb.sent.text.strip().rstrip("\"'”’ ")
    hypothetical = (
        sent.endswith("?")
        or bool(aux & _MODALS)
        or any(c.lower_ in _IF and c.dep_ in ("mark", "advmod") for h in chain for c in h.children)
        or any(h.lemma_.lower() in _IMAGINE for h in chain[1:])
    )
    future = bool(aux & _FUTURE_AUX) or any(
        h.lemma_.lower() in _PLAN and low.dep_ == "xcomp"
        for h, low in zip(chain[1:], chain, strict=False)
    )
    if not future and any(c.lower_ == "going" for c in verb.head.children if verb.dep_ == "xcomp"):
        future = True
    if verb.dep_ == "xcomp" and verb.head.lower_ == "going":
        future = True
    return Flags(negated, hypothetical, future)


def under_denial(verb: Token) -> bool:
    """True for the act a denial denies ("denied that it was preparing an invasion")."""
    t = verb
    while t.dep_ in ("ccomp", "xcomp", "conj", "pcomp", "pobj", "prep") and t.head is not t:
        t = t.head
        if t.lemma_.lower() in _DENY or (t.lemma_.lower() == "refuse" and verb.dep_ == "xcomp"):
            return True
    return False
