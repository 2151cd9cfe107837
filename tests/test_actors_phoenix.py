"""PETRARCH/Phoenix dictionary reader: hand-written snippets, and the real files when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.actors.codes import parse_cameo_code
from newstrace.actors.phoenix import (
    DictionaryError,
    parse_date6,
    parse_phoenix,
    parse_phoenix_text,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
PETRARCH = SHARED / "reference" / "petrarch2_dictionaries"

ACTORS = """\
# a comment line
<!-- a block comment
     over two lines [XXX] -->
FREEDONIA_  [FRD]
+FREEDONIAN_
+FREEDONIA_CITY_  # the capital
RUFUS_T._FIREFLY_  ; legacy comment
+FIREFLY_
+PRESIDENT_FIREFLY
\t[FRDELI 310101-330301]
\t[FRDGOV 330302-351231]
\t[FRDGOV >20200101]
\t[FRDELI]
TRENTINO_
AMBASSADOR_TRENTINO
\t[SYLGOV <340101]
FREEDONIAN_ARMY [FRDMIL] # inline code on the primary line
NATO_
+NORTH_ATLANTIC_TREATY_ORGANIZATION_
\t[IGOWSTNAT]
BAD_DATES_
\t[FRDGOV 9008223-911221]
\t[FRDGOV 20121207-20120802]
\t[FRDGOV]
GLUED_  [FRDREB]
+FIRST_NAME+_SECOND_NAME_
"""


def _by_id(text: str) -> dict:
    return {a.id: a for a in parse_phoenix_text(text, "test.actors.txt").actors}


def test_country_entry_with_synonyms() -> None:
    a = _by_id(ACTORS)["FRD"]
    assert a.kind == "country"
    assert a.code == "FRD"
    assert a.aliases == ("FREEDONIA", "FREEDONIAN", "FREEDONIA CITY")


def test_person_with_dated_roles_and_default() -> None:
    a = _by_id(ACTORS)["rufus-t-firefly"]
    assert a.kind == "person"
    assert a.name == "Rufus T. Firefly"
    assert a.code == "FRDELI"  # the undated code is the default
    assert [(r.affiliation, r.start, r.end) for r in a.roles] == [
        ("FRDELI", "1931-01-01", "1933-03-01"),  # YYMMDD: 31..99 are 19YY
        ("FRDGOV", "1933-03-02", "1935-12-31"),
        ("FRDGOV", "2020-01-01", None),
    ]
    assert "PRESIDENT FIREFLY" in a.aliases
    assert a.country == "FRD"
    assert parse_cameo_code(a.roles[1].affiliation) == ("FRD", ("GOV",))


def test_codeless_primary_phrases_share_the_next_codes() -> None:
    # PETRARCH2 keeps code-less primary lines in the pending entry until a code arrives.
    a = _by_id(ACTORS)["trentino"]
    assert a.aliases == ("TRENTINO", "AMBASSADOR TRENTINO")
    assert a.roles[0].start is None and a.roles[0].end == "1934-01-01"


def test_inline_code_organisation_and_igo() -> None:
    got = _by_id(ACTORS)
    assert got["freedonian-army"].code == "FRDMIL"
    assert got["freedonian-army"].kind == "organisation"
    assert got["nato"].code == "IGOWSTNAT"
    assert got["nato"].country is None
    assert got["nato"].name == "NATO"


def test_bad_dates_are_reported_not_dropped_silently() -> None:
    parsed = parse_phoenix_text(ACTORS, "t.txt")
    reasons = [(e.line, e.reason) for e in parsed.errors]
    assert any("9008223" in r for _, r in reasons)
    assert any("end date before start date" in r for _, r in reasons)
    bad = {a.id: a for a in parsed.actors}["bad-dates"]
    assert bad.roles == () and bad.code == "FRDGOV"


def test_glued_synonyms_are_split() -> None:
    assert _by_id(ACTORS)["glued"].aliases == ("GLUED", "FIRST NAME", "SECOND NAME")


def test_comment_blocks_do_not_leak_codes() -> None:
    assert "XXX" not in {a.code for a in parse_phoenix_text(ACTORS, "t").actors}


def test_entry_without_code_is_an_error() -> None:
    parsed = parse_phoenix_text("ORPHAN_\n+OTHER_\n", "t")
    assert parsed.actors == ()
    assert parsed.errors[0].reason.startswith("entry has no code")


AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
TROOP [~MIL]
POLICE {} [~COP]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG]
SPOKES!PERSON! [~GOV]
AID_WORKER [NGO~]
SECRETARY [~GOV]
ARMY_FOR_THE_LIBERATION_ [~REB]
NO_CODE_HERE
"""


def test_agent_dictionary() -> None:
    parsed = parse_phoenix_text(AGENTS, "test.agents.txt")
    assert parsed.kind == "agents"
    got = {a.id: a for a in parsed.actors}
    assert got["agent:troop"].aliases == ("TROOP", "TROOPS")
    assert got["agent:troop"].code == "~MIL" and got["agent:troop"].kind == "sector-group"
    assert got["agent:police"].aliases == ("POLICE",)  # {} means no plural
    assert got["agent:attorney-general"].aliases == ("ATTORNEY GENERAL", "ATTORNEYS GENERAL")
    assert got["agent:attorney-general"].sectors == ("GOV", "ATG")
    assert set(got["agent:spokesman"].aliases) == {
        "SPOKESMAN",
        "SPOKESMEN",
        "SPOKESWOMAN",
        "SPOKESWOMEN",
        "SPOKESPERSON",
    }
    assert got["agent:aid-worker"].code == "NGO~"
    assert got["agent:secretary"].aliases == ("SECRETARY", "SECRETARIES")
    assert got["agent:army-for-the-liberation"].aliases == (
        "ARMY FOR THE LIBERATION",
    )  # '_' stops plurals
    assert [e.reason for e in parsed.errors] == ["agent line has no [~CODE]"]


def test_parse_date6_pivot_and_validation() -> None:
    assert parse_date6("300101").year == 2030
    assert parse_date6("310101").year == 1931
    assert parse_date6("19411207").isoformat() == "1941-12-07"
    with pytest.raises(ValueError):
        parse_date6("20100931")
    with pytest.raises(ValueError):
        parse_date6("2004017")


def test_cameo_code_split() -> None:
    assert parse_cameo_code("AFGGOVAGR") == ("AFG", ("GOV", "AGR"))
    assert parse_cameo_code("IGOWSTNAT") == (None, ())
    assert parse_cameo_code("WST") == (None, ())
    assert parse_cameo_code("MED") == (None, ("MED",))
    assert parse_cameo_code("KSVGOV") == ("XKX", ("GOV",))


def test_unreadable_files_raise_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="cannot read dictionary"):
        parse_phoenix(tmp_path / "missing.txt")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(DictionaryError, match="binary file"):
        parse_phoenix(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing but comments\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="no dictionary entries"):
        parse_phoenix(empty)


def test_latin1_file_is_read(tmp_path: Path) -> None:
    f = tmp_path / "old.actors.txt"
    f.write_bytes("MANFRED_W\xd6RNER_ [IGOWSTNAT 880701-940813]\n".encode("latin-1"))
    (a,) = parse_phoenix(f).actors
    assert a.aliases == ("MANFRED WÖRNER",)


@pytest.mark.skipif(
    not PETRARCH.is_dir(), reason="shared/reference/petrarch2_dictionaries not present"
)
def test_real_phoenix_files_load() -> None:
    countries = parse_phoenix(PETRARCH / "Phoenix.Countries.actors.txt")
    by_id = {a.id: a for a in countries.actors}
    assert len(countries.actors) > 15000
    putin = by_id["vladimir-putin"]
    assert putin.kind == "person" and "PUTIN" in putin.aliases
    assert any(
        r.affiliation == "RUSGOV" and r.start == "2008-05-08" and r.end is None for r in putin.roles
    )
    assert by_id["UKR"].kind == "country" and "KYIV" in by_id["UKR"].aliases
    assert by_id["kremlin"].code == "RUSGOV"
    # the few malformed lines in the real file are reported with their line numbers
    assert 0 < len(countries.errors) < 20
    intl = {a.id: a for a in parse_phoenix(PETRARCH / "Phoenix.International.actors.txt").actors}
    assert intl["nato"].code == "IGOWSTNAT"
    agents = parse_phoenix(PETRARCH / "Phoenix.agents.txt")
    assert agents.kind == "agents" and len(agents.actors) > 2000
