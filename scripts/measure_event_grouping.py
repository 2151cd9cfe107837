"""How well each similarity threshold tells one happening from two, on the written pairs in
tests/data/event_report_pairs.json (docs/events-serving.md records the table this prints).

    .venv/bin/python scripts/measure_event_grouping.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newstrace.group.events import gist, similarity

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "event_report_pairs.json"


def marked(sentence: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentence without its [brackets], and the spans the brackets held (actor mentions)."""
    text, spans = "", []
    for part in re.split(r"(\[[^\]]*\])", sentence):
        if part.startswith("["):
            spans.append((len(text), len(text) + len(part) - 2))
            text += part[1:-1]
        else:
            text += part
    return text, spans


def gist_of(sentence: str, trigger: str) -> frozenset[str]:
    text, spans = marked(sentence)
    return frozenset(gist(text, 0, len(text), spans, trigger).split())


def scores() -> list[tuple[bool, float]]:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    return [
        (p["same"], similarity(gist_of(p["a"], p["ta"]), gist_of(p["b"], p["tb"]))) for p in pairs
    ]


def main() -> None:
    found = scores()
    print("threshold  precision  recall  f1")
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        tp = sum(1 for same, s in found if same and s >= t)
        fp = sum(1 for same, s in found if not same and s >= t)
        fn = sum(1 for same, s in found if same and s < t)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{t:9.1f}  {p:9.3f}  {r:6.3f}  {f:.3f}")


if __name__ == "__main__":
    main()
