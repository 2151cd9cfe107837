"""Actor mentions in a parsed spaCy Doc: registry phrases, entities and noun chunks, each
resolved against the actor registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newstrace.actors import ActorMention, ActorRegistry, ResolvedActor
from newstrace.actors.names import is_short, token_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["resolve_doc"]

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PLACE_PREPS = frozenset(
    {
        "in",
        "at",
        "from",
        "to",
        "near",
        "into",
        "across",
        "outside",
        "inside",
        "around",
        "via",
        "through",
        "toward",
        "towards",
    }
)


def resolve_doc(
    registry: ActorRegistry, doc: Doc, *, when: str | None = None
) -> list[ActorMention]:
    """Actor mentions in a parsed Doc: registry phrases, entities and noun chunks, resolved.

    Overlapping candidates are settled longest-first. A place name used as a modifier
    ("the Minsk agreements") is not taken as a government, and a span inside a longer entity
    that is not an actor ("the Washington Post") is not an actor either.
    """
    maxlen = registry.longest_phrase()
    toks = list(doc)
    keys = [token_key(t.text) for t in toks]
    cands: dict[tuple[int, int], str] = {}
    n = len(toks)
    for i, t in enumerate(toks):
        if not t.text[:1].isupper() or keys[i] in ("the", "a", "an"):
            continue
        acc = ""
        best = 0
        for j in range(i, n):
            if toks[j].is_space:
                break
            acc += keys[j]
            if len(acc) > maxlen:
                break
            # Outside entities, a country is found by its name or demonym only.
            if registry.is_phrase(acc):
                if is_short(acc) and not doc[i : j + 1].text.replace(".", "").isupper():
                    continue
                best = j + 1
        if best:
            cands.setdefault((i, best), "REGISTRY")
    # Lower-case "entities" are page furniture the small models mislabel ("chevron").
    ents = [e for e in doc.ents if e.label_ in _ENTITY_LABELS and any(c.isupper() for c in e.text)]
    for ent in ents:
        cands[(ent.start, ent.end)] = ent.label_
    if doc.has_annotation("DEP"):
        for chunk in doc.noun_chunks:
            cands.setdefault((chunk.start, chunk.end), "CHUNK")

    resolved: list[tuple[Span, str, ResolvedActor]] = []
    failed_ents: list[tuple[int, int]] = []
    for (s, e), label in cands.items():
        span = doc[s:e]
        r = registry.resolve_tokens(
            [t.text for t in span],
            span.text,
            when=when,
            label=label if label in _ENTITY_LABELS else None,
        )
        if r is None:
            if label in _ENTITY_LABELS:
                failed_ents.append((s, e))
            continue
        if r.basis == "metonym":
            if _is_modifier(span):
                continue
            if _is_location(span) and r.country:
                # "a meeting in Stockholm" is a place, not the Swedish government
                place = registry.place(r.country, span.text, when)
                if place is None:
                    continue
                r = place
        resolved.append((span, label, r))
    resolved = [
        x for x in resolved
        if not any(fs <= x[0].start and x[0].end <= fe and (fe - fs) > len(x[0]) for fs, fe in failed_ents)
    ]  # fmt: skip
    resolved.sort(key=lambda x: (-len(x[0]), x[0].start))
    taken: set[int] = set()
    chosen: list[tuple[Span, str, ResolvedActor]] = []
    for span, label, r in resolved:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        chosen.append((span, label, r))
    context = frozenset(
        c
        for span, _, r in chosen
        if not registry.is_ambiguous("".join(keys[span.start : span.end]))
        for c in (r.code, r.country)
        if c
    )
    out: list[ActorMention] = []
    for span, label, r in sorted(chosen, key=lambda x: x[0].start):
        if r.basis == "metonym":
            reread = registry.reread("".join(keys[span.start : span.end]), span.text, context)
            if reread is not None:
                r = reread
        out.append(
            ActorMention(span.start_char, span.end_char, span.start, span.end, span.text, label, r)
        )
    return out


def _is_location(span: Span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS


def _is_modifier(span: Span) -> bool:
    root = span.root
    if root.dep_ not in ("compound", "amod", "nmod"):
        return False
    head = root.head
    return not (span.start <= head.i < span.end) and head.pos_ in ("NOUN", "PROPN")
