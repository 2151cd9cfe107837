"""Quote-mark pairing on raw text (no model): styles, nesting, unclosed and multi-paragraph quotes."""

from __future__ import annotations

from newstrace.quotes.marks import find_quote_regions, paragraph_spans


def quoted(text: str) -> list[list[str]]:
    return [[text[a:b] for a, b in r.segments] for r in find_quote_regions(text)]


def test_curly_pair_spans_sentences() -> None:
    text = "“We will not attack. We want peace,” the minister said."
    assert quoted(text) == [["We will not attack. We want peace,"]]


def test_straight_quotes_alternate() -> None:
    text = 'She said "yes" and then "no, never."'
    assert quoted(text) == [["yes"], ["no, never."]]


def test_split_quote_gives_two_regions() -> None:
    text = "“Talks are possible,” he added, “but only if troops leave.”"
    assert quoted(text) == [["Talks are possible,"], ["but only if troops leave."]]


def test_guillemets_and_low_nine_quotes() -> None:
    text = "«We are ready,» she said. He replied: „Not yet.“ Then: »Maybe later.«"
    assert quoted(text) == [["We are ready,"], ["Not yet."], ["Maybe later."]]


def test_doubled_apostrophes_are_one_mark() -> None:
    text = "''It is over,'' she said. ''We lost.''"
    assert quoted(text) == [["It is over,"], ["We lost."]]


def test_nested_quote_stays_inside_outer() -> None:
    text = '"He asked me: “Are you sure?” and I said yes," she recalled.'
    assert quoted(text) == [["He asked me: “Are you sure?” and I said yes,"]]


def test_unclosed_quote_closes_at_paragraph_end() -> None:
    text = 'Rivera said: "We tried everything we could.\n\nThe talks ended on Friday.'
    regions = find_quote_regions(text)
    assert [[text[a:b] for a, b in r.segments] for r in regions] == [
        ["We tried everything we could."]
    ]
    assert regions[0].closed is False


def test_multi_paragraph_quote_reopened_on_each_paragraph() -> None:
    text = "She said:\n\n“We will rebuild the bridge.\n\n“It will take two years.”\n\nThe council met later."
    regions = find_quote_regions(text)
    assert len(regions) == 1
    assert [text[a:b] for a, b in regions[0].segments] == [
        "We will rebuild the bridge.",
        "It will take two years.",
    ]
    assert regions[0].closed is True


def test_apostrophes_are_not_quotes() -> None:
    text = "It’s the voters’ choice, and they don't care."
    assert quoted(text) == []


def test_single_quotes_in_a_headline() -> None:
    text = "‘Reckless’ to move the border – Haddad"
    regions = find_quote_regions(text)
    assert quoted(text) == [["Reckless"]]
    assert regions[0].single is True


def test_mixed_shapes_still_close() -> None:
    text = '"We will win this,” he said. Then silence.'
    assert quoted(text) == [["We will win this,"]]


def test_paragraph_spans_any_line_break() -> None:
    text = "One.\n\nTwo.\nThree.\n\n\n"
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["One.", "Two.", "Three."]
