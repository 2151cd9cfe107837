"""Actor registry: loading, date-aware resolution, descriptions, metonyms, merging and import."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.actors import (
    ActorFields,
    ActorRegistry,
    DictionaryError,
    RegistryError,
    import_dictionary,
    name_key,
)

FEB_2022 = "2022-02-01"


@pytest.fixture(scope="module")
def reg() -> ActorRegistry:
    return ActorRegistry.load()


# (text, when) -> (code, kind, name or holder, title)
TABLE = [
    (
        "Russian President Vladimir Putin",
        FEB_2022,
        "RUSGOV",
        "person",
        "Vladimir Putin",
        "President",
    ),
    ("President Putin", FEB_2022, "RUSGOV", "person", "Vladimir Putin", "President"),
    ("Putin", FEB_2022, "RUSGOV", "person", "Vladimir Putin", "President"),
    ("Lavrov", FEB_2022, "RUSGOV", "person", "Sergey Lavrov", "Foreign Minister"),
    ("Peskov", FEB_2022, "RUSGOV", "person", "Dmitry Peskov", "Press Secretary"),
    ("Zelenskiy", FEB_2022, "UKRGOV", "person", "Volodymyr Zelenskyy", "President"),
    ("Biden", FEB_2022, "USAGOV", "person", "Joe Biden", "President"),
    ("Antony Blinken", FEB_2022, "USAGOV", "person", "Antony Blinken", "Secretary of State"),
    ("Boris Johnson", FEB_2022, "GBRGOV", "person", "Boris Johnson", "Prime Minister"),
    ("Orbán", FEB_2022, "HUNGOV", "person", "Viktor Orbán", "Prime Minister"),
    ("Aliyev", FEB_2022, "AZEGOV", "person", "Ilham Aliyev", "President"),
    ("Mitsotakis", FEB_2022, "GRCGOV", "person", "Kyriakos Mitsotakis", "Prime Minister"),
    ("Tokayev", FEB_2022, "KAZGOV", "person", "Kassym-Jomart Tokayev", "President"),
    ("Stoltenberg", FEB_2022, "IGOWSTNAT", "person", "Jens Stoltenberg", "Secretary-General"),
    ("Moscow", FEB_2022, "RUSGOV", "sector-group", "Government of Russia", None),
    ("the Kremlin", FEB_2022, "RUSGOV", "sector-group", "Government of Russia", None),
    ("Kyiv", FEB_2022, "UKRGOV", "sector-group", "Government of Ukraine", None),
    ("Kiev", FEB_2022, "UKRGOV", "sector-group", "Government of Ukraine", None),
    ("Washington", FEB_2022, "USAGOV", "sector-group", "Government of United States", None),
    ("the White House", FEB_2022, "USAGOV", "sector-group", "Government of United States", None),
    ("the State Department", FEB_2022, "USAGOV", "organisation", "U.S. Department of State", None),
    ("Beijing", FEB_2022, "CHNGOV", "sector-group", "Government of China", None),
    ("Brussels", FEB_2022, "IGOEUREEC", "organisation", "European Union", None),
    ("the West", FEB_2022, "WST", "region", "the West", None),
    ("NATO", FEB_2022, "IGOWSTNAT", "organisation", "NATO", None),
    (
        "the OSCE",
        FEB_2022,
        "IGOEURSCE",
        "organisation",
        "Organization for Security and Co-operation in Europe",
        None,
    ),
    (
        "CSTO",
        FEB_2022,
        "IGOCASCST",
        "organisation",
        "Collective Security Treaty Organization",
        None,
    ),
    ("Russia", FEB_2022, "RUS", "country", "Russia", None),
    ("Ukrainian", FEB_2022, "UKR", "country", "Ukraine", None),
]


@pytest.mark.parametrize(("text", "when", "code", "kind", "name", "title"), TABLE)
def test_resolution_table(
    reg: ActorRegistry, text: str, when: str, code: str, kind: str, name: str, title: str | None
) -> None:
    r = reg.resolve(text, when=when)
    assert r is not None, text
    assert (r.code, r.kind, r.name, r.title) == (code, kind, name, title)


DESCRIPTIONS = [
    # text -> code, title, holder (the office holder on 2022-02-01), kind
    ("the Russian leader", "RUSGOV", "Leader", "Vladimir Putin", "person"),
    ("the Russian president", "RUSGOV", "President", "Vladimir Putin", "person"),
    ("Russia's foreign minister", "RUSGOV", "Foreign Minister", "Sergey Lavrov", "person"),
    ("Hungary's prime minister", "HUNGOV", "Prime Minister", "Viktor Orbán", "person"),
    ("Hungary’s prime minister", "HUNGOV", "Prime Minister", "Viktor Orbán", "person"),
    ("Putin's press secretary", "RUSGOV", "Press Secretary", "Dmitry Peskov", "person"),
    ("the Kremlin spokesman", "RUSGOV", "Spokesperson", "Dmitry Peskov", "person"),
    ("US Secretary of State", "USAGOV", "Secretary of State", "Antony Blinken", "person"),
    ("a State Department official", "USAGOV", "Official", None, "person"),
    ("Ukrainian troops", "UKRMIL", None, None, "sector-group"),
    ("Russian diplomats", "RUSGOV", None, None, "sector-group"),
    ("NATO foreign ministers", "IGOWSTNAT", None, None, "sector-group"),
    ("Western officials", "WST", None, None, "sector-group"),
]


@pytest.mark.parametrize(("text", "code", "title", "holder", "kind"), DESCRIPTIONS)
def test_descriptions(
    reg: ActorRegistry, text: str, code: str, title: str | None, holder: str | None, kind: str
) -> None:
    r = reg.resolve(text, when=FEB_2022)
    assert r is not None, text
    assert (r.code, r.title, r.holder_name, r.kind) == (code, title, holder, kind)
    assert r.person_id is None  # the text did not name anyone
    assert r.basis == "description"


def test_description_without_date_names_no_holder(reg: ActorRegistry) -> None:
    r = reg.resolve("Hungary's prime minister")
    assert r is not None
    assert (r.country, r.sector, r.title, r.person_id, r.holder_id) == (
        "HUN",
        "GOV",
        "Prime Minister",
        None,
        None,
    )


def test_stored_fields(reg: ActorRegistry) -> None:
    # A description names no one: the entity keeps no actor_id, a quote's speaker the holder.
    described = ActorFields.from_resolved(reg.resolve("Hungary's prime minister", when=FEB_2022))
    assert (described.actor, described.actor_id, described.referent_id, described.name) == (
        "HUNGOV",
        None,
        "viktor-orban",
        "Viktor Orbán",
    )
    named = ActorFields.from_resolved(reg.resolve("Putin", when=FEB_2022))
    assert (named.actor_id, named.referent_id, named.basis) == (
        "vladimir-putin",
        "vladimir-putin",
        "alias",
    )
    assert ActorFields.from_resolved(None) == ActorFields()


def test_title_and_name_keeps_the_stated_title(reg: ActorRegistry) -> None:
    r = reg.resolve("his Azerbaijani counterpart Ilham Aliyev", when=FEB_2022)
    assert r is not None and r.person_id == "ilham-aliyev" and r.code == "AZEGOV"
    r = reg.resolve("Prime Minister Putin", when="2010-01-01")
    assert r is not None and r.title == "Prime Minister" and r.code == "RUSGOV"


def test_apposition(reg: ActorRegistry) -> None:
    r = reg.resolve("Putin's press secretary, Dmitry Peskov", when=FEB_2022)
    assert r is not None
    assert (r.person_id, r.title) == ("dmitry-peskov", "Press Secretary")


def test_dates_decide_roles(reg: ActorRegistry) -> None:
    def code(text: str, when: str | None) -> str | None:
        r = reg.resolve(text, when=when)
        assert r is not None
        return r.code

    assert code("Boris Johnson", "2017-01-01") == "GBRGOV"  # Foreign Secretary
    assert code("Boris Johnson", "2019-01-01") == "GBRELI"  # between posts: the default code
    assert code("Boris Johnson", "2023-01-01") == "GBRELI"  # PM role ended 2022-09-06
    assert code("Stoltenberg", "2024-09-30") == "IGOWSTNAT"
    assert code("Stoltenberg", "2024-12-01") == "NORELI"  # NATO role ended 2024-10-01
    assert code("Zelenskyy", "2019-05-19") == "UKRELI"
    assert code("Zelenskyy", "2019-05-20") == "UKRGOV"  # inclusive bounds
    assert code("Biden", "2021-01-19") == "USAELI"
    assert code("Biden", "2021-01-20") == "USAGOV"
    assert code("Biden", "2022") == "USAGOV"  # a year-precision date
    r = reg.resolve("the British prime minister", when="2023-06-01")
    assert r is not None and r.holder_name == "Rishi Sunak"
    r = reg.resolve("the British prime minister", when="2022-02-01")
    assert r is not None and r.holder_name == "Boris Johnson"


def test_ambiguous_surname_follows_the_date(reg: ActorRegistry) -> None:
    r = reg.resolve("Johnson", when=FEB_2022)
    assert r is not None and r.person_id == "boris-johnson"


def test_unknown_people(reg: ActorRegistry) -> None:
    r = reg.resolve("Ukrainian lawmaker Ivan Petrenko", when=FEB_2022)
    assert r is not None
    assert (r.kind, r.name, r.person_id, r.code, r.country, r.title) == (
        "person",
        "Ivan Petrenko",
        None,
        "UKRLEG",
        "UKR",
        "Lawmaker",
    )
    assert r.basis == "named-person"
    # A bare unknown name is a person only when NER says so.
    assert reg.resolve("John Smith") is None
    r = reg.resolve("John Smith", label="PERSON")
    assert r is not None and (r.kind, r.name, r.code) == ("person", "John Smith", None)
    # A country's own name before a surname is part of the name, not an affiliation.
    r = reg.resolve("Jordan Smith", label="PERSON")
    assert r is not None and r.name == "Jordan Smith" and r.country is None


def test_not_actors(reg: ActorRegistry) -> None:
    assert reg.resolve("Aliyev's visit") is None
    assert reg.resolve("the concentration of troops") is None
    assert reg.resolve("") is None
    assert reg.resolve("us") is None  # the pronoun is not the United States
    r = reg.resolve("US")
    assert r is not None and r.code == "USA"


def test_bad_when_is_a_clear_error(reg: ActorRegistry) -> None:
    with pytest.raises(ValueError, match="not an ISO date"):
        reg.resolve("Putin", when="Feb 1st")


def test_name_key() -> None:
    assert name_key("Orbán") == name_key("ORBAN") == "orban"
    assert name_key("the Kremlin") == "kremlin"
    assert name_key("Hungary’s") == "hungary's"
    assert name_key("Kassym-Jomart  Tokayev") == "kassym-jomarttokayev"


# ---------------------------------------------------------------- small registries, no packaged data

SMALL_TOML = """
[[organisation]]
id = "FREEDONIA-ARMY"
name = "Freedonian Army"
code = "FRDMIL"
aliases = ["Freedonian Army"]

[[person]]
id = "rufus-firefly"
name = "Rufus T. Firefly"
country = "FRD"
code = "FRDELI"
aliases = ["Firefly"]
roles = [{ affiliation = "FRDGOV", title = "President", start = "1933-01-01", end = "1935-12-31", leader = true }]

[[title]]
title = "President"
office = "president"
sector = "GOV"
phrases = ["president"]

[[metonym]]
aliases = ["Freedonia City"]
code = "FRDGOV"
"""


def _small(tmp_path: Path) -> ActorRegistry:
    d = tmp_path / "actors"
    d.mkdir()
    (d / "a.toml").write_text(SMALL_TOML, encoding="utf-8")
    (d / "b.actors.txt").write_text("FREEDONIA_ [FRD]\n+FREEDONIAN_\n", encoding="utf-8")
    return ActorRegistry.load(extra_dirs=[d], packaged=False)


def test_small_registry_from_user_files(tmp_path: Path) -> None:
    reg = _small(tmp_path)
    r = reg.resolve("Firefly", when="1934-06-01")
    assert r is not None and (r.code, r.title) == ("FRDGOV", "President")
    r = reg.resolve("Firefly", when="1940-01-01")
    assert r is not None and r.code == "FRDELI"
    r = reg.resolve("Freedonia City")
    assert r is not None and (r.code, r.basis) == ("FRDGOV", "metonym")
    r = reg.resolve("the Freedonian president", when="1934-06-01")
    assert r is not None and (r.code, r.holder_name) == ("FRDGOV", "Rufus T. Firefly")


def test_merge_updates_by_id_and_full_name(tmp_path: Path) -> None:
    from newstrace.actors.phoenix import parse_phoenix_text

    reg = _small(tmp_path)
    before = len(reg)
    parsed = parse_phoenix_text(
        "RUFUS_T._FIREFLY_\n+PRESIDENT_FIREFLY_\n\t[FRDGOV 19330101-19391231]\nCHICOLINI_ [SYLSPY]\nFREEDONIA_ [FRD]\n",
        "user.txt",
    )
    report = reg.merge(parsed.actors)
    assert (report.added, report.updated, report.skipped) == (1, 1, 1)
    assert len(reg) == before + 1
    firefly = reg.get("rufus-firefly")
    assert firefly is not None and "PRESIDENT FIREFLY" in firefly.aliases
    # two user files of equal standing: the roles add up
    assert [(r.affiliation, r.end) for r in firefly.roles] == [
        ("FRDGOV", "1935-12-31"),
        ("FRDGOV", "1939-12-31"),
    ]
    # a user dictionary over packaged data replaces the dated roles
    from newstrace.actors import PRIORITY_PACKAGED, PRIORITY_USER

    packaged = ActorRegistry()
    packaged.merge([firefly], priority=PRIORITY_PACKAGED)
    packaged.merge([a for a in parsed.actors if a.name.startswith("Rufus")], priority=PRIORITY_USER)
    replaced = packaged.get("rufus-firefly")
    assert replaced is not None and [(r.affiliation, r.end) for r in replaced.roles] == [
        ("FRDGOV", "1939-12-31")
    ]
    r = reg.resolve("Chicolini")
    assert r is not None and r.code == "SYLSPY"


def test_import_dictionary_stores_and_reports(tmp_path: Path) -> None:
    src = tmp_path / "my dict.txt"
    src.write_text(
        "NEW_PERSON_ONE_  # someone\n\t[FRDGOV >20200101]\nNEW_ORG_ [FRDMIL]\nBROKEN_\n\t[FRDGOV 2020-2021]\n\t[FRDGOV]\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    reg = _small(tmp_path)
    report = import_dictionary(src, store_dir=store, registry=reg)
    assert (report.added, report.updated) == (3, 0)
    assert report.errors and "bad date restriction" in report.errors[0]
    assert report.stored_as is not None and Path(report.stored_as).read_bytes() == src.read_bytes()
    assert Path(report.stored_as).name == "my_dict.txt"
    # importing the same file again stores nothing new and adds nothing
    again = import_dictionary(src, store_dir=store, registry=reg)
    assert (again.added, again.updated) == (0, 0) and again.stored_as == report.stored_as
    # the stored file is loaded with the registry next time
    fresh = ActorRegistry.load(extra_dirs=[store], packaged=False)
    r = fresh.resolve("New Org")
    assert r is not None and r.code == "FRDMIL"


def test_import_rejects_unusable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("# only comments\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"bad\.txt"):
        import_dictionary(bad, store_dir=tmp_path / "s", registry=ActorRegistry())


def test_broken_toml_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("[[person]\nname=", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"x\.toml"):
        ActorRegistry.load(extra_dirs=[tmp_path], packaged=False)


def test_actors_dir_must_be_a_folder(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(RegistryError, match="not a folder"):
        ActorRegistry.load(extra_dirs=[f], packaged=False)
    ActorRegistry.load(
        extra_dirs=[tmp_path / "missing"], packaged=False
    )  # absent dir: nothing to load


def test_lower_case_text_is_not_a_name(reg: ActorRegistry) -> None:
    assert reg.resolve("a red line") is None  # Phoenix lists a group called "Red Line"
    r = reg.resolve("Red Line")
    assert r is not None and r.code == "GRCREB"


def test_missing_apostrophes(reg: ActorRegistry) -> None:
    r = reg.resolve("Russias", label="PERSON")
    assert r is not None and r.code == "RUS"
    r = reg.resolve("Ukraines")
    assert r is not None and r.code == "UKR"
