#!/usr/bin/env python
"""Regenerate the packaged event-coding data from the public reference files.

Run by maintainers, not at run time: `python scripts/build_events.py REFERENCE_DIR`, where
REFERENCE_DIR holds `petrarch2_dictionaries/CAMEO.2.0.txt`, `cameo/cameo_codes_goldstein.csv` and
`plover/CAMEO2PLOVER-2021.txt`. It writes `src/newstrace/data/events/`:

- `verbs.json`: PETRARCH2's verb dictionary simplified to what a dependency parse can test
  (`newstrace.events.dictionary.parse_verbs` says what is kept and what is dropped).
- `codes.tsv`: every CAMEO code with its name, Goldstein value, and PLOVER type and mode.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from newstrace.events.dictionary import parse_verbs

__all__ = ["build", "main"]

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "data" / "events"


def _plover(path: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0]
        if ":" not in body or body.startswith("#"):
            continue
        code, _, rest = body.partition(":")
        code = code.strip()
        if not code.isdigit():
            continue
        parts = [p.strip() for p in rest.split(",")]
        if parts and parts[0]:
            out[code] = (parts[0], parts[1] if len(parts) > 1 else "")
    return out


def build(reference: Path, out_dir: Path = DATA_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    verbs = parse_verbs(reference / "petrarch2_dictionaries" / "CAMEO.2.0.txt")
    (out_dir / "verbs.json").write_text(
        json.dumps(verbs, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    plover = _plover(reference / "plover" / "CAMEO2PLOVER-2021.txt")
    rows = []
    with (reference / "cameo" / "cameo_codes_goldstein.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["code"].strip()
            ptype, mode = "", ""
            for k in (code, code[:3], code[:2]):
                if k in plover:
                    ptype, mode = plover[k]
                    break
            rows.append((code, r["name"].strip(), r["goldstein"].strip(), ptype, mode))
    with (out_dir / "codes.tsv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(("code", "name", "goldstein", "plover_type", "plover_mode"))
        w.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/build_events.py REFERENCE_DIR", file=sys.stderr)
        return 2
    build(Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
