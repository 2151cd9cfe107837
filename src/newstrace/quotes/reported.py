"""Reported speech through the parse: a cue verb's content clause ('said that ...'), 'as' clauses,
parenthetical attributions ('The nominee, he said, ...') and colon cues without quote marks."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .article import Article, Cand, inside_marks, para_tokens, speaker_in_para, subject_in_para
from .direct import continue_split, unmarked_extension
from .frames import content_tokens, frame_tokens
from .tokens import MIN_FLOATING_WORDS, RIGHT_DEPS, clause_final_speaker, cue_span, runs, words

__all__ = ["find_reported"]

# Subjects that make a clause-final cue a writer's aside, not a report of someone's words.
_NOT_REPORTERS = frozenset({"i", "we", "you", "it", "this", "that"})


def find_reported(art: Article, direct: list[Cand]) -> list[Cand]:
    """Reported speech at the cue verbs that found no direct quote. A content clause stops at the
    tokens the `direct` quotes already took."""
    claimed: set[int] = set()
    for c in direct:
        for k in c.regions:
            r = art.regions[k]
            claimed |= {t.i for t in art.tokens_between(r.mark_start, r.mark_end)}
    taken = {c.verb.i for c in direct if c.verb is not None}
    direct_regions = {k for c in direct for k in c.regions}
    out: list[Cand] = []
    for v in art.cue_tokens():
        if v.i not in taken:
            rc = _reported_candidate(art, v, claimed)
            if rc is not None:
                continue_split(art, rc, direct_regions)
                out.append(rc)
    return out


def _reported_candidate(art: Article, v: Token, claimed: set[int]) -> Cand | None:
    """Reported speech through the parse: 'Lavrov said the concentration ... looks "alarming"'.
    `claimed` holds tokens already taken by direct quotes (a content clause stops there)."""
    doc = art.doc
    frames = art.frames[v.lemma_.lower()]
    subj = subject_in_para(art, v)
    cue = cue_span(v)
    lo, hi = para_tokens(art, v)
    if frames == frozenset({"direct"}):
        return None
    as_clause = _as_clause(art, v, subj, cue, claimed)
    if as_clause is not None:
        return as_clause
    content = content_tokens(art, v, frames)
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
        subj = clause_final_speaker(v)
    exclude: set[int] = {v.i} | claimed
    sp = None
    if subj is not None:
        sp = speaker_in_para(art, v, subj, claimed)
        exclude |= set(range(sp.start, sp.end))
    content_sorted = sorted(i for i in content if i not in exclude and lo <= i < hi)
    base = frame_tokens(v, frames) or content
    # Content sits on one side of the cue: after it ('said that ...') or before it ('..., he said').
    anchor = next((c.i for c in v.children if c.dep_ == "ccomp"), None)
    if min(base) > v.i or (anchor is not None and anchor > v.i):
        content_sorted = [i for i in content_sorted if i > v.i]
    elif max(base) < v.i:
        edge = sp.start if sp is not None and sp.start < v.i else v.i
        content_sorted = [i for i in content_sorted if i < edge]
    # A leading 'that' stays: it is part of the clause as written (and of PolNeAR's content spans).
    content_sorted = _trim_aside(doc, content_sorted)
    segments = runs(doc, content_sorted)
    if not segments:
        return None
    segments = _to_quote_end(art, segments)
    text = " ".join(art.text[a:b] for a, b in segments)
    if words(text) < 2 and text.strip(" .,").lower() not in ("yes", "no"):
        return None  # one word is a fragment, unless it is the whole answer ('said yes')
    kind = "direct" if inside_marks(art, segments) else "indirect"
    rule = "reported"
    if (
        kind == "indirect"
        and segments[-1][1] <= v.idx
        and subj is not None
        and subj.lower_ not in _NOT_REPORTERS
    ):
        extended = unmarked_extension(art, v, segments)
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


def _clause_cand(
    art: Article,
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
) -> Cand:
    """A candidate whose attribution clause ends at `last` (split quotes continue after it); its
    kind, unless given, is direct when all of it sits inside quote marks."""
    return Cand(
        segments=segments,
        kind=kind or ("direct" if inside_marks(art, segments) else "indirect"),
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


def _to_quote_end(art: Article, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
    art: Article, v: Token, subj: Token | None, cue: tuple[int, int], claimed: set[int]
) -> Cand | None:
    """'As The Washington Post reported, Sanders would need ...' / 'as reported by Western Journalism':
    the cue sits in an 'as' clause and the rest of its sentence is what was reported."""
    if v.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in v.children):
        return None
    if v.lemma_.lower() not in _AS_REPORTING or v.tag_ == "VBG":
        return None  # 'as he spoke, ...' / 'as bullets continue' is time, not a source
    if any(c.dep_ in ("ccomp", "dobj") for c in v.children):
        return None
    doc = art.doc
    lo, hi = para_tokens(art, v)
    sent = v.sent
    own = {t.i for t in v.subtree}
    head = v.head
    content = [
        t.i
        for t in head.subtree
        if t.i not in own and t.i not in claimed and max(sent.start, lo) <= t.i < min(sent.end, hi)
    ]
    segments = runs(doc, content)
    if not segments or words(" ".join(art.text[a:b] for a, b in segments)) < 3:
        return None
    sp = speaker_in_para(art, v, subj, claimed) if subj is not None else None
    return _clause_cand(art, segments, "as-clause", v, cue, sp, subj, doc[max(own)])


def _parenthetical(
    art: Article, v: Token, subj: Token | None, cue: tuple[int, int], claimed: set[int]
) -> Cand | None:
    """'The nominee, he said, watched the Olympics ...' / '..., police said.' / '..., said the
    company's chief executive.': the cue's clause is set off by commas inside or at the end of the
    reported sentence, and the parser hung the reported clause elsewhere."""
    if subj is None:
        return None
    if any(c.dep_ == "dobj" and not _addressee(c) for c in v.children):
        return None  # 'Francis told the story of ...': the verb has its own object, not an aside
    doc = art.doc
    lo, hi = para_tokens(art, v)
    sent = v.sent
    s_lo, s_hi = max(sent.start, lo), min(sent.end, hi)
    sp = speaker_in_para(art, v, subj, claimed)
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
    segments = runs(doc, content)
    if not segments or words(" ".join(art.text[x:y] for x, y in segments)) < 3:
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


def _colon_cue(art: Article, v: Token, subj: Token | None, cue: tuple[int, int]) -> Cand | None:
    """'Caddell continued: The health issue ...' (a colon and no quote marks)."""
    doc = art.doc
    nxt = v.i + 1
    while nxt < len(doc) and (
        doc[nxt].head == v and doc[nxt].dep_ in RIGHT_DEPS and not doc[nxt].is_punct
    ):
        nxt = max(t.i for t in doc[nxt].subtree) + 1
    if nxt >= len(doc) - 1 or doc[nxt].text != ":":
        return None
    start = doc[nxt + 1].idx
    pidx = art.para_of(v.idx)
    p_end = art.paragraphs[pidx][1] if pidx >= 0 else len(art.text)
    if p_end <= start or words(art.text[start:p_end]) < MIN_FLOATING_WORDS:
        return None
    sp = speaker_in_para(art, v, subj, set()) if subj is not None else None
    return Cand([(start, p_end)], "direct", "colon-cue", 2, 0.7, cue, v, sp, subj, p_end)
