"""The quote stage's own decisions, without a model: statement dates, offsets, title fit."""

from __future__ import annotations

from newstrace.nlp.layout import analysed_text, from_analysed, split_segments
from newstrace.quotes.extract import QuoteSpan
from newstrace.quotes.stage import _title_fits, quote_date
from newstrace.records import Article, quote_id


def _span(date: str | None = None, date_text: str | None = None) -> QuoteSpan:
    return QuoteSpan(
        text="x", start=0, end=1, kind="direct", cue="said", cue_start=2, cue_end=6,
        speaker=None, speaker_start=None, speaker_end=None, speaker_name=None,
        confidence=0.9, date=date, date_text=date_text,
    )  # fmt: skip


def _article(published: str | None, precision: str | None = "day") -> Article:
    return Article(
        id="a", source="s", text="Body.", title="Head", published=published,
        published_precision=precision,
    )  # fmt: skip


def test_a_stated_day_wins() -> None:
    assert quote_date(_span("2025-03-04", "on Tuesday"), _article("2025-03-05")) == (
        "2025-03-04",
        "stated",
    )


def test_a_vague_expression_leaves_the_day_unknown() -> None:
    # "said last week" resolves to a week, not a day: never pick one.
    assert quote_date(_span("2025-W09", "last week"), _article("2025-03-05")) == (None, None)
    assert quote_date(_span(None, "recently"), _article("2025-03-05")) == (None, None)


def test_without_an_expression_the_report_dates_the_statement() -> None:
    assert quote_date(_span(), _article("2025-03-05")) == ("2025-03-05", "published")
    assert quote_date(_span(), _article(None, None)) == (None, None)
    assert quote_date(_span(), _article("2025-03", "month")) == (None, None)


def test_offsets_map_back_to_title_and_body() -> None:
    article = _article("2025-03-05")
    text, body = analysed_text(article)
    assert text == "Head\n\nBody." and body == 6
    assert from_analysed(0, 4, body) == (0, 4, True)
    assert from_analysed(6, 10, body) == (0, 4, False)
    untitled = Article(id="b", source="s", text="Body.")
    assert analysed_text(untitled) == ("Body.", 0)


def test_title_fit() -> None:
    assert _title_fits("Leader", "Prime Minister")
    assert _title_fits("President", None)  # an unknown title does not rule anyone out
    assert not _title_fits("President", "Foreign Minister")
    assert _title_fits("minister", "Foreign Minister")


def test_quote_ids_are_stable_and_distinct() -> None:
    a = quote_id("art", ((1, 5),), False)
    assert a == quote_id("art", ((1, 5),), False)
    assert a != quote_id("art", ((1, 5),), True)
    assert a != quote_id("art", ((1, 6),), False)


def test_a_quote_run_across_the_headline_keeps_the_side_it_starts_on() -> None:

    # title "Head" (0-4), separator (4-6), body from 6
    assert split_segments([(1, 9)], 6) == ([(1, 4)], True)
    assert split_segments([(5, 9)], 6) == ([(0, 3)], False)  # starts in the blank line: the body's
    assert split_segments([(7, 9), (10, 12)], 6) == ([(1, 3), (4, 6)], False)
    assert split_segments([(2, 5)], 0) == ([(2, 5)], False)  # no title
    assert split_segments([(4, 6)], 6) is None  # only the blank line between them
