"""Reading the registry's own data files: the compact actor table (`.tsv`) and the curated
TOML format (organisations, regions, people, metonyms, titles); the priorities sources rank by."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newstrace.actors.codes import parse_cameo_code
from newstrace.actors.names import slug
from newstrace.actors.records import Actor, Metonym, Role, Term

from ..errors import RegistryError

__all__ = [
    "PRIORITY_PACKAGED",
    "PRIORITY_PHOENIX",
    "PRIORITY_USER",
    "RegistryError",
    "TomlData",
    "agent_terms",
    "data_dir",
    "load_actor_tsv",
    "load_registry_toml",
]

PRIORITY_PHOENIX = 0
PRIORITY_PACKAGED = 1
PRIORITY_USER = 2


def data_dir() -> Path:
    """The packaged actor data: `newstrace/data/actors/`."""
    return Path(str(resources.files("newstrace").joinpath("data/actors")))


def load_actor_tsv(path: Path, *, priority: int = PRIORITY_PHOENIX) -> list[Actor]:
    """Read the compact actor table written by `scripts/build_actors.py` (`write_actor_tsv`)."""
    out: list[Actor] = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read actor table ({exc})") from None
    header_seen = False
    sector_of: dict[str, str | None] = {}
    for no, line in enumerate(lines, start=1):
        if not line or line[0] == "#":
            continue
        if not header_seen:
            header_seen = True
            continue
        cols = line.split("\t")
        if len(cols) != 9:
            raise RegistryError(
                f"{path}: line {no}: expected 9 tab-separated columns, got {len(cols)}"
            )
        ident, kind, name, country, code, sectors, aliases, roles, source = cols
        role_objs: tuple[Role, ...] = ()
        if roles:
            built = []
            for r in roles.split(";"):
                aff, start, end = r.split(",")
                if aff not in sector_of:
                    secs = parse_cameo_code(aff)[1]
                    sector_of[aff] = secs[0] if secs else None
                built.append(Role(aff, sector_of[aff], None, start or None, end or None))
            role_objs = tuple(built)
        out.append(
            Actor(ident, name, kind, country or None, code or None,
                  tuple(sectors.split("|")) if sectors else (),
                  tuple(aliases.split("|")) if aliases else (),
                  role_objs, source or path.name, priority)
        )  # fmt: skip
    return out


def _role_from_toml(raw: dict[str, Any], where: str) -> Role:
    aff = str(raw.get("affiliation") or "").upper()
    if not aff:
        raise RegistryError(f"{where}: role without affiliation")
    for k in ("start", "end"):
        v = raw.get(k)
        if v is not None and not re.match(r"^\d{4}-\d{2}-\d{2}$", str(v)):
            raise RegistryError(f"{where}: role {k} {v!r} is not YYYY-MM-DD")
    secs = parse_cameo_code(aff)[1]
    return Role(
        affiliation=aff,
        sector=str(raw.get("sector") or (secs[0] if secs else "")) or None,
        title=raw.get("title"),
        start=str(raw["start"]) if raw.get("start") else None,
        end=str(raw["end"]) if raw.get("end") else None,
        leader=bool(raw.get("leader", False)),
    )


@dataclass
class TomlData:
    """What one registry TOML file holds: actors, metonyms (with their aliases) and title phrases."""

    actors: list[Actor] = field(default_factory=list)
    metonyms: list[tuple[list[str], Metonym]] = field(default_factory=list)
    terms: list[tuple[str, Term]] = field(default_factory=list)


def load_registry_toml(path: Path, *, priority: int) -> TomlData:
    """Read a registry TOML file ([[organisation]], [[region]], [[person]], [[metonym]], [[title]])."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read registry file ({exc})") from None
    out = TomlData()
    src = path.name
    for i, raw in enumerate(data.get("organisation", [])):
        where = f"{path}: organisation #{i + 1}"
        if "id" not in raw or "code" not in raw:
            raise RegistryError(f"{where}: needs id and code")
        code = str(raw["code"]).upper()
        country, secs = parse_cameo_code(code)
        out.actors.append(
            Actor(str(raw["id"]), str(raw.get("name", raw["id"])), "organisation",
                  raw.get("country", country), code, secs, tuple(raw.get("aliases", ())), (), src, priority)
        )  # fmt: skip
    for raw in data.get("region", []):
        code = str(raw["id"]).upper()
        out.actors.append(
            Actor(code, str(raw.get("name", code)), "region", None, code, (), tuple(raw.get("aliases", ())), (), src, priority)
        )  # fmt: skip
    for i, raw in enumerate(data.get("person", [])):
        where = f"{path}: person #{i + 1}"
        if "name" not in raw:
            raise RegistryError(f"{where}: needs a name")
        roles = tuple(_role_from_toml(r, where) for r in raw.get("roles", ()))
        pcode = str(raw["code"]).upper() if raw.get("code") else None
        psecs: list[str] = []
        for c in [pcode, *(r.affiliation for r in roles)]:
            for sec in parse_cameo_code(c)[1] if c else ():
                if sec not in psecs:
                    psecs.append(sec)
        out.actors.append(
            Actor(str(raw.get("id") or slug(raw["name"])), str(raw["name"]), "person", raw.get("country"),
                  pcode, tuple(psecs), tuple(dict.fromkeys([raw["name"], *raw.get("aliases", ())])), roles, src, priority)
        )  # fmt: skip
    for raw in data.get("metonym", []):
        alt = raw.get("alternative") or {}
        met = Metonym(
            code=str(raw["code"]).upper(),
            actor_id=raw.get("actor"),
            alt_code=str(alt["code"]).upper() if alt.get("code") else None,
            alt_if=tuple(alt.get("if_mentions", ())),
            alt_unless=tuple(alt.get("unless_mentions", ())),
        )
        out.metonyms.append((list(raw.get("aliases", ())), met))
    for raw in data.get("title", []):
        person = bool(raw.get("person", True))
        base = dict(
            title=raw.get("title"), office=raw.get("office"), sector=raw.get("sector"), code=""
        )
        for ph in raw.get("phrases", ()):
            out.terms.append((ph, Term(**base, person=person, plural=not person)))
        for ph in raw.get("plural", ()):
            out.terms.append((ph, Term(**base, person=person, plural=True)))
    return out


_HUMAN_SUFFIXES = ("ER", "OR", "IST", "MAN", "WOMAN", "PERSON", "IAN", "ANT", "ENT", "OFFICIAL", "DIPLOMAT", "ENVOY", "CHIEF", "GENERAL", "AIDE", "ADVISER", "ADVISOR", "MINISTER", "SECRETARY", "DEPUTY", "DELEGATE", "ACTIVIST", "SOLDIER", "TROOP", "CLERIC", "MONK", "PRIEST", "JUDGE", "MP", "SENATOR", "MAYOR", "GOVERNOR")  # fmt: skip


def agent_terms(agent: Actor) -> list[tuple[str, Term]]:
    """The title lexicon entries a Phoenix agent ("PRIME MINISTER", "TROOPS") contributes."""
    code = agent.code or ""
    sector = agent.sectors[0] if agent.sectors else None
    singular = agent.name.upper()
    out = []
    for alias in agent.aliases:
        up = alias.upper()
        plural = up != singular and (up.endswith("S") or up.endswith("MEN"))
        last = (singular.split() or [""])[-1]
        person = last.endswith(_HUMAN_SUFFIXES) or last.endswith(("MEN", "WOMEN"))
        title = agent.name.title() if person else None
        out.append((alias, Term(title, slug(agent.name), sector, code, person, plural)))
    return out
