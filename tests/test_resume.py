"""A run killed with SIGKILL leaves a consistent store, and the next run resumes without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_FILES = 1500


def _corpus(root: Path) -> None:
    for i in range(N_FILES):
        (root / f"a{i:05d}.txt").write_text(
            f"Border talks round {i} end without agreement\n\n"
            f"The delegations met for the {i}th time on Monday and said the talks on the disputed "
            f"crossing number {i} would continue, officials in both capitals told reporters.\n",
            encoding="utf-8",
        )


def _query(db: str, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query, read with the backend's own driver (not through newstrace)."""
    if "://" not in db:
        with sqlite3.connect(db) as conn:
            return list(conn.execute(sql))
    import psycopg

    name, _, host = db.removeprefix("postgresql://postgres@/").partition("?host=")
    with psycopg.connect(host=host, user="postgres", dbname=name) as conn:
        return list(conn.execute(sql))


def _tagged(tag: str) -> list[int]:
    """Processes whose environment carries `tag` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"NEWSTRACE_TEST_TAG={tag}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _count(db: str, table: str) -> int:
    return int(str(_query(db, f"SELECT count(*) FROM {table}")[0][0]))


@pytest.mark.slow
def test_kill_9_then_resume(tmp_path: Path, db: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus)
    cmd = [
        sys.executable,
        "-m",
        "newstrace.cli",
        "run",
        str(corpus),
        "--db",
        db,
        "--batch-size",
        "20",
        "-q",
    ]
    # Tagged so that its worker processes can be found after their driver is killed.
    tag = f"resume-{os.getpid()}-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NEWSTRACE_N_PROCESS": "2", "NEWSTRACE_TEST_TAG": tag},
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is None:
                try:
                    if _count(db, "articles") >= 100:
                        break
                except Exception:  # no file or no tables yet, in either backend
                    pass
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed; enlarge the corpus"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # The workers notice their driver is gone and end: none is left holding a model in memory.
    deadline = time.monotonic() + 20
    while _tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _tagged(tag), "worker processes outlived their killed driver"
    if "://" not in db:
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = _count(db, "articles")
    assert 0 < stored < N_FILES
    # Whole batches only: every stored article has its source row, and nothing else is half-written.
    assert _count(db, "article_sources") == stored
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _count(db, "articles") == N_FILES
    assert _count(db, "article_sources") == N_FILES
    # The killed run is not left "running" forever: the next run saw its process gone.
    assert [r[0] for r in _query(db, "SELECT status FROM runs ORDER BY id")] == [
        "interrupted",
        "done",
    ]
