"""Stories: the same story from three outlets over two days is one story, a look-alike (the same
two leaders at another summit weeks later) and an unrelated article stay apart, coverage names
who reported and who did not, and the seeds' 22 February articles are one story without the
December ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newstrace.config import Settings
from newstrace.eval.clustering import adjusted_rand, bcubed, pairwise_f1
from newstrace.ingest import read
from newstrace.pipeline import run
from newstrace.records import RawDocument
from newstrace.store import Store, StoryFilter

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "examples" / "stories"
SEEDS = ROOT.parent / "shared" / "seeds"
SUMMIT = "2025-04-08_meridianwire_port-aldene-summit-prisoners.txt"
AGENCY = "2025-04-08_varniapress_dragomir-marsk-detainees.txt"
NEXT_DAY = "2025-04-09_innerseaherald_halden-swap-preparations.txt"
LOOK_ALIKE = "2025-05-13_meridianwire_olvena-summit-river-water.txt"
TRAM = "2025-04-09_kestrany-today_olvena-tram-line.txt"


def _story_by_file(store: Store) -> dict[str, str]:
    sources = {Path(s.source).name: s.article_id for s in store.reader.iterate("article_sources")}
    placed = store.reader.story_of(sources.values())
    return {name: placed[aid] for name, aid in sources.items()}


@pytest.fixture(scope="module")
def stories_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from newstrace.actors import import_dictionary

    folder = tmp_path_factory.mktemp("stories")
    settings = Settings(db=str(folder / "s.db"))
    import_dictionary(ROOT / "examples" / "actors.txt", store_dir=folder / "actors")
    store = Store(settings.db)
    run(read([str(STORIES)]), store, settings, inputs=[str(STORIES)])
    return store


@pytest.mark.slow
def test_one_story_across_outlets_and_days_and_look_alikes_apart(stories_store: Store) -> None:
    of = _story_by_file(stories_store)
    assert of[SUMMIT] == of[AGENCY] == of[NEXT_DAY]
    assert len({of[SUMMIT], of[LOOK_ALIKE], of[TRAM]}) == 3
    story = stories_store.reader.story(of[SUMMIT])
    assert story is not None
    assert story.title == "Dragomir and Marsk agree prisoner exchange at Port Aldene summit"
    assert (story.first_date, story.last_date, story.size) == ("2025-04-08", "2025-04-09", 3)
    assert story.outlets == ("innerseaherald.co.uk", "meridianwire.com", "varniapress.com")
    assert {"VRNGOV", "KSYGOV"} <= set(story.actors)
    # The look-alike: the same two leaders, their next summit five weeks later.
    other = stories_store.reader.story(of[LOOK_ALIKE])
    assert other is not None and other.size == 1 and {"VRNGOV", "KSYGOV"} <= set(other.actors)


@pytest.mark.slow
def test_coverage_says_who_reported_when_and_who_did_not(stories_store: Store) -> None:
    of = _story_by_file(stories_store)
    coverage = stories_store.reader.coverage(of[SUMMIT])
    assert coverage is not None
    assert [(r.outlet, r.first_date, r.articles) for r in coverage.reported] == [
        ("meridianwire.com", "2025-04-08", 1),
        ("varniapress.com", "2025-04-08", 1),
        ("innerseaherald.co.uk", "2025-04-09", 1),
    ]
    # Kestrany Today published on 9 April (the tram line), inside the story's span.
    assert coverage.missed == ("kestrany-today.com",)
    outlet = stories_store.reader.outlet_coverage("Kestrany-Today.com")
    assert outlet.covered == (of[TRAM],) and outlet.missed == (of[SUMMIT],)
    wire = stories_store.reader.outlet_coverage("meridianwire.com")
    # The wire published nothing on 9 April, the tram story's one day: it missed nothing.
    assert set(wire.covered) == {of[SUMMIT], of[LOOK_ALIKE]} and wire.missed == ()


@pytest.mark.slow
def test_listing_filters_and_export(stories_store: Store) -> None:
    of = _story_by_file(stories_store)
    reader = stories_store.reader
    listed = [
        s.id for s in reader.iterate("stories", stories=StoryFilter(outlet="varniapress.com"))
    ]
    assert listed == [of[SUMMIT]]
    later = {s.id for s in reader.iterate("stories", stories=StoryFilter(since="2025-05-01"))}
    assert later == {of[LOOK_ALIKE]}
    # Actor filter: stories whose articles mention an Inner Sea Council actor.
    isc = {s.id for s in reader.iterate("stories", stories=StoryFilter(actor="igoisc"))}
    assert of[SUMMIT] in isc and of[TRAM] not in isc
    db = stories_store.database.target
    done = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "export", "stories", "--db", str(db)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert list(rows[0])[:6] == ["id", "title", "first_date", "last_date", "outlets", "article_ids"]
    summit = next(r for r in rows if r["id"] == of[SUMMIT])
    assert len(summit["article_ids"]) == 3
    shown = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "story", of[SUMMIT], "--db", str(db)],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout  # fmt: skip
    assert "not reported by (active in its span): kestrany-today.com" in shown
    missing = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "story", "s999", "--db", str(db)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert missing.returncode == 1 and "story 's999': no such story" in missing.stderr


def _doc(name: str, day: str, title: str, text: str) -> RawDocument:
    return RawDocument(f"{name}.txt", f"{title}\n{day}\n\n{text}\n".encode(), "text")


def _texts() -> dict[str, str]:
    """The example stories' bodies (after their three header lines)."""
    out = {}
    for name in (SUMMIT, AGENCY, LOOK_ALIKE):
        lines = (STORIES / name).read_text(encoding="utf-8").splitlines()
        out[name] = "\n".join(lines[3:])
    return out


def test_a_later_run_joins_stored_stories_and_copies_follow_their_original(tmp_path: Path) -> None:
    # Without the NLP stage (no entities): the words and the dates decide, against the stories
    # already stored, and a near copy goes to its original's story.
    texts = _texts()
    settings = Settings(db=str(tmp_path / "s.db"), analyse=False)
    store = Store(settings.db)
    run([_doc("summit", "20250408", "Summit deal", texts[SUMMIT])], store, settings)
    later = [
        _doc("agency", "20250408", "Swap welcomed", texts[AGENCY]),
        _doc("copy", "20250409", "Summit deal (update)", texts[SUMMIT] + "\nMore follows."),
        _doc("again", "20250513", "Second summit", texts[LOOK_ALIKE]),
    ]
    run(later, Store(settings.db), settings)
    of = {Path(k).stem: v for k, v in _story_by_file(store).items()}
    assert of["summit"] == of["agency"] == of["copy"] == "s1"
    assert of["again"] != "s1"
    basis = {m.article_id: m.basis for m in store.reader.story_members("s1")}
    assert sorted(basis.values()) == ["near_duplicate", "new", "similar"]
    state = store.reader.stage_state("newstrace.group.stories")
    assert state is not None and state.watermark == 4


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_seeds_the_22_february_articles_are_one_story_without_december(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"))
    store = Store(settings.db)
    run(read([str(SEEDS)]), store, settings, inputs=[str(SEEDS)])
    articles = {a.id: a for a in store.reader.iterate("articles")}
    of = _story_by_file(store)
    by_prefix = {name[:3]: story for name, story in of.items()}
    assert by_prefix["000"] == by_prefix["001"]
    ids = {name[:3]: aid for name, aid in
           ((Path(s.source).name, s.article_id) for s in store.reader.iterate("article_sources"))}  # fmt: skip
    december = [
        p for p, aid in ids.items() if (articles[aid].published or "").startswith("2021-12")
    ]
    assert december, "the December seed is dated December 2021"
    story: Any = store.reader.story(by_prefix["000"])
    assert story is not None and story.first_date == "2022-02-22"
    assert all(by_prefix[p] != by_prefix["000"] for p in december)
    assert not set(story.article_ids) & {ids[p] for p in december}


def test_cluster_scores_on_a_hand_worked_case() -> None:
    gold = ["a", "a", "a", "b", "b"]
    pred = ["x", "x", "y", "y", "y"]
    p, r, f = bcubed(gold, pred)
    # Precision: items 1,2 -> 1; items 3..5 -> 1/3, 2/3, 2/3. Recall: 2/3, 2/3, 1/3, 1, 1.
    assert p == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert f == pytest.approx(2 * p * r / (p + r))
    # Pairs together in both: (1,2) and (4,5) of 4 gold and 4 predicted pairs.
    assert pairwise_f1(gold, pred) == pytest.approx(0.5)
    assert adjusted_rand(gold, gold) == pytest.approx(1.0)
    assert adjusted_rand(gold, pred) < 0.5


def test_two_stories_an_article_bridges_merge_into_the_older(tmp_path: Path) -> None:
    # A quay fire and a ferry strike in one port are two stories until a report ties them (the
    # strike called over the fire): then the younger merges into the older, which keeps its id.
    from newstrace.group import DuplicateStage
    from newstrace.group.stories import StoryStage
    from newstrace.registry import build
    from newstrace.stage import Pipeline, StoredGate

    fire = ("Fire crews fought a blaze in a timber warehouse on the Tiren quay overnight. The "
            "warehouse roof collapsed and smoke drifted over the old town until the morning.")  # fmt: skip
    strike = ("Ferry crews at Tiren walked out on Monday, stranding passengers bound for the "
              "islands. The ferry union said sailings would stop until pay talks resume.")  # fmt: skip
    both = ("Ferry crews at Tiren said they walked out because the warehouse blaze on the quay "
            "left smoke over the ferry berths; fire crews and the ferry union met on Monday.")  # fmt: skip
    settings = Settings(db=str(tmp_path / "s.db"), analyse=False)
    stage = StoryStage(join=0.2, merge=0.05)
    pipeline = Pipeline((build("newstrace.clean.v1", {}), StoredGate(), DuplicateStage(), stage))
    store = Store(settings.db)
    docs = [_doc("fire", "20250601", "Warehouse fire", fire),
            _doc("strike", "20250602", "Ferry strike", strike)]  # fmt: skip
    run(docs, store, settings, pipeline=pipeline)
    assert sorted(set(_story_by_file(store).values())) == ["s1", "s2"]
    run([_doc("both", "20250602", "Strike over fire", both)], store, settings, pipeline=pipeline)
    assert set(_story_by_file(store).values()) == {"s1"}
    merges = store.reader.story_merges("s1")
    assert [(m.kept, m.merged, m.seq) for m in merges] == [("s1", "s2", 3)]
    merged = store.reader.story("s2")  # the merged id still resolves, to the story it joined
    assert merged is not None and merged.id == "s1" and merged.size == 3
    assert [s.id for s in store.reader.iterate("stories")] == ["s1"]
