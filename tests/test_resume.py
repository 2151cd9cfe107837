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


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.slow
def test_kill_9_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus)
    db = tmp_path / "s.db"
    cmd = [
        sys.executable,
        "-m",
        "newstrace.cli",
        "run",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "20",
        "-q",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if db.exists() and proc.poll() is None:
                try:
                    if _count(db, "articles") >= 100:
                        break
                except sqlite3.OperationalError:
                    pass  # tables not created yet
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed; enlarge the corpus"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
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
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses[-1] == "done"
