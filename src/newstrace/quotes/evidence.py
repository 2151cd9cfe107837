"""What the text gives as evidence of who spoke, and how sure that makes the speaker.

Kinds (stored as `Quote.speaker_evidence`):
- named: the mention is the name itself ("Ilona Vesk", "the Kremlin", "Bloomberg").
- apposition: a description with the name beside it ("the country's president, Vladimir Putin").
- description: a definite description resolved to someone named earlier ("the Russian leader").
- pronoun: "he", "she", "it", "they", "who", resolved or not.
- headline: a headline's attribution ("'...' – Putin").
- anonymous: an unnamed or generic source ("a State Department official", "officials", "a source
  familiar with the talks"); it stays that mention and is never given a person's name.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

__all__ = ["EVIDENCE_KINDS", "anonymous", "headline_evidence", "speaker_evidence"]

EVIDENCE_KINDS = ("named", "apposition", "description", "pronoun", "headline", "anonymous")

# How sure each kind of evidence makes the speaker, before what resolution found.
_CONFIDENCE = {
    "named": 0.95,
    "apposition": 0.95,
    "description": 0.7,
    "pronoun": 0.75,
    "headline": 0.8,
    "anonymous": 0.9,
}
_UNRESOLVED = {"pronoun": 0.3, "description": 0.5}
_INDEFINITE = frozenset(
    {"a", "an", "another", "one", "some", "several", "many", "few", "two", "three", "various",
     "other", "any", "most", "senior", "certain"}
)  # fmt: skip
# Nouns that name a source by its anonymity ("the source", "a person familiar with").
_ANONYMOUS_HEADS = frozenset({"source", "insider", "person", "people", "individual"})


def anonymous(head: Token) -> bool:
    """A common-noun mention that names no one: indefinite ("a State Department official"),
    numbered ("two diplomats"), a bare plural ("officials", "diplomats"), or a source by its
    anonymity ("the source", "a person familiar with the talks")."""
    if head.pos_ != "NOUN" or head.ent_type_ == "PERSON":
        return False
    if head.lemma_.lower() in _ANONYMOUS_HEADS:
        return True
    dets = [c for c in head.children if c.dep_ in ("det", "poss", "nummod", "amod", "predet")]
    if any(c.lower_ in _INDEFINITE or c.dep_ == "nummod" for c in dets):
        return True
    definite = any(c.dep_ in ("det", "poss") for c in head.children)
    return head.tag_ == "NNS" and not definite


def _has_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC")


def speaker_evidence(
    span: Span, head: Token, name: str | None, resolved: bool
) -> tuple[str, float]:
    """(kind, confidence) for a speaker mention with syntactic head `head`; `resolved` says that
    the resolver named a person or body other than the mention itself."""
    low = head.lower_
    if head.pos_ == "PRON" or low in ("he", "she", "it", "they", "who", "that", "which"):
        kind = "pronoun"
    elif anonymous(head):
        return "anonymous", _CONFIDENCE["anonymous"]
    elif (_has_name(head) or head.text[:1].isupper()) and (
        not resolved or (name is not None and head.text in name.split())
    ):
        kind = "named"  # 'Putin', 'the Kremlin'; not 'the Russian President' resolved to a name
    elif any(c.dep_ == "appos" and _has_name(c) for c in head.children) or (
        head.dep_ == "appos" and _has_name(head.head)
    ):
        kind = "apposition"
    else:
        kind = "description"
    if kind in _UNRESOLVED and not resolved:
        return kind, _UNRESOLVED[kind]
    return kind, _CONFIDENCE[kind]


def headline_evidence() -> tuple[str, float]:
    return "headline", _CONFIDENCE["headline"]
