"""The public surface of newstrace.ingest: exports, options, reason codes."""

from __future__ import annotations

import dataclasses

import pytest

import newstrace.ingest as ingest
from conftest import LocalServer
from newstrace.ingest import REASONS, FieldMap, ReadOptions, read


def test_all_is_the_public_api() -> None:
    assert sorted(ingest.__all__) == [
        "DEFAULT_OPTIONS",
        "DEFAULT_USER_AGENT",
        "FORMATS",
        "FieldMap",
        "Item",
        "REASONS",
        "ReadOptions",
        "read",
        "sniff",
    ]
    for name in ingest.__all__:
        assert hasattr(ingest, name)


def test_reason_codes() -> None:
    assert set(REASONS) == {
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
    assert options.max_bytes == 50 * 1024 * 1024
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
