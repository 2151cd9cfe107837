"""The packaged event-coding data: the simplified PETRARCH2 verb dictionary and the CAMEO codes
with their Goldstein values and PLOVER types (built by scripts/build_events.py)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = ["Code", "Codebook", "Pattern", "codebook"]

# Codes PLOVER's CAMEO table leaves without a type, folded by us: appeals (02) are requests in
# PLOVER (its manual folds CAMEO 02 and 10 into REQUEST), a denial of responsibility (016) is a
# rejection. The other statements (01) stay uncoded: CAMEO calls 010 a residual category.
_OWN_TYPES = {"02": ("REQUEST", ""), "016": ("REJECT", "")}


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    goldstein: float | None
    plover_type: str | None
    plover_mode: str | None


@dataclass(frozen=True, slots=True)
class Pattern:
    """A verb pattern over the parse: a particle, the words the direct object must contain (each
    a set of alternatives), and a preposition with the words its object must contain."""

    code: str  # "" blocks: the verb with these words is no event
    particle: str | None
    obj: tuple[frozenset[str], ...]
    prep: str | None
    pobj: tuple[frozenset[str], ...]

    @property
    def size(self) -> int:
        return (
            len(self.obj) + len(self.pobj) + (self.prep is not None) + (self.particle is not None)
        )


class Codebook:
    def __init__(self, verbs: dict[str, Any], codes: dict[str, Code]) -> None:
        self.synsets = {k: frozenset(v) for k, v in verbs["synsets"].items()}
        self.forms: dict[str, str] = verbs["forms"]
        self.blocks = [tuple(self._pattern(p) for p in block) for block in verbs["blocks"]]
        self.verbs: dict[str, tuple[str | None, tuple[int, ...]]] = {
            k: (v[0], tuple(v[1])) for k, v in verbs["verbs"].items()
        }
        self.codes = codes

    def _words(self, groups: list[list[str]]) -> tuple[frozenset[str], ...]:
        out = []
        for alts in groups:
            words: set[str] = set()
            for a in alts:
                words |= self.synsets.get(a, set()) if a.startswith("&") else {a}
            out.append(frozenset(words))
        return tuple(out)

    def _pattern(self, p: dict[str, Any]) -> Pattern:
        return Pattern(
            p["code"], p["particle"], self._words(p["obj"]), p["prep"], self._words(p["pobj"])
        )

    def entry(self, lemma: str) -> tuple[str | None, tuple[Pattern, ...]] | None:
        """(the verb's own code, its patterns), for a lemma or an irregular form."""
        found = self.verbs.get(lemma) or self.verbs.get(self.forms.get(lemma, ""))
        if found is None:
            return None
        own, blocks = found
        return own, tuple(p for b in blocks for p in self.blocks[b])

    def code(self, code: str) -> Code | None:
        """The codebook's entry, with its PLOVER type folded as `_OWN_TYPES` says."""
        c = self.codes.get(code)
        if c is None:
            return None
        if c.plover_type:
            return c
        for key in (code, code[:3], code[:2]):
            if key in _OWN_TYPES:
                t, mode = _OWN_TYPES[key]
                return Code(c.code, c.name, c.goldstein, t, mode or None)
        return c


@lru_cache(maxsize=4)
def codebook(verbs_file: str = "") -> Codebook:
    """The packaged codebook; with `verbs_file` (a PETRARCH-format verb dictionary) its verbs
    instead of the packaged ones (the codes and their Goldstein values and types stay)."""
    base = files("newstrace") / "data" / "events"
    if verbs_file:
        from .dictionary import parse_verbs

        verbs = parse_verbs(Path(verbs_file).expanduser())
    else:
        verbs = json.loads((base / "verbs.json").read_text(encoding="utf-8"))
    codes: dict[str, Code] = {}
    for r in csv.DictReader(io.StringIO((base / "codes.tsv").read_text("utf-8")), delimiter="\t"):
        g = r["goldstein"].strip()
        codes[r["code"]] = Code(
            r["code"],
            r["name"],
            float(g) if g else None,
            r["plover_type"] or None,
            r["plover_mode"].strip() or None,
        )
    return Codebook(verbs, codes)
