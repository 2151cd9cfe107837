"""The Python API: what `import newstrace` offers, run on the example corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newstrace
from newstrace.errors import StoreMissing
from newstrace.store.models import QuoteView
from test_examples import _cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("api") / "s.db"
    summary = newstrace.run([ROOT / "examples" / "html", ROOT / "examples" / "feeds"], db=db)
    assert summary.stored >= 6 and summary.products["quotes"] > 0
    return db


def test_records_are_the_exported_rows(store: Path) -> None:
    exported = [
        json.loads(x) for x in _cli("export", "quotes", "--db", str(store)).stdout.splitlines()
    ]
    got = newstrace.read_quotes(store)
    assert [q.id for q in got] == [row["id"] for row in exported]
    frame = newstrace.to_frame(got)
    assert list(frame.columns) == list(exported[0]) and len(frame) == len(exported)
    assert all(isinstance(q, QuoteView) for q in got)


def test_quote_filters(store: Path) -> None:
    everyone = newstrace.read_quotes(store)
    speaker = next(q.speaker for q in everyone if q.speaker and len(q.speaker) > 4)
    shouted = newstrace.read_quotes(store, speaker=speaker.upper())
    # The speaker's name or the words the text uses for them, ignoring case.
    said = [f"{q.speaker} {q.speaker_mention}".lower() for q in shouted]
    assert said and all(speaker.lower() in x for x in said)
    assert {q.id for q in everyone if q.speaker == speaker} <= {q.id for q in shouted}
    dated = [q.date for q in everyone if q.date]
    day = sorted(dated)[len(dated) // 2]
    assert all(q.date and q.date >= day for q in newstrace.read_quotes(store, since=day))
    assert len(newstrace.read_quotes(store, since=day)) < len(everyone)


def test_articles_stats_and_re_running(store: Path) -> None:
    stored = list(newstrace.read_articles(store))
    assert newstrace.stats(store).articles == len(stored)
    again = newstrace.run([ROOT / "examples" / "html"], db=store)
    assert (
        again.as_dict()["article"] == {"already-stored": 4}
        or "already-stored" in again.as_dict()["article"]
    )
    assert newstrace.stats(store).articles == len(stored)


def test_a_missing_store_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        newstrace.open_store(tmp_path / "none.db")
    with pytest.raises(StoreMissing):
        newstrace.read_quotes(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_a_plain_script_can_run_without_a_main_guard(tmp_path: Path) -> None:
    # Worker processes would re-import an unguarded script; the API works in the calling
    # process unless asked for workers, so the documented two lines just work.
    import subprocess
    import sys

    script = (
        "import newstrace\n"
        f"s = newstrace.run([{str(ROOT / 'examples' / 'text')!r}], db={str(tmp_path / 's.db')!r},"
        " analyse=False, batch_size=2)\n"
        "print(s.stored)\n"
    )
    (tmp_path / "script.py").write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(tmp_path / "script.py")], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) == len(list((ROOT / "examples" / "text").glob("*.txt")))
