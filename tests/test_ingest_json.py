"""JSON and JSON Lines exports, and the field mapping shared with CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.ingest import FieldMap, ReadOptions, read
from newstrace.records import Failure, Hints, RawDocument


def _read(path: Path, **options: object) -> list[RawDocument | Failure]:
    return list(read([str(path)], options=ReadOptions(**options)))  # type: ignore[arg-type]


def _write(tmp_path: Path, name: str, value: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def test_array_of_objects_with_default_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "export.json",
        [
            {
                "headline": "Talks resume",
                "body": "Ministers met in Geneva.",
                "link": "https://example.com/a",
                "publish_date": "2022-01-10",
                "byline": "Jane Roe",
                "site_name": "Example News",
                "lang": "en",
            },
            {"title": "Second", "maintext": "<p>Para one.</p><p>Para two.</p>"},
        ],
    )
    first, second = _read(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert first.content == b"Ministers met in Geneva."
    assert first.kind == "text" and first.encoding == "utf-8"
    assert first.hints == Hints(
        title="Talks resume",
        url="https://example.com/a",
        published="2022-01-10",
        authors=("Jane Roe",),
        outlet="Example News",
        language="en",
    )
    assert second.kind == "html"
    assert second.hints.title == "Second"


def test_single_object_is_member_one(tmp_path: Path) -> None:
    path = _write(tmp_path, "one.json", {"title": "Only", "text": "Body."})
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.source == f"{path}#1"


@pytest.mark.parametrize("key", ["articles", "items", "data"])
def test_object_with_a_list(tmp_path: Path, key: str) -> None:
    path = _write(tmp_path, "api.json", {"status": "ok", key: [{"text": "a"}, {"text": "b"}]})
    docs = _read(path)
    assert [d.content for d in docs if isinstance(d, RawDocument)] == [b"a", b"b"]
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]


def test_newsapi_shape(tmp_path: Path) -> None:
    """Keys are matched loosely (publishedAt = published_at) and a source object gives its name."""
    path = _write(
        tmp_path,
        "newsapi.json",
        {
            "articles": [
                {
                    "source": {"id": "reuters", "name": "Reuters"},
                    "author": None,
                    "title": "T",
                    "description": "Short summary.",
                    "url": "https://www.reuters.com/x",
                    "publishedAt": "2022-02-01T10:00:00Z",
                }
            ]
        },
    )
    [doc] = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == b"Short summary."
    assert doc.hints.outlet == "Reuters"
    assert doc.hints.published == "2022-02-01T10:00:00Z"
    assert doc.hints.authors == ()


def test_outlet_that_is_a_url_is_not_an_outlet(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", [{"text": "x", "source": "https://example.com/feed"}])
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.hints.outlet is None


def test_authors_list_and_objects(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "a.json",
        [
            {"text": "x", "authors": ["Jane Roe", "John Doe", "Jane Roe"]},
            {"text": "y", "author": [{"name": "Ann Lee"}, {"name": "Bo Kim"}]},
        ],
    )
    first, second = _read(path)
    assert isinstance(first, RawDocument) and first.hints.authors == ("Jane Roe", "John Doe")
    assert isinstance(second, RawDocument) and second.hints.authors == ("Ann Lee", "Bo Kim")


def test_timestamp_numbers_are_passed_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", [{"text": "x", "timestamp": 1643709600}])
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.hints.published == "1643709600"


def test_body_as_list_of_paragraphs(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", [{"text": ["First para.", "Second para."]}])
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.content == b"First para.\n\nSecond para."


def test_record_without_text_is_an_explained_failure(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", [{"title": "No body", "story": "hidden here"}])
    [item] = _read(path)
    assert isinstance(item, Failure)
    assert (item.source, item.reason, item.kind) == (f"{path}#1", "empty", "skip")
    assert "'story'" in item.message and "--field text=" in item.message


def test_field_map_override(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "a.json",
        [{"story": "The body.", "meta": {"date": "2022-03-01"}, "text": "not this"}],
    )
    fields = FieldMap.from_specs(["text=story", "published=meta.date"])
    [doc] = _read(path, field_map=fields)
    assert isinstance(doc, RawDocument)
    assert doc.content == b"The body."
    assert doc.hints.published == "2022-03-01"


def test_field_map_specs_are_checked() -> None:
    assert FieldMap.from_specs(["author=writer"]).authors == ("writer",)
    assert FieldMap.from_specs(["text=a,b"]).text == ("a", "b")
    with pytest.raises(ValueError, match="unknown field"):
        FieldMap.from_specs(["colour=red"])
    with pytest.raises(ValueError, match="FIELD=KEY"):
        FieldMap.from_specs(["text"])
    with pytest.raises(ValueError, match="at least one key"):
        FieldMap.from_specs(["text="])


def test_invalid_json_is_quarantined_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    raw = b'[{"text": "a"},\n {"text": }]'
    path.write_bytes(raw)
    [item] = _read(path)
    assert isinstance(item, Failure)
    assert (item.reason, item.kind, item.raw) == ("bad-json", "quarantine", raw)
    assert "line 2, column 11" in item.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("just a string", "a string"), (42, "a number"), (None, "null")],
)
def test_top_level_scalars(tmp_path: Path, value: object, expected: str) -> None:
    path = _write(tmp_path, "a.json", value)
    [item] = _read(path)
    assert isinstance(item, Failure) and item.reason == "bad-json"
    assert expected in item.message


def test_non_object_elements_fail_alone(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", [{"text": "ok"}, "loose string", {"text": "ok too"}])
    items = _read(path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "Failure", "RawDocument"]
    assert isinstance(items[1], Failure) and items[1].source == f"{path}#2"
    assert items[1].raw == b'"loose string"'


def test_empty_array(tmp_path: Path) -> None:
    [item] = _read(_write(tmp_path, "a.json", []))
    assert isinstance(item, Failure) and item.reason == "empty"


def test_deep_nesting_is_bad_json_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    [item] = _read(path)
    assert isinstance(item, Failure) and item.reason == "bad-json"


def test_jsonl_bad_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(
        b'{"text": "one"}\n'
        b'{"text": "two", oops}\n'
        b"\n"
        b'["not", "an", "object"]\n'
        b'{"text": "five"}'  # no final newline
    )
    items = _read(path)
    assert [i.source for i in items] == [f"{path}#1", f"{path}#2", f"{path}#4", f"{path}#5"]
    bad = items[1]
    assert isinstance(bad, Failure)
    assert (bad.reason, bad.kind) == ("bad-json", "quarantine")
    assert bad.message.startswith(f"{path}#2: bad JSON: Expecting property name")
    assert bad.message.endswith("at column 17")
    assert bad.raw == b'{"text": "two", oops}\n'
    assert isinstance(items[2], Failure) and "an array" in items[2].message
    assert isinstance(items[3], RawDocument) and items[3].content == b"five"


def test_a_decoder_message_that_ends_in_at_is_made_whole(tmp_path: Path) -> None:
    # Python's decoder ends some messages with "at" and leaves the place to its str(): the
    # message a user reads must say where, not stop mid-sentence.
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"text": "one"}\n{"text": "a tab\there"}\n')
    bad = _read(path)[1]
    assert isinstance(bad, Failure)
    assert bad.message == f"{path}#2: bad JSON: Invalid control character at column 16"
    whole = tmp_path / "w.json"
    whole.write_bytes(b'[{"text": "a tab\there"}]')
    (failed,) = _read(whole)
    assert isinstance(failed, Failure)
    assert failed.message.endswith("Invalid control character at line 1, column 17")


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "dump.ndjson"
    path.write_bytes(b'\xef\xbb\xbf{"text": "one"}\r\n{"text": "two"}\r\n')
    assert [i.content for i in _read(path) if isinstance(i, RawDocument)] == [b"one", b"two"]


def test_jsonl_line_over_the_cap_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b'{"text": "a"}\n{"text": "' + b"x" * 5000 + b'"}\n{"text": "c"}\n')
    items = _read(path, max_bytes=1000)
    assert [(i.source, type(i).__name__) for i in items] == [
        (f"{path}#1", "RawDocument"),
        (f"{path}#2", "Failure"),
        (f"{path}#3", "RawDocument"),
    ]
    assert isinstance(items[1], Failure) and items[1].reason == "too-large"


def test_json_file_that_is_really_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "mislabelled.json"
    path.write_bytes(b'{"text": "one"}\n{"text": "two"}\n')
    assert [i.source for i in _read(path)] == [f"{path}#1", f"{path}#2"]


def test_lone_surrogates_do_not_break_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "bad \\ud800 escape", "title": "t\\udfff"}\n')
    [doc] = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.content.decode("utf-8") == "bad \ufffd escape"
    assert doc.hints.title == "t\ufffd"


def test_with_field_replaces_one_field() -> None:
    fields = FieldMap().with_field("text", "story")
    assert fields.text == ("story",)
    assert fields.title == FieldMap().title
    assert FieldMap().with_field("date", ["d1", "d2"]).published == ("d1", "d2")
