"""Direct speech: a cue verb next to a quotation ('"...," he said', 'said Putin: "..."'), split
quotes continued after their attribution, and unmarked first-person words before a final cue."""

from __future__ import annotations

from spacy.tokens import Token

from .article import Article, Cand, para_tokens, speaker_in_para, subject_in_para
from .frames import frame_tokens
from .tokens import (
    ADJUNCT_DEPS,
    QUOTE_CHARS,
    RIGHT_DEPS,
    clause_final_speaker,
    cue_span,
    words,
)

__all__ = ["continue_split", "find_direct", "unmarked_extension"]

_MIN_DIRECT_WORDS = 2

_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours", "myself", "ourselves"})


def find_direct(art: Article) -> list[Cand]:
    """Direct quotes at the article's cue verbs: each quotation goes to one cue; split quotes are
    joined."""
    # A quotation goes to one cue: the one after it ('"...," he said') before the one that
    # introduces it ('he said: "..."'), then the nearer one.
    found = [(v, c) for v in art.cue_tokens() if (c := _direct_candidate(art, v)) is not None]
    found.sort(
        key=lambda vc: (
            vc[1].rule != "direct-before",
            abs(vc[0].idx - art.regions[vc[1].regions[0]].mark_start),
        )
    )
    direct: dict[int, Cand] = {}
    for v, c in found:
        if c.regions[0] not in {d.regions[0] for d in direct.values()}:
            direct[v.i] = c
    claimed_by_cue = {c.regions[0] for c in direct.values()}
    for c in direct.values():
        continue_split(art, c, claimed_by_cue - set(c.regions))
    return list(direct.values())


def _direct_candidate(art: Article, v: Token) -> Cand | None:
    """A cue next to a quotation: '"...," he said', 'said Putin: "..."'."""
    doc = art.doc
    subj = subject_in_para(art, v)
    before = _direct_before(art, v, subj)
    after = None if before is not None else _direct_after(art, v, subj)
    k = before if before is not None else after
    if k is None:
        return None
    r = art.regions[k]
    if words(art.text[r.start : r.end]) < _MIN_DIRECT_WORDS:
        return None
    if subj is None and before is not None:
        subj = clause_final_speaker(v)
    if _mixed(art, v, k, {t.i for t in subj.subtree} if subj is not None else set()):
        return None
    if after is not None and _embedded(art, v, k):
        return None
    quoted = {t.i for t in art.tokens_between(r.mark_start, r.mark_end)}
    sp = speaker_in_para(art, v, subj, quoted) if subj is not None else None
    clause = [v.i, *([t.i for t in sp] if sp is not None else [])]
    lo, hi = para_tokens(art, v)
    # The attribution clause ends before the next quotation (the parser may hang it on the cue).
    stop = next((q.mark_start for q in art.regions if q.mark_start > v.idx), len(art.text))
    clause += [
        t.i
        for c in v.rights
        if c.dep_ in RIGHT_DEPS and c.i not in quoted
        for t in c.subtree
        if t.i not in quoted and lo <= t.i < hi and t.idx < stop and art.region_of(t) == -1
    ]
    clause_end_tok = doc[max(clause)]
    return Cand(
        segments=list(r.segments),
        kind="direct",
        rule="direct-before" if before is not None else "direct-after",
        priority=0,
        confidence=0.9,
        cue=cue_span(v),
        verb=v,
        speaker=sp,
        speaker_head=subj,
        clause_end=clause_end_tok.idx + len(clause_end_tok.text),
        regions=[k],
    )


def _direct_before(art: Article, v: Token, subj: Token | None) -> int | None:
    """'"...," he said' / '"...," said Putin': the quotation that closes just before the cue."""
    doc = art.doc
    if any(c.dep_ == "ccomp" and art.region_of(c) == -1 for c in v.children):
        return None  # the cue reports its own clause ("..., insisting that ...")
    i = v.i - 1
    allowed: set[int] = set()
    if subj is not None and subj.i < v.i:
        allowed |= {t.i for t in subj.subtree}
    allowed |= {c.i for c in v.children if c.dep_ in ADJUNCT_DEPS}
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


def _direct_after(art: Article, v: Token, subj: Token | None) -> int | None:
    """'he said: "..."' / 'Putin told reporters, "..."': the quotation that opens just after the cue."""
    doc = art.doc
    allowed: set[int] = set()
    for c in v.children:
        if c.i > v.i and c.dep_ in RIGHT_DEPS:
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


def _embedded(art: Article, v: Token, k: int) -> bool:
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


def _mixed(art: Article, v: Token, k: int, exclude: set[int]) -> bool:
    """True when the cue's own complement has words outside quotation k: a partial quote inside
    reported speech ('said "it gets me mad" every time ...'), not a direct quote."""
    base = frame_tokens(v, art.frames[v.lemma_.lower()])
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


def continue_split(art: Article, cand: Cand, claimed: set[int]) -> None:
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
        while after < len(art.text) and art.text[after] in QUOTE_CHARS:
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


def unmarked_extension(
    art: Article, v: Token, segments: list[tuple[int, int]]
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
