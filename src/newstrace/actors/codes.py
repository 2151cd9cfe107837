"""CAMEO actor codes: the codebook's non-country prefixes and sectors, and how a code reads
(`RUSGOV` is Russia's government: country `RUS`, sector `GOV`)."""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "CAMEO_INTERNATIONAL",
    "CAMEO_REGIONS",
    "CAMEO_ROLES",
    "COUNTRY_CODE_ALIASES",
    "affiliation_place",
    "normalize_code",
    "parse_cameo_code",
    "sector_of",
]

# CAMEO codebook tables 3.2 and 3.3: codes that start an actor code but are not countries.
CAMEO_INTERNATIONAL = frozenset({"IGO", "IMG", "INT", "MNC", "NGM", "NGO", "UIS"})
CAMEO_REGIONS = frozenset(
    {
        "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR",
        "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST",
    }
)  # fmt: skip
# CAMEO role/sector codes (codebook table 3.1 and the Phoenix agents): a code made only of these
# names a kind of actor, not a country.
CAMEO_ROLES = frozenset(
    [
        "GOV",
        "MIL",
        "REB",
        "OPP",
        "COP",
        "JUD",
        "SPY",
        "UAF",
        "AGR",
        "BUS",
        "CRM",
        "CVL",
        "DEV",
        "EDU",
        "ELI",
        "ENV",
        "HLH",
        "HRI",
        "LAB",
        "LEG",
        "MED",
        "REF",
        "MOD",
        "RAD",
        "INS",
        "SEP",
        "PTY",
        "JRN",
        "NON",
        "UNK",
        "PRE",
        "SOC",
        "PKO",
        "CHR",
        "MOS",
        "JEW",
        "BUD",
        "HIN",
        "REL",
        "ATH",
    ]
)
# Phoenix uses a few non-ISO country codes; the registry keys countries by ISO3.
COUNTRY_CODE_ALIASES = {"KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "ZAR": "COD"}


@lru_cache(maxsize=65536)
def parse_cameo_code(code: str) -> tuple[str | None, tuple[str, ...]]:
    """Split a CAMEO actor code into (country ISO3 or None, 3-letter sector codes).

    'RUSGOV' -> ('RUS', ('GOV',)); 'AFGGOVAGR' -> ('AFG', ('GOV', 'AGR')); 'IGOWSTNAT' -> (None, ());
    international and region codes carry no country, and their tail is an organisation path, not
    sectors.
    """
    code = code.strip().upper()
    head = code[:3]
    if head in CAMEO_INTERNATIONAL or head in CAMEO_REGIONS or len(code) < 3:
        return None, ()
    if head in CAMEO_ROLES:
        return None, tuple(code[i : i + 3] for i in range(0, len(code) - len(code) % 3, 3))
    head = COUNTRY_CODE_ALIASES.get(head, head)
    tail = code[3:]
    return head, tuple(tail[i : i + 3] for i in range(0, len(tail) - len(tail) % 3, 3))


def normalize_code(code: str) -> str:
    code = code.strip().upper()
    head = COUNTRY_CODE_ALIASES.get(code[:3])
    return head + code[3:] if head else code


def sector_of(code: str | None) -> str | None:
    """The primary sector of a code (`GOV` for `RUSGOV`), None if it has none."""
    if not code:
        return None
    secs = parse_cameo_code(code)[1]
    return secs[0] if secs else None


def affiliation_place(code: str) -> str:
    """Holder-index key of an affiliation: its country, or the code itself for IGOs and regions."""
    return parse_cameo_code(code)[0] or code
