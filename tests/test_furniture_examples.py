"""Furniture by kind on the written examples in examples/furniture/ (new outlets, new wordings that
are not in the rules' own tests): exact about every kept paragraph, so no sentence of content is
lost and no junk line survives; and the chunk, closing-list and template steps on their own."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from newstrace.clean import CleanStage
from newstrace.clean.body import drop_closing_links, link_texts
from newstrace.clean.chunks import join_chunks
from newstrace.clean.furniture import furniture_kind, navigation_bar
from newstrace.clean.page import PageMeta, Site, choose_title
from newstrace.clean.template import drop_template_lines
from newstrace.records import Article, RawDocument, article_id

FOLDER = Path(__file__).resolve().parents[1] / "examples" / "furniture"
COURIER = sorted(FOLDER.glob("*_saltmarshcourier_*.txt"))
TEMPLATE = ["Independent news for the Saltmarsh coast since 1911", "Courier Harbour Desk"]


def _docs(paths: list[Path]) -> list[RawDocument]:
    return [
        RawDocument(str(p), p.read_bytes(), "html" if p.suffix == ".html" else "text")
        for p in paths
    ]


@pytest.fixture(scope="module")
def cleaned() -> dict[str, Article]:
    out = CleanStage()(_docs(sorted(FOLDER.iterdir())))
    assert all(isinstance(a, Article) for a in out), out
    return {Path(a.source).name: a for a in out if isinstance(a, Article)}


KEPT = {
    "2025-04-02_saltmarshcourier_ferry-timetable.txt": [
        "The winter ferry timetable on the Saltmarsh crossing will end two weeks early this year, after the operator added a second boat to the route.",
        "From 14 April the crossing will run every forty minutes between six in the morning and ten at night.",
        "The second boat, a refitted cargo vessel, carried its first passengers on Tuesday morning.",
        "Season tickets bought for the winter months will be honoured on the summer timetable until the end of May.",
    ],
    "2025-04-03_saltmarshcourier_lighthouse-museum.txt": [
        "The cottage beside the old Saltmarsh lighthouse opened as a small museum on Thursday, forty years after its last keeper moved out.",
        "Volunteers spent two winters repairing the roof and the stone stairs that lead up to the lamp room.",
        "The rooms hold the keeper's logbooks, a brass fog horn and a collection of storm barometers lent by local families.",
        "Entry is free on weekdays, and guided climbs to the lamp room run every Saturday afternoon.",
    ],
    "2025-04-04_saltmarshcourier_oyster-beds.txt": [
        "The oyster beds north of the Saltmarsh breakwater reopened to harvesters on Friday after the spring water survey found them clean.",
        "Harvesting had been paused since February, when a storm washed silt over the lower beds.",
        "Most of the harvest is sold at the Saturday market on the quay, and the first boxes went on sale the same morning.",
        "The survey will be repeated in September, before the autumn season begins.",
    ],
    "fenwickledger_ferry-fares.txt": [
        "Island commuters face a second increase within a year.",
        "FENWICK, April 2 – Fares on the ferry between Fenwick and the Holm islands will rise by a tenth from the first of May, the second increase in twelve months.",
        "A return ticket for a foot passenger will cost eleven crowns, and the price of a car crossing will go up by the same share.",
        "Commuters who buy a monthly pass will pay the old price until the end of June.",
        "The islands' council has asked for a meeting with the operator before the new fares take effect.",
    ],
    "copperlinepost_library-reopens.html": [
        "The public library on Copperline Square reopened on Saturday after eighteen months of building work, with a reading garden laid out on its old car park.",
        "The garden has benches for sixty readers under a timber canopy, and its beds were planted by pupils from the two schools on the square.",
        "Inside, the children's room has moved to the ground floor, next to a new study hall that stays open until nine in the evening.",
        "The building work cost the town a little over four million crowns, a fifth of which came from a regional heritage fund.",
        "The reading room on the first floor keeps its painted ceiling, which restorers cleaned panel by panel over the winter.",
        "Opening hours on Sundays will be tried for the summer months and reviewed in October.",
    ],
}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_every_content_paragraph_kept_and_nothing_else(
    cleaned: dict[str, Article], name: str
) -> None:
    assert cleaned[name].text.split("\n\n") == KEPT[name]


def test_titles_are_headlines_never_navigation_bars(cleaned: dict[str, Article]) -> None:
    # The Ledger's text opens with its menu, then a line holding headline and standfirst.
    assert cleaned["fenwickledger_ferry-fares.txt"].title == (
        "Ferry fares to rise in May, operator confirms"
    )
    # The Post's page has its menu in an <h1> and in <title>; the headline is the other <h1>.
    post = cleaned["copperlinepost_library-reopens.html"]
    assert post.title == "Copperline library reopens with a reading garden"
    assert (post.outlet, post.published, post.authors) == (
        "copperlinepost.net",
        "2025-04-05",
        ("Ilse Marwood",),
    )


# Each furniture line of the examples, by the kind it is removed as.
KINDS = [
    ("Courier | Harbour | Markets | Weather | Letters", "navigation-bar"),
    ("Ledger | Valley | Farming | Sport | Notices", "navigation-bar"),
    ("Picture: Courier staff", "image-credit"),
    ("(Photo by Maren Oaks)", "image-credit"),
    ("Illustration by Tove Lindqvist", "image-credit"),
    ("Listen to this report (4 min)", "call-to-action"),
    ("Share this report with your neighbours", "call-to-action"),
    ("Subscribe to the Saltmarsh Courier", "call-to-action"),
    ("Follow the Courier on Mastodon for tide alerts", "call-to-action"),
    ("Teilen Sie diesen Artikel", "call-to-action"),
    ("Síguenos en Bluesky", "call-to-action"),
    ("Sign up for the Valley Ledger weekend digest", "newsletter"),
    ("Fresh harbour news in your inbox every Friday, sign up free", "newsletter"),
    ("Get the Courier app for iPhone and Android", "app-promo"),
    ("Listen: https://www.saltmarshcourier.org/audio/lighthouse-cottage", "player"),
    ("This narration was generated with text-to-speech", "player"),
    ("Now playing", "podcast"),
    ("Episode 12", "player"),
    ("214 comments", "navigation"),
    ("1.4K shares", "counter"),
    ("6 min read", "reading-time"),
    ("Mardi 4 mars 2025 à 07:15", "counter"),
    ("Lire aussi : le phare de Saltmarsh rouvre ses portes", "also-read"),
    ("Leggi anche: il nuovo orario dei traghetti", "also-read"),
]


@pytest.mark.parametrize(("line", "kind"), KINDS)
def test_each_furniture_line_of_the_examples_is_its_kind(line: str, kind: str) -> None:
    in_examples = any(line in p.read_text(encoding="utf-8") for p in FOLDER.iterdir())
    assert in_examples, line
    assert furniture_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        # Imperatives and counts that are reporting, not furniture.
        "Follow the river path north and the lighthouse comes into view after a mile.",
        "Share prices of the ferry operator rose after the second boat entered service.",
        "Read the timetable closely: the last crossing leaves ten minutes earlier on Sundays.",
        "Listeners to the harbour radio heard the storm warning twice that night.",
        "The app was downloaded 4,000 times in its first week, the operator's figures show.",
        "214 harvesters hold licences for the beds this year.",
        "Harbour, market and weather reports fill the paper's first three pages.",
    ],
)
def test_content_lines_of_the_same_words_are_kept(line: str) -> None:
    assert furniture_kind(line) is None
    assert not navigation_bar(line)


def test_template_lines_need_the_outlets_other_articles() -> None:
    # Alone, an article keeps the lines its siblings would show to be the Courier's template
    # (and only those): every furniture line of a kind is still removed.
    [alone] = CleanStage()(_docs(COURIER[:1]))
    assert isinstance(alone, Article)
    assert alone.text.split("\n\n") == TEMPLATE + KEPT[COURIER[0].name]
    [_, _] = CleanStage()(_docs(COURIER[:2]))  # two articles are not enough evidence


def _article(source: str, outlet: str, paragraphs: list[str]) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=article_id(text), source=source, text=text, outlet=outlet)


def test_a_sentence_repeated_across_an_outlets_articles_is_content() -> None:
    background = "The crossing has been run by the same family firm since 1958."
    label = "Harbour notes"
    batch = [
        _article(
            f"a{i}.txt",
            "example.org",
            [f"Story number {i} opens here with news.", label, background],
        )
        for i in range(3)
    ]
    out = drop_template_lines(batch)
    for before, after in zip(batch, out, strict=True):
        assert isinstance(after, Article)
        assert after.text.split("\n\n") == [before.text.split("\n\n")[0], background]
        assert after.id == article_id(after.text) != before.id
    # Copies of one text are one article: three copies are no evidence of a template.
    copies = [_article(f"c{i}.txt", "example.org", ["One story.", label]) for i in range(3)]
    assert drop_template_lines(copies) == copies


CHUNKED = """<html><body><article>
<div class="part"><p>The first paragraph of the report runs long enough to be body text here.</p>
<p>The second paragraph of the report also reads as a sentence of the story.</p></div>
<div class="slot">Advertisement</div>
<div class="part"><p>The third paragraph continues the story after the advertising slot, as the page wrote it.</p>
<p>The fourth paragraph ends the report with one more full sentence of its own, and it is long.</p>
<p>A fifth paragraph makes the chunk as long as a part of an article usually is on such pages.</p></div>
<div class="part"><p>An about box sits right after it without any interruption between them at all.</p>
<p>It describes the company in sentences, which is why adjacency and not wording decides.</p>
<p>Its third sentence makes it as long as the chunk before it, so length alone would not do.</p></div>
</article></body></html>"""


def test_chunks_cut_by_an_ad_are_joined_and_an_adjacent_box_is_not() -> None:
    tree = lxml.html.document_fromstring(CHUNKED)
    first = [
        "The first paragraph of the report runs long enough to be body text here.",
        "The second paragraph of the report also reads as a sentence of the story.",
    ]
    joined = join_chunks(tree, ["Headline", *first])
    assert joined == [
        "Headline",
        *first,
        "The third paragraph continues the story after the advertising slot, as the page wrote it.",
        "The fourth paragraph ends the report with one more full sentence of its own, and it is long.",
        "A fifth paragraph makes the chunk as long as a part of an article usually is on such pages.",
    ]


def test_a_closing_list_of_links_goes_with_its_heading() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><p>Body.</p><a href='/1'>Old tram depot put up for sale</a>"
        "<a href='/2'>Late frost warning for the orchards</a></body></html>"
    )
    anchors = link_texts(tree)
    body = "A sentence of the story.\n\nAnother one.\n\nMore from us"
    links = "- Old tram depot put up for sale\n\nLate frost warning for the orchards"
    assert drop_closing_links(f"{body}\n\n{links}", anchors) == body.rsplit("\n\n", 1)[0]
    # One link at the end is not a list; a link inside the body is left alone.
    one = f"{body}\n\nLate frost warning for the orchards"
    assert drop_closing_links(one, anchors) == one
    inside = f"Old tram depot put up for sale\n\nLate frost warning for the orchards\n\n{body}."
    assert drop_closing_links(inside, anchors) == inside


def test_a_navigation_bar_is_never_chosen_as_title() -> None:
    meta = PageMeta(
        titles=[("meta:og:title", "Copperline Post | Local | Business | Weather")],
        h1=["Copperline Post | Local | Business | Weather"],
    )
    assert choose_title(meta, Site([], None)) is None
