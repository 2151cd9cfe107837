"""Local inputs: files, directories walked recursively, and `-` for standard input."""

from __future__ import annotations

import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import BinaryIO

from ..records import Failure
from .common import Item, PassThrough, failure
from .dispatch import read_stream
from .options import ReadOptions

__all__ = ["read_path", "read_stdin"]


def _with_raw(
    items: Iterator[Item], source: str, load: Callable[[], bytes | None]
) -> Iterator[Item]:
    """Attach the input's bytes to a quarantined whole-input failure, so it can be re-run."""
    for item in items:
        if (
            isinstance(item, Failure)
            and item.kind == "quarantine"
            and item.raw is None
            and item.source == source
        ):
            item = replace(item, raw=load())
        yield item


def _os_failure(path: str, error: OSError) -> Failure:
    if isinstance(error, FileNotFoundError):
        if os.path.islink(path):
            return failure(path, "not-found", "broken symbolic link")
        return failure(path, "not-found", "no such file or directory")
    if isinstance(error, NotADirectoryError):
        return failure(path, "not-found", "a part of the path is not a directory")
    if isinstance(error, PermissionError):
        return failure(path, "unreadable", "permission denied")
    return failure(path, "unreadable", error.strerror or str(error))


# A folder's own documentation (its README, licence, changelog) describes the folder and is
# never one of its articles: a walk skips it, as it skips hidden entries. Named as an input
# itself, such a file is read like any other.
_FOLDER_DOCS = re.compile(
    r"(?i)^(readme|licen[cs]e|copying|changelog|changes|notice|authors|contributing)"
    r"(\.(md|markdown|rst|txt))?$"
)


def _skipped(name: str) -> bool:
    return name.startswith(".") or bool(_FOLDER_DOCS.match(name))


def read_path(path: str, options: ReadOptions) -> Iterator[Item]:
    """A file, or every file under a directory (sorted; hidden entries and the folder's own
    documentation files, such as README.md, skipped), as given."""
    if not path:
        yield failure("''", "not-found", "an empty path")
        return
    try:
        info = os.stat(path)
    except OSError as error:
        yield _os_failure(path, error)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, options, {(info.st_dev, info.st_ino)})
    else:
        # Named explicitly, a pipe is fine (`<(zcat x.gz)`); in a walk it would block forever.
        yield from read_file(path, options)


def _walk(directory: str, options: ReadOptions, seen: set[tuple[int, int]]) -> Iterator[Item]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield _os_failure(directory, error)
        return
    for entry in entries:
        if _skipped(entry.name):
            continue
        path = os.path.join(directory, entry.name)
        try:
            if entry.is_dir():
                info = entry.stat()
                key = (info.st_dev, info.st_ino)
                # A symlink back up the tree, or a second link to a directory already read.
                if key in seen:
                    continue
                seen.add(key)
                yield from _walk(path, options, seen)
            elif entry.is_file():
                yield from read_file(path, options)
            elif entry.is_symlink():
                yield failure(path, "not-found", "broken symbolic link")
            else:
                yield failure(
                    path, "unsupported-format", "not a regular file (a pipe, socket or device)"
                )
        except OSError as error:
            yield _os_failure(path, error)


def count_files(path: str) -> int | None:
    """How many files reading `path` opens (the walk's rules: sorted, hidden entries, folder
    documentation and links back up the tree skipped); None when `path` does not exist or is not a file or folder."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return 1
    seen = {(info.st_dev, info.st_ino)}
    total = 0
    todo = [path]
    while todo:
        try:
            with os.scandir(todo.pop()) as listing:
                for entry in listing:
                    if _skipped(entry.name):
                        continue
                    try:
                        if entry.is_dir():
                            key = (entry.stat().st_dev, entry.stat().st_ino)
                            if key not in seen:
                                seen.add(key)
                                todo.append(entry.path)
                        elif entry.is_file():
                            total += 1
                    except OSError:
                        continue
        except OSError:
            continue
    return total


def read_file(path: str, options: ReadOptions) -> Iterator[Item]:
    """One file, sniffed and read; its path as given is its source."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the generator finishes
    except OSError as error:
        yield _os_failure(path, error)
        return

    def load() -> bytes | None:
        try:
            if os.path.getsize(path) > options.max_bytes:
                return None
            with open(path, "rb") as again:
                return again.read(options.max_bytes + 1)
        except OSError:
            return None

    with handle:
        yield from _with_raw(read_stream(path, path, handle, options), path, load)


class _Recorder(PassThrough):
    """Keeps the first max_bytes read from a one-pass stream, to quarantine it if it is bad."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        super().__init__(raw)
        self._limit = limit
        self._kept = bytearray()
        self.overflowed = False

    def seen(self, data: bytes) -> None:
        if self.overflowed:
            return
        if len(self._kept) + len(data) > self._limit:
            self.overflowed = True
            self._kept = bytearray()
        else:
            self._kept += data

    def kept(self) -> bytes | None:
        """All the input if it fits in the limit: the unread rest is read now, up to the limit."""
        while not self.overflowed:
            chunk = bytearray(64 * 1024)
            try:
                if not self.readinto(chunk):
                    break
            except (OSError, ValueError):
                return None
        return None if self.overflowed else bytes(self._kept)


def read_stdin(options: ReadOptions, stream: BinaryIO | None = None) -> Iterator[Item]:
    """Standard input (`-`), read as bytes and sniffed; members are `-#N`."""
    if stream is None:
        stdin = sys.stdin
        stream = getattr(stdin, "buffer", None) if stdin is not None else None
    if stream is None:
        yield failure("-", "unreadable", "there is no standard input to read")
        return
    recorder = _Recorder(stream, options.max_bytes)
    buffered = io.BufferedReader(recorder)
    yield from _with_raw(read_stream("-", "-", buffered, options), "-", recorder.kept)
