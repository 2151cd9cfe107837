#!/usr/bin/env python
"""Regenerate the packaged event-coding data from the public reference files.

Run by maintainers, not at run time: `python scripts/build_events.py REFERENCE_DIR`, where
REFERENCE_DIR holds `petrarch2_dictionaries/CAMEO.2.0.txt`, `cameo/cameo_codes_goldstein.csv` and
`plover/CAMEO2PLOVER-2021.txt`. It writes `src/newstrace/data/events/`:

- `verbs.json`: PETRARCH2's verb dictionary simplified to what a dependency parse can test: per
  verb lemma (and per "verb_particle" form) its own code, and its patterns reduced to a particle,
  the words of the direct object and one preposition with the words of its object. Patterns
  with words before the verb (a required subject noun) are dropped, and so are the source/target
  markers ($ ^ %) and every preposition group after the first.
- `codes.tsv`: every CAMEO code with its name, Goldstein value, and PLOVER type and mode.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["build", "main", "parse_verbs"]

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "data" / "events"
PARTICLES = frozenset({"OUT", "UP", "OFF", "DOWN", "FORWARD", "BACK", "AWAY", "ASIDE", "IN", "OVER"})
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
    section = "head"
    for line in lines:
        s = line.split("#", 1)[0].rstrip()
        if line.startswith("####### VERB PATTERNS"):
            section = "verbs"
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
        if line.startswith("######## TRANSFORMATIONS"):
            break
        if not started:
            continue
        s = line.split("#", 1)[0].rstrip()
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


def _plover(path: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0]
        if ":" not in body or body.startswith("#"):
            continue
        code, _, rest = body.partition(":")
        code = code.strip()
        if not code.isdigit():
            continue
        parts = [p.strip() for p in rest.split(",")]
        if parts and parts[0]:
            out[code] = (parts[0], parts[1] if len(parts) > 1 else "")
    return out


def build(reference: Path, out_dir: Path = DATA_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    verbs = parse_verbs(reference / "petrarch2_dictionaries" / "CAMEO.2.0.txt")
    (out_dir / "verbs.json").write_text(
        json.dumps(verbs, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    plover = _plover(reference / "plover" / "CAMEO2PLOVER-2021.txt")
    rows = []
    with (reference / "cameo" / "cameo_codes_goldstein.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["code"].strip()
            ptype, mode = "", ""
            for k in (code, code[:3], code[:2]):
                if k in plover:
                    ptype, mode = plover[k]
                    break
            rows.append((code, r["name"].strip(), r["goldstein"].strip(), ptype, mode))
    with (out_dir / "codes.tsv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(("code", "name", "goldstein", "plover_type", "plover_mode"))
        w.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/build_events.py REFERENCE_DIR", file=sys.stderr)
        return 2
    build(Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
