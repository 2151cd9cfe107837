"""Two renderings of one statement, aligned word by word, and what the difference between them is.

The classes, most telling first: `meaning_changed` (with its kind), `wording` (translation or
paraphrase), `trimmed` (words dropped at an edge, the claim left as it was), `punctuation`
(punctuation, case or spelling only), `verbatim`. A change of meaning is said only on evidence in
the aligned words that differ: a negator on one side only, a number that differs, a hedge or a
condition dropped or added, a modal of another kind ("will" against "may"). Nothing else (no
model) may call a meaning changed, so a loose translation stays a wording variant.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CHANGES",
    "Change",
    "Comparison",
    "Diff",
    "compare",
    "diff_words",
    "differing_spans",
    "words",
]

NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nor",
        "neither",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "cannot",
        "without",
    ]
)
# Hedges and approximators: words that weaken a claim; dropping one makes it firmer.
HEDGES = frozenset(
    [
        "perhaps",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "maybe",
        "reportedly",
        "allegedly",
        "apparently",
        "seemingly",
        "almost",
        "nearly",
        "roughly",
        "approximately",
        "partly",
        "partially",
        "largely",
        "mostly",
        "somewhat",
        "arguably",
        "presumably",
        "potentially",
    ]
)
# Words that open a condition: a clause that starts with one limits what is claimed.
CONDITIONS = frozenset(
    ["if", "unless", "provided", "providing", "assuming", "so_long_as", "as_long_as"]
)
# Modal verbs by what they claim; "would"/"could" are the reported-speech forms of "will"/"can"
# ("we will" -> "he said they would"), so backshift is not a change of modality.
MODALS = {
    "will": "certain", "would": "certain", "shall": "certain", "won't": "certain",
    "wouldn't": "certain", "going_to": "certain",
    "may": "possible", "might": "possible", "can": "possible", "could": "possible",
    "can't": "possible", "couldn't": "possible",
    "must": "obliged", "have_to": "obliged", "has_to": "obliged", "had_to": "obliged",
    "should": "advised", "ought": "advised", "shouldn't": "advised",
}  # fmt: skip
# "may"/"might" are hedges too when they appear or vanish without another modal in their place.
_HEDGE_MODALS = frozenset({"may", "might", "could"})
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 10**6, "billion": 10**9, "dozen": 12, "half": 0.5,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_PHRASES = (("going", "to"), ("have", "to"), ("has", "to"), ("had", "to"), ("as", "long", "as"),
            ("so", "long", "as"))  # fmt: skip
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_LEAD = frozenset({"that"})  # a reported clause's complementiser is the cue's, not the speaker's


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The words of a text, folded (case, accents, curly apostrophes), multi-word modals and
    conditions joined ("going_to", "as_long_as"), without a leading "that"."""
    raw = [_fold(w) for w in _TOKEN.findall(text)]
    out: list[str] = []
    i = 0
    while i < len(raw):
        for phrase in _PHRASES:
            if tuple(raw[i : i + len(phrase)]) == phrase:
                out.append("_".join(phrase))
                i += len(phrase)
                break
        else:
            out.append(raw[i])
            i += 1
    while out and out[0] in _LEAD:
        out = out[1:]
    return out


def _number(word: str) -> float | None:
    plain = re.sub(r"(st|nd|rd|th)$", "", word) if word[:1].isdigit() else word
    if plain[:1].isdigit():
        try:
            return float(plain.replace(",", ""))
        except ValueError:
            return None
    value = _UNITS.get(word)
    return float(value) if value is not None else None


def _negations(span: Sequence[str]) -> list[str]:
    return [w for w in span if w in NEGATORS or w.endswith("n't")]


def _numbers(span: Sequence[str]) -> Counter[float]:
    return Counter(n for n in (_number(w) for w in span) if n is not None)


def _modals(span: Sequence[str]) -> list[str]:
    return [w for w in span if w in MODALS]


# The change classes of `compare`, in order from no difference to a change of meaning.
CHANGES = ("verbatim", "punctuation", "wording", "trimmed", "meaning_changed")
Change = Literal["verbatim", "punctuation", "wording", "trimmed", "meaning_changed"]


@dataclass(frozen=True, slots=True)
class Diff:
    """One stretch where the two renderings differ: the words of each side (one may be empty)
    and whether it sits at an edge (words dropped before or after everything they share)."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    edge: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    """What differs between renderings a and b: `change` (see module docs), `kind` of a meaning
    change (negation, number, hedge, modality), `evidence` (the differing words that show it),
    `fuller` ("a" or "b" when one is the other with words dropped), `similarity` (share of the
    shorter rendering's words matched in order)."""

    change: str
    kind: str | None
    evidence: str
    fuller: str | None
    similarity: float


def diff_words(a: Sequence[str], b: Sequence[str]) -> list[Diff]:
    """The stretches where word lists a and b differ, from a difflib alignment."""
    ops = difflib.SequenceMatcher(None, list(a), list(b), autojunk=False).get_opcodes()
    equal = [i for i, op in enumerate(ops) if op[0] == "equal"]
    out = []
    for i, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        edge = not equal or i < equal[0] or i > equal[-1]
        out.append(Diff(tuple(a[i1:i2]), tuple(b[j1:j2]), edge))
    return out


def _spelling(x: str, y: str) -> bool:
    """One word spelt two ways (defence/defense, organisation/organization), not two words."""
    if _number(x) is not None or _number(y) is not None:
        return False
    return len(x) > 3 and difflib.SequenceMatcher(None, x, y).ratio() >= 0.8


def _meaning(diffs: Sequence[Diff]) -> tuple[str, str] | None:
    """The kind of meaning change the differing words show, and those words; None without one."""
    for d in diffs:
        neg_a, neg_b = _negations(d.a), _negations(d.b)
        # A clause cut off at an edge may hold a negator of its own: that is a trim, not a flip;
        # and inside a long reworded stretch a negator may be said another way ("refuse").
        if len(neg_a) % 2 != len(neg_b) % 2 and _local(d):
            return "negation", _evidence(d, neg_a, neg_b)
    for d in diffs:
        num_a, num_b = _numbers(d.a), _numbers(d.b)
        if not num_a and not num_b:
            continue
        # "one metre" and "a single metre" say the same number.
        one = Counter({1.0: 1})
        if (num_a == one and not num_b and _ONE & set(d.b)) or (
            num_b == one and not num_a and _ONE & set(d.a)
        ):
            continue
        if num_a != num_b and ((num_a and num_b) or _local(d)):
            return "number", _evidence(d, _numerals(d.a), _numerals(d.b))
    for d in diffs:
        mod_a = {MODALS[w] for w in _modals(d.a)}
        mod_b = {MODALS[w] for w in _modals(d.b)}
        if mod_a and mod_b and mod_a != mod_b:
            return "modality", _evidence(d, _modals(d.a), _modals(d.b))
    for d in diffs:
        hedge_a = [w for w in d.a if w in HEDGES or (w in _HEDGE_MODALS and not _modals(d.b))]
        hedge_b = [w for w in d.b if w in HEDGES or (w in _HEDGE_MODALS and not _modals(d.a))]
        if len(hedge_a) != len(hedge_b) and _local(d):
            return "hedge", _evidence(d, hedge_a, hedge_b)
        # A condition cut off at the end ("..., provided Tarsk freezes ...") is a qualifier.
        dropped = d.a or d.b
        if d.edge and not (d.a and d.b) and dropped[0] in CONDITIONS:
            return "hedge", _evidence(d, list(d.a[:1]), list(d.b[:1]))
    return None


_LOCAL = 4  # words on either side of a stretch: longer ones are rewordings, not evidence
_ONE = frozenset({"a", "an", "single"})


def _local(d: Diff) -> bool:
    """A short stretch inside the shared words: a word or two added, dropped or swapped."""
    return not d.edge and len(d.a) <= _LOCAL and len(d.b) <= _LOCAL


def _numerals(span: Sequence[str]) -> list[str]:
    return [w for w in span if _number(w) is not None]


def _evidence(d: Diff, from_a: Sequence[str], from_b: Sequence[str]) -> str:
    def side(words_: Sequence[str]) -> str:
        return " ".join(words_) if words_ else "-"

    return f"'{side(from_a)}' in a, '{side(from_b)}' in b (a: '{side(d.a)}', b: '{side(d.b)}')"


def compare(text_a: str, text_b: str) -> Comparison:
    """Classify the difference between two renderings of one statement (see module docs)."""
    a, b = words(text_a), words(text_b)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    similarity = round(matched / max(1, min(len(a), len(b))), 4)
    if text_a.strip() == text_b.strip():
        return Comparison("verbatim", None, "", None, 1.0)
    diffs = diff_words(a, b)
    if not diffs:
        return Comparison("punctuation", None, "punctuation or case only", None, similarity)
    meaning = _meaning(diffs)
    if meaning is not None:
        kind, evidence = meaning
        fuller = _fuller(diffs)
        return Comparison("meaning_changed", kind, evidence, fuller, similarity)
    if all(len(d.a) == len(d.b) and all(map(_spelling, d.a, d.b)) for d in diffs):
        spelt = "; ".join(f"{x}/{y}" for d in diffs for x, y in zip(d.a, d.b, strict=True))
        return Comparison("punctuation", None, f"spelling: {spelt}", None, similarity)
    fuller = _fuller(diffs)
    if fuller is not None:
        dropped = " | ".join(" ".join(d.a or d.b) for d in diffs)
        return Comparison(
            "trimmed", None, f"{_other(fuller)} drops '{dropped}'", fuller, similarity
        )
    shown = "; ".join(f"'{' '.join(d.a) or '-'}' / '{' '.join(d.b) or '-'}'" for d in diffs[:3])
    more = f" and {len(diffs) - 3} more" if len(diffs) > 3 else ""
    return Comparison("wording", None, f"{shown}{more}", fuller, similarity)


def _fuller(diffs: Sequence[Diff]) -> str | None:
    """ "a" when b only drops words of a (nothing added or replaced), "b" the other way round."""
    if all(d.a and not d.b for d in diffs):
        return "a"
    if all(d.b and not d.a for d in diffs):
        return "b"
    return None


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


def differing_spans(
    text_a: str, text_b: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The character spans of the words of each text that the other does not share (for showing
    the difference), from the same word alignment."""
    found_a = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text_a)]
    found_b = [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text_b)]
    ops = difflib.SequenceMatcher(
        None, [w for *_s, w in found_a], [w for *_s, w in found_b], autojunk=False
    ).get_opcodes()
    spans_a: list[tuple[int, int]] = []
    spans_b: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal":
            spans_a += [(x[0], x[1]) for x in found_a[i1:i2]]
            spans_b += [(x[0], x[1]) for x in found_b[j1:j2]]
    return spans_a, spans_b
