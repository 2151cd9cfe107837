"""Worker processes on this machine: each rebuilds the pipeline from stage names and sections
(the registry) and a read-only store handle, and cleans and analyses whole batches. The driver
keeps the one writer and commits the batches in input order."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import NewstraceError
from ..records import Failure, RawDocument
from ..stage import Pipeline, Processed

__all__ = ["MEMORY_PER_WORKER", "LocalRunner", "worker_count"]

# What one worker holds at most: the spaCy model, the actor registry, one batch and its parses.
MEMORY_PER_WORKER = 1 << 30

Job = tuple[list[RawDocument | Failure], list[str | None]]


def worker_count(setting: int) -> int:
    """How many worker processes a run uses: the setting, or with 0 one per core, as far as the
    memory available now holds `MEMORY_PER_WORKER` each (never fewer than one)."""
    if setting > 0:
        return setting
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    free = _available_memory()
    if free is None:
        free = MEMORY_PER_WORKER * (cores or 1)
    return max(1, min(cores or 1, free // MEMORY_PER_WORKER))


def _available_memory() -> int | None:
    """What can be used without swapping: MemAvailable (free memory plus the page cache that can
    be dropped), lowered to a cgroup's memory limit when the process runs in one."""
    found: int | None = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        found = None
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            found = min(found, int(limit)) if found is not None else int(limit)
    except OSError:
        pass
    return found


# -- in the worker --------------------------------------------------------------------------
_PIPELINE: Pipeline | None = None
_STORE: Any = None
_FAILED: NewstraceError | None = None


def _watch(driver: int) -> None:
    """End this worker when the driver is gone: a driver killed with SIGKILL cannot shut its pool
    down, and an orphaned worker would hold its model's memory forever."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(driver, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            continue


def _start(
    names: Sequence[str], sections: Sequence[Mapping[str, Any]], db: str, driver: int
) -> None:
    global _PIPELINE, _STORE, _FAILED
    from ..registry import build
    from ..store import Store

    threading.Thread(target=_watch, args=(driver,), daemon=True, name="driver-watch").start()
    # Ctrl-C is the driver's to handle (it cancels what is pending and marks the run); a worker
    # that took it too would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    try:
        _PIPELINE = Pipeline(tuple(build(n, s) for n, s in zip(names, sections, strict=True)))
        _STORE = Store(db, read_only=True)
    except NewstraceError as exc:
        # An initializer that raises only breaks the pool; the first batch says why instead.
        _FAILED = exc


def _work(job: Job) -> Processed:
    if _FAILED is not None:
        raise _FAILED
    assert _PIPELINE is not None and _STORE is not None
    items, shas = job
    done = _PIPELINE.process(items, shas, _STORE.reader.known_articles)
    # A parse is never stored and is costly to send back: only the products travel.
    return replace(done, analyses=[replace(x, doc=None) for x in done.analyses])


# -- in the driver --------------------------------------------------------------------------
class LocalRunner:
    """Maps batches to their `Processed` results on `workers` processes, in order, with at most
    two batches per worker in flight so memory stays bounded however long the input is."""

    def __init__(
        self, names: Sequence[str], sections: Sequence[Mapping[str, Any]], db: str, workers: int
    ) -> None:
        # forkserver: workers start from a clean single-threaded server, not from a copy of a
        # driver that runs a progress thread and holds database connections.
        context = multiprocessing.get_context("forkserver")
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start,
            initargs=(list(names), [dict(s) for s in sections], db, os.getpid()),
        )
        self._depth = 2 * workers

    def map(self, jobs: Iterable[Job]) -> Iterator[Processed]:
        pending: deque[Future[Processed]] = deque()
        for job in jobs:
            pending.append(self._pool.submit(_work, job))
            if len(pending) >= self._depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self, *, cancel: bool = False) -> None:
        self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
