"""The description grammar: a name or description read against the registry's aliases,
metonyms and titles ("Russian President Vladimir Putin", "Hungary's prime minister", "the Kremlin").

Package-internal: the functions read the registry's indexes; `ActorRegistry.resolve` is the way in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from newstrace.actors.codes import affiliation_place, parse_cameo_code
from newstrace.actors.names import is_short, token_key
from newstrace.actors.records import Actor, ResolvedActor, Term

if TYPE_CHECKING:
    from newstrace.actors.registry import ActorRegistry

__all__ = ["resolve_words"]

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


@dataclass(slots=True)
class _Seg:
    kind: str  # term | country | actor | metonym | name | of
    start: int
    end: int
    value: Any = None
    possessive: bool = False


def resolve_words(
    reg: ActorRegistry,
    words: list[str],
    text: str,
    when: str | None,
    label: str | None,
    context: frozenset[str],
) -> ResolvedActor | None:
    """What `words` (the text `text`, split) name on `when`: an appositive's named part, an alias
    or metonym, else what the description grammar makes of them; None if nothing."""
    alias = reg._alias_index()
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
        resolved = [resolve_words(reg, p, " ".join(p), when, label, context) for p in parts]
        named = [r for r in resolved if r is not None and r.person_id]
        if len(named) == 1:
            other = next(
                (r for r in resolved if r is not None and r is not named[0] and r.title), None
            )
            r = named[0]
            return replace(r, text=text, title=other.title if other else r.title)
        return None
    key = "".join(token_key(w) for w in words)
    is_upper = "".join(words).isupper()
    if not any(c.isupper() for c in text):
        # Names are capitalised; "a red line" is not the Greek group of that name. Only the
        # description grammar (titles, role nouns) reads lower-case text.
        return _describe(reg, words, text, when, label, context)
    if label == "PERSON" and key in alias:
        # Trust a registry person over NER; a lone place name tagged PERSON is an NER slip.
        person = reg._pick(alias[key], when, person_only=True)
        if person is not None:
            return reg._from_actor(person, text, when, "alias")
    met = reg._metonyms.get(key)
    if met is not None:
        return reg._from_metonym(met, text, context)
    if key in alias and not (is_short(key) and not is_upper):
        actor = reg._pick(alias[key], when)
        if actor is not None:
            if len(words) > 1 and _ends_with_title(reg, words):
                # Phoenix lists phrases like "STATE DEPARTMENT OFFICIAL" or "US SECRETARY OF
                # STATE" as entries of their own; the description grammar reads them better
                # (and finds who held the post).
                described = _describe(reg, words, text, when, label, context)
                if described is not None:
                    return described
            stated = None
            if actor.kind == "person" and len(words) > 1:
                # "Prime Minister Putin": the title the text states, not today's.
                stated = _stated_title(reg, words)
            return reg._from_actor(actor, text, when, "alias", title=stated)
    if len(words) == 1 and key.endswith("s") and key not in alias:
        # Scraped text that lost its apostrophes: "Russias recognition", "NATOs expansion".
        stem = key[:-1]
        if stem in reg._metonyms or stem in reg._country_names:
            return resolve_words(reg, [words[0][:-1]], text, when, None, context)
    return _describe(reg, words, text, when, label, context)


def _stated_title(reg: ActorRegistry, words: list[str]) -> str | None:
    """The last person title written in `words` ("Prime Minister" in "Prime Minister Putin")."""
    keys = [token_key(w) for w in words]
    found: str | None = None
    i = 0
    while i < len(keys):
        acc, end, term = "", i, None
        for j in range(i, len(keys)):
            acc += keys[j]
            if len(acc) > reg._maxlen:
                break
            t = reg._terms.get(acc)
            if t is not None:
                end, term = j + 1, t
        if term is not None and term.person and term.title:
            found = term.title
        i = max(end, i + 1)
    return found


def _ends_with_title(reg: ActorRegistry, words: list[str]) -> bool:
    """True when the longest title phrase ending `words` names a person: "State Department
    official" does, "Kestrani Foreign Ministry" does not (though "ministry" alone would)."""
    tail = ""
    longest: Term | None = None
    for w in reversed(words[1:]):
        tail = token_key(w) + tail
        longest = reg._terms.get(tail, longest)
    return longest is not None and longest.person


def _segment(reg: ActorRegistry, words: list[str]) -> list[_Seg] | None:
    alias = reg._alias_index()
    segs: list[_Seg] = []
    keys = [token_key(w) for w in words]
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
            if len(acc) > reg._maxlen:
                break
            upper = "".join(words[i : j + 1]).isupper()
            capital = words[i][:1].isupper()
            # Longer spans win; at equal length: metonym > title > country > other actor.
            if capital and acc in reg._metonyms:
                best = _Seg("metonym", i, j + 1, reg._metonyms[acc])
            elif acc in reg._terms:
                best = _Seg("term", i, j + 1, reg._terms[acc])
            elif capital and acc in reg._country_names and not (is_short(acc) and not upper):
                best = _Seg("country", i, j + 1, reg._country_names[acc])
            elif capital and acc in alias and not (is_short(acc) and not upper):
                ids = [
                    x
                    for x in alias[acc]
                    if reg._actors[x].kind in ("person", "organisation", "region")
                ]
                if ids and not (j > i and _ends_with_title(reg, words[i : j + 1])):
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
        if words[i][:1].isupper() or (k in _NAME_PARTICLES and segs and segs[-1].kind == "name"):
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
    reg: ActorRegistry,
    words: list[str],
    text: str,
    when: str | None,
    label: str | None,
    context: frozenset[str],
) -> ResolvedActor | None:
    segs = _segment(reg, words)
    if not segs:
        return None
    # A name run absorbs a country's own name written right before it ("Jordan Smith").
    merged: list[_Seg] = []
    for s in segs:
        if (
            s.kind == "name" and merged and merged[-1].kind == "country" and not merged[-1].possessive
            and merged[-1].end == s.start
            and "".join(token_key(w) for w in words[merged[-1].start : merged[-1].end]) in reg._country_proper
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
        actor = reg._pick(head.value, when, person_only=label == "PERSON")
        if actor is not None and actor.kind == "person":
            r = reg._from_actor(actor, text, when, "title+name", title=stated_title)
            if "former" in mods or "ex" in mods:
                return replace(r, title=stated_title)
            return r
    if head.kind == "name" and not head.possessive:
        if label is not None and label != "PERSON":
            return None  # NER says this is not a person: an unknown org or place, not ours
        affil = _affiliation(reg, prefix, when, context)
        if affil is None and not terms and label != "PERSON":
            return None
        name = " ".join(words[head.start : head.end])
        term = next((t for t in reversed(terms) if t.person), None)
        code, country, sector = _compose(affil, term, mods)
        return ResolvedActor(
            text=text, code=code, kind="person", country=country, sector=sector,
            name=name, title=stated_title, basis="named-person",
        )  # fmt: skip
    if any(s.kind == "name" for s in segs):
        return None  # an unknown capitalised word inside a description: not ours to guess
    affil = _affiliation(reg, segs, when, context)
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
    code, country, sector = _compose(affil, term, mods)
    person = term.person and not term.plural
    holder: Actor | None = None
    if person and when is not None and term.office and not (mods & (_DEPUTY_WORDS | _FORMER_WORDS)):
        found = reg.holders(affil[0], term.office, when)
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
    reg: ActorRegistry, segs: list[_Seg], when: str | None, context: frozenset[str]
) -> tuple[str, str, str | None, ResolvedActor] | None:
    """(place key for holders, code base, country, resolution) of the body a description names."""
    found: list[tuple[str, str, str | None, ResolvedActor, bool]] = []
    for s in segs:
        r: ResolvedActor | None = None
        if s.kind == "country":
            a = reg._actors.get(s.value)
            if a is not None:
                r = reg._from_actor(a, a.name, when, "alias")
        elif s.kind == "metonym":
            r = reg._from_metonym(s.value, "", context)
        elif s.kind == "actor":
            a = reg._pick(s.value, when)
            if a is not None:
                r = reg._from_actor(a, a.name, when, "alias")
        if r is None or not r.code:
            continue
        place = r.country or affiliation_place(r.code)
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


def _split(words: list[str], sep: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for w in words:
        if w == sep:
            parts.append([])
        else:
            parts[-1].append(w)
    return [p for p in parts if p]
