"""The plain-text cleaner on hand-written inputs: header, furniture, metadata lines, datelines, failures."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import warned
from newstrace.clean.dateline import find_dateline
from newstrace.clean.furniture import furniture_kind
from newstrace.clean.text import CLEANER_VERSION, MIN_WORDS, clean_text
from newstrace.records import Article, Failure, Hints, RawDocument

P1 = (
    "The finance ministers of the two countries met in Vienna on Thursday to discuss the grain "
    "corridor, officials said."
)
P2 = (
    "“We have agreed on the first steps,” the minister told reporters after the meeting, adding "
    "that talks would continue."
)
P3 = "The agreement still needs the approval of both parliaments, which are expected to vote next month."
BODY = "\n\n".join([P1, P2, P3])


def raw(content: str | bytes, **kw: object) -> RawDocument:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return RawDocument(source="story.txt", content=data, kind="text", **kw)  # type: ignore[arg-type]


def clean(content: str | bytes, **kw: object) -> Article:
    out = clean_text(raw(content, **kw))
    assert isinstance(out, Article), out
    return out


def fail(content: str | bytes, **kw: object) -> Failure:
    out = clean_text(raw(content, **kw))
    assert isinstance(out, Failure), out
    return out


# --- header -------------------------------------------------------------------------------------


def test_three_line_header() -> None:
    a = clean(
        "Grain talks make progress in Vienna\n20230316\nhttps://www.example.org/world/grain-talks/123\n"
        + BODY
    )
    assert a.title == "Grain talks make progress in Vienna"
    assert (a.published, a.published_precision) == ("2023-03-16", "day")
    assert a.url == "https://www.example.org/world/grain-talks/123"
    assert a.outlet == "example.org"
    assert a.text == BODY
    assert CLEANER_VERSION in a.stage_versions


def test_header_with_title_and_date_only() -> None:
    a = clean("Grain talks make progress in Vienna\n2023-03-16\n" + BODY)
    assert a.title == "Grain talks make progress in Vienna"
    assert a.published == "2023-03-16"
    assert a.url is None
    assert a.text == BODY


def test_header_without_title() -> None:
    a = clean("20230316\nhttps://example.org/a/1\n\n" + BODY)
    assert a.published == "2023-03-16"
    assert a.url == "https://example.org/a/1"
    assert a.title is None
    assert a.text == BODY


def test_no_header_headline_first() -> None:
    a = clean("Grain talks make progress in Vienna\n\n" + BODY)
    assert a.title == "Grain talks make progress in Vienna"
    assert a.published is None
    assert a.text == BODY


def test_no_header_paragraph_first_has_no_title() -> None:
    a = clean(BODY)
    assert a.title is None
    assert "headline" in warned(a, "title")
    assert a.text == BODY


def test_header_is_recognised_by_content_not_position() -> None:
    # An invalid date in the second line is not a header date, so the first line is just a headline
    # and "20231399" is a line of the text (it has no letters, so it is dropped as furniture).
    a = clean("Grain talks make progress in Vienna\n20231399\n" + BODY)
    assert a.title == "Grain talks make progress in Vienna"
    assert a.published is None
    assert "20231399" not in a.text


def test_header_title_repeated_in_body_is_removed() -> None:
    a = clean("Grain talks make progress\n20230316\nGrain talks make progress\n" + BODY)
    assert a.title == "Grain talks make progress"
    assert a.text == BODY


def test_repeated_headline_without_header() -> None:
    a = clean(
        "‘Historic’ grain deal signed – minister\n\n‘Historic’ grain deal signed – minister\n\n"
        + BODY
    )
    assert a.title == "‘Historic’ grain deal signed – minister"
    assert a.text == BODY


def test_hints_win_and_their_warnings_go() -> None:
    a = clean(
        BODY,
        hints=Hints(
            title="From the feed", published="2023-03-17", url="https://news.example.com/x"
        ),
    )
    assert a.title == "From the feed"
    assert a.published == "2023-03-17"
    assert a.outlet == "example.com"
    assert not [w for w in a.warnings if w.startswith(("title:", "published:", "url:"))]


# --- furniture ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (
            "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon",
            "ui",
        ),
        ("• share", "ui"),
        ("Share | Tweet | WhatsApp | Email", "ui"),
        ("Podcasts", "podcast"),
        ("00:00 / 03:41 Listen to this article", "podcast"),
        ("cdn.taboola.com loader", "tracker"),
        ("Tags: Grain, Vienna, Talks", "tags"),
        ("Home › World › Europe", "breadcrumb"),
        ("Listen to this article", "podcast"),
        ("sb.scorecardresearch", "tracker"),
        ("https://www.googletagmanager.com/ns.html?id=GTM-ABC123", "tracker"),
        ("Follow: Google News Icon", "follow"),
        ("Follow us on Telegram", "follow"),
        ("Image: AP | Image: self", "image-credit"),
        ("(Image: AP)", "image-credit"),
        ("Photo: Reuters", "image-credit"),
        ("Photo credit: Jane Smith", "image-credit"),
        ("REUTERS/Jane Smith", "image-credit"),
        ("(AP Photo/John Roe)", "image-credit"),
        (
            "A man walks past a damaged building in the city centre, March 3, 2023. John Roe / Handout via REUTERS",
            "photo-caption",
        ),
        ("Soldiers rest near the front line. REUTERS/Jane Smith", "photo-caption"),
        ("(With inputs from agencies)", "with-inputs"),
        ("With inputs from PTI", "with-inputs"),
        ("(Agencies)", "agency-tag"),
        ("0:00", "timestamp"),
        ("14:40", "timestamp"),
        ("13:8", "timestamp"),
        ("(Do not miss: How the talks in Vienna collapsed)", "do-not-miss"),
        ("(Don't miss: Five things to know)", "do-not-miss"),
        ("Also read: Five things to know about the grain deal", "also-read"),
        ("READ MORE: Ministers meet in Vienna", "also-read"),
        ("Related", "also-read"),
        ("Sign up for our daily newsletter", "newsletter"),
        ("Subscribe to get the morning briefing in your inbox", "newsletter"),
        (
            "There's more where that came from. Sign up to get our newsletter in your inbox.",
            "newsletter",
        ),
        ("Subscribe now for unlimited access", "newsletter"),
        ("Thanks for signing up!", "newsletter"),
        ("There was an error processing your subscription.", "newsletter"),
        ("Keep an eye on your inbox for the latest news.", "newsletter"),
        ("Tags", "tags"),
        ("Tags: Vienna, grain deal", "tags"),
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("We use cookies to improve your experience on our site.", "cookie"),
        ("By continuing to browse you agree to our cookie policy.", "cookie"),
        ("Accept all cookies", "cookie"),
        ("Jane Doe in Kyiv and John Roe in Washington contributed to this report.", "contributors"),
        ("© 2023 Example Media. All rights reserved.", "copyright"),
        ("5 min read", "reading-time"),
        ("Sign in", "login"),
        ("Back to top", "navigation"),
        ("•", "no-words"),
        ("---", "no-words"),
    ],
)
def test_furniture_kinds(line: str, kind: str) -> None:
    assert furniture_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "‘LEVERAGE’",  # a section subhead: part of the story, kept on purpose
        "UP AND DOWN THE FRONT LINE",
        "Situation on the border is tense: minister",
        "Ukraine wants to join NATO now, the president said.",
        "The EU's cookie law requires websites to get consent from users, the court ruled.",
        "Watch this space, the minister warned on Tuesday.",
        "Follow the money, investigators say, and the trail leads to Cyprus.",
        "Share prices in Moscow fell 10 percent on the news.",
        "Advertisement revenue fell sharply in the third quarter, the company said.",
        "Photo opportunities were limited, officials said.",
        "Copyright laws were tightened in 2021, lawyers said.",
        "Related talks are planned for next week in Geneva.",
        "Subscribers to the state channel rose, the regulator said.",
        "Thanks for signing up to the ceasefire, the envoy told both delegations on Friday.",
        # A review of a subscription, not a pitch for one: it goes on to a second sentence.
        "The subscription costs $12.99 a month for unlimited access. I use it most mornings.",
        "The service offers a 30-day free trial with its subscription. Their setup feels simple.",
        "He said the talks had been constructive, according to a statement seen by Reuters.",
        "Jane Doe",
    ],
)
def test_real_lines_are_not_furniture(line: str) -> None:
    assert furniture_kind(line) is None


def test_furniture_lines_do_not_survive_cleaning() -> None:
    junk = [
        "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon",
        "sb.scorecardresearch",
        "Follow: Google News Icon",
        "• share",
        "Image: AP | Image: self",
        "Advertisement",
        "(Do not miss: How the talks in Vienna collapsed)",
        "Also read: Five things to know about the grain deal",
        "Sign up for our daily newsletter",
        "We use cookies to improve your experience on our site.",
        "Podcasts",
        "0:00",
        "14:40",
        "(With inputs from agencies)",
    ]
    a = clean("\n".join([junk[0], junk[1], P1, junk[2], junk[3], P2, *junk[4:], P3]))
    for line in junk:
        assert line not in a.text
    assert a.text == BODY


def test_subhead_inside_the_story_is_kept() -> None:
    a = clean("\n".join([P1, "‘LEVERAGE’", P2, "A DEAL IN THE BALANCE", P3]))
    assert a.text.split("\n\n") == [P1, "‘LEVERAGE’", P2, "A DEAL IN THE BALANCE", P3]


def test_caption_name_beside_a_credit_is_dropped_but_not_elsewhere() -> None:
    a = clean(
        "\n".join(
            [P1, "• share", "Kyriakos Mitsotakis", "Image: AP | Image: self", P2, "Jane Doe", P3]
        )
    )
    assert "Kyriakos Mitsotakis" not in a.text
    assert "Jane Doe" in a.text.split("\n\n")


def test_photo_captions_with_agency_credit_are_dropped() -> None:
    caption = "Ministers arrive for talks in Vienna, Austria on March 16, 2023. Jane Smith / Handout via REUTERS"
    a = clean("\n".join([P1, caption, P2, P3]))
    assert a.text == BODY


def test_standfirst_repeated_as_first_sentence_is_dropped() -> None:
    stand = "Grain exports could resume within weeks, the finance minister said on Thursday."
    a = clean("\n\n".join(["Grain talks make progress in Vienna", stand, f"{stand} {P1}", P2]))
    assert a.text.split("\n\n") == [f"{stand} {P1}", P2]


def test_repeated_paragraph_is_kept_once() -> None:
    a = clean("\n".join([P1, P2, P3, P2]))
    assert a.text == BODY


# --- metadata lines -----------------------------------------------------------------------------


def test_published_line_is_promoted_and_removed() -> None:
    a = clean("Published 13:55 IST, February 23rd 2022\n\nGrain talks make progress\n\n" + BODY)
    assert (a.published, a.published_precision) == ("2022-02-23", "day")
    assert a.title == "Grain talks make progress"
    assert "Published" not in a.text


def test_bare_date_line_near_the_top_is_the_publication_date() -> None:
    a = clean(
        "icon bookmark-bicon shareicon\n8 Dec, 2021 14:34\n\nGrain talks make progress\n\n" + BODY
    )
    assert a.published == "2021-12-08"
    assert "14:34" not in a.text


def test_bare_date_deep_in_the_body_is_not_a_publication_date() -> None:
    a = clean("\n".join([P1, P2, P3, "8 Dec, 2021", P1.replace("Vienna", "Geneva")]))
    assert a.published is None
    assert "8 Dec, 2021" not in a.text


def test_an_update_line_dates_a_text_that_states_no_other_day() -> None:
    a = clean(BODY + "\n\nUpdated 14:02 IST, February 23rd 2022")
    assert a.text == BODY  # the line itself is furniture
    assert (a.published, a.published_precision) == ("2022-02-23", "day")
    assert "published: the text states only its update date" in a.warnings


def test_a_stated_publication_day_wins_over_the_update_line() -> None:
    a = clean("Published 13:55 IST, February 21st 2022\n\n" + BODY + "\n\nUpdated March 2, 2022")
    assert a.published == "2022-02-21"
    assert not any(w.startswith("published:") for w in a.warnings)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Updated 2 hours ago", None),  # no day: nothing to date the text by
        ("Last updated: 14:02 IST", None),
        ("Modified 8 Dec, 2021", "2021-12-08"),
    ],
)
def test_updated_forms_are_dropped(line: str, published: str | None) -> None:
    a = clean("\n".join([P1, line, P2]))
    assert line not in a.text
    assert a.published == published


def test_byline_shaped_subhead_is_kept() -> None:
    a = clean("\n".join([P1, "By Land and Sea", P2]))
    assert a.authors == ()
    assert "By Land and Sea" in a.text.split("\n\n")


def test_a_sentence_starting_with_updated_is_kept() -> None:
    line = "Updated figures show 13,000 people have died since the fighting began."
    a = clean(BODY + "\n\n" + line)
    assert a.text.endswith(line)


def test_no_date_in_text_stays_unknown() -> None:
    a = clean(BODY)
    assert a.published is None and a.published_precision is None
    # The text names a weekday (Thursday), which cannot be placed without a date: the warning says so.
    assert "Thursday" in warned(a, "published")


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Reported by: Aparna Singh", ("Aparna Singh",)),
        ("By Jane Doe", ("Jane Doe",)),
        ("By JANE DOE", ("Jane Doe",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("Written by: Jane Doe, Staff Writer", ("Jane Doe",)),
        ("By Jane Doe in Kyiv", ("Jane Doe",)),
        ("By Ana de la Cruz", ("Ana de la Cruz",)),
    ],
)
def test_bylines_become_authors(line: str, authors: tuple[str, ...]) -> None:
    a = clean("\n".join([P1, line, P2, P3]))
    assert a.authors == authors
    assert line not in a.text
    assert a.text == BODY


def test_byline_with_agency_gives_authors_and_outlet_evidence() -> None:
    a = clean("\n".join([P1, P2, P3, "By JANE DOE, Reuters"]))
    assert a.authors == ("Jane Doe",)
    assert a.outlet == "Reuters"
    assert "Reuters" in warned(a, "outlet")


def test_byline_at_the_end_of_the_text() -> None:
    a = clean("\n".join([P1, P2, P3, "By VLADIMIR PETROV"]))
    assert a.authors == ("Vladimir Petrov",)
    assert a.text == BODY


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the troops had left the border area.",
        "By the end of the day, the two sides had agreed on a text.",
        "By then Russia had moved more troops north of the border.",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    a = clean("\n".join([P1, line, P2]))
    assert a.authors == ()
    assert line in a.text


def test_wire_credit_line_gives_reporters_not_editors() -> None:
    a = clean(
        "\n".join([P1, P2, P3, "Reporting by Jane Doe and John Roe in Kyiv; Editing by Mark Poe"])
    )
    assert a.authors == ("Jane Doe", "John Roe")
    assert "Editing" not in a.text


def test_url_line_gives_url_and_outlet() -> None:
    a = clean("https://www.example.co.uk/news/world-123\n\n" + BODY)
    assert a.url == "https://www.example.co.uk/news/world-123"
    assert a.outlet == "example.co.uk"
    assert "https://" not in a.text


def test_bare_url_deep_in_the_body_is_not_the_articles_url() -> None:
    a = clean("\n".join([P1, P2, P3, "https://t.co/abc123", P1.replace("Vienna", "Geneva")]))
    assert a.url is None
    assert "t.co" not in a.text


# --- datelines and their dates ------------------------------------------------------------------

LEAD_AP = (
    "MOSCOW (AP) — The Russian foreign minister said Wednesday that talks with the West would "
    "continue next week in Geneva."
)
LEAD_WIRE = (
    "KYIV / MOSCOW, Feb 1 – The Russian president on Tuesday accused Western nations of ignoring "
    "the country's security concerns."
)


def test_ap_dateline_gives_agency_as_outlet_when_no_url() -> None:
    a = clean("\n".join([LEAD_AP, P2, P3]))
    assert a.dateline == "MOSCOW"
    assert a.outlet == "AP"
    assert "site that published" in warned(a, "outlet")
    assert a.text.startswith("MOSCOW (AP) — ")  # the dateline is part of what was published


def test_url_outlet_beats_dateline_agency() -> None:
    a = clean(
        "Talks to continue\n20211201\nhttps://www.example.org/a/1\n" + "\n".join([LEAD_AP, P2])
    )
    assert a.dateline == "MOSCOW"
    assert a.outlet == "example.org"


def test_month_day_dateline_without_year_evidence_stays_unknown() -> None:
    a = clean("\n".join([LEAD_WIRE, P2, P3]))
    assert a.dateline == "KYIV / MOSCOW"
    assert a.published is None
    note = warned(a, "published")
    assert "Feb 1" in note and "month and day" in note


def test_month_day_dateline_takes_year_from_a_full_date_in_the_text() -> None:
    later = "The ministers met again in Kyiv on Tuesday, February 1, 2022, officials said."
    a = clean("\n".join([LEAD_WIRE, P2, later]))
    assert (a.published, a.published_precision) == ("2022-02-01", "day")
    assert "2022" in warned(a, "published")


def test_month_day_dateline_with_conflicting_years_stays_unknown() -> None:
    text = "\n".join(
        [
            LEAD_WIRE,
            "A first round was held on February 1, 2021.",
            "Another was planned for February 1, 2022.",
        ]
    )
    a = clean(text)
    assert a.published is None
    assert "several years" in warned(a, "published")


def test_weekday_never_picks_the_year() -> None:
    # Feb 1 was a Tuesday in 2022 only, of the years this text names (2014: Saturday; 1999: Monday),
    # but the text never says the story is from 2022: named years are mostly past years, so a
    # weekday match among them is a guess, and the date stays unknown.
    text = "\n".join(
        [
            LEAD_WIRE,
            "Russia annexed Crimea in 2014 and signed the charter in 1999.",
            "Talks resume in 2022.",
        ]
    )
    a = clean(text)
    assert a.published is None
    assert "weekday is not evidence" in warned(a, "published")


def test_weekday_that_agrees_is_noted_and_one_that_does_not_changes_nothing() -> None:
    agrees = clean("\n".join([LEAD_WIRE, "They met again on February 1, 2022, officials said."]))
    assert agrees.published == "2022-02-01"
    assert "'Tuesday' agrees" in warned(agrees, "published")
    # Feb 1, 2021 was a Monday: the lead's "Tuesday" may be another day's news, so no veto.
    other = clean("\n".join([LEAD_WIRE, "They met again on February 1, 2021, officials said."]))
    assert other.published == "2021-02-01"
    assert "agrees" not in warned(other, "published")


def test_header_date_beats_dateline() -> None:
    a = clean("Talks resume\n20220202\n" + "\n".join([LEAD_WIRE, P2]))
    assert a.published == "2022-02-02"
    assert a.dateline == "KYIV / MOSCOW"


def test_dateline_found_after_an_introduction() -> None:
    intro = "The foreign minister spoke on Wednesday about the talks. As reported by the AP:"
    a = clean("\n".join([intro, LEAD_AP, P2]))
    assert a.dateline == "MOSCOW"
    assert a.title is None


@pytest.mark.parametrize(
    ("lead", "place", "agency", "month_day", "year"),
    [
        ("MOSCOW (AP) — Text follows here.", "MOSCOW", "AP", None, None),
        ("KYIV / MOSCOW, Feb 1 – Text follows here.", "KYIV / MOSCOW", None, (2, 1), None),
        (
            "WASHINGTON, Dec. 8, 2021 (Reuters) - Text follows.",
            "WASHINGTON",
            "Reuters",
            (12, 8),
            2021,
        ),
        ("KYIV, Ukraine (AP) — Text follows here.", "KYIV, Ukraine", "AP", None, None),
        ("Moscow (Reuters) - Text follows here.", "Moscow", "Reuters", None, None),
        ("NEW DELHI, March 3 (PTI): Text follows.", "NEW DELHI", "PTI", (3, 3), None),
        ("TARSK, 13 March (Some Agency) – Text follows.", "TARSK", "Some Agency", (3, 13), None),
        ("BRASK, Dovra Valley — Text follows here.", "BRASK, Dovra Valley", None, None, None),
    ],
)
def test_dateline_forms(
    lead: str, place: str, agency: str | None, month_day: tuple[int, int] | None, year: int | None
) -> None:
    d = find_dateline(lead)
    assert d is not None
    assert (d.place, d.agency, d.month_day, d.year) == (place, agency, month_day, year)


@pytest.mark.parametrize(
    "lead",
    [
        "NATO — the alliance said on Tuesday that it would respond.",
        "The Kremlin (Moscow) said nothing.",
        "Putin said: Russia will respond.",
    ],
)
def test_not_datelines(lead: str) -> None:
    assert find_dateline(lead) is None


def test_full_dateline_date_is_the_publication_date() -> None:
    a = clean("\n".join(["WASHINGTON, Dec. 8, 2021 (Reuters) - " + P1, P2]))
    assert a.published == "2021-12-08"
    assert a.outlet == "Reuters"


# --- paragraphs and encodings -------------------------------------------------------------------


def test_single_newline_paragraphs_come_out_blank_line_separated() -> None:
    assert clean("\n".join([P1, P2, P3])).text == BODY


def test_short_header_lines_are_not_taken_for_hard_wrapping() -> None:
    a = clean(
        "\n".join(
            [
                "Home › World › Europe",
                "Grain talks make progress in Vienna",
                "00:00 / 03:41 Listen to this article",
                "By Jane Doe",
                "First Published: March 16, 2023, 17:40 IST",
                "Last Updated: March 16, 2023, 18:02 IST",
                "Image: AP | Image: self",
                "",
                BODY,
            ]
        )
    )
    assert a.title == "Grain talks make progress in Vienna"
    assert a.published == "2023-03-16"
    assert a.authors == ("Jane Doe",)
    assert a.text == BODY


def test_hard_wrapped_text_is_unwrapped() -> None:
    wrapped = (
        "The finance ministers of the two countries met in Vienna on\n"
        "Thursday to discuss the grain corridor, officials said, and\n"
        "agreed to meet again next week.\n\n"
        "The agreement still needs the approval of both parliaments,\n"
        "which are expected to vote on it next month, the ministers\n"
        "told reporters after the meeting.\n"
    )
    a = clean(wrapped)
    paras = a.text.split("\n\n")
    assert len(paras) == 2
    assert paras[0].startswith("The finance ministers") and "on Thursday to discuss" in paras[0]
    assert "\n" not in paras[1]


def test_unicode_is_normalised() -> None:
    a = clean(
        "The minister\u00a0said the talks\u200b were\u00ad constructive and would continue next week in Vienna."
    )
    assert (
        a.text
        == "The minister said the talks were constructive and would continue next week in Vienna."
    )


def test_cp1252_curly_quotes_and_accented_names() -> None:
    text = "\n".join(
        [
            "By José Martí",
            "“We are ready,” said François Hollande’s successor in Zürich, according to Søren Ålund.",
            P3,
        ]
    )
    a = clean(text.encode("cp1252"))
    assert a.authors == ("José Martí",)
    assert a.text.startswith("“We are ready,” said François Hollande’s successor in Zürich")


def test_latin1_declared_text() -> None:
    text = "Señor Muñoz said the situation in Zürich was difícil, according to officials in Genève on Friday."
    a = clean(text.encode("latin-1"), encoding="iso-8859-1")
    assert a.text == text


def test_utf16_text() -> None:
    a = clean(("Grain talks make progress\n\n" + BODY).encode("utf-16"))
    assert a.title == "Grain talks make progress"
    assert a.text == BODY


def test_mojibake_is_repaired() -> None:
    fine = "The Kremlin’s envoy met Mr Müller in Genève on Thursday to discuss the grain corridor."
    broken = fine.encode("utf-8").decode("cp1252")  # "Kremlinâ€™s", "MÃ¼ller"
    assert broken != fine
    assert clean(broken).text == fine


# --- failures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n", "\u200b\ufeff\n".encode()])
def test_empty_input_is_skipped(content: bytes) -> None:
    f = fail(content)
    assert (f.kind, f.reason) == ("skip", "empty")
    assert f.message.startswith("story.txt: ")
    assert "\n" not in f.message


def test_binary_input_is_skipped_with_its_reason() -> None:
    f = fail(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert (f.kind, f.reason) == ("skip", "binary")
    assert f.message.startswith("story.txt: binary: ") and "PNG" in f.message


def test_undecodable_input_is_quarantined_with_its_bytes() -> None:
    data = bytes(range(0x80, 0x100)) * 3
    f = fail(data)
    assert (f.kind, f.reason) == ("quarantine", "undecodable")
    assert f.raw == data
    assert f.message == "story.txt: undecodable: no text encoding fits"


def test_markup_is_not_taken_for_plain_text() -> None:
    f = fail("<!DOCTYPE html><html><body><p>" + P1 + "</p></body></html>")
    assert (f.kind, f.reason) == ("skip", "not-article")
    assert "HTML" in f.message


def test_furniture_only_is_not_an_article() -> None:
    f = fail("sb.scorecardresearch\nAdvertisement\n• share\nFollow: Google News Icon\n0:00\n")
    assert (f.kind, f.reason) == ("skip", "not-article")
    assert "words" in f.message


def test_a_wall_is_not_an_article() -> None:
    f = fail("Access denied\n\nYou do not have permission to view this page on this server, sorry.")
    assert (f.kind, f.reason) == ("skip", "not-article")


def test_too_short_is_not_an_article() -> None:
    f = fail("Grain talks resume.")
    assert f.reason == "not-article"
    assert MIN_WORDS > 3


def test_wrong_kind_is_refused() -> None:
    out = clean_text(RawDocument(source="page.html", content=b"<p>x</p>", kind="html"))
    assert isinstance(out, Failure) and out.reason == "unsupported-format"


# --- properties ---------------------------------------------------------------------------------

_REASONS = {"empty", "binary", "not-article", "undecodable"}


def _check(out: Article | Failure) -> None:
    if isinstance(out, Failure):
        assert out.reason in _REASONS
        assert out.message.startswith("fuzz.txt: ") and "\n" not in out.message
        assert (out.raw is not None) == (out.kind == "quarantine")
    else:
        assert out.text and out.text == out.text.strip()
        assert "\n\n\n" not in out.text
        assert out.published is None or out.published_precision in {"day", "month", "year"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_an_article_or_a_documented_failure(data: bytes) -> None:
    _check(clean_text(RawDocument(source="fuzz.txt", content=data, kind="text")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=1500))
def test_arbitrary_text_gives_an_article_or_a_documented_failure(text: str) -> None:
    _check(clean_text(RawDocument(source="fuzz.txt", content=text.encode("utf-8"), kind="text")))


_JUNK = [
    "sb.scorecardresearch",
    "• share",
    "Follow: Google News Icon",
    "Image: AP | Image: self",
    "Advertisement",
    "Podcasts",
    "0:00",
    "(With inputs from agencies)",
    "Also read: Five things to know",
    "Sign up for our daily newsletter",
]
_WORDS = st.sampled_from(
    [
        "the",
        "minister",
        "said",
        "talks",
        "would",
        "continue",
        "in",
        "Vienna",
        "next",
        "week",
        "after",
        "officials",
        "met",
        "on",
        "Thursday",
        "and",
        "agreed",
        "that",
        "grain",
        "exports",
        "could",
        "resume",
        "soon",
    ]
)
_SENTENCE = st.lists(_WORDS, min_size=6, max_size=18).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=3).map(" ".join)
_DOC = st.lists(
    st.one_of(_PARAGRAPH, _PARAGRAPH, _PARAGRAPH, st.sampled_from(_JUNK)), min_size=1, max_size=12
).map("\n".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOC, st.sampled_from(["\n", "\n\n"]))
def test_cleaning_is_idempotent_and_drops_junk(doc: str, sep: str) -> None:
    first = clean_text(
        RawDocument(source="fuzz.txt", content=doc.replace("\n", sep).encode(), kind="text")
    )
    if isinstance(first, Failure):
        assert first.reason == "not-article"
        return
    for junk in _JUNK:
        assert junk not in first.text.split("\n\n")
    again = clean_text(RawDocument(source="fuzz.txt", content=first.text.encode(), kind="text"))
    assert isinstance(again, Article)
    assert again.text == first.text


def test_utf8_bom_and_crlf_do_not_change_the_result() -> None:
    plain = clean("Grain talks make progress\n\n" + BODY)
    windows = clean(
        codecs.BOM_UTF8
        + ("Grain talks make progress\r\n\r\n" + BODY.replace("\n", "\r\n")).encode()
    )
    assert (windows.title, windows.text, windows.id) == (plain.title, plain.text, plain.id)
