"""Metadata helpers: dates (never an invented year), month/day, full dates in running text, authors."""

from __future__ import annotations

import pytest

from newstrace.clean.authors import clean_authors
from newstrace.clean.meta import normalize_text
from newstrace.dates import find_full_dates, parse_date, parse_month_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published 13:55 IST, February 23rd 2022", ("2022-02-23", "day")),
        ("8 Dec, 2021 14:34", ("2021-12-08", "day")),
        ("Dec. 8, 2021", ("2021-12-08", "day")),
        ("Sept. 5, 2021", ("2021-09-05", "day")),
        ("20220222", ("2022-02-22", "day")),
        ("2022-02-22T10:00:00Z", ("2022-02-22", "day")),
        ("March 2022", ("2022-03", "month")),
        ("12 марта 2022 г.", ("2022-03-12", "day")),  # other languages, through dateparser
        ("١٢ مارس ٢٠٢٢", ("2022-03-12", "day")),  # and other digits
    ],
)
def test_parse_date_forms(text: str, expected: tuple[str, str]) -> None:
    assert parse_date(text) == expected


# "Apr 12" is a day, not April 2012: dateparser read two digits as a year.
@pytest.mark.parametrize(
    "text", ["Feb 1", "Apr 12", "Tuesday", "on Wednesday", "", None, "20231399"]
)
def test_parse_date_never_invents_a_year(text: str | None) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["Maybe 1, 2022", "Marching 3, 2022", "Decent 8, 2021"])
def test_words_that_begin_like_months_are_not_months(text: str) -> None:
    # The month pattern once accepted any word starting with a month's letters.
    assert parse_date(text) is None
    assert find_full_dates(text) == []


def test_find_full_dates_in_running_text() -> None:
    text = (
        "Talks began on February 1, 2022 in Kyiv; a first round was held on 3 Dec 2021, and the "
        "file dated 2021-11-30 was cited. The form 02/01/2022 is ambiguous. Feb 30, 2022 is no date."
    )
    assert find_full_dates(text) == ["2022-02-01", "2021-12-03", "2021-11-30"]


def test_find_full_dates_keeps_reading_order_and_repeats() -> None:
    assert find_full_dates("on 1 Feb 2022 and again on February 1, 2022") == [
        "2022-02-01",
        "2022-02-01",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Feb 1", (2, 1)),
        ("February 1st", (2, 1)),
        ("1 February", (2, 1)),
        ("Sept. 3", (9, 3)),
        ("Feb 29", (2, 29)),
        ("Feb 30", None),
        ("Maybe 1", None),
        ("Feb 1, 2022", None),  # has a year: parse_date's job, not a yearless date
        ("", None),
        (None, None),
    ],
)
def test_parse_month_day(text: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_month_day(text) == expected


def test_clean_authors_from_bylines() -> None:
    assert clean_authors("Reported by: Aparna Singh") == ("Aparna Singh",)
    assert clean_authors("By JANE DOE, Reuters") == ("Jane Doe",)


def test_fallback_reads_other_languages_and_can_be_turned_off() -> None:
    assert parse_date("23 février 2022") == ("2022-02-23", "day")
    assert parse_date("23 février 2022", fallback=False) is None
    assert parse_date("February 23, 2022", fallback=False) == ("2022-02-23", "day")


def test_normalize_keeps_low_nine_quotes_that_open_german_quotes() -> None:
    text = "Varnia spricht von „billiger Vergeltung“ und ‚Provokation‘."
    assert normalize_text(text) == text


def test_normalize_folds_look_alikes_and_spacing() -> None:
    assert (
        normalize_text("a\u00a0b\u200bc \u2033d\u2033 e\u2011f\r\n\n\n\ng") == "a bc ”d” e-f\n\ng"
    )
