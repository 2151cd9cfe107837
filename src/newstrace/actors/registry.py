"""The actor registry: canonical actors loaded from data files, merged by id or full name, and
looked up by alias, office and date (who held which role when).

`ActorRegistry.load()` reads the packaged data (`newstrace/data/actors/`: countries, the Phoenix
dictionaries, curated people/organisations/metonyms, titles) plus any user dictionaries;
`resolve` reads a name or description ("Russian President Vladimir Putin", "the Kremlin") as a
CAMEO-coded `ResolvedActor`, date-aware, with the grammar in `describe`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from newstrace.actors.codes import affiliation_place, parse_cameo_code, sector_of
from newstrace.actors.describe import resolve_words
from newstrace.actors.loaders import (
    PRIORITY_PACKAGED,
    PRIORITY_PHOENIX,
    PRIORITY_USER,
    RegistryError,
    TomlData,
    agent_terms,
    data_dir,
    load_actor_tsv,
    load_registry_toml,
)
from newstrace.actors.names import name_key, slug, split_words
from newstrace.actors.phoenix import parse_phoenix
from newstrace.actors.records import Actor, Metonym, ResolvedActor, Role, Term

__all__ = ["ActorRegistry", "MergeReport"]

_SECTOR_NAMES = {"GOV": "Government", "MIL": "Military", "LEG": "Legislature", "JUD": "Judiciary", "COP": "Police", "SPY": "Intelligence services", "OPP": "Opposition", "REB": "Rebels", "ELI": "Elites", "MED": "Media", "BUS": "Business", "CVL": "Civilians", "PRE": "Partially recognised entity"}  # fmt: skip
_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What merging a batch of actors did to the registry."""

    added: int = 0
    updated: int = 0
    skipped: int = 0


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
            base = data_dir()
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
                for phrase, term in agent_terms(a):
                    self._terms.setdefault(name_key(phrase), term)
                continue
            self._put(a)
        self._invalidate()

    def _add_toml(self, data: TomlData) -> None:
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
                for phrase, term in agent_terms(a):
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
                    place = affiliation_place(r.affiliation)
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
                sector=sector_of(code), actor_id=actor.id, person_id=actor.id, name=actor.name,
                title=title or (role.title if role else None), basis=basis,
            )  # fmt: skip
        return ResolvedActor(
            text=text, code=code, kind=actor.kind, country=country or actor.country,
            sector=sector_of(code), actor_id=actor.id, name=actor.name, title=title, basis=basis,
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
                sector_of(code),
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
        words = split_words(text)
        return resolve_words(self, words, text.strip(), when, label, frozenset())

    # ------------------------------------------------------------------ scanning documents
    def resolve_tokens(
        self, words: list[str], text: str, *, when: str | None = None, label: str | None = None
    ) -> ResolvedActor | None:
        """`resolve` for text already split into words: a parsed span's tokens and its text."""
        return resolve_words(self, words, text, when, label, frozenset())

    def longest_phrase(self) -> int:
        """The length of the longest key an alias, metonym or title phrase has: a longer run of
        words cannot be one."""
        self._alias_index()
        return self._maxlen

    def is_phrase(self, key: str) -> bool:
        """True if `key` (words joined as `token_key`s) is a phrase to look for in running text:
        a metonym, a country's name or demonym, or the alias of an actor that is not a country.

        Outside entities a country is found by its name or demonym only: the Phoenix country
        entries also list cities and regions ("Vladimir", "Kirov") that are too often something
        else.
        """
        return (
            key in self._metonyms
            or key in self._country_names
            or any(self._actors[x].kind != "country" for x in self._alias_index().get(key, ()))
        )

    def place(self, iso3: str, text: str, when: str | None) -> ResolvedActor | None:
        """The country `iso3` as the place `text` names ("a meeting in Stockholm"), not its
        government; None if the registry has no such country."""
        country = self._actors.get(iso3)
        return None if country is None else self._from_actor(country, text, when, "alias")

    def is_ambiguous(self, key: str) -> bool:
        """True if `key` is a metonym whose reading depends on the rest of the text ("Brussels")."""
        met = self._metonyms.get(key)
        return met is not None and bool(met.alt_code)

    def reread(self, key: str, text: str, context: frozenset[str]) -> ResolvedActor | None:
        """An ambiguous metonym read again given `context`, the codes and countries the rest of
        the text names; None if `key` is not an ambiguous metonym."""
        if not self.is_ambiguous(key):
            return None
        return self._from_metonym(self._metonyms[key], text, context)


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
