"""Site furniture: the boilerplate rules of data/boilerplate.toml (share bars, trackers, credits,
walls, news agencies; calls to act on the page, promotions, players, counters and navigation
bars, described by kind) and the judgement of a single line against them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "SENTENCE_END",
    "WORD",
    "Rules",
    "agency_name",
    "boilerplate_rules",
    "furniture_kind",
    "navigation_bar",
]


@dataclass(frozen=True)
class _Pattern:
    kind: str
    max_len: int
    regex: re.Pattern[str]
    needs: tuple[str, ...] = ()  # one of these in the lower-cased line, or the regex is not tried


@dataclass(frozen=True)
class Rules:
    lines: tuple[_Pattern, ...]
    ui_words: frozenset[str]
    ui_strong: frozenset[str]
    ui_substrings: tuple[str, ...]
    ui_min_share: float
    ui_max_len: int
    not_article: tuple[re.Pattern[str], ...]
    not_article_max_words: int
    agencies: dict[str, str]
    kinds: Kinds


@dataclass(frozen=True)
class Kinds:
    """The sentence-level rules: calls to act, promotions, counters, navigation bars."""

    call_max_len: int
    call_min_share: float
    call_max_words: int
    object_window: int
    openers: re.Pattern[str]
    strong: re.Pattern[str]
    weak: re.Pattern[str]
    objects: re.Pattern[str]
    phrases: re.Pattern[str]
    reporting: re.Pattern[str]
    call_starts: frozenset[str]  # the prefilter: words a call's sentence can open with
    phrase_words: frozenset[str]
    promo: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]
    promo_words: frozenset[str]  # every rule's words: the line's first prefilter
    counter_units: frozenset[str]
    time_words: frozenset[str]
    counter_max_len: int
    nav_split: re.Pattern[str]
    nav_min_items: int
    nav_max_item_words: int
    nav_max_len: int


def _alternatives(items: list[str]) -> str:
    """One regex alternation of literal phrases, longest first (so "sign up" beats "sign")."""
    return "|".join(re.escape(i) for i in sorted(set(items), key=len, reverse=True))


def _kinds(raw: dict[str, Any]) -> Kinds:
    calls, promo, counters, nav = raw["calls"], raw["promo"], raw["counters"], raw["navigation"]
    verbs = calls["strong"] + calls["weak"]
    openers = _alternatives(calls["openers"])
    starts = {WORD.findall(v.lower())[0] for v in verbs + calls["openers"]} | _CLAUSE_WORDS
    return Kinds(
        call_max_len=int(calls["max_len"]),
        call_min_share=float(calls["min_share"]),
        call_max_words=int(calls["max_sentence_words"]),
        object_window=int(calls["object_window"]),
        openers=re.compile(rf"^(?:(?:{openers})\s+)+"),
        strong=re.compile(rf"^(?:{_alternatives(calls['strong'])})(?![\w'’-])"),
        weak=re.compile(rf"^(?:{_alternatives(calls['weak'])})(?![\w'’-])"),
        objects=re.compile(
            rf"(?<![\w@])(?:{_alternatives(calls['objects'])})(?![\w'’-])|@\w|https?://|www\."
        ),
        phrases=re.compile("|".join(f"(?:{p})" for p in calls["phrases"])),
        reporting=re.compile(rf"(?<!\w)(?:{_alternatives(calls['reporting'])})(?!\w)"),
        call_starts=frozenset(starts),
        phrase_words=frozenset(calls["phrase_words"]),
        promo=tuple(
            (r["kind"], re.compile(r["regex"], re.IGNORECASE), frozenset(r["words"]))
            for r in promo["rule"]
        ),
        promo_words=frozenset(w for r in promo["rule"] for w in r["words"]),
        counter_units=frozenset(counters["units"]),
        time_words=frozenset(counters["time_words"]),
        counter_max_len=int(counters["max_len"]),
        nav_split=re.compile(
            r"\s+(?:" + "|".join(re.escape(s) for s in nav["separators"]) + r")\s+"
        ),
        nav_min_items=int(nav["min_items"]),
        nav_max_item_words=int(nav["max_item_words"]),
        nav_max_len=int(nav["max_len"]),
    )


@lru_cache(maxsize=1)
def boilerplate_rules() -> Rules:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("newstrace").joinpath("data/boilerplate.toml").read_text(encoding="utf-8")
    )
    lines = tuple(
        _Pattern(
            kind=p["kind"],
            max_len=int(p["max_len"]),
            regex=re.compile(p["regex"], 0 if p.get("case") else re.IGNORECASE),
            needs=tuple(p.get("needs", ())),
        )
        for p in raw["line"]
    )
    ui = raw["ui"]
    na = raw["not_article"]
    return Rules(
        lines=lines,
        ui_words=frozenset(ui["words"]) | frozenset(ui["strong"]),
        ui_strong=frozenset(ui["strong"]),
        ui_substrings=tuple(ui["substrings"]),
        ui_min_share=float(ui["min_share"]),
        ui_max_len=int(ui["max_len"]),
        not_article=tuple(re.compile(r, re.IGNORECASE) for r in na["regexes"]),
        not_article_max_words=int(na["max_words"]),
        agencies={k.casefold(): v for k, v in raw["agencies"].items()},
        kinds=_kinds(raw),
    )


SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


def _ui_line(line: str, rules: Rules) -> bool:
    """Mostly share/menu/icon words, with at least one that never stands alone in news."""
    if len(line) > rules.ui_max_len or SENTENCE_END.search(line):
        return False
    words = [w.lower() for w in WORD.findall(line)]
    if not words:
        return False

    def ui(w: str) -> bool:
        return w in rules.ui_words or any(s in w for s in rules.ui_substrings)

    def strong(w: str) -> bool:
        return w in rules.ui_strong or any(s in w for s in rules.ui_substrings)

    hits = sum(1 for w in words if ui(w))
    return hits / len(words) >= rules.ui_min_share and any(strong(w) for w in words)


def furniture_kind(line: str) -> str | None:
    """The kind of site furniture a single line is ("tracker", "image-credit", "ui", ...), or None.

    Only whole lines are judged, and each pattern has a length limit, so a paragraph that mentions
    cookies or starts with "Watch" is never furniture. Lines without a single letter ("0:00", "•")
    are "no-words". Metadata lines (bylines, dates, URLs) are not furniture: `clean_text` reads them.
    """
    line = line.strip()
    if not line:
        return None
    rules = boilerplate_rules()
    lower = line.lower()
    for p in rules.lines:
        if len(line) > p.max_len or (p.needs and not any(n in lower for n in p.needs)):
            continue
        if p.regex.search(line):
            return p.kind
    if _ui_line(line, rules):
        return "ui"
    if not any(ch.isalpha() for ch in line):
        return "no-words"
    return _kind_by_sentences(line, rules.kinds)


def agency_name(name: str | None) -> str | None:
    if not name:
        return None
    return boilerplate_rules().agencies.get(name.strip().casefold())


# ---------------------------------------------------------------------------------------------
# Furniture by kind, sentence by sentence

_SENTENCES = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[^\W\d_]|[@#¿¡])")
_LEAD = re.compile(r"^[\s\-–—*•·|>»:]+")
_CLAUSE_WORDS = frozenset(
    [
        "to",
        "if",
        "for",
        "when",
        "once",
        "pour",
        "si",
        "um",
        "wenn",
        "para",
        "per",
        "se",
        "om",
        "als",
    ]
)
_CLAUSE = re.compile(rf"^(?:{'|'.join(sorted(_CLAUSE_WORDS))})\b[^,;:]{{1,80}}[,;:]\s+", re.I)
_QUOTES = re.compile(r"[\"“”„«»]")
_CLOCK = re.compile(r"\d{1,2}[:h.]\d\d\b|\b(?:19|20)\d\d\b")
_RELATIVE = {
    "ago",
    "il",
    "vor",
    "hace",
    "fa",
    "há",
    "geleden",
    "min",
    "mins",
    "minute",
    "minutes",
    "minuten",
    "minuto",
    "minutos",
    "minuti",
    "minuut",
    "sec",
    "seconds",
    "hour",
    "hours",
    "heure",
    "heures",
    "stunde",
    "stunden",
    "hora",
    "horas",
    "ora",
    "ore",
    "uur",
    "lesezeit",
    "lesedauer",
    "leestijd",
}


def _call(sentence: str, k: Kinds, phrases: bool) -> bool:
    """A sentence asking the reader to act on the page (share, follow, subscribe, listen...)."""
    s = _LEAD.sub("", sentence).strip().lower()
    if not s or _QUOTES.search(s) or len(s.split()) > k.call_max_words:
        return False
    if phrases and k.phrases.search(s):
        return True
    first = WORD.match(s)
    if not first or first.group(0) not in k.call_starts:
        return False
    if k.reporting.search(s):
        return False
    s = _CLAUSE.sub("", s)
    s = k.openers.sub("", s)
    if k.strong.match(s):
        return True
    m = k.weak.match(s)
    if not m:
        return False
    near = " ".join(s[m.end() :].split()[: k.object_window])
    return bool(k.objects.search(f" {near}"))


def _promo(sentence: str, k: Kinds, present: set[str]) -> str | None:
    """The kind of promotion, widget, credit or notice a sentence is, or None. `present` holds
    the words of the sentence or of the line it is in: a rule none of whose words is present
    is not tried."""
    s = _LEAD.sub("", sentence).strip()
    if _QUOTES.search(s) or k.reporting.search(s.lower()):
        return None
    for kind, rx, needs in k.promo:
        if not needs.isdisjoint(present) and rx.search(s):
            return kind
    return None


def navigation_bar(line: str) -> bool:
    """Short items joined by separators ("World | Business | Sport"): a menu, never a title."""
    k = boilerplate_rules().kinds
    if len(line) > k.nav_max_len or (line.startswith("|") and line.endswith("|")):
        return False
    if _QUOTES.search(line) or "'" in line[:1]:
        return False  # a quoted title with bars in it is a title
    items = [i.strip() for i in k.nav_split.split(line.strip())]
    if len(items) < k.nav_min_items:
        return False
    # Menu items are words: a spec sheet's "RAM: 16GB | Storage: 512GB" is not a menu.
    return all(
        i
        and 1 <= len(WORD.findall(i)) <= k.nav_max_item_words
        and not SENTENCE_END.search(i)
        and not any(ch.isdigit() or ch == ":" for ch in i)
        for i in items
    )


def _counter(line: str, words: list[str], k: Kinds) -> bool:
    """A counter or a timestamp on its own line: numbers and the words of counts and times."""
    if len(line) > k.counter_max_len or not any(ch.isdigit() for ch in line) or not words:
        return False
    if all(w in k.counter_units for w in words):
        return True
    if not all(w in k.time_words or w in k.counter_units for w in words):
        return False
    return bool(_CLOCK.search(line)) or any(w in _RELATIVE for w in words)


def _kind_by_sentences(line: str, k: Kinds) -> str | None:
    if len(line) > max(k.call_max_len, k.nav_max_len, k.counter_max_len):
        return None  # a paragraph: no rule of this section judges one this long
    words = [w.lower() for w in WORD.findall(line)]
    if _counter(line, words, k):
        return "counter"
    if navigation_bar(line):
        return "navigation-bar"
    if len(line) > k.call_max_len:
        return None
    present = set(words)
    promos = not present.isdisjoint(k.promo_words)
    phrases = not present.isdisjoint(k.phrase_words)
    whole = _promo(line, k, present) if promos else None
    if whole:
        return whole
    sentences = [s for s in _SENTENCES.split(line) if s.strip()]
    starts = (WORD.match(_LEAD.sub("", s).lower()) for s in sentences)
    calls = phrases or any(m and m.group(0) in k.call_starts for m in starts)
    if not calls and not promos:
        return None  # the prefilter: no sentence opens like a call, no word a promotion needs
    total = sum(len(WORD.findall(s)) for s in sentences) or 1
    hit = 0
    kind: str | None = None
    for s in sentences:
        found = _promo(s, k, present) if promos else None
        if found is None and calls and _call(s, k, phrases):
            found = "call-to-action"
        if found:
            kind = kind or found
            hit += len(WORD.findall(s))
    return kind if kind and hit / total >= k.call_min_share else None
