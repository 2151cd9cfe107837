"""The word lists quote detection reads from `quotes/data/`: cue verbs and their frames, role nouns,
honorifics and headline section labels. Kept as data files so users can read and extend them."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = [
    "PREPOSITION_FRAMES",
    "CueFrames",
    "cue_frames",
    "honorifics",
    "role_heads",
    "section_labels",
]

CueFrames = dict[str, frozenset[str]]
_KNOWN_FRAMES = frozenset({"ccomp", "xcomp", "obj", "oprd", "direct", "on"})
# Any other frame is a preposition that introduces the content ("warned against ...", "talked about ...").
PREPOSITION_FRAMES = frozenset(
    {"of", "against", "for", "as", "about", "to", "with", "over", "on", "at"}
)


def _lines(name: str) -> list[str]:
    text = resources.files("newstrace.quotes").joinpath("data", name).read_text(encoding="utf-8")
    return [
        line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def cue_frames() -> CueFrames:
    """Cue lemma -> the frames it takes (see the header of data/cues.tsv)."""
    out: CueFrames = {}
    for line in _lines("cues.tsv"):
        lemma, _, frames = line.partition("\t")
        names = frozenset(f.strip() for f in frames.split(",") if f.strip())
        unknown = names - _KNOWN_FRAMES - PREPOSITION_FRAMES
        if unknown:
            raise ValueError(
                f"quotes/data/cues.tsv: unknown frame(s) {sorted(unknown)} for {lemma!r}"
            )
        out[lemma.strip().lower()] = names or frozenset({"ccomp"})
    return out


@lru_cache(maxsize=1)
def role_heads() -> dict[str, frozenset[str]]:
    """Description head ("leader") -> role words of a person it may refer to ("*" = any role)."""
    out: dict[str, frozenset[str]] = {}
    for line in _lines("roles.tsv"):
        head, _, roles = line.partition("\t")
        out[head.strip().lower()] = frozenset(
            r.strip().lower() for r in roles.split(",") if r.strip()
        )
    return out


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _lines("honorifics.txt"))


@lru_cache(maxsize=1)
def section_labels() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _lines("labels.txt"))
