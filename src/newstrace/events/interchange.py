"""Events in the interchange formats users load unchanged: PLOVER JSON (the manual's "JSON Data
Fields" chapter, one record a line) and the GDELT 2.0 event and mentions tables (tab-separated,
no header, the codebook's column order; blank where we have no value).

Only events that happened are written: a negated or hypothetical event would be counted as the
act by every tool that reads these formats, since neither format can say otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..store.models import EventView, ReportView

__all__ = [
    "GDELT_EVENT_COLUMNS",
    "GDELT_MENTION_COLUMNS",
    "exportable",
    "gdelt_event",
    "gdelt_id",
    "gdelt_mentions",
    "plover_record",
    "quad_class",
]

# GDELT 2.0 Event Database codebook, the 61 columns of an export file, in order.
GDELT_EVENT_COLUMNS = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# GDELT 2.0 Mentions table: one row per report of an event.
GDELT_MENTION_COLUMNS = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

# PLOVER quad categories (the manual's table; REQUEST is POLECAT's name for DEMAND).
_QUADS = {
    1: ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),
    2: ("COOPERATE", "AID", "RETREAT", "INVESTIGATE"),
    3: ("DEMAND", "REQUEST", "ACCUSE", "REJECT", "SANCTION", "THREATEN"),
    4: ("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"),
}
_QUAD_OF = {t: q for q, types in _QUADS.items() for t in types}


def exportable(e: EventView) -> bool:
    return not (e.negated or e.hypothetical)


def quad_class(cameo: str) -> int | None:
    """GDELT's QuadClass from the CAMEO root: 01-05 verbal and 06-09 material cooperation,
    10-14 verbal and 15-20 material conflict."""
    try:
        root = int(cameo[:2])
    except ValueError:
        return None
    if not 1 <= root <= 20:
        return None
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def gdelt_id(event_id: str) -> int:
    """Our event id as the integer GDELT tools expect: its first 60 bits (stable), or those of
    its hash when it is not hexadecimal (a store another tool wrote)."""
    head = event_id[:15]
    if len(head) < 15 or any(c not in "0123456789abcdef" for c in head):
        head = hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:15]
    return int(head, 16)


def _actors(codes: str | None, countries: str | None, texts: str | None) -> list[dict[str, Any]]:
    out = []
    country_list = (countries or "").split(";")
    for i, code in enumerate(c for c in (codes or "").split(";") if c):
        country = country_list[i] if i < len(country_list) and country_list[i] else None
        actor: dict[str, Any] = {"code": country or code[:3]}
        sector = code[len(country) :] if country and code.startswith(country) else ""
        if sector:
            actor["sector"] = sector
        actor["identifier_id"] = code
        if i == 0 and texts:
            actor["actor_text"] = texts
        out.append(actor)
    return out


def plover_record(e: EventView, reports: Sequence[ReportView]) -> dict[str, Any]:
    """One PLOVER JSON record: the required id, date, source and event, and what we have of the
    optional fields; `reports` (our field, which the manual allows) lists every report."""
    record: dict[str, Any] = {
        "id": e.id,
        "date": e.date,
        "source": _actors(e.source_actor, e.source_country, None),
        "event": [e.event_type] if e.event_type else [],
    }
    recipient = _actors(e.target_actor, e.target_country, None)
    if recipient:
        record["recipient"] = recipient
    if e.last_date and e.last_date != e.date:
        record["enddate"] = e.last_date
    if e.mode:
        record["mode"] = e.mode
    quad = _QUAD_OF.get(e.event_type or "")
    if quad is not None:
        record["quad_code"] = quad
    if e.goldstein is not None:
        record["event_scale"] = e.goldstein
    record["event_text"] = [e.trigger]
    record["text"] = e.sentence
    record["text_info"] = {"start": e.start, "end": e.end}
    record["cite_info"] = {"url": e.url, "publication": e.outlet, "citation": e.article_id}
    record["coder"] = e.stage_version
    record["cameo"] = e.cameo
    record["future"] = e.future
    record["claimed"] = e.claimed
    record["reports"] = [
        {
            "article_id": r.article_id,
            "url": r.url,
            "publication": r.outlet,
            "date": r.day,
            "text": r.sentence,
            "start": r.start,
            "end": r.end,
        }
        for r in reports
    ]
    return record


def _day(d: str | None) -> str:
    return d.replace("-", "") if d else ""


def _type_code(code: str | None, country: str | None) -> str:
    if not code or not country or not code.startswith(country):
        return ""
    return code[len(country) : len(country) + 3]


def gdelt_event(e: EventView) -> list[Any]:
    """The 61 columns of one GDELT 2.0 event row."""
    day = _day(e.date)
    frac = ""
    if day:
        y, m, d = int(day[:4]), int(day[4:6]), int(day[6:8])
        frac = f"{y + ((m - 1) * 30 + d) / 365:.4f}"  # the codebook's approximation
    src_country = (e.source_country or "").split(";")[0] or None
    tgt_country = (e.target_country or "").split(";")[0] or None
    values: dict[str, Any] = {
        "GlobalEventID": gdelt_id(e.id),
        "Day": day,
        "MonthYear": day[:6],
        "Year": day[:4],
        "FractionDate": frac,
        "Actor1Code": e.source_code,
        "Actor1CountryCode": src_country or "",
        "Actor1Type1Code": _type_code(e.source_code, src_country),
        "Actor2Code": e.target_code or "",
        "Actor2CountryCode": tgt_country or "",
        "Actor2Type1Code": _type_code(e.target_code, tgt_country),
        "EventCode": e.cameo,
        "EventBaseCode": e.cameo[:3],
        "EventRootCode": e.cameo[:2],
        "QuadClass": quad_class(e.cameo) or "",
        "GoldsteinScale": "" if e.goldstein is None else e.goldstein,
        "NumMentions": e.reports,
        "NumSources": e.outlets,
        "NumArticles": e.articles,
        "SOURCEURL": e.url or "",
    }
    return [values.get(c, "") for c in GDELT_EVENT_COLUMNS]


def gdelt_mentions(e: EventView, reports: Iterable[ReportView]) -> Iterator[list[Any]]:
    """The mentions rows of one event: each report with its outlet and URL."""
    for r in reports:
        values: dict[str, Any] = {
            "GlobalEventID": gdelt_id(e.id),
            "EventTimeDate": f"{_day(e.date)}000000" if e.date else "",
            "MentionTimeDate": f"{_day(r.published)}000000" if r.published else "",
            "MentionType": 1,  # web
            "MentionSourceName": r.outlet or "",
            "MentionIdentifier": r.url or r.article_id,
            "ActionCharOffset": r.trigger_start,
            "InRawText": 1,
            "Confidence": round(r.confidence * 100),
        }
        yield [values.get(c, "") for c in GDELT_MENTION_COLUMNS]
