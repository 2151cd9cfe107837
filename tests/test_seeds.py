"""End to end on the five raw seed reports in ../shared/seeds: what each text states, and nothing more.

What each seed really states, and so what the cleaner must return:
- 000 (aa.com.tr): a header with title, 20220222 and URL; no byline; sentence order shuffled.
- 001: "Published 13:55 IST, February 23rd 2022", "Reported by: …"; no URL and no outlet name.
- 002: a bare "8 Dec, 2021 14:34" line under an icon sprite; the headline twice; a podcast player.
- 003: an AP story under an aggregator's lead-in: "MOSCOW (AP) —", a byline at the end, weekday
  names only ("Wednesday"): no date at all, so published stays unknown.
- 004: "KYIV / MOSCOW, Feb 1 –" gives month and day only. Its photo captions say "on February 1,
  2022" three times, so the year is stated in the same text, and the lead's "Tuesday" agrees.
  The weekday alone would not do: of the years the text names (1999, 2014, 2022) only 2022 has
  Feb 1 on a Tuesday, but named years are mostly past years, and a match among them is a guess.
  It opens with a headline run into a standfirst as one paragraph ending in a full stop, so no
  line can be taken as the title without guessing where one ends: title stays unknown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import warned
from newstrace.clean.text import clean_text
from newstrace.records import Article, RawDocument

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seeds not found at {SEEDS}")


def seed(prefix: str) -> Article:
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    out = clean_text(RawDocument(source=str(path), content=path.read_bytes(), kind="text"))
    assert isinstance(out, Article), out
    return out


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


def assert_gone(article: Article, junk: list[str]) -> None:
    for token in junk:
        assert token not in article.text, token


def test_000_header_title_date_url() -> None:
    a = seed("000")
    assert a.title == "Putin accuses Ukraine of allowing 3rd countries to pose threat to Russia"
    assert (a.published, a.published_precision) == ("2022-02-22", "day")
    assert a.url is not None and a.url.startswith("https://www.aa.com.tr/en/asia-pacific/")
    assert a.outlet == "aa.com.tr"
    assert a.authors == ()
    warned(a, "authors")
    assert a.dateline is None
    assert a.language == "en"
    assert_gone(a, ["20220222", "https://", a.title])
    (path,) = SEEDS.glob("000_*.txt")
    body_lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][
        3:
    ]
    assert len(paragraphs(a)) == len(
        body_lines
    )  # nothing in the body is furniture: all of it is kept


def test_001_published_line_byline_and_furniture() -> None:
    a = seed("001")
    assert (
        a.title
        == "Putin offers West to recognise Crimea; says Russia will provide military aid to DPR & LPR"
    )
    assert (a.published, a.published_precision) == ("2022-02-23", "day")
    assert a.authors == ("Aparna Shandilya",)
    assert a.url is None and a.outlet is None
    warned(a, "url")
    warned(a, "outlet")
    assert_gone(
        a,
        [
            "sb.scorecardresearch",
            "Published 13:55",
            "Reported by",
            "Follow: Google News Icon",
            "• share",
            "Image: AP",
            "Image: self",
            "(With inputs from agencies)",
            "(Image: AP)",
            "Updated 14:02",
            a.title,
        ],
    )
    assert "Vladimir Putin" not in paragraphs(a)  # the lone caption name over the photo credit
    # The standfirst is the body's first sentence again: it is kept once.
    assert a.text.count("The crisis in Ukraine might be settled") == 1
    assert a.text.startswith("The crisis in Ukraine might be settled")


def test_002_date_line_repeated_headline_and_podcast_player() -> None:
    a = seed("002")
    assert a.title == "‘Criminal’ for Russia to allow NATO move into Ukraine – Putin"
    assert (a.published, a.published_precision) == ("2021-12-08", "day")
    assert a.authors == ()
    assert a.url is None and a.outlet is None
    assert_gone(
        a,
        [
            "bookmarkicon",
            "chevron",
            "8 Dec, 2021",
            "14:34",
            "Podcasts",
            "0:00",
            "14:40",
            "13:8",
            a.title,
        ],
    )
    assert a.text.endswith(
        "written guarantees that the bloc would not attempt to expand further eastwards."
    )


def test_003_ap_dateline_byline_and_no_date() -> None:
    a = seed("003")
    assert a.title is None
    warned(a, "title")
    assert a.published is None
    assert "Wednesday" in warned(a, "published")
    assert a.authors == ("Vladimir Isachenkov",)
    assert a.dateline == "MOSCOW"
    assert a.outlet == "AP"
    assert "AP" in warned(a, "outlet")
    assert "MOSCOW (AP) — President Vladimir Putin said Wednesday" in a.text
    assert_gone(a, ["By VLADIMIR ISACHENKOV", "contributed to this report"])


def test_004_month_day_dateline_year_from_the_same_text() -> None:
    a = seed("004")
    # The first line holds the headline and the standfirst: the headline is its first sentence
    # (the question inside it does not end it), and the standfirst stays the body's first line.
    first_line = next(p for p in SEEDS.glob("004_*.txt")).read_text(encoding="utf-8").split("\n")[0]
    assert a.title is not None and a.title.startswith("The US says Russia should back off troops")
    assert first_line.startswith(a.title + ". ")
    assert a.text.startswith(first_line[len(a.title) + 2 :] + "\n\n")
    assert not any(w.startswith("title:") for w in a.warnings)
    assert a.dateline == "KYIV / MOSCOW"
    assert (a.published, a.published_precision) == ("2022-02-01", "day")
    note = warned(a, "published")
    assert "Feb 1" in note and "2022" in note and "'Tuesday' agrees" in note
    assert a.authors == ()
    assert a.outlet is None  # "a source told Reuters" is reporting, not a dateline or byline
    assert "KYIV / MOSCOW, Feb 1 –" in a.text
    assert_gone(a, ["(Do not miss:", "via REUTERS", "by REUTERS", "Handout"])
    assert "‘INSTRUMENT’" in paragraphs(a)  # a section subhead of the story: kept on purpose


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_text_is_stable_when_cleaned_again(prefix: str) -> None:
    a = seed(prefix)
    again = clean_text(RawDocument(source="again.txt", content=a.text.encode(), kind="text"))
    assert isinstance(again, Article)
    assert again.text == a.text
    assert again.language == "en"
