"""The public surface of newstrace.ingest: exports, options, reason codes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import newstrace.ingest as ingest
from conftest import LocalServer
from newstrace.config import Settings
from newstrace.ingest import REASONS, FieldMap, ReadOptions, read, survey


def test_all_is_the_public_api() -> None:
    assert sorted(ingest.__all__) == [
        "DEFAULT_OPTIONS",
        "DEFAULT_USER_AGENT",
        "FORMATS",
        "FieldMap",
        "Item",
        "REASONS",
        "ReadOptions",
        "Survey",
        "read",
        "sniff",
        "survey",
    ]
    for name in ingest.__all__:
        assert hasattr(ingest, name)


def test_reason_codes() -> None:
    # The readers' codes; the one table (newstrace.errors.REASONS) also holds the cleaners'.
    assert set(REASONS) >= {
        "empty",
        "binary",
        "corrupt-gzip",
        "corrupt-warc",
        "bad-json",
        "bad-csv",
        "bad-feed",
        "too-large",
        "not-found",
        "unreadable",
        "fetch-error",
        "http-status",
        "robots-disallowed",
        "unsupported-format",
    }
    for kind, meaning in REASONS.values():
        assert kind in ("skip", "quarantine", "retry") and meaning


def test_options_are_frozen_and_checked() -> None:
    options = ReadOptions()
    # Settings are the one source of defaults: a reader built without them agrees with them.
    defaults = Settings()
    assert (options.max_bytes, options.timeout, options.min_delay, options.user_agent) == (
        defaults.max_bytes,
        defaults.fetch_timeout,
        defaults.fetch_delay,
        defaults.user_agent,
    )
    assert options.respect_robots and not options.follow_links
    assert options.field_map == FieldMap()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.max_bytes = 1  # type: ignore[misc]
    for bad in ({"max_bytes": 0}, {"timeout": 0}, {"min_delay": -1}, {"user_agent": " "}):
        with pytest.raises(ValueError):
            ReadOptions(**bad)


def test_a_bare_string_is_refused() -> None:
    with pytest.raises(TypeError, match="sequence"):
        list(read("examples/a.txt"))


def test_read_is_lazy(http_server: LocalServer) -> None:
    items = read([http_server.url("/plain.txt")], options=ReadOptions(min_delay=0))
    assert http_server.requests == []
    assert len(list(items)) == 1
    assert http_server.hits("/plain.txt") == 1


def test_survey_counts_files_and_finds_missing_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>two</p>")
    (tmp_path / ".hidden.txt").write_text("skipped, as the walk skips it")
    found = survey([str(tmp_path), str(tmp_path / "nope.txt")])
    assert (found.files, found.missing, found.readable) == (2, (str(tmp_path / "nope.txt"),), 1)
    # A URL or stdin has no known size: no total, but it may be read.
    assert survey(["-", str(tmp_path)]).files is None
    assert survey([str(tmp_path / "gone")]).readable == 0
