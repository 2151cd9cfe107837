"""`newstrace actors import`: a PETRARCH/Phoenix dictionary checked against the registry and
kept in the user's actors folder."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from newstrace.actors.loaders import PRIORITY_USER
from newstrace.actors.phoenix import DictionaryError, parse_phoenix
from newstrace.actors.registry import ActorRegistry

__all__ = ["ImportReport", "import_dictionary"]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `newstrace actors import` did: counts against the registry, and skipped lines."""

    path: str
    stored_as: str | None
    added: int
    updated: int
    skipped: int
    errors: tuple[str, ...]


def import_dictionary(
    path: str | Path, *, store_dir: str | Path, registry: ActorRegistry | None = None
) -> ImportReport:
    """Check a PETRARCH/Phoenix dictionary against the registry and store it in `store_dir`.

    The counts say what merging the file does to the registry as currently loaded (packaged data
    plus what `store_dir` already holds); `errors` lists the lines that were skipped and why.
    The file is copied (never moved) under its own name, with a numeric suffix if that name is
    taken by a different file. Raises DictionaryError with a one-line reason if it is unusable.
    """
    src = Path(path)
    parsed = parse_phoenix(src)
    store = Path(store_dir)
    reg = registry if registry is not None else ActorRegistry.load(extra_dirs=[store])
    report = reg.merge(parsed.actors, priority=PRIORITY_USER)
    try:
        store.mkdir(parents=True, exist_ok=True)
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", src.name).lstrip(".") or "dictionary.txt"
        if base.endswith((".toml", ".tsv")):
            base += ".txt"  # stored dictionaries are read back as PETRARCH files
        dest = store / base
        data = src.read_bytes()
        stem, suffix = dest.stem, dest.suffix
        n = 1
        while dest.exists() and dest.read_bytes() != data:
            dest = store / f"{stem}-{n}{suffix}"
            n += 1
        if not dest.exists():
            shutil.copyfile(src, dest)
    except OSError as exc:
        raise DictionaryError(
            f"{store}: cannot store the dictionary ({exc.strerror or exc})"
        ) from None
    errors = tuple(f"line {e.line}: {e.reason}: {e.text}" for e in parsed.errors)
    return ImportReport(str(src), str(dest), report.added, report.updated, report.skipped, errors)
