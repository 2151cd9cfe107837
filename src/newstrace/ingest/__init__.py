"""Ingest: turn files, directories, stdin and URLs into RawDocuments, or Failures that say why not.

One reader per format (text, HTML, JSON/JSONL, CSV/TSV, WARC, RSS/Atom, gzip, http(s)), chosen
by sniffing content as well as the name. Readers never raise for bad input: each problem is a
`Failure` with a stable reason code (see `REASONS`) and the reading goes on with the next member.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..records import Failure, RawDocument
from .common import REASONS, Item, failure
from .files import count_files, read_path, read_stdin
from .options import DEFAULT_USER_AGENT, FieldMap, ReadOptions
from .sniff import FORMATS, sniff
from .url import Fetcher, read_url

__all__ = [
    "DEFAULT_OPTIONS",
    "DEFAULT_USER_AGENT",
    "FORMATS",
    "REASONS",
    "FieldMap",
    "Item",
    "ReadOptions",
    "Survey",
    "read",
    "sniff",
    "survey",
]

DEFAULT_OPTIONS = ReadOptions()

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class Survey:
    """What a list of inputs holds before it is read: how many files (None when some input is a
    URL or stdin, whose size is unknown until read) and which named paths do not exist."""

    files: int | None
    missing: tuple[str, ...]
    readable: int  # inputs that exist or may (URLs, stdin)


def survey(inputs: Sequence[str]) -> Survey:
    """Count the files the inputs hold and find the ones that do not exist, without reading."""
    files: int | None = 0
    missing: list[str] = []
    readable = 0
    for given in inputs:
        if given == "-" or _SCHEME.match(given):
            files = None
            readable += 1
            continue
        n = count_files(given)
        if n is None:
            missing.append(given)
            continue
        readable += 1
        if files is not None:
            files += n
    return Survey(files, tuple(missing), readable)


def read(
    inputs: Sequence[str], *, options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[RawDocument | Failure]:
    """Read every input in order and yield what each holds.

    An input is a file path, a directory (walked recursively in sorted order, hidden entries
    and the folder's documentation files such as README.md skipped), `-` for standard input, or an http(s) URL. `source` names are the input as given,
    with `#N` / `#<uri>` for members of a container (see the readers). The generator is lazy:
    nothing is opened or fetched before it is iterated.
    """
    if isinstance(inputs, str | bytes):
        raise TypeError("read() takes a sequence of inputs; wrap a single path or URL in a list")
    fetcher: Fetcher | None = None
    try:
        for entry in inputs:
            # Path objects (and bytes paths) are what Python callers naturally pass.
            given = os.fsdecode(entry) if isinstance(entry, bytes | os.PathLike) else entry
            if given == "-":
                yield from read_stdin(options)
                continue
            scheme = _SCHEME.match(given)
            if scheme is None:
                yield from read_path(given, options)
            elif scheme.group(1).lower() in ("http", "https"):
                if fetcher is None:
                    fetcher = Fetcher(options)
                yield from read_url(given, fetcher, options)
            else:
                yield failure(
                    given,
                    "unsupported-format",
                    f"{scheme.group(1)}:// inputs are not read; give a path, an http(s) URL or -",
                )
    finally:
        if fetcher is not None:
            fetcher.close()
