"""The actor registry: canonical actors loaded from data files, and resolution of mentions to them.

`ActorRegistry.load()` reads the packaged data (`newstrace/data/actors/`: countries, the Phoenix
dictionaries, curated people/organisations/metonyms, titles) plus any user dictionaries, and
resolves a name or description ("Russian President Vladimir Putin", "the Kremlin", "Hungary's prime
minister") to a CAMEO-coded `ResolvedActor`, date-aware. `resolve_doc` finds the mentions in a
parsed spaCy Doc. `import_dictionary` brings in a PETRARCH/Phoenix dictionary file.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newstrace.actors.phoenix import (
    CAMEO_INTERNATIONAL,
    CAMEO_REGIONS,
    DictionaryError,
    parse_cameo_code,
    parse_phoenix,
    slug,
)
from newstrace.actors.records import Actor, ActorMention, ResolvedActor, Role

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = [
    "Actor",
    "ActorMention",
    "ActorRegistry",
    "DictionaryError",
    "ImportReport",
    "MergeReport",
    "RegistryError",
    "ResolvedActor",
    "Role",
    "import_dictionary",
    "load_actor_tsv",
    "load_phoenix",
    "name_key",
]

from newstrace.actors.phoenix import load_phoenix

PRIORITY_PHOENIX = 0
PRIORITY_PACKAGED = 1
PRIORITY_USER = 2

# Words a description may carry that change nothing about who is meant.
_SKIP_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "our",
        "your",
        "my",
        "top",
        "senior",
        "high-ranking",
        "high-level",
        "unnamed",
        "anonymous",
        "new",
        "current",
        "then",
        "visiting",
        "outgoing",
        "incoming",
        "powerful",
        "veteran",
        "longtime",
        "long-time",
        "influential",
        "key",
        "leading",
        "chief",
        "main",
    ]
)
_DEPUTY_WORDS = frozenset({"deputy", "vice", "assistant", "under", "first-deputy"})
_FORMER_WORDS = frozenset({"former", "ex", "ex-", "previous", "late"})
_ACTING_WORDS = frozenset({"acting", "interim", "caretaker"})
_NAME_PARTICLES = frozenset(
    {
        "de",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "da",
        "la",
        "le",
        "du",
        "dos",
        "del",
        "di",
        "ter",
        "of",
    }
)
_POSSESSIVE = frozenset({"'s", "'"})
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_SECTOR_NAMES = {"GOV": "Government", "MIL": "Military", "LEG": "Legislature", "JUD": "Judiciary", "COP": "Police", "SPY": "Intelligence services", "OPP": "Opposition", "REB": "Rebels", "ELI": "Elites", "MED": "Media", "BUS": "Business", "CVL": "Civilians", "PRE": "Partially recognised entity"}  # fmt: skip
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})
_WORD_RE = re.compile(r"[\w.\-]+|'s\b|[^\w\s]")
_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class RegistryError(ValueError):
    """The registry's data files are missing or malformed."""


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """The form names are compared in: case-, accent-, apostrophe- and whitespace-insensitive.

    Whitespace is removed rather than collapsed so that a key does not depend on how a tokenizer
    split the words ("U.S.", "Kassym-Jomart"); a leading "the" is dropped.
    """
    if text.isascii():  # the common case, and the one the registry load spends its time on
        t = text.lower().replace("_", " ").replace("`", "'").strip()
    else:
        t = _strip_accents(text.translate(_APOS)).casefold().replace("_", " ").strip()
    if t.startswith("the "):
        t = t[4:]
    return "".join(t.split())


def _token_key(text: str) -> str:
    return _strip_accents(text.translate(_APOS)).casefold()


def _short(key: str) -> bool:
    """Acronym-length aliases ("US", "UN") only match text written in capitals."""
    return len(key.replace(".", "")) <= 3


@dataclass(frozen=True, slots=True)
class Term:
    """A title or role noun ("prime minister", "troops") and what it implies."""

    title: str | None
    office: str | None
    sector: str | None
    code: str  # agent code as written: "~GOV", "NGO~", or "" for curated titles
    person: bool
    plural: bool


@dataclass(frozen=True, slots=True)
class Metonym:
    code: str
    actor_id: str | None
    alt_code: str | None = None
    alt_if: tuple[str, ...] = ()
    alt_unless: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MergeReport:
    added: int = 0
    updated: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `newstrace actors import` did: counts against the registry, and skipped lines."""

    path: str
    stored_as: str | None
    added: int
    updated: int
    skipped: int
    errors: tuple[str, ...]


@dataclass(slots=True)
class _Seg:
    kind: str  # term | country | actor | metonym | name | of
    start: int
    end: int
    value: Any = None
    possessive: bool = False


def _when_range(when: str | None) -> tuple[str, str] | None:
    if when is None:
        return None
    m = _ISO_RE.match(when.strip())
    if not m:
        raise ValueError(f"when: {when!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if d:
        return f"{y}-{mo}-{d}", f"{y}-{mo}-{d}"
    if mo:
        return f"{y}-{mo}-01", f"{y}-{mo}-31"
    return f"{y}-01-01", f"{y}-12-31"


def _data_dir() -> Path:
    return Path(str(resources.files("newstrace").joinpath("data/actors")))


def load_actor_tsv(path: Path, *, priority: int = PRIORITY_PHOENIX) -> list[Actor]:
    """Read the compact actor table written by `build_actors.write_actor_tsv`."""
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
class _TomlData:
    actors: list[Actor] = field(default_factory=list)
    metonyms: list[tuple[list[str], Metonym]] = field(default_factory=list)
    terms: list[tuple[str, Term]] = field(default_factory=list)


def load_registry_toml(path: Path, *, priority: int) -> _TomlData:
    """Read a registry TOML file ([[organisation]], [[region]], [[person]], [[metonym]], [[title]])."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read registry file ({exc})") from None
    out = _TomlData()
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


def _agent_terms(agent: Actor) -> list[tuple[str, Term]]:
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


class ActorRegistry:
    """Canonical actors and the indexes that resolve mentions to them.

    Build it once per run with `ActorRegistry.load(...)`; it is read-only afterwards except for
    `merge`, which rebuilds the indexes lazily.
    """

    def __init__(self) -> None:
        self._actors: dict[str, Actor] = {}
        self._metonyms: dict[str, Metonym] = {}
        self._terms: dict[str, Term] = {}
        self._country_names: dict[str, str] = {}  # key -> ISO3, names and demonyms only
        self._country_proper: set[str] = set()  # keys that are a country's own name ("jordan")
        self.warnings: list[str] = []
        self._alias: dict[str, tuple[str, ...]] | None = None
        self._holders: dict[tuple[str, str], list[tuple[str, Role]]] | None = None
        self._by_name: dict[str, list[str]] | None = None
        self._maxlen = 0

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, extra_dirs: Iterable[str | Path] = (), *, packaged: bool = True) -> ActorRegistry:
        """The packaged registry plus every dictionary in `extra_dirs` (later wins).

        Files in an extra dir: `*.toml` in the curated format, `*.tsv` actor tables, anything
        else is read as a PETRARCH/Phoenix actor or agent dictionary. Line-level problems in user
        files are kept in `warnings`; an unreadable file raises RegistryError/DictionaryError.
        """
        reg = cls()
        if packaged:
            base = _data_dir()
            if not (base / "countries.tsv").is_file():
                raise RegistryError(
                    f"{base}: packaged actor data missing (countries.tsv); reinstall newstrace"
                )
            reg._load_countries(base / "countries.tsv")
            reg._add_all(load_actor_tsv(base / "phoenix.tsv", priority=PRIORITY_PHOENIX))
            for name in ("titles.toml", "curated.toml"):
                reg._add_toml(load_registry_toml(base / name, priority=PRIORITY_PACKAGED))
        for d in extra_dirs:
            reg.load_dir(Path(d))
        return reg

    def load_dir(self, directory: Path) -> None:
        if not directory.exists():
            return
        if not directory.is_dir():
            raise RegistryError(f"{directory}: actors dir is not a folder")
        for path in sorted(
            p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")
        ):
            if path.suffix == ".toml":
                self._add_toml(load_registry_toml(path, priority=PRIORITY_USER))
            elif path.suffix == ".tsv":
                self._add_all(load_actor_tsv(path, priority=PRIORITY_USER))
            else:
                parsed = parse_phoenix(path)
                self.warnings.extend(
                    f"{path.name}: line {e.line}: {e.reason}" for e in parsed.errors
                )
                self.merge(parsed.actors, priority=PRIORITY_USER)

    def _load_countries(self, path: Path) -> None:
        actors: list[Actor] = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(("#", "iso3\t")) or not line.strip():
                    continue
                iso3, name, aliases, capital, kind = line.rstrip("\n").split("\t")
                names = [a for a in aliases.split("|") if a]
                if kind == "pre":
                    country, secs = iso3[:3], ("PRE",)
                    actors.append(
                        Actor(
                            slug(name),
                            name,
                            "organisation",
                            country,
                            iso3,
                            secs,
                            tuple(names),
                            (),
                            path.name,
                            PRIORITY_PACKAGED,
                        )
                    )
                    continue
                actors.append(
                    Actor(
                        iso3,
                        name,
                        "country",
                        iso3,
                        iso3,
                        (),
                        tuple(names),
                        (),
                        path.name,
                        PRIORITY_PACKAGED,
                    )
                )
                for n in names:
                    self._country_names.setdefault(name_key(n), iso3)
                self._country_proper.add(name_key(name))
                if capital:
                    self._metonyms.setdefault(name_key(capital), Metonym(iso3 + "GOV", iso3))
        self._add_all(actors)

    def _add_all(self, actors: Sequence[Actor]) -> None:
        for a in actors:
            if a.kind == "sector-group" and a.id.startswith("agent:"):
                for phrase, term in _agent_terms(a):
                    self._terms.setdefault(name_key(phrase), term)
                continue
            self._put(a)
        self._invalidate()

    def _add_toml(self, data: _TomlData) -> None:
        for phrase, term in data.terms:
            self._terms[name_key(phrase)] = term  # curated titles win over agent nouns
        for aliases, met in data.metonyms:
            for a in aliases:
                self._metonyms[name_key(a)] = met
        self.merge(
            data.actors, priority=data.actors[0].priority if data.actors else PRIORITY_PACKAGED
        )

    def _invalidate(self) -> None:
        self._alias = None
        self._holders = None
        self._by_name = None

    def _put(self, a: Actor) -> str:
        prev = self._actors.get(a.id)
        if prev is None:
            self._actors[a.id] = a
            return "added"
        merged = _combine(prev, a)
        if merged == prev:
            return "skipped"
        self._actors[a.id] = merged
        return "updated"

    def merge(self, actors: Iterable[Actor], *, priority: int = PRIORITY_USER) -> MergeReport:
        """Add actors, or update the entry with the same id (or the same person's full name).

        Aliases are added; an incoming entry of higher priority replaces the dated roles and
        default code, one of equal priority adds its roles. Agent entries extend the title lexicon.
        """
        added = updated = skipped = 0
        by_name: dict[str, list[str]] | None = None
        for a in actors:
            a = replace(a, priority=priority)
            if a.kind == "sector-group" and a.id.startswith("agent:"):
                new = 0
                for phrase, term in _agent_terms(a):
                    k = name_key(phrase)
                    if self._terms.get(k) != term:
                        new += 1
                    self._terms.setdefault(
                        k, term
                    ) if priority < PRIORITY_USER else self._terms.__setitem__(k, term)
                if new:
                    added += 1
                else:
                    skipped += 1
                continue
            if a.kind == "country" and priority >= PRIORITY_USER:
                # A user's country entry names the country (the packaged Phoenix ones also list
                # cities and regions, which must not read as affiliations: "Vladimir Smith").
                for al in (a.name, *a.aliases):
                    self._country_names.setdefault(name_key(al), a.id)
            if a.id not in self._actors and a.kind == "person":
                by_name = by_name if by_name is not None else self._name_index()
                same = [
                    i for i in by_name.get(name_key(a.name), []) if self._actors[i].kind == "person"
                ]
                if len(same) == 1:
                    a = replace(a, id=same[0])
            outcome = self._put(a)
            if outcome == "added":
                added += 1
                if self._by_name is not None:
                    self._by_name.setdefault(name_key(a.name), []).append(a.id)
            elif outcome == "updated":
                updated += 1
            else:
                skipped += 1
        self._alias = None
        self._holders = None
        return MergeReport(added, updated, skipped)

    # ------------------------------------------------------------------ indexes
    def _name_index(self) -> dict[str, list[str]]:
        if self._by_name is None:
            idx: dict[str, list[str]] = {}
            for a in self._actors.values():
                if a.kind == "person":  # only people are merged by name
                    idx.setdefault(name_key(a.name), []).append(a.id)
            self._by_name = idx
        return self._by_name

    def _alias_index(self) -> dict[str, tuple[str, ...]]:
        if self._alias is None:
            idx: dict[str, list[str]] = {}
            for a in self._actors.values():
                for al in (a.name, *a.aliases):
                    if al.isascii() and "`" not in al and "\t" not in al:
                        # name_key's ASCII path, inlined: this loop runs ~100k times per load
                        low = al.lower().replace("_", " ").strip()
                        k = (low[4:] if low.startswith("the ") else low).replace(" ", "")
                    else:
                        k = name_key(al)
                    if not k:
                        continue
                    ids = idx.setdefault(k, [])
                    if a.id not in ids:
                        ids.append(a.id)
            self._alias = {k: tuple(v) for k, v in idx.items()}
            self._maxlen = max(
                [len(k) for k in self._alias]
                + [len(k) for k in self._metonyms]
                + [len(k) for k in self._terms]
                + [1]
            )
        return self._alias

    def _holder_index(self) -> dict[tuple[str, str], list[tuple[str, Role]]]:
        if self._holders is None:
            idx: dict[tuple[str, str], list[tuple[str, Role]]] = {}
            for a in self._actors.values():
                if a.kind != "person":
                    continue
                for r in a.roles:
                    offices = set()
                    if r.title:
                        t = self._terms.get(name_key(r.title))
                        offices.add(t.office if t and t.office else slug(r.title))
                    if r.leader:
                        offices.add("leader")
                    place = _affil_place(r.affiliation)
                    for off in offices:
                        idx.setdefault((place, off), []).append((a.id, r))
            self._holders = idx
        return self._holders

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def get(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def actors(self) -> list[Actor]:
        return list(self._actors.values())

    def role_on(self, actor: Actor, when: str | None) -> Role | None:
        """The role that applies on `when` (latest-starting if several); None if none does.

        Without a date, the open-ended role that started last applies.
        """
        rng = _when_range(when)
        if rng is None:
            live = [r for r in actor.roles if r.end is None]
        else:
            live = [r for r in actor.roles if r.holds_on(*rng)]
        if not live:
            return None
        return max(live, key=lambda r: (r.start or "", r.leader))

    def code_on(self, actor: Actor, when: str | None) -> str | None:
        """The CAMEO code for `actor` on `when`: its applicable role, else its default code.

        A role that ended before `when` (or starts after it) does not apply. With no date and no
        open role, the most recent role is used when there is no default code.
        """
        role = self.role_on(actor, when)
        if role is not None:
            return role.affiliation
        if actor.code:
            return actor.code
        if when is None and actor.roles:
            return max(actor.roles, key=lambda r: r.end or "9999").affiliation
        return None

    def holders(self, place: str, office: str, when: str | None) -> list[Actor]:
        """People holding `office` ("foreign-minister", "leader") for `place` (ISO3 or IGO code) on `when`."""
        rng = _when_range(when)
        out: list[Actor] = []
        for aid, role in self._holder_index().get((place, office), []):
            if rng is None and role.end is not None:
                continue
            if rng is not None and not role.holds_on(*rng):
                continue
            actor = self._actors[aid]
            if actor not in out:
                out.append(actor)
        return out

    def _pick(
        self, ids: Sequence[str], when: str | None, *, person_only: bool = False
    ) -> Actor | None:
        cands = [self._actors[i] for i in ids if i in self._actors]
        if person_only:
            cands = [a for a in cands if a.kind == "person"]
        if not cands:
            return None
        rng = _when_range(when)

        def score(a: Actor) -> tuple[int, int, int]:
            if a.kind != "person" or not a.roles:
                active = 1
            elif rng is None:
                active = int(any(r.end is None for r in a.roles))
            else:
                active = int(any(r.holds_on(*rng) for r in a.roles))
            return (active, a.priority, int(a.kind == "person"))

        return max(cands, key=score)

    # ------------------------------------------------------------------ building results
    def _country_name(self, iso3: str | None) -> str | None:
        a = self._actors.get(iso3) if iso3 else None
        return a.name if a else iso3

    def _code_name(self, code: str) -> str:
        country, secs = parse_cameo_code(code)
        if country is None:
            for a in self._actors.values():
                if a.code == code and a.kind in ("organisation", "region"):
                    return a.name
            return code
        cname = self._country_name(country) or country
        if not secs:
            return cname
        return f"{_SECTOR_NAMES.get(secs[0], secs[0])} of {cname}"

    def _from_actor(
        self, actor: Actor, text: str, when: str | None, basis: str, title: str | None = None
    ) -> ResolvedActor:
        code = self.code_on(actor, when) if actor.kind == "person" else actor.code
        country = parse_cameo_code(code)[0] if code else None
        if actor.kind == "person":
            role = self.role_on(actor, when)
            country = country or actor.country
            return ResolvedActor(
                text=text, code=code, kind="person", country=country,
                sector=_sector_of(code), actor_id=actor.id, person_id=actor.id, name=actor.name,
                title=title or (role.title if role else None), basis=basis,
            )  # fmt: skip
        return ResolvedActor(
            text=text, code=code, kind=actor.kind, country=country or actor.country,
            sector=_sector_of(code), actor_id=actor.id, name=actor.name, title=title, basis=basis,
        )  # fmt: skip

    def _from_metonym(
        self, met: Metonym, text: str, context: frozenset[str] = frozenset()
    ) -> ResolvedActor:
        code = met.code
        if (
            met.alt_code
            and any(c in context for c in met.alt_if)
            and not any(c in context for c in met.alt_unless)
        ):
            code = met.alt_code
            actor_id: str | None = parse_cameo_code(code)[0]
        else:
            actor_id = met.actor_id
        country, secs = parse_cameo_code(code)
        actor = self._actors.get(actor_id) if actor_id else None
        if actor is not None and actor.code == code:
            return ResolvedActor(
                text,
                code,
                actor.kind,
                actor.country,
                _sector_of(code),
                actor.id,
                None,
                actor.name,
                None,
                None,
                None,
                "metonym",
            )
        return ResolvedActor(
            text=text, code=code, kind="sector-group" if secs else "organisation", country=country,
            sector=secs[0] if secs else None, actor_id=country, name=self._code_name(code), basis="metonym",
        )  # fmt: skip

    # ------------------------------------------------------------------ resolution
    def resolve(
        self, text: str, *, when: str | None = None, label: str | None = None
    ) -> ResolvedActor | None:
        """Resolve a name or description to an actor, as it stood on `when` (ISO date or None).

        `label` is the spaCy entity label if known; "PERSON" keeps a name from resolving to a
        place and lets an unknown name stay a named person. Returns None when the text names
        nothing the registry or the description grammar can place.
        """
        words = _WORD_RE.findall(text.translate(_APOS))
        return self._resolve_words(words, text.strip(), when, label, frozenset())

    def _resolve_words(
        self,
        words: list[str],
        text: str,
        when: str | None,
        label: str | None,
        context: frozenset[str],
    ) -> ResolvedActor | None:
        alias = self._alias_index()
        while words and words[-1] in {".", ",", ":", ";", '"', ")"}:
            words = words[:-1]
        while words and (
            words[0].lower() in {"the", "a", "an", '"', "("} or words[0].lower() in _POSSESSIVE
        ):
            words = words[1:]
        if words and words[-1].lower() in _POSSESSIVE:
            words = words[:-1]
        if not words:
            return None
        if "," in words:
            # Apposition: "Putin's press secretary, Dmitry Peskov" -> the named part, titled.
            parts = _split(words, ",")
            resolved = [self._resolve_words(p, " ".join(p), when, label, context) for p in parts]
            named = [r for r in resolved if r is not None and r.person_id]
            if len(named) == 1:
                other = next(
                    (r for r in resolved if r is not None and r is not named[0] and r.title), None
                )
                r = named[0]
                return replace(r, text=text, title=other.title if other else r.title)
            return None
        key = "".join(_token_key(w) for w in words)
        is_upper = "".join(words).isupper()
        if not any(c.isupper() for c in text):
            # Names are capitalised; "a red line" is not the Greek group of that name. Only the
            # description grammar (titles, role nouns) reads lower-case text.
            return self._describe(words, text, when, label, context)
        if label == "PERSON" and key in alias:
            # Trust a registry person over NER; a lone place name tagged PERSON is an NER slip.
            person = self._pick(alias[key], when, person_only=True)
            if person is not None:
                return self._from_actor(person, text, when, "alias")
        met = self._metonyms.get(key)
        if met is not None:
            return self._from_metonym(met, text, context)
        if key in alias and not (_short(key) and not is_upper):
            actor = self._pick(alias[key], when)
            if actor is not None:
                if len(words) > 1 and self._ends_with_title(words):
                    # Phoenix lists phrases like "STATE DEPARTMENT OFFICIAL" or "US SECRETARY OF
                    # STATE" as entries of their own; the description grammar reads them better
                    # (and finds who held the post).
                    described = self._describe(words, text, when, label, context)
                    if described is not None:
                        return described
                stated = None
                if actor.kind == "person" and len(words) > 1:
                    # "Prime Minister Putin": the title the text states, not today's.
                    stated = self._stated_title(words)
                return self._from_actor(actor, text, when, "alias", title=stated)
        if len(words) == 1 and key.endswith("s") and key not in alias:
            # Scraped text that lost its apostrophes: "Russias recognition", "NATOs expansion".
            stem = key[:-1]
            if stem in self._metonyms or stem in self._country_names:
                return self._resolve_words([words[0][:-1]], text, when, None, context)
        return self._describe(words, text, when, label, context)

    def _stated_title(self, words: list[str]) -> str | None:
        """The last person title written in `words` ("Prime Minister" in "Prime Minister Putin")."""
        keys = [_token_key(w) for w in words]
        found: str | None = None
        i = 0
        while i < len(keys):
            acc, end, term = "", i, None
            for j in range(i, len(keys)):
                acc += keys[j]
                if len(acc) > self._maxlen:
                    break
                t = self._terms.get(acc)
                if t is not None:
                    end, term = j + 1, t
            if term is not None and term.person and term.title:
                found = term.title
            i = max(end, i + 1)
        return found

    def _ends_with_title(self, words: list[str]) -> bool:
        """True when the longest title phrase ending `words` names a person: "State Department
        official" does, "Kestrani Foreign Ministry" does not (though "ministry" alone would)."""
        tail = ""
        longest: Term | None = None
        for w in reversed(words[1:]):
            tail = _token_key(w) + tail
            longest = self._terms.get(tail, longest)
        return longest is not None and longest.person

    def _segment(self, words: list[str]) -> list[_Seg] | None:
        alias = self._alias_index()
        segs: list[_Seg] = []
        keys = [_token_key(w) for w in words]
        n = len(words)
        i = 0
        while i < n:
            k = keys[i]
            if k in _POSSESSIVE:
                if segs:
                    segs[-1].possessive = True
                i += 1
                continue
            if k in ("of", "for", "at", "in"):
                segs.append(_Seg("of", i, i + 1))
                i += 1
                continue
            best: _Seg | None = None
            acc = ""
            for j in range(i, n):
                acc += keys[j]
                if len(acc) > self._maxlen:
                    break
                upper = "".join(words[i : j + 1]).isupper()
                capital = words[i][:1].isupper()
                # Longer spans win; at equal length: metonym > title > country > other actor.
                if capital and acc in self._metonyms:
                    best = _Seg("metonym", i, j + 1, self._metonyms[acc])
                elif acc in self._terms:
                    best = _Seg("term", i, j + 1, self._terms[acc])
                elif capital and acc in self._country_names and not (_short(acc) and not upper):
                    best = _Seg("country", i, j + 1, self._country_names[acc])
                elif capital and acc in alias and not (_short(acc) and not upper):
                    ids = [
                        x
                        for x in alias[acc]
                        if self._actors[x].kind in ("person", "organisation", "region")
                    ]
                    if ids and not (j > i and self._ends_with_title(words[i : j + 1])):
                        best = _Seg("actor", i, j + 1, ids)
            if best is not None:
                segs.append(best)
                i = best.end
                continue
            if k in _SKIP_WORDS:
                i += 1
                continue
            if k in _DEPUTY_WORDS or k in _FORMER_WORDS or k in _ACTING_WORDS:
                segs.append(_Seg("mod", i, i + 1, k))
                i += 1
                continue
            if words[i][:1].isupper() or (
                k in _NAME_PARTICLES and segs and segs[-1].kind == "name"
            ):
                if segs and segs[-1].kind == "name" and segs[-1].end == i:
                    segs[-1].end = i + 1
                else:
                    segs.append(_Seg("name", i, i + 1))
                i += 1
                continue
            if k == "-":
                i += 1
                continue
            return None  # a word the grammar does not know: not an actor description
        return segs

    def _describe(
        self,
        words: list[str],
        text: str,
        when: str | None,
        label: str | None,
        context: frozenset[str],
    ) -> ResolvedActor | None:
        segs = self._segment(words)
        if not segs:
            return None
        # A name run absorbs a country's own name written right before it ("Jordan Smith").
        merged: list[_Seg] = []
        for s in segs:
            if (
                s.kind == "name" and merged and merged[-1].kind == "country" and not merged[-1].possessive
                and merged[-1].end == s.start
                and "".join(_token_key(w) for w in words[merged[-1].start : merged[-1].end]) in self._country_proper
            ):  # fmt: skip
                prev = merged.pop()
                s = _Seg("name", prev.start, s.end)
            merged.append(s)
        segs = merged
        head = segs[-1]
        prefix = segs[:-1]
        mods = {s.value for s in segs if s.kind == "mod"}

        terms = [s.value for s in segs if s.kind == "term"]
        stated_title = next((t.title for t in reversed(terms) if t.title and t.person), None)

        if head.kind == "actor" and not head.possessive:
            actor = self._pick(head.value, when, person_only=label == "PERSON")
            if actor is not None and actor.kind == "person":
                r = self._from_actor(actor, text, when, "title+name", title=stated_title)
                if "former" in mods or "ex" in mods:
                    return replace(r, title=stated_title)
                return r
        if head.kind == "name" and not head.possessive:
            if label is not None and label != "PERSON":
                return None  # NER says this is not a person: an unknown org or place, not ours
            affil = self._affiliation(prefix, when, context)
            if affil is None and not terms and label != "PERSON":
                return None
            name = " ".join(words[head.start : head.end])
            term = next((t for t in reversed(terms) if t.person), None)
            code, country, sector = self._compose(affil, term, mods)
            return ResolvedActor(
                text=text, code=code, kind="person", country=country, sector=sector,
                name=name, title=stated_title, basis="named-person",
            )  # fmt: skip
        if any(s.kind == "name" for s in segs):
            return None  # an unknown capitalised word inside a description: not ours to guess
        affil = self._affiliation(segs, when, context)
        if not terms:
            if (
                affil is None
                or len([s for s in segs if s.kind in ("country", "actor", "metonym")]) != 1
            ):
                return None
            return affil[3]
        if affil is None:
            return None
        term = terms[-1]
        code, country, sector = self._compose(affil, term, mods)
        person = term.person and not term.plural
        holder: Actor | None = None
        if (
            person
            and when is not None
            and term.office
            and not (mods & (_DEPUTY_WORDS | _FORMER_WORDS))
        ):
            found = self.holders(affil[0], term.office, when)
            possessor = affil[3].person_id
            found = [a for a in found if a.id != possessor]
            if len(found) == 1:
                holder = found[0]
        title = term.title if person else None
        if title and mods & _DEPUTY_WORDS:
            title = "Deputy " + title
        return ResolvedActor(
            text=text, code=code, kind="person" if person else "sector-group", country=country,
            sector=sector, actor_id=None, person_id=None, name=None, title=title,
            holder_id=holder.id if holder else None, holder_name=holder.name if holder else None,
            basis="description",
        )  # fmt: skip

    def _affiliation(
        self, segs: list[_Seg], when: str | None, context: frozenset[str]
    ) -> tuple[str, str, str | None, ResolvedActor] | None:
        """(place key for holders, code base, country, resolution) of the body a description names."""
        found: list[tuple[str, str, str | None, ResolvedActor, bool]] = []
        for s in segs:
            r: ResolvedActor | None = None
            if s.kind == "country":
                a = self._actors.get(s.value)
                if a is not None:
                    r = self._from_actor(a, a.name, when, "alias")
            elif s.kind == "metonym":
                r = self._from_metonym(s.value, "", context)
            elif s.kind == "actor":
                a = self._pick(s.value, when)
                if a is not None:
                    r = self._from_actor(a, a.name, when, "alias")
            if r is None or not r.code:
                continue
            place = r.country or _affil_place(r.code)
            found.append((place, r.code, r.country, r, s.possessive))
        if not found:
            return None
        places = {f[0] for f in found}
        if len(places) > 1:
            owners = [f for f in found if f[4]]
            if len(owners) != 1:
                return None
            found = owners
        place, code, country, r, _ = found[0]
        return place, code, country, r

    def _compose(
        self,
        affil: tuple[str, str, str | None, ResolvedActor] | None,
        term: Term | None,
        mods: set[str],
    ) -> tuple[str | None, str | None, str | None]:
        if affil is None:
            sector = "ELI" if mods & _FORMER_WORDS else (term.sector if term else None)
            return None, None, sector
        _place, code, country, r = affil
        if r.kind == "person":
            code = (
                parse_cameo_code(code)[0] or code
            )  # "Putin's aide": the country, then the term's sector
        base_country, secs = parse_cameo_code(code)
        if mods & _FORMER_WORDS and base_country:
            return base_country + "ELI", country, "ELI"
        if base_country is None:
            return code, country, None  # IGOs and regions keep their own code
        if secs:
            return code, country, secs[0]
        if term is None or not term.sector:
            return code, country, None
        if term.code.endswith("~") and term.code:
            return term.code.rstrip("~") + base_country, country, term.sector
        suffix = term.code.lstrip("~") if term.code.startswith("~") else term.sector
        return base_country + suffix, country, term.sector

    # ------------------------------------------------------------------ documents
    def resolve_doc(self, doc: Doc, *, when: str | None = None) -> list[ActorMention]:
        """Actor mentions in a parsed Doc: registry phrases, entities and noun chunks, resolved.

        Overlapping candidates are settled longest-first. A place name used as a modifier
        ("the Minsk agreements") is not taken as a government, and a span inside a longer entity
        that is not an actor ("the Washington Post") is not an actor either.
        """
        alias = self._alias_index()
        toks = list(doc)
        keys = [_token_key(t.text) for t in toks]
        cands: dict[tuple[int, int], str] = {}
        n = len(toks)
        for i, t in enumerate(toks):
            if not t.text[:1].isupper() or keys[i] in ("the", "a", "an"):
                continue
            acc = ""
            best = 0
            for j in range(i, n):
                if toks[j].is_space:
                    break
                acc += keys[j]
                if len(acc) > self._maxlen:
                    break
                # Outside entities, a country is found by its name or demonym only: the Phoenix
                # country entries also list cities and regions ("Vladimir", "Kirov") that are
                # too often something else.
                if (
                    acc in self._metonyms
                    or acc in self._country_names
                    or any(self._actors[x].kind != "country" for x in alias.get(acc, ()))
                ):
                    if _short(acc) and not doc[i : j + 1].text.replace(".", "").isupper():
                        continue
                    best = j + 1
            if best:
                cands.setdefault((i, best), "REGISTRY")
        # Lower-case "entities" are page furniture the small models mislabel ("chevron").
        ents = [
            e for e in doc.ents if e.label_ in _ENTITY_LABELS and any(c.isupper() for c in e.text)
        ]
        for ent in ents:
            cands[(ent.start, ent.end)] = ent.label_
        if doc.has_annotation("DEP"):
            for chunk in doc.noun_chunks:
                cands.setdefault((chunk.start, chunk.end), "CHUNK")

        resolved: list[tuple[Span, str, ResolvedActor]] = []
        failed_ents: list[tuple[int, int]] = []
        for (s, e), label in cands.items():
            span = doc[s:e]
            r = self._resolve_words(
                [t.text for t in span],
                span.text,
                when,
                label if label in _ENTITY_LABELS else None,
                frozenset(),
            )
            if r is None:
                if label in _ENTITY_LABELS:
                    failed_ents.append((s, e))
                continue
            if r.basis == "metonym":
                if _is_modifier(span):
                    continue
                if _is_location(span) and r.country:
                    # "a meeting in Stockholm" is a place, not the Swedish government
                    place = self._actors.get(r.country)
                    if place is None:
                        continue
                    r = replace(self._from_actor(place, span.text, when, "alias"), text=span.text)
            resolved.append((span, label, r))
        resolved = [
            x for x in resolved
            if not any(fs <= x[0].start and x[0].end <= fe and (fe - fs) > len(x[0]) for fs, fe in failed_ents)
        ]  # fmt: skip
        resolved.sort(key=lambda x: (-len(x[0]), x[0].start))
        taken: set[int] = set()
        chosen: list[tuple[Span, str, ResolvedActor]] = []
        for span, label, r in resolved:
            if any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            chosen.append((span, label, r))
        ambiguous = {k for k, m in self._metonyms.items() if m.alt_code}
        context = frozenset(
            c
            for span, _, r in chosen
            if "".join(keys[span.start : span.end]) not in ambiguous
            for c in (r.code, r.country)
            if c
        )
        out: list[ActorMention] = []
        for span, label, r in sorted(chosen, key=lambda x: x[0].start):
            if r.basis == "metonym":
                met = self._metonyms.get("".join(keys[span.start : span.end]))
                if met is not None and met.alt_code:
                    r = replace(self._from_metonym(met, span.text, context), text=span.text)
            out.append(
                ActorMention(
                    span.start_char, span.end_char, span.start, span.end, span.text, label, r
                )
            )
        return out


def _split(words: list[str], sep: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for w in words:
        if w == sep:
            parts.append([])
        else:
            parts[-1].append(w)
    return [p for p in parts if p]


def _sector_of(code: str | None) -> str | None:
    if not code:
        return None
    secs = parse_cameo_code(code)[1]
    return secs[0] if secs else None


def _affil_place(code: str) -> str:
    """Holder-index key of an affiliation: its country, or the organisation code for IGOs."""
    country, _ = parse_cameo_code(code)
    if country:
        return country
    head = code[:3]
    if head in CAMEO_INTERNATIONAL or head in CAMEO_REGIONS:
        return code
    return code


_PLACE_PREPS = frozenset(
    {
        "in",
        "at",
        "from",
        "to",
        "near",
        "into",
        "across",
        "outside",
        "inside",
        "around",
        "via",
        "through",
        "toward",
        "towards",
    }
)


def _is_location(span: Span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS


def _is_modifier(span: Span) -> bool:
    root = span.root
    if root.dep_ not in ("compound", "amod", "nmod"):
        return False
    head = root.head
    return not (span.start <= head.i < span.end) and head.pos_ in ("NOUN", "PROPN")


def _combine(prev: Actor, new: Actor) -> Actor:
    aliases = tuple(dict.fromkeys([*prev.aliases, *new.aliases]))
    sectors = tuple(dict.fromkeys([*prev.sectors, *new.sectors]))
    if new.priority > prev.priority:
        roles = new.roles or prev.roles
        code = new.code or prev.code
        name = new.name if new.kind == prev.kind else prev.name
        source, priority = new.source, new.priority
    else:
        roles = tuple(dict.fromkeys([*prev.roles, *new.roles]))
        code = prev.code or new.code
        name, source, priority = prev.name, prev.source, prev.priority
    return Actor(
        prev.id,
        name,
        prev.kind,
        prev.country or new.country,
        code,
        sectors,
        aliases,
        roles,
        source,
        priority,
    )


def import_dictionary(
    path: str | Path, *, store_dir: str | Path, registry: ActorRegistry | None = None
) -> ImportReport:
    """Check a PETRARCH/Phoenix dictionary against the registry and store it in `store_dir`.

    The counts say what merging the file does to the registry as currently loaded (packaged data
    plus what `store_dir` already holds); `errors` lists the lines that were skipped and why.
    The file is copied (never moved) under its own name, with a numeric suffix if that name is
    taken by a different file. Raises DictionaryError with a one-line reason if it is unusable.
    """
    src = Path(path)
    parsed = parse_phoenix(src)
    store = Path(store_dir)
    reg = registry if registry is not None else ActorRegistry.load(extra_dirs=[store])
    report = reg.merge(parsed.actors, priority=PRIORITY_USER)
    try:
        store.mkdir(parents=True, exist_ok=True)
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", src.name).lstrip(".") or "dictionary.txt"
        if base.endswith((".toml", ".tsv")):
            base += ".txt"  # stored dictionaries are read back as PETRARCH files
        dest = store / base
        data = src.read_bytes()
        stem, suffix = dest.stem, dest.suffix
        n = 1
        while dest.exists() and dest.read_bytes() != data:
            dest = store / f"{stem}-{n}{suffix}"
            n += 1
        if not dest.exists():
            shutil.copyfile(src, dest)
    except OSError as exc:
        raise DictionaryError(
            f"{store}: cannot store the dictionary ({exc.strerror or exc})"
        ) from None
    errors = tuple(f"line {e.line}: {e.reason}: {e.text}" for e in parsed.errors)
    return ImportReport(str(src), str(dest), report.added, report.updated, report.skipped, errors)
