"""Attributions without a saying verb: headlines and titles ("'Criminal' ... – Putin"),
'according to' phrases, and interview transcripts ('WALLACE: ...')."""

from __future__ import annotations

import re

from .article import Article, Cand, inside_marks, para_tokens
from .coref import SpeakerResolver
from .lexicon import section_labels
from .marks import find_quote_regions
from .tokens import MIN_FLOATING_WORDS, QUOTE_CHARS, runs, speaker_span, words

__all__ = ["find_according", "find_headlines", "find_transcripts"]

_SPEAKER_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin))*"


def find_according(art: Article) -> list[Cand]:
    """'According to the UN, ...' / '..., according to him.'"""
    doc = art.doc
    out: list[Cand] = []
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
        lo, hi = para_tokens(art, tok)
        sent = tok.sent
        content = [i for i in range(max(sent.start, lo), min(sent.end, hi)) if i not in phrase]
        sp = speaker_span(pobj, set())
        # Content after 'According to him,' may be a quotation that the parser hung elsewhere.
        after = [t for t in doc[max(phrase) + 1 :][:3] if not t.is_punct or t.text in QUOTE_CHARS]
        k = art.region_of(after[0]) if after else -1
        if k != -1 and art.region_of(after[0]) != -1:
            segments = list(art.regions[k].segments)
        else:
            segments = runs(doc, content)
        if not segments or words(" ".join(art.text[a:b] for a, b in segments)) < 3:
            continue
        last = doc[max(phrase)]
        out.append(
            Cand(
                segments=segments,
                kind="direct" if inside_marks(art, segments) else "indirect",
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


def find_transcripts(art: Article, resolver: SpeakerResolver) -> list[Cand]:
    """Interview transcripts: paragraphs that open with 'WALLACE:' or 'Pence:'."""
    doc = art.doc
    heads: list[tuple[int, int, int]] = []  # paragraph index, speaker start, speaker end
    for k, (a, b) in enumerate(art.paragraphs):
        m = re.match(r"(" + _SPEAKER_NAME + r")\s*:\s+\S", art.text[a:b])
        if not m or len(m.group(1).split()) > 3 or m.group(1).lower() in section_labels():
            continue
        if words(art.text[a + m.end() - 1 : b]) < MIN_FLOATING_WORDS:
            continue
        heads.append((k, a + m.start(1), a + m.end(1)))
    if not heads:
        return []
    counts: dict[str, int] = {}
    for _, s, e in heads:
        counts[art.text[s:e]] = counts.get(art.text[s:e], 0) + 1
    out: list[Cand] = []
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
            Cand(
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


def find_headlines(art: Article, resolver: SpeakerResolver, title: str | None) -> list[Cand]:
    """Headlines: the title (inside the text or not) and headline-like lines in the body."""
    out: list[Cand] = []
    title_offset: int | None = None
    if title and title.strip():
        t = title.strip()
        pos = art.text.find(t)
        if pos != -1 and not art.text[:pos].strip():
            title_offset = pos
        else:
            out += _headline_candidates(art, resolver, t, 0, True, strict=False)
    for k, (a, b) in enumerate(art.paragraphs):
        is_title = title_offset is not None and a == title_offset
        if is_title or _headline_like(art, k):
            out += _headline_candidates(
                art, resolver, art.text[a:b], a, False, strict=not (is_title or k == 0)
            )
    return out


def _headline_candidates(
    art: Article, resolver: SpeakerResolver, line: str, offset: int, in_title: bool, strict: bool
) -> list[Cand]:
    """Attributions in a headline or a subheading: "'Criminal' for Russia ... – Putin",
    "Pat Caddell: Democrat voters ...", "'Should we go to war with NATO?' Asks Putin"."""
    out: list[Cand] = []
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
        and words(m.group("content")) >= 3
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
    art: Article, m: re.Match[str], offset: int, in_title: bool, rule: str, conf: float
) -> Cand:
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
    cand = Cand(
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


def _headline_like(art: Article, k: int) -> bool:
    a, b = art.paragraphs[k]
    line = art.text[a:b]
    return words(line) <= 25 and not re.search(r"[.!?][”\"’']?$", line.strip()) and "\n" not in line
