"""The duplicate finder: copies and trimmed copies are linked, look-alikes are not, and a new batch
is matched against the persistent index without re-reading the old ones."""

from __future__ import annotations

from pathlib import Path

from newstrace.config import Settings
from newstrace.group.duplicates import bands_of
from newstrace.group.shingles import containment, jaccard, shingles
from newstrace.pipeline import run
from newstrace.records import RawDocument
from newstrace.store import Store

WIRE = (
    "The port authority of Vessaly closed the northern quay on Thursday after a crane collapsed "
    "during the night, injuring two dock workers and damaging a grain ship moored alongside. "
    "Officials said the quay would stay shut for at least a week while engineers inspected the "
    "remaining cranes, and that cargo bound for the northern berths would be moved to the southern "
    "terminal. The dock workers' union called for an independent inquiry into maintenance records, "
    "saying it had warned the authority about corroded supports in a letter sent last spring. "
    "Shipping agents told clients to expect delays of two to three days for grain and timber "
    "cargoes. The authority's director, Mara Olsk, said safety checks had been carried out in "
    "January and promised to publish the inspection reports once the investigation was complete."
)
# An aggregator's copy: two words changed, nothing else.
COPY = WIRE.replace("injuring two dock workers", "hurting two dock workers").replace(
    "promised to publish", "pledged to publish"
)
# A trimmed copy: the first half of the story.
TRIMMED = WIRE[: WIRE.index("Shipping agents")].strip()
# A look-alike: the same kind of story, about another port, in other words.
OTHER = (
    "A crane fell at the harbour of Tiren on Friday, and the harbour master closed the eastern "
    "pier while inspectors examine the other cranes there. Nobody was hurt, the master said, but "
    "a container ship had to anchor offshore. Unions said they had raised concerns about rust on "
    "the cranes months ago. Freight firms expect a delay of a day or so for container traffic, "
    "and the harbour office said inspection results would be posted on its website next month."
)


def _doc(name: str, text: str) -> RawDocument:
    return RawDocument(f"{name}.txt", f"Quay closed\n20250306\n\n{text}\n".encode(), "text")


def _links(store: Store) -> dict[frozenset[str], str]:
    sources = {s.article_id: s.source for s in store.reader.iterate("article_sources")}
    return {
        frozenset((sources[x.a], sources[x.b])): x.detail.split(":")[0] if x.detail else ""
        for x in store.reader.iterate("links")
        if x.kind == "near_duplicate"
    }


def test_overlap_measures() -> None:
    a = shingles("One two three four five six seven.")
    assert a == shingles("ONE, two — three four five; six seven")  # case and punctuation folded
    assert len(a) == 3 and shingles("too short") == frozenset()
    b = shingles("One two three four five six eight.")
    assert jaccard(a, b) == 2 / 4 and containment(a, a | b) == 1.0
    # The same text gives the same LSH keys; a very different one shares none.
    assert bands_of(shingles(WIRE)) == bands_of(shingles(WIRE))
    assert not set(bands_of(shingles(WIRE))) & set(bands_of(shingles(OTHER)))


def test_copies_are_linked_and_look_alikes_are_not(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    settings = Settings(db=str(tmp_path / "s.db"), analyse=False)
    run([_doc("wire", WIRE), _doc("other", OTHER)], store, settings)
    assert _links(store) == {}
    # A later run: the copies are found through the stored index, not by re-reading every text.
    store = Store(str(tmp_path / "s.db"))
    run([_doc("copy", COPY), _doc("trimmed", TRIMMED)], store, settings)
    links = _links(store)
    expected = jaccard(shingles(WIRE), shingles(COPY))
    assert expected >= 0.8
    assert links[frozenset(("wire.txt", "copy.txt"))] == f"word 5-gram Jaccard {expected:.3f}"
    assert links[frozenset(("wire.txt", "trimmed.txt"))] == "trimmed copy"
    assert links[frozenset(("copy.txt", "trimmed.txt"))] == "trimmed copy"
    assert not any("other.txt" in pair for pair in links)
    state = store.reader.stage_state("newstrace.group.duplicates")
    assert state is not None and state.watermark == 4
    # Running again changes nothing: no article is new to the stage.
    run([_doc("wire", WIRE)], store, settings)
    assert _links(store) == links
