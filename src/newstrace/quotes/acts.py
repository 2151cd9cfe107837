"""Was a speech act performed, and is its content what was said? Tests on the parse, by kind:

- `unperformed`: the act is negated ("had not spoken", "did not respond", "never mentioned",
  "no figures were disclosed") or refused ("declined to comment", "refused to say", "was not
  authorised to speak"): nobody said anything, so there is no quote.
- `hypothetical`: the act is only possible, planned, wished or conditional ("could argue",
  "plans to announce", "if he says"): for reported content, nothing was said yet.
- `addressed`: a passive participle with no subject ("Asked about X, she said ..."): the one
  asked is the speaker of the main clause and "X" is the question's topic, not anyone's words.
- `relative_content`: the content is a relative clause ("..., during which he attacked ..."): the
  writer's narration, not the speaker's words.
- `relative_object`: in a free or relative clause ("what the ministry termed unacceptable
  pressure") the wh-word stands for the object; it is not part of what was said.
- `addressee_act`: verbs of thanks and praise name, after 'for', what the one thanked did
  ("thanked him for accepting the invitation"): a deed, not words.
- `speech_reference`: a bare object that names other people's speech ("denied the claims",
  "rejected the allegations"): a reaction to words, not the words said.
"""

from __future__ import annotations

from spacy.tokens import Token

__all__ = [
    "addressed",
    "addressee_act",
    "hypothetical",
    "relative_content",
    "relative_object",
    "speech_reference",
    "unperformed",
]

# Verbs whose infinitive complement is an act not done: 'declined to comment', 'failed to say'.
_REFUSALS = frozenset({"decline", "refuse", "fail", "avoid", "neglect", "hesitate", "forbid"})
# Verbs whose infinitive complement is an act not yet done: 'plans to announce', 'wants to say'.
_INTENTIONS = frozenset(
    {"plan", "want", "intend", "expect", "hope", "wish", "aim", "try", "seek", "prepare", "mean",
     "attempt", "threaten", "offer", "agree", "promise", "vow", "need", "have", "ought"}
)  # fmt: skip
# Modal auxiliaries of possibility and obligation (not 'would', which reports habit or speech in
# the past as often as a condition, nor 'will', which PolNeAR and news use for announced speech).
_MODALS = frozenset({"could", "might", "may", "can", "should", "must", "ca", "shall"})
_CONDITIONS = frozenset({"if", "unless", "whether"})
_NEGATING_DETS = frozenset({"no", "neither"})
# Nouns that name speech: as the bare object of a cue they refer to words said by someone else.
_SPEECH_NOUNS = frozenset(
    {"claim", "allegation", "accusation", "charge", "report", "rumor", "rumour", "suggestion",
     "assertion", "criticism", "speculation", "statement", "remark", "comment",
     "characterization", "characterisation"}
)  # fmt: skip


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in tok.children):
        return True
    # 'No figures were disclosed', 'Nobody said': a subject that denies the act.
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and (
            c.lower_ in ("nobody", "none", "nothing", "noone")
            or any(d.dep_ == "det" and d.lower_ in _NEGATING_DETS for d in c.children)
        )
        for c in tok.children
    )


def _governors(v: Token) -> list[Token]:
    """The verbs `v` is the infinitive or participle complement of ('declined to [comment]')."""
    out: list[Token] = []
    tok = v
    for _ in range(3):
        if tok.dep_ not in ("xcomp", "acomp") or tok.head is tok:
            break
        tok = tok.head
        out.append(tok)
    return out


def unperformed(v: Token) -> bool:
    """True when the text says the speech act did not take place."""
    if _negated(v):
        return True
    for gov in _governors(v):
        if _negated(gov) or gov.lemma_.lower() in _REFUSALS:
            return True
        if gov.lower_ in ("unable", "unwilling", "reluctant"):
            return True
    return False


def hypothetical(v: Token) -> bool:
    """True when the act is only possible, intended or conditional."""
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in v.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in v.children):
        return True
    return any(gov.lemma_.lower() in _INTENTIONS for gov in _governors(v))


def addressed(v: Token) -> bool:
    """'Asked about X, he said', 'Pressed on the deadline, the minister ...': a subjectless passive
    participle set before the main clause names who was asked, not what anyone said."""
    return (
        v.tag_ == "VBN"
        and v.dep_ in ("advcl", "acl", "ccomp", "ROOT")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in v.children)
        # 'As reported by X, ...' / 'As stated in ...' names a source: not a question put to one
        and not any(c.dep_ == "mark" and c.lower_ == "as" for c in v.children)
        and v.head is not v
        and v.head.i > v.i
    )


def relative_object(v: Token) -> int | None:
    """The relative or wh-word that stands for the cue's object before it ('what the ministry
    termed unacceptable pressure', 'whom she described as ...'): not a word of the content."""
    for c in v.children:
        if (
            c.dep_ in ("dobj", "oprd", "attr", "nsubjpass")
            and c.tag_ in ("WP", "WDT")
            and c.i < v.i
        ):
            return c.i
    return None


def relative_content(v: Token, content: list[int]) -> bool:
    """True when the cue's content is a relative clause on a noun ('..., during which he
    attacked ...'): the writer's narration, not the speaker's words."""
    doc = v.doc
    if not content:
        return False
    first = doc[content[0]]
    # 'during which he ...', 'in which ...': a relative clause on a noun
    return first.pos_ == "ADP" and first.i + 1 < len(doc) and doc[first.i + 1].tag_ in ("WDT", "WP")


def speech_reference(dobj: Token) -> bool:
    """A bare object naming someone else's speech: 'the claims', 'these allegations' (no clause
    of what they say: 'the claim that ...' holds content and is not bare)."""
    if dobj.lemma_.lower() not in _SPEECH_NOUNS:
        return False
    return not any(c.dep_ in ("acl", "ccomp", "relcl", "appos") for c in dobj.children)


# Verbs of gratitude and praise: their 'for' phrase names a deed of the one thanked or praised.
_GRATITUDE = frozenset({"thank", "praise", "congratulate", "commend", "applaud", "credit", "hail"})


def addressee_act(v: Token, prep: Token) -> bool:
    """'thanked him for accepting his invitation': the 'for' phrase of a verb of thanks holds a
    gerund clause (the deed of the one thanked), not anything said."""
    if v.lemma_.lower() not in _GRATITUDE:
        return False
    return any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in prep.children)
