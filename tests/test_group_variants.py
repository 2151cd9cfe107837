"""Quote variants: the word alignment's classes on hand-written pairs, the stage's incremental
grouping in a real store, and the seeds' two renderings of one Putin statement (read from
../shared/seeds at run time; no seed text lives here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newstrace.config import Settings
from newstrace.embed import DIM, embed
from newstrace.group.variants import quote_groups
from newstrace.group.wording import compare, words
from newstrace.pipeline import run
from newstrace.records import Link, RawDocument
from newstrace.store import Store, VariantFilter

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"


@pytest.mark.parametrize(
    ("a", "b", "change", "kind"),
    [
        ("The ferry will sail at dawn.", "The ferry will sail at dawn.", "verbatim", None),
        ("The ferry will sail at dawn.", "The ferry will sail at dawn!", "punctuation", None),
        ("Our harbour is open", "Our harbor is open", "punctuation", None),
        ("The ferry will sail at dawn", "The ferry will not sail at dawn", "meaning_changed",
         "negation"),
        ("We have never refused a ship", "We have refused a ship", "meaning_changed", "negation"),
        ("Twelve boats left the port today", "Twenty boats left the port today",
         "meaning_changed", "number"),
        ("We lost 2,500 tonnes of grain", "We lost 25,000 tonnes of grain", "meaning_changed",
         "number"),
        ("The strike will possibly end on Monday", "The strike will end on Monday",
         "meaning_changed", "hedge"),
        ("The quay will reopen next week", "The quay may reopen next week", "meaning_changed",
         "modality"),
        ("The quay will reopen next week, unless the inspectors find more rust",
         "The quay will reopen next week", "meaning_changed", "hedge"),
        ("The quay will reopen next week, and the cranes will be replaced in May",
         "The quay will reopen next week", "trimmed", None),
        # Another translation: other words, the same claim (the negation kept, numbers equal).
        ("We do not accept one metre less than the agreed line",
         "We don't accept a single metre short of the line that was agreed", "wording", None),
        ("There were 11 km of queues", "There were eleven kilometres of queues", "wording", None),
        # Reported speech backshifts "will" to "would": not a change of modality.
        ("We will reopen the quay", "that they would reopen the quay", "wording", None),
    ],
)  # fmt: skip
def test_the_alignment_classifies_each_kind(a: str, b: str, change: str, kind: str | None) -> None:
    got = compare(a, b)
    assert (got.change, got.kind) == (change, kind), got


def test_evidence_names_the_words_and_the_fuller_side() -> None:
    got = compare("The mill will probably close", "The mill will close")
    assert got.evidence.startswith("'probably' in a, '-' in b") and got.fuller == "a"
    assert words("That “Mill’s” 3,000 jobs are going to stay") == [
        "mill's", "3,000", "jobs", "are", "going_to", "stay",
    ]  # fmt: skip


def test_embeddings_are_normalised_and_offline() -> None:
    import os

    vectors = embed(["The quay was closed.", "The harbour pier was shut.", "Bananas are yellow."])
    assert vectors.shape == (3, DIM) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert embed([]).shape == (0, DIM)


def test_groups_are_the_connected_links() -> None:
    links = [Link("quote_variant", "q1", "q2", 1.0), Link("quote_variant", "q3", "q2", 1.0),
             Link("quote_variant", "q7", "q8", 1.0), Link("rewrite", "a1", "a2", 1.0)]  # fmt: skip
    assert quote_groups(links) == [{"q1", "q2", "q3"}, {"q7", "q8"}]


def _doc(name: str, day: str, body: str) -> RawDocument:
    text = f"Harbour news\n{day}\nhttps://example.org/{name}\n{body}\n"
    return RawDocument(f"{name}.txt", text.encode(), "text")


def test_a_new_article_is_grouped_against_the_stored_quotes(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    actors = tmp_path / "actors"
    actors.mkdir()
    (actors / "port.txt").write_text("IDA_MERRIN_\n+MERRIN_\n\t[VRNGOV]\n", encoding="utf-8")
    settings = Settings(db=db, actors_dir=str(actors))
    store = Store(db)
    first = (
        "Ida Merrin, the harbour minister, spoke on Monday. “The northern quay will reopen "
        "on 14 April after the repairs,” Merrin said. Dock workers welcomed the news."
    )
    later = (
        "Ida Merrin, the harbour minister, spoke to the radio. “The northern quay will "
        "reopen on 24 April after the repairs,” Merrin said. Traders were relieved."
    )
    month = ("Ida Merrin, the harbour minister, spoke again. “The northern quay will reopen on "
             "14 April after the repairs,” Merrin said. Nothing else was announced.")  # fmt: skip
    run([_doc("first", "20250407", first)], store, settings)
    assert [x for x in store.reader.iterate("links") if x.kind == "quote_variant"] == []
    run([_doc("later", "20250408", later), _doc("month", "20250520", month)], store, settings)
    variants = [x for x in store.reader.iterate("links") if x.kind == "quote_variant"]
    # The statement a month later is outside the window of days: not the same statement.
    assert len(variants) == 1, variants
    [link] = variants
    assert link.change == "meaning_changed" and link.detail is not None
    assert link.detail.startswith("meaning changed (number): '14' in a, '24' in b")
    assert "likely original: a (published earlier, 2025-04-07)" in link.detail
    [variant] = store.reader.iterate("variants", variants=VariantFilter(speaker="merrin"))
    assert (variant.a, variant.b) == (link.a, link.b) and "14 April" in variant.a_text
    assert variant.a_date == "2025-04-07" and variant.b_published == "2025-04-08"
    wording = store.reader.page("variants", variants=VariantFilter(change="wording"))
    assert wording.items == () and wording.next is None
    # A story filter keeps only the variants whose quotes are in that story's articles.
    [story] = [s for s in store.reader.iterate("stories") if variant.b_article_id in s.article_ids]
    assert list(store.reader.iterate("variants", variants=VariantFilter(story=story.id)))
    assert not list(store.reader.iterate("variants", variants=VariantFilter(story="s-none")))


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seeds not found at {SEEDS}")
def test_the_seeds_third_countries_statement_is_one_wording_group(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    store = Store(db)
    files = [sorted(SEEDS.glob(f"{p}_*.txt"))[0] for p in ("000", "001")]
    docs = [RawDocument(str(f), f.read_bytes(), "text") for f in sorted(SEEDS.glob("*.txt"))]
    run(docs, store, Settings(db=db))
    ids = {s.article_id for s in store.reader.iterate("article_sources") if Path(s.source) in files}
    assert len(ids) == 2
    renderings = {
        q.id
        for q in store.reader.iterate("quotes")
        if q.article_id in ids
        and q.speaker == "Vladimir Putin"
        and ("third countries" in q.text or "3rd countries" in q.text)
    }
    assert len(renderings) >= 2
    links = [x for x in store.reader.iterate("links") if x.kind == "quote_variant"]
    groups = [g for g in quote_groups(links) if g & renderings]
    assert len(groups) == 1 and renderings <= groups[0]
    inside = [x for x in links if x.a in groups[0]]
    assert inside and all(x.change == "wording" for x in inside), inside
