"""PETRARCH-format verb dictionaries, simplified to what a dependency parse can test.

Per verb lemma (and per "verb_particle" form such as ASK_FOR) its own code, and its patterns
reduced to a particle, the words of the direct object and one preposition with the words of its
object. Dropped: patterns with words before the verb (a required subject noun), the source and
target markers ($ ^ %), every preposition group after the first, and the second code of a paired
code ("[042:043]"). Used by scripts/build_events.py for the packaged file, and at run time for a
user's own file (the `event_verbs` setting).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["parse_verbs"]

PARTICLES = frozenset(
    {"OUT", "UP", "OFF", "DOWN", "FORWARD", "BACK", "AWAY", "ASIDE", "IN", "OVER"}
)
_CODE = re.compile(r"\[([^\]]*)\]")


def _code(raw: str | None) -> str | None:
    """The primary code of "[042:043]", "[120]"; "---" (explicitly no event) and ":173" -> None,
    with "---" kept apart as "" so that a blocking pattern can still win."""
    if raw is None:
        return None
    first = raw.strip().split(":")[0].strip()
    if first == "---":
        return ""
    return first if first.isdigit() else None


def _words(text: str, synsets: dict[str, list[str]]) -> list[list[str]]:
    """Post-verb tokens -> a list of alternatives (a synset gives several) per key word."""
    out: list[list[str]] = []
    for w in text.split():
        w = w.strip()
        if not w or w in {"$", "^", "%", "*"}:
            continue
        if w.startswith("&"):
            if w in synsets:  # by name: the sets are stored once, under "=synsets"
                out.append([w])
        elif re.fullmatch(r"[A-Z][A-Z'\-_]*", w):
            out.append([w.replace("_", " ").lower()])
    return [alts for alts in out if alts]


def _pattern(post: str, synsets: dict[str, list[str]]) -> dict[str, Any] | None:
    groups = re.findall(r"\(([^)]*)\)", post)
    bare = re.sub(r"\([^)]*\)", " ", post)
    bare = re.sub(r"\{([^}]*)\}", lambda m: " ".join(m.group(1).split()), bare)
    words = _words(bare, synsets)
    particle = None
    if words and len(words[0]) == 1 and words[0][0].upper() in PARTICLES and len(words) > 1:
        particle = words.pop(0)[0]
    prep = pobj = None
    if groups:
        inner = re.sub(r"\{([^}]*)\}", lambda m: " ".join(m.group(1).split()), groups[0]).split()
        if inner and re.fullmatch(r"[A-Z]+", inner[0]):
            prep = inner[0].lower()
            pobj = _words(" ".join(inner[1:]), synsets)
    if not words and prep is None and particle is None:
        return None
    return {"particle": particle, "obj": words, "prep": prep, "pobj": pobj or []}


def parse_verbs(path: Path) -> dict[str, Any]:
    """{"verbs": {lemma: [own code, [block ids]]}, "blocks": [[pattern, ...]], "forms": irregular
    form -> lemma, "synsets": {"&NAME": [words]}}; a pattern code "" means "no event"."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    synsets: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        s = line.split("#", 1)[0].rstrip()
        if line.startswith(("####### VERB PATTERNS", "---")):
            break
        if s.startswith("&"):
            current = s.strip()
            synsets[current] = []
        elif s.startswith("+") and current:
            synsets[current].append(s[1:].strip().rstrip("_").replace("_", " ").lower())
    # Each block's patterns are stored once; a verb names its block (several verbs share one).
    verbs: dict[str, Any] = {}
    blocks: list[list[dict[str, Any]]] = []
    block_verbs: list[tuple[str, str | None]] = []
    block_code: str | None = None
    block_patterns: list[dict[str, Any]] = []

    def flush() -> None:
        if not block_verbs:
            return
        blocks.append(block_patterns)
        for key, own in block_verbs:
            code = own if own is not None else block_code
            entry = verbs.setdefault(key, [code or None, []])
            if code and entry[0] is None:
                entry[0] = code
            entry[1].append(len(blocks) - 1)

    forms_of: dict[str, str] = {}
    started = False
    for line in lines:
        if line.startswith("####### VERB PATTERNS"):
            started = True
            continue
        if "TRANSFORMATIONS" in line and line.startswith(("#", "<!--")):
            break
        if line.startswith("---"):
            started = True  # files without the section header start at the first verb block
        if not started:
            continue
        s = re.sub(r"<!--.*?-->", "", line).split("#", 1)[0].rstrip()
        if not s.strip():
            continue
        if s.startswith("---"):
            flush()
            m = _CODE.search(s)
            block_code = _code(m.group(1)) if m else None
            block_code = block_code or None
            block_verbs, block_patterns = [], []
        elif s.startswith("-"):
            m = _CODE.search(s)
            if not m:
                continue
            code = _code(m.group(1))
            if code is None:
                continue
            body = s[1 : m.start()].strip()
            if "*" not in body:
                continue
            pre, post = body.split("*", 1)
            if re.search(r"[A-Za-z&]", pre):  # needs a subject noun: dropped
                continue
            pat = _pattern(post, synsets)
            if pat is not None:
                pat["code"] = code
                block_patterns.append(pat)
        else:
            m = _CODE.search(s)
            own = _code(m.group(1)) if m else None
            head = re.sub(r"\{[^}]*\}", " ", s[: m.start()] if m else s).split()
            if not head:
                continue
            word = head[0].lstrip("+").rstrip("_")
            forms = re.findall(r"\{([^}]*)\}", s)
            key = word.lower()
            block_verbs.append((key, own or None))
            for f in " ".join(forms).split():
                f = f.lstrip("+").rstrip("_").lower()
                if f and "_" in key and "_" in f:
                    continue
                if f and f != key and "_" not in key:
                    forms_of.setdefault(f, key)
    flush()
    return {
        "verbs": verbs,
        "blocks": blocks,
        "forms": forms_of,
        "synsets": {k: sorted(set(v)) for k, v in synsets.items()},
    }
