"""The PETRARCH/TABARI/Phoenix dictionary loader: actor and agent dictionaries into `Actor` records.

The format is documented in petrarch2's `docs/source/dictionaries.rst`; this reader follows
PETRARCH2's own `read_actor_dictionary` where the prose is vague (see the notes on each rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from newstrace.actors.codes import (
    CAMEO_INTERNATIONAL,
    CAMEO_REGIONS,
    CAMEO_ROLES,
    normalize_code,
    parse_cameo_code,
)
from newstrace.actors.names import slug
from newstrace.actors.records import Actor, Role

from ..errors import DictionaryError

__all__ = [
    "DictionaryError",
    "LineError",
    "PhoenixFile",
    "load_phoenix",
    "parse_phoenix",
    "parse_phoenix_text",
]

# Words that mark a dictionary phrase as an institution rather than a person (heuristic: Phoenix
# records do not say which they are).
_INSTITUTION_WORDS = frozenset(
    [
        "ACADEMY",
        "AGENCY",
        "ALLIANCE",
        "ARMY",
        "ASSEMBLY",
        "ASSOCIATION",
        "AUTHORITY",
        "BANK",
        "BATTALION",
        "BOARD",
        "BRIGADE",
        "BRIGADES",
        "BUREAU",
        "CABINET",
        "CELL",
        "CELLS",
        "CENTER",
        "CENTRE",
        "CHAMBER",
        "CLUB",
        "COALITION",
        "COMMAND",
        "COMMISSION",
        "COMMITTEE",
        "COMMUNITY",
        "COMPANY",
        "CONFERENCE",
        "CONGRESS",
        "CORP",
        "CORPORATION",
        "CORPS",
        "COUNCIL",
        "COURT",
        "DEPARTMENT",
        "DIRECTORATE",
        "DUMA",
        "EMBASSY",
        "FACTION",
        "FEDERATION",
        "FOUNDATION",
        "FORCE",
        "FORCES",
        "FORUM",
        "FRONT",
        "FUND",
        "GOVERNMENT",
        "GROUP",
        "GUARD",
        "GUARDS",
        "INC",
        "INSTITUTE",
        "KREMLIN",
        "LEAGUE",
        "LIMITED",
        "LTD",
        "MILITIA",
        "MINISTRY",
        "MISSION",
        "MOVEMENT",
        "NAVY",
        "NETWORK",
        "NUCLEI",
        "OFFICE",
        "ORGANISATION",
        "ORGANIZATION",
        "PARLIAMENT",
        "PARTY",
        "POLICE",
        "PRESIDENCY",
        "PROGRAM",
        "PROGRAMME",
        "REGIME",
        "REPUBLIC",
        "SECRETARIAT",
        "SENATE",
        "SERVICE",
        "SERVICES",
        "SOCIETY",
        "SQUAD",
        "TRIBUNAL",
        "TRUST",
        "UNION",
        "UNIT",
        "UNITS",
        "UNIVERSITY",
        "WING",
    ]
)


@dataclass(frozen=True, slots=True)
class LineError:
    """One line the reader had to skip, with the reason (reported, never silently dropped)."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class PhoenixFile:
    """What one dictionary file yielded: actors (or agents as sector groups) and skipped lines."""

    path: str
    kind: str  # "actors" | "agents"
    actors: tuple[Actor, ...]
    errors: tuple[LineError, ...]


def phrase_text(raw: str) -> str:
    """A dictionary phrase as words: underscores become spaces, the trailing stop '_' goes."""
    return " ".join(raw.replace("_", " ").split())


def display_name(raw: str) -> str:
    """Title-case an all-caps dictionary phrase for display ('AL-QAEDA' -> 'Al-Qaeda')."""
    words = phrase_text(raw).split(" ")
    if len(words) == 1 and len(words[0]) <= 5 and words[0].isupper():
        return words[0]  # acronyms: NATO, OSCE
    out = []
    for w in words:
        if w.isupper() or w.islower():
            w = "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-"))
            w = re.sub(r"(?<=')S\b", "s", w)
        out.append(w)
    return " ".join(out)


@lru_cache(maxsize=65536)
def parse_date6(text: str) -> date:
    """A PETRARCH date: YYYYMMDD, or YYMMDD with 00-30 read as 20YY (as KEDS/TABARI do)."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) not in (6, 8):
        raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")
    if len(digits) == 8:
        y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    else:
        yy = int(digits[:2])
        y = 2000 + yy if yy <= 30 else 1900 + yy
        m, d = int(digits[2:4]), int(digits[4:6])
    return date(y, m, d)  # raises ValueError on 20100931 and friends


_CODE_RE = re.compile(r"\[([^\]]*)\]")
_DATE_RANGE_RE = re.compile(r"^(\d{6,8})\s*-\s*(\d{6,8})$")
_DATE_OPEN_RE = re.compile(r"^([<>])\s*(\d{6,8})$")
_SUBST_RE = re.compile(r"^(![A-Z]+!)\s*=\s*(.+)$")


@dataclass
class _Pending:
    line: int
    phrases: list[str] = field(default_factory=list)
    default: str | None = None
    roles: list[Role] = field(default_factory=list)
    has_code: bool = False
    comment: str = ""


def _strip_comments(text: str) -> list[tuple[int, str, str]]:
    """(line number, content, trailing comment) for each non-blank line, comments removed.

    `<!-- ... -->` may span lines; `#` and the legacy `;` start a comment to the end of a line.
    """
    out: list[tuple[int, str, str]] = []
    in_block = False
    for no, line in enumerate(text.splitlines(), start=1):
        if in_block:
            end = line.find("-->")
            if end < 0:
                continue
            line = line[end + 3 :]
            in_block = False
        while "<!" in line:
            start = line.index("<!")
            end = line.find("-->", start)
            if end < 0:
                line = line[:start]
                in_block = "<!--" in line[start:] or True
                break
            line = line[:start] + line[end + 3 :]
        comment = ""
        cut = [i for i in (line.find("#"), line.find(";")) if i >= 0]
        if cut:
            comment = line[min(cut) + 1 :].strip()
            line = line[: min(cut)]
        if line.strip():
            out.append((no, line.rstrip(), comment))
    return out


def _add_codes(cur: _Pending, text: str, no: int, errors: list[LineError], raw: str) -> None:
    """Add the bracketed codes in `text` to the entry: an undated code is its default, a dated
    one a role; unreadable codes go to `errors`."""
    for body in _CODE_RE.findall(text):
        code, role = _parse_code(body, no, errors, raw)
        if not code:
            continue
        cur.has_code = True
        if role is None:
            cur.default = code
        else:
            cur.roles.append(role)


def _parse_code(body: str, no: int, errors: list[LineError], raw: str) -> tuple[str, Role | None]:
    """One `[CODE restriction]` body -> (code, dated role or None for a default code)."""
    parts = body.split(None, 1)
    code = normalize_code(parts[0]) if parts else ""
    if not code or code == "---":
        return "", None
    if len(parts) == 1:
        return code, None
    rest = parts[1].strip()
    sectors = parse_cameo_code(code)[1]
    try:
        m = _DATE_RANGE_RE.match(rest)
        if m:
            start, end = parse_date6(m.group(1)), parse_date6(m.group(2))
            if end < start:
                raise ValueError("end date before start date")
            return code, Role(
                code, sectors[0] if sectors else None, None, start.isoformat(), end.isoformat()
            )
        m = _DATE_OPEN_RE.match(rest)
        if m:
            when = parse_date6(m.group(2)).isoformat()
            sector = sectors[0] if sectors else None
            if m.group(1) == "<":
                return code, Role(code, sector, None, None, when)
            return code, Role(code, sector, None, when, None)
        raise ValueError(f"restriction {rest!r} is not <date, >date or date-date")
    except ValueError as exc:
        errors.append(LineError(no, raw.strip(), f"bad date restriction: {exc}"))
        return "", None


def _is_country_code(code: str) -> bool:
    return (
        len(code) == 3
        and code not in CAMEO_INTERNATIONAL
        and code not in CAMEO_REGIONS
        and code not in CAMEO_ROLES
    )


def _bare_country(codes: list[str]) -> str | None:
    """The country code of a country entry (UKRAINE_: [USRUKR <910824] ... [UKR >911221])."""
    bare = [c for c in codes if _is_country_code(c)]
    return bare[-1] if bare else None


def _infer_kind(name: str, default: str | None, roles: list[Role], comment: str) -> str:
    codes = [c for c in [default, *(r.affiliation for r in roles)] if c]
    if not codes:
        return "organisation"
    first = codes[0]
    if len(first) == 3 and first in CAMEO_REGIONS and not roles:
        return "region"
    if _bare_country(codes):
        return "country"
    words = set(re.split(r"[\s_\-]+", name.upper()))
    if words & _INSTITUTION_WORDS:
        return "organisation"
    if "CountryInfo" in comment or "IGOrulers" in comment or roles:
        return "person"
    if first[:3] in {"MNC", "NGO", "NGM"} or any(ch.isdigit() for ch in name):
        return "organisation"
    n = len([w for w in phrase_text(name).split(" ") if w])
    return "person" if 2 <= n <= 5 else "organisation"


def _finish(p: _Pending, source: str, errors: list[LineError], out: list[Actor]) -> None:
    if not p.phrases:
        return
    if not p.has_code:
        errors.append(LineError(p.line, p.phrases[0], "entry has no code; skipped"))
        return
    primary = p.phrases[0]
    kind = _infer_kind(primary, p.default, p.roles, p.comment)
    codes = [c for c in [p.default, *(r.affiliation for r in p.roles)] if c]
    country, _ = parse_cameo_code(codes[0])
    sectors: list[str] = []
    for c in codes:
        for s in parse_cameo_code(c)[1]:
            if s not in sectors:
                sectors.append(s)
    if kind == "country":
        ident = _bare_country(codes) or codes[0]
        country = ident
        name = display_name(primary)
        if p.default is None:
            p.default = ident
    elif kind == "region":
        ident = codes[0]
        name = display_name(primary)
    else:
        ident = slug(primary)
        name = display_name(primary)
    aliases: list[str] = []
    for ph in p.phrases:
        for piece in ph.split("+"):  # a few Phoenix lines glue two synonyms with '+'
            text = phrase_text(piece)
            if text and text not in aliases:
                aliases.append(text)
            bare = phrase_text(re.sub(r"\([^)]*\)", " ", piece))
            if bare and bare not in aliases:
                aliases.append(bare)
    out.append(
        Actor(
            id=ident,
            name=name,
            kind=kind,
            country=country,
            code=p.default,
            sectors=tuple(sectors),
            aliases=tuple(aliases),
            roles=tuple(p.roles),
            source=source,
        )
    )


def _parse_actor_lines(
    lines: list[tuple[int, str, str]], source: str, errors: list[LineError]
) -> list[Actor]:
    out: list[Actor] = []
    cur: _Pending | None = None
    for no, line, comment in lines:
        if "---STOP---" in line:
            break
        stripped = line.strip()
        if line[:1] in (" ", "\t") and stripped.startswith("["):
            if cur is None:
                errors.append(LineError(no, stripped, "date restriction before any entry"))
                continue
            _add_codes(cur, stripped, no, errors, stripped)
            continue
        phrase, _, codes = stripped.partition("[")
        codes = "[" + codes if codes else ""
        phrase = phrase.strip()
        if stripped.startswith("+"):
            if cur is None:
                errors.append(LineError(no, stripped, "synonym before any entry"))
                continue
            phrase = phrase[1:].strip()
        elif cur is not None and not cur.has_code and not codes:
            # PETRARCH2 keeps adding code-less primary phrases to the pending entry until a
            # code arrives (e.g. the Brezhnev block); it does not start a new entry.
            pass
        else:
            if cur is not None:
                _finish(cur, source, errors, out)
            cur = _Pending(line=no, comment=comment)
        if not phrase:
            errors.append(LineError(no, stripped, "no phrase before the code"))
            continue
        if "]" in phrase or "[" in phrase:
            errors.append(LineError(no, stripped, "unbalanced brackets"))
            continue
        assert cur is not None
        cur.phrases.append(phrase)
        if comment and not cur.comment:
            cur.comment = comment
        _add_codes(cur, codes, no, errors, stripped)
    if cur is not None:
        _finish(cur, source, errors, out)
    return out


def _plurals(phrase: str) -> list[str]:
    """PETRARCH's regular plural of an agent phrase (the last word takes the ending)."""
    if phrase.endswith("_"):
        return []
    words = phrase_text(phrase)
    if not words:
        return []
    upper = words.upper()
    if upper.endswith("SS"):
        return [words + "ES"]
    if upper.endswith("Y") and len(upper) > 1 and upper[-2] not in "AEIOU":
        return [words[:-1] + "IES"]
    if upper.endswith("S"):
        return []
    return [words + "S"]


def _parse_agent_lines(
    lines: list[tuple[int, str, str]], source: str, errors: list[LineError]
) -> list[Actor]:
    subst: dict[str, list[str]] = {}
    by_id: dict[str, Actor] = {}
    for no, line, _comment in lines:
        stripped = line.strip()
        m = _SUBST_RE.match(stripped)
        if m:
            subst[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        # Phoenix writes both [~GOV] and the odd [~LEG} (see the petrarch2 docs).
        cm = re.search(r"\[([^\]\}]*)[\]\}]", stripped)
        if not cm:
            errors.append(LineError(no, stripped, "agent line has no [~CODE]"))
            continue
        code = cm.group(1).strip().upper()
        if "~" not in code:
            errors.append(LineError(no, stripped, "agent code lacks '~' (expected ~XXX or XXX~)"))
            continue
        head = stripped[: cm.start()]
        plural_override: list[str] | None = None
        bm = re.search(r"\{([^}]*)\}", head)
        if bm:
            plural_override = [p for p in bm.group(1).split() if p]
            head = head[: bm.start()] + head[bm.end() :]
        phrase = head.strip()
        if not phrase:
            errors.append(LineError(no, stripped, "agent line has no phrase"))
            continue
        forms: list[str] = [phrase]
        for marker, subs in subst.items():
            if marker in phrase:
                forms = [f.replace(marker, s) for f in forms for s in subs]
        aliases: list[str] = []
        for f in forms:
            aliases.append(phrase_text(f))
            if "!" not in phrase:  # substitution sets list their plurals themselves
                if plural_override is None:
                    aliases.extend(_plurals(f))
                else:
                    aliases.extend(phrase_text(p) for p in plural_override)
        sector_code = code.replace("~", "")
        sectors = tuple(sector_code[i : i + 3] for i in range(0, len(sector_code), 3))
        ident = "agent:" + slug(forms[0])
        prev = by_id.get(ident)
        merged = tuple(dict.fromkeys([*(prev.aliases if prev else ()), *aliases]))
        by_id[ident] = Actor(
            id=ident,
            name=phrase_text(forms[0]).lower(),
            kind="sector-group",
            country=None,
            code=code,
            sectors=sectors,
            aliases=merged,
            roles=(),
            source=source,
        )
    return list(by_id.values())


def parse_phoenix_text(text: str, source: str) -> PhoenixFile:
    """Parse dictionary text; agent files are recognised by their `~` codes."""
    lines = _strip_comments(text)
    codes = [c for _, line, _ in lines for c in _CODE_RE.findall(line)]
    agentish = sum(1 for c in codes if "~" in c)
    errors: list[LineError] = []
    if codes and agentish * 2 > len(codes):
        actors = _parse_agent_lines(lines, source, errors)
        kind = "agents"
    else:
        actors = _parse_actor_lines(lines, source, errors)
        kind = "actors"
    return PhoenixFile(source, kind, tuple(actors), tuple(errors))


def parse_phoenix(path: str | Path) -> PhoenixFile:
    """Read one PETRARCH/Phoenix dictionary file; raise DictionaryError if it is unusable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DictionaryError(f"{p}: cannot read dictionary ({exc.strerror or exc})") from None
    if b"\x00" in data[:4096]:
        raise DictionaryError(f"{p}: binary file, not a PETRARCH/Phoenix dictionary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older TABARI files are Latin-1
    parsed = parse_phoenix_text(text, p.name)
    if not parsed.actors:
        why = (
            f"; first problem: line {parsed.errors[0].line}: {parsed.errors[0].reason}"
            if parsed.errors
            else ""
        )
        raise DictionaryError(f"{p}: no dictionary entries found{why}")
    return parsed


def load_phoenix(path: str | Path) -> list[Actor]:
    """The actors (or agent sector groups) in a PETRARCH/Phoenix dictionary file."""
    return list(parse_phoenix(path).actors)
