"""Time the event grouper per new article on stores of two sizes with the same density of reports
per dyad and day (three a day on one dyad), to see that its cost follows the reports near a new
one, not the size of the store (docs/events-serving.md). Writes two SQLite files in a temp dir.

    .venv/bin/python scripts/measure_event_grouping_cost.py
"""

from __future__ import annotations

import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

from newstrace.records import Analysis
from newstrace.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_group_events import _article, _coded, _group  # the tests' builders

_TOPICS = (
    "border launchers fishermen drivers crossing embargo monitors shelling artillery valley "
    "drones diplomat ambassador airspace pipeline grain"
)
WORDS = _TOPICS.split()
NEW = 200


def _fill(store: Store, numbers: range, first_day: int) -> None:
    batch, analyses = [], []
    for k, i in enumerate(numbers):
        text = "Kestrany accused Varnia of " + " ".join(random.Random(i).sample(WORDS, 4)) + "."
        day = (
            datetime.date(2000, 1, 1) + datetime.timedelta(days=(first_day + k) // 3)
        ).isoformat()
        a = _article(f"k{i}", text, day, f"o{i % 7}.example")
        e, ents = _coded(a, "accused", "ACCUSE", "112", -2.0)
        batch.append((a, f"s{i}"))
        analyses.append(Analysis(a, products={"events": (e,), "entities": tuple(ents)}))
        if len(batch) == 2000:
            store.writer.write_batch(batch, [], analyses=analyses)
            batch, analyses = [], []
    if batch:
        store.writer.write_batch(batch, [], analyses=analyses)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for n in (1000, 20000):
            store = Store(str(Path(folder) / f"cost{n}.db"))
            _fill(store, range(n), 0)
            _group(store)
            _fill(store, range(10**6, 10**6 + NEW), n)  # the days right after the stored ones
            started = time.perf_counter()
            _group(store)
            per = (time.perf_counter() - started) / NEW * 1000
            print(f"{n:6d} stored articles: {per:.2f} ms per new article")
            store.close()


if __name__ == "__main__":
    main()
