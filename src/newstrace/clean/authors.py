"""Authors: reading person names out of bylines and author fields, and choosing an HTML page's
authors among its candidates; also the plain text's byline and wire-credit lines."""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html

from ..dates import MONTH, WEEKDAY, WEEKDAY_ABBREVIATION, full_dates_at
from .furniture import SENTENCE_END, agency_name
from .markup import elements_after, headline_h1
from .page import URLISH, PageMeta, Site, match_key

__all__ = [
    "choose_authors",
    "clean_authors",
    "credit_authors",
    "header_authors",
    "parse_byline",
    "trafilatura_author",
]


_BY = re.compile(r"^\s*(?:by|reported by|written by|author|authors|posted by)\s*[:\-]?\s*", re.I)
_NOT_A_NAME = re.compile(r"@|https?://|www\.|\d", re.I)
_ROLE_WORDS = re.compile(
    r"\b(staff|correspondent|reporter|editor|desk|bureau|agency|agencies|news|team|contributor|writer)\b",
    re.I,
)


def clean_authors(values: list[str] | tuple[str, ...] | str | None) -> tuple[str, ...]:
    """Normalise author strings into a tuple of person names, dropping roles, emails and outlets."""
    if not values:
        return ()
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        value = _BY.sub("", value.strip())
        for part in re.split(r"\s*(?:,|;|\band\b|&|\|)\s*", value):
            part = part.strip(" .-–—|")
            if not part or _NOT_A_NAME.search(part):
                continue
            part = _ROLE_WORDS.sub("", part).strip(" ,.-–—")
            words = part.split()
            if not 1 < len(words) <= 5:
                continue
            if part.isupper() or part.islower():
                part = part.title()
            if part not in out:
                out.append(part)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Author values stated by an HTML page


_AUTHOR_DROP = re.compile(
    r"^(?:updated|last updated|published|reviewed|fact[- ]checked|edited|photos?|images?|"
    r"illustrations?|video|medically reviewed)\b",
    re.I,
)
_AUTHOR_PREFIX = re.compile(
    r"^\s*(?:view all posts by|more posts by|posts by|articles by|written by|posted by|"
    r"published by|reported by|words by|story by|by|von|authors?)\s*[:\-]?\s+",
    re.I,
)
_AUTHOR_SUFFIX = re.compile(r"\s+(?:says|said|wrote)\s*:?\s*$", re.I)
_TRAILING_ROLES = re.compile(
    r"(?:\s+(?:staff|senior|contributing|staff writer|writer|reporter|correspondent|editor|"
    r"contributor|columnist))+\s*$",
    re.I,
)


# A job title standing alone after a name: at most two qualifiers before the role noun.
_ROLE_AFTER_NAME = re.compile(
    r"^(?:[A-Z][\w&-]*\s+){0,2}(?:staff writer|writer|reporter|correspondent|editor|contributor|"
    r"columnist|producer|analyst|bureau chief|chief)s?$",
    re.I,
)


# A month or weekday name, or its abbreviation.
_DATE_WORD = rf"(?:{MONTH}|{WEEKDAY_ABBREVIATION}|{WEEKDAY})"
_MONTH_OR_DAY = re.compile(rf"\b{_DATE_WORD}\b\.?,?(?=\s*\d)", re.I)
_DATEISH = re.compile(rf"^(?:\s|\d|[,./-]|\b{_DATE_WORD}\b)*$", re.I)
_CLOCK = re.compile(r"\b\d{1,2}:\d\d\b")
# A weekday or day number left over from a split date ("J.R. Stone Thursday"); a trailing month
# name is not stripped, since it can be the name itself ("Theresa May").
_TRAILING_DAY = re.compile(rf"(?:\s+(?:\d{{1,2}}|{WEEKDAY})\.?)+$", re.I)


def _avatar_initials(name: str) -> str:
    """The name without a leading block of its own initials ("CM Craig McCarthy")."""
    first, _, rest = name.partition(" ")
    words = rest.split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    if 2 <= len(first) <= 3 and first.isupper() and len(words) >= 2 and initials.startswith(first):
        return rest
    return name


_NOT_A_BYLINE = {
    "full bio",
    "bio",
    "the author",
    "author",
    "admin",
    "administrator",
    "guest",
    "anonymous",
    "name",
    "posted",
    "by",
    "undefined",
    "null",
    "none",
}
# A CMS login or URL slug ("jdoe", "brandon-peaktwo") is an account, not a byline.
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def _clean_author_values(values: list[str], site: Site | None = None) -> tuple[str, ...]:
    """Person (or byline) names from author strings; emails, URLs, dates and roles dropped."""
    out: list[str] = []
    for value in values:
        value = " ".join(value.split())
        value = re.split(r"\s+(?:\||·|•|—|–)\s+", value)[0]  # "Jane Doe | Jan 3, 2024"
        value = _AUTHOR_PREFIX.sub("", value)
        value = _AUTHOR_SUFFIX.sub("", value)
        for i, part in enumerate(re.split(r"\s*(?:;|,|\band\b|&)\s*", value)):
            part = _AUTHOR_PREFIX.sub("", part.strip(" ,.-–—|:"))
            if i and _ROLE_AFTER_NAME.match(part):
                continue  # "Corin Ashdown, Diplomatic Editor": the role of the name before it
            # A date glued to the name ("Jane Doe Dec 18", "Team X September 4") ends the name.
            m = _MONTH_OR_DAY.search(part)
            if m:
                part = part[: m.start()]
            if _CLOCK.search(part):
                continue  # "3:51 pm 11 Edit": a timestamp and a button, split off a byline
            part = _TRAILING_DAY.sub("", part.strip())  # "Emily Burack 8", "J.R. Stone Thursday"
            part = _avatar_initials(part)  # "CM Craig McCarthy": the avatar's letters first
            part = re.sub(
                r"\s+(?:last updated|updated|published|posted|on)\b.*$", "", part, flags=re.I
            )
            if _DATEISH.match(part):
                continue
            part = part.strip(" ,.-–—|:")
            without_role = _TRAILING_ROLES.sub("", part).strip(" ,.-–—|:")
            if len(without_role.split()) >= 2:
                part = without_role
            if site is not None and len(part.split()) > 2 and not site.matches(part):
                # "Adam Aaronson PhillyVoice": the outlet's name trails the person's.
                head, _, last = part.rpartition(" ")
                if site.matches(last):
                    part = head
            if not part or "@" in part or URLISH.search(part) or re.search(r"\d{3}", part):
                continue
            if (
                _AUTHOR_DROP.search(part)
                or len(part.split()) > 6
                or not re.search(r"[^\W\d_]{2}", part)
            ):
                continue
            part = re.sub(r"\s*[*(].*$", "", part)  # "Name *", "Name (required)": form labels
            if (
                not part
                or _SLUG.match(part)
                or match_key(part) in _NOT_A_BYLINE
                or match_key(part) in {"ph d", "phd", "md", "jr", "sr", "rd", "ms"}
            ):
                continue
            if site is not None and out and site.matches(part):
                continue  # "Rob Picheta, CNN": the outlet after the person
            if part not in out:
                out.append(part)
    return tuple(out)


def choose_authors(
    meta: PageMeta, site: Site, fallback: Callable[[], str | None]
) -> tuple[str, ...]:
    """The first source that names someone other than the site itself, else the site if stated.

    `fallback` (trafilatura's author heuristics) is asked only when the page states no person.
    """
    candidates = [_clean_author_values(values, site) for _src, values in meta.authors]
    candidates = [c for c in candidates if c]
    for authors in candidates:
        if not all(site.matches(a) for a in authors):
            return authors
    extra = fallback()
    if extra:
        authors = _clean_author_values(extra.split(";"), site)
        if authors and (not candidates or not all(site.matches(a) for a in authors)):
            return authors
    return candidates[0] if candidates else ()


_HEADER_BYLINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated)\b.{0,40}?\s)?"
    r"(?:by|written by|words by|story by|posted by|reported by)\s+(?P<names>.{2,200})$",
    re.I,
)
_BYLINE_END = re.compile(r"\s*(?:[|⋅·•]|\s[-–—]\s)\s*")


def _short_text(el: lxml.html.HtmlElement, limit: int) -> str | None:
    """`text_of(el)` when it is at most `limit` characters long, else None, without reading all
    of a long element's text (the first elements after a headline often hold the whole body)."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        pieces.append(piece)
        size += len(piece.strip())
        if size > limit:
            text = " ".join(" ".join(pieces).split())
            if len(text) > limit:
                return None
    text = " ".join(" ".join(pieces).split())
    return text if len(text) <= limit else None


def header_authors(tree: lxml.html.HtmlElement, headline: str | None) -> str | None:
    """Names from a "By Ann Lee" line among the first elements after the headline's `<h1>`, for
    pages that mark up no byline: the text after "By" up to a date or a separator is read as a
    byline by the plain-text cleaner's rules (so "By Land and Sea" is no author)."""
    found = headline_h1(tree, headline)
    if found is None:
        return None
    body, h1 = found
    looked = 0
    for el in elements_after(body, h1):
        looked += 1
        if looked > 60:
            break
        text = _short_text(el, 160)
        m = _HEADER_BYLINE.match(text) if text is not None else None
        if not m:
            continue
        names = m.group("names")
        dates = full_dates_at(names)
        names = _BYLINE_END.split(names[: dates[0][0]] if dates else names)[0].strip(" ,")
        found = parse_byline(f"By {names}")
        if found and found[0]:
            return "; ".join(found[0])
    return None


def trafilatura_author(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's own author reading (meta tags, JSON-LD, byline XPaths), without its date."""
    from trafilatura import metadata as tm

    try:
        found = tm.examine_meta(tree)
        if found.author and " " not in found.author:
            found.author = None  # trafilatura's own rule: a one-word meta author is a handle
        found = tm.extract_meta_json(tree, found)
        return found.author or tm.extract_author(tree)
    except (
        Exception
    ):  # a library bug on odd markup must not lose the page; the author stays unknown
        return None


# ---------------------------------------------------------------------------------------------
# Byline and credit lines of a plain text


_BYLINE = re.compile(
    r"^(?:by|written by|reported by|words by|story by|text by|author|authors)\s*:?\s+(?P<names>.{2,120})$",
    re.I,
)
_CREDIT = re.compile(r"^\(?\s*(?:additional\s+)?(?:reporting|writing)\s+by\b", re.I)
_PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "der",
    "den",
    "van",
    "von",
    "bin",
    "ibn",
    "al",
    "el",
    "la",
    "le",
    "di",
    "du",
    "dos",
    "das",
    "ter",
    "ten",
    "y",
    "st.",
}
_BYLINE_ROLES = re.compile(
    r"^(?:(?:our|a|special|senior|staff|chief|political|foreign|diplomatic|news|our own)\s+)*"
    r"(?:staff|correspondent|correspondents|reporter|reporters|writer|writers|editor|editors|desk|"
    r"bureau|team|staff writer|staff reporter|news desk|web desk|online desk|digital desk)$",
    re.I,
)
_PLACE_SUFFIX = re.compile(r"\s+(?:in|from)\s+[A-Z][\w'’.-]*(?:,?\s+[A-Z][\w'’.-]*)*$")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")


def _name_like(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in part):
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words) and bool(
        _NAME_WORD.match(words[0])
    )


def parse_byline(line: str) -> tuple[tuple[str, ...], str | None] | None:
    """(authors, agency) from a byline line such as "By JANE DOE, Reuters", else None."""
    m = _BYLINE.match(line)
    if not m:
        return None
    names = m.group("names").strip()
    if SENTENCE_END.search(names) and not re.search(r"\b(?:[A-Z]|Jr|Sr)\.$", names):
        return None
    people: list[str] = []
    agency = None
    for part in re.split(r"\s*(?:,|;|&|\||\band\b)\s*", names):
        part = _PLACE_SUFFIX.sub("", part.strip(" .-–—"))
        if not part:
            continue
        if agency_name(part):
            agency = agency or agency_name(part)
        elif _BYLINE_ROLES.match(part):
            continue
        elif _name_like(part):
            people.append(part)
        else:
            return None
    authors = clean_authors(people)
    if not authors and not agency:
        return None  # "By Land and Sea" is a subhead, not a byline
    return authors, agency


def credit_authors(line: str) -> tuple[str, ...] | None:
    """Authors from a wire credit line: "Reporting by A and B; Writing by C; Editing by D"."""
    if len(line) > 400 or not _CREDIT.match(line):
        return None
    people: list[str] = []
    for clause in re.split(r"\s*;\s*", line.strip("() .")):
        m = re.match(r"^(reporting|writing)\s+by\s+(.+)$", clause.strip(), re.I)
        if not m:
            continue  # "Editing by" names editors, and "additional reporting" names contributors
        for part in re.split(r"\s*(?:,|&|\band\b)\s*", m.group(2)):
            part = _PLACE_SUFFIX.sub("", part.strip(" ."))
            if _name_like(part):
                people.append(part)
    return clean_authors(people)
