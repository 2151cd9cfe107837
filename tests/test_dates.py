"""Relative dates against known calendars (2022-02-01 was a Tuesday; 2021-12-08 a Wednesday)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from newstrace.nlp.dates import find_time_expressions, resolve_relative

TUE = "2022-02-01"

CASES = [
    ("on Tuesday", TUE, "2022-02-01"),  # same day as publication
    ("Tuesday", TUE, "2022-02-01"),
    ("Wednesday", TUE, "2022-01-26"),  # most recent Wednesday on or before publication
    ("on Monday", TUE, "2022-01-31"),
    ("Monday", "2022-01-31", "2022-01-31"),  # published on a Monday: that Monday
    ("last Tuesday", TUE, "2022-01-25"),
    ("next Tuesday", TUE, "2022-02-08"),
    ("Tuesday night", TUE, "2022-02-01"),
    ("yesterday", TUE, "2022-01-31"),
    ("today", TUE, "2022-02-01"),
    ("tomorrow", TUE, "2022-02-02"),
    ("last night", TUE, "2022-01-31"),
    ("yesterday", "2022-03-01", "2022-02-28"),
    ("last week", TUE, "2022-W04"),
    ("this week", TUE, "2022-W05"),
    ("last week", "2022-01-03", "2021-W52"),  # ISO week-years
    ("on Feb. 1", TUE, "2022-02-01"),
    ("February 1", TUE, "2022-02-01"),
    ("1 February", TUE, "2022-02-01"),
    ("February 23rd", "2022-02-24", "2022-02-23"),
    ("Dec. 30", "2022-01-03", "2021-12-30"),  # rollover back
    ("Jan. 5", "2021-12-30", "2022-01-05"),  # rollover forward
    ("earlier this month", TUE, "2022-02"),
    ("last month", "2022-01-15", "2021-12"),
    ("earlier this year", TUE, "2022"),
    ("two days ago", TUE, "2022-01-30"),
    ("3 days ago", TUE, "2022-01-29"),
    ("a week ago", TUE, "2022-01-25"),
    ("three weeks ago", TUE, "2022-W02"),
    ("two months ago", TUE, "2021-12"),
    ("in March", "2022-02-20", "2022-03"),
    ("last December", TUE, "2021-12"),
    ("February 23, 2022", None, "2022-02-23"),  # carries its own year
    ("23 February 2022", None, "2022-02-23"),
    ("February 30", TUE, None),
    ("the day before", TUE, None),  # anaphoric: relative to another event
    ("recent weeks", TUE, None),
]


@pytest.mark.parametrize(("expr", "published", "expected"), CASES)
def test_resolve_relative(expr: str, published: str | None, expected: str | None) -> None:
    assert resolve_relative(expr, published) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "on Tuesday",
        "Wednesday",
        "yesterday",
        "last week",
        "Feb. 1",
        "two days ago",
        "earlier this month",
    ],
)
def test_no_publication_date_no_resolution(expr: str) -> None:
    assert resolve_relative(expr, None) is None


def test_precision_of_the_publication_date_limits_resolution() -> None:
    assert resolve_relative("Tuesday", "2022-02") is None  # weekday needs a day
    assert resolve_relative("last week", "2022-02") is None
    assert resolve_relative("last month", "2022-02") == "2022-01"
    assert resolve_relative("February 1", "2022-02") == "2022-02-01"
    assert resolve_relative("February 1", "2022") is None  # the rollover cannot be checked
    assert resolve_relative("last year", "2022") == "2021"
    assert resolve_relative("Tuesday", "not a date") is None


def test_future_weekday() -> None:
    assert resolve_relative("Thursday", TUE, future=True) == "2022-02-03"
    assert resolve_relative("on Tuesday", TUE, future=True) == "2022-02-01"


def test_find_time_expressions_in_text() -> None:
    text = "Putin said on Tuesday that talks could resume next week. Lavrov spoke yesterday; Feb. 1 was busy. It may 5 times."
    got = find_time_expressions(text, TUE)
    assert [(text[s:e], iso) for s, e, _, iso in got] == [
        ("on Tuesday", "2022-02-01"),
        ("next week", "2022-W06"),
        ("yesterday", "2022-01-31"),
        ("Feb. 1", "2022-02-01"),
    ]
    assert all(t == text[s:e] for s, e, t, _ in got)


def test_find_time_expressions_unknown_publication_keeps_the_span() -> None:
    got = find_time_expressions("He spoke on Wednesday.", None)
    assert got == [(9, 21, "on Wednesday", None)]


def test_find_time_expressions_uses_tense_in_a_parsed_doc() -> None:
    nlp = spacy.blank("en")
    words = ["They", "will", "meet", "on", "Thursday", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, True, True, True, False, False],
              heads=[2, 2, 2, 2, 3, 2], deps=["nsubj", "aux", "ROOT", "prep", "pobj", "punct"],
              pos=["PRON", "AUX", "VERB", "ADP", "PROPN", "PUNCT"])  # fmt: skip
    assert find_time_expressions(doc, TUE) == [(15, 26, "on Thursday", "2022-02-03")]
    past = Doc(nlp.vocab, words=["They", "met", "on", "Thursday", "."], spaces=[True, True, True, False, False],
               heads=[1, 1, 1, 2, 1], deps=["nsubj", "ROOT", "prep", "pobj", "punct"],
               pos=["PRON", "VERB", "ADP", "PROPN", "PUNCT"])  # fmt: skip
    assert find_time_expressions(past, TUE) == [(9, 20, "on Thursday", "2022-01-27")]


def test_find_time_expressions_lists_other_date_entities() -> None:
    nlp = spacy.blank("en")
    doc = Doc(
        nlp.vocab,
        words=["In", "recent", "weeks", "and", "on", "Monday"],
        spaces=[True] * 5 + [False],
    )
    doc.ents = [spacy.tokens.Span(doc, 1, 3, label="DATE")]
    got = find_time_expressions(doc, TUE)
    assert got == [(3, 15, "recent weeks", None), (20, 29, "on Monday", "2022-01-31")]
