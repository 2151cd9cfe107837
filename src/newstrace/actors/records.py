"""The actor records: registry entries (Actor, Role), resolutions (ResolvedActor, ActorMention)
and what is stored of one (ActorFields), and the registry's lexicon entries (Term, Metonym).

Codes follow CAMEO as used by the Phoenix dictionaries: a country ISO3 followed by 3-letter sector
codes (`RUSGOV`, `UKRMIL`), international organisations as `IGO…` paths (`IGOWSTNAT` for NATO,
`IGOEUREEC` for the EU, `IGOUNO` for the UN), regions as CAMEO region codes (`WST` for "the West").
Dates are ISO `YYYY-MM-DD`; role bounds are inclusive, as in PETRARCH.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Actor", "ActorFields", "ActorMention", "Metonym", "ResolvedActor", "Role", "Term"]


@dataclass(frozen=True, slots=True)
class Role:
    """A position an actor holds, with the CAMEO code it implies and when it holds.

    `affiliation` is the CAMEO code of the body the role belongs to (`RUSGOV`, `IGOWSTNAT`);
    `sector` its primary sector (`GOV`, `MIL`, `ELI`, …); `title` a display title ("President")
    when known. `start`/`end` are inclusive ISO dates; None means unbounded on that side.
    `leader` marks the role whose holder "the Russian leader"-style phrases mean.
    """

    affiliation: str
    sector: str | None = None
    title: str | None = None
    start: str | None = None
    end: str | None = None
    leader: bool = False

    def holds_on(self, lo: str, hi: str | None = None) -> bool:
        """True if the role overlaps the day `lo` (or the range lo..hi for a partial date)."""
        hi = hi or lo
        if self.start is not None and self.start > hi:
            return False
        return not (self.end is not None and self.end < lo)


@dataclass(frozen=True, slots=True)
class Actor:
    """One registry entry: a country, organisation, person, sector group or region.

    `code` is the default CAMEO code, used when no dated role applies (PETRARCH's undated code).
    `aliases` are the surface forms that name the actor (matched case-insensitively).
    `source` names the data file it came from; `priority` ranks sources when two actors share an
    alias (user dictionaries > packaged curated data > packaged Phoenix data).
    """

    id: str
    name: str
    kind: str
    country: str | None = None
    code: str | None = None
    sectors: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    source: str = ""
    priority: int = 0


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    """What a mention of an actor resolves to.

    - `code`: the CAMEO code that applies on the date asked for (`RUSGOV`), or None when the text
      names someone the registry cannot place (an unknown person with no stated affiliation).
    - `kind`: country | organisation | person | sector-group | region.
    - `country`: ISO3 of the affiliation, None for international bodies and regions; for a
      person whose current role is international (NATO's Secretary-General) their own country.
    - `actor_id`: the registry entry matched (None for unknown people and bare descriptions).
    - `person_id`/`name`: the registry person named by the text, or for an unknown named person
      `person_id` None and `name` the name as written.
    - `title`: the title the text or the registry gives ("President", "Prime Minister").
    - `holder_id`/`holder_name`: for a description without a name ("Hungary's prime minister"),
      the registry person who held that office on the date asked for, if exactly one did. The
      text did not name them, so `person_id` stays None.
    - `basis`: how it was resolved: alias | metonym | title+name | description | named-person.
    """

    text: str
    code: str | None
    kind: str
    country: str | None = None
    sector: str | None = None
    actor_id: str | None = None
    person_id: str | None = None
    name: str | None = None
    title: str | None = None
    holder_id: str | None = None
    holder_name: str | None = None
    basis: str = "alias"


@dataclass(frozen=True, slots=True)
class ActorFields:
    """A resolution as it is stored: on an entity (`Entity.actor`, `.actor_id`, `.kind`, ...) and
    on a quote's speaker (`Quote.speaker_actor`, `.speaker_actor_id`, `.speaker_country`).

    `actor` is the code, `actor_id` the registry entry the text names (the person, for a named
    one), `referent_id` the entry the text refers to: the one it names, else the office holder a
    description means ("Hungary's prime minister"). `name` is the canonical name, else the
    holder's. Every field is None for a mention that resolved to nothing.
    """

    actor: str | None = None
    actor_id: str | None = None
    referent_id: str | None = None
    kind: str | None = None
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    title: str | None = None
    basis: str | None = None

    @classmethod
    def from_resolved(cls, r: ResolvedActor | None) -> ActorFields:
        if r is None:
            return cls()
        actor_id = r.actor_id or r.person_id  # a registry person is its own actor_id
        return cls(
            actor=r.code,
            actor_id=actor_id,
            referent_id=actor_id or r.holder_id,
            kind=r.kind,
            country=r.country,
            sector=r.sector,
            name=r.name or r.holder_name,
            title=r.title,
            basis=r.basis,
        )


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor mention in a parsed document: character and token offsets plus its resolution.

    `label` is the spaCy entity label when the span is an entity (PERSON, ORG, GPE, NORP, …),
    "CHUNK" for a noun chunk, or "REGISTRY" for a span found only by the registry's phrases.
    """

    start_char: int
    end_char: int
    start: int
    end: int
    text: str
    label: str
    actor: ResolvedActor


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
    """A name that stands for an actor ("the Kremlin"), with the reading the context may switch to."""

    code: str
    actor_id: str | None
    alt_code: str | None = None
    alt_if: tuple[str, ...] = ()
    alt_unless: tuple[str, ...] = ()
