"""What a cue verb reports, read off its frame: the clausal complement, object + infinitive,
'of ...' and the like (`frame_tokens`), run on to the end of the cue's clause (`content_tokens`)."""

from __future__ import annotations

from spacy.tokens import Token

from .article import Article

__all__ = ["content_tokens", "frame_tokens"]

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


def frame_tokens(v: Token, frames: frozenset[str]) -> list[int] | None:
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


def content_tokens(art: Article, v: Token, frames: frozenset[str]) -> list[int] | None:
    """The frame's tokens, run on to the end of the cue's clause when the content follows the cue
    ('told reporters that waterboarding is "peanuts," compared to ...'), without other cues'
    clauses ('... and called his standing "unheard of"' is a second statement)."""
    base = frame_tokens(v, frames)
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
            if frame_tokens(t, art.frames[t.lemma_.lower()]) is None:
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
