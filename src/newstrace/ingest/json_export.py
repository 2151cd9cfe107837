"""JSON and JSON Lines exports: one document per object, fields mapped by a `FieldMap`."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from .common import Item, StreamError, failure, iter_lines, mib, scrub
from .fields import record_document
from .options import ReadOptions

__all__ = ["read_json", "read_jsonl"]

# Where exports and APIs put the list of articles when the top level is an object.
_LIST_KEYS = ("articles", "items", "data")


def _type_name(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null"


def _where(error: json.JSONDecodeError, *, line: bool = True) -> str:
    """The decoder's message made whole: Python's own ends some messages with "at" and leaves
    the position to the formatted string ("Invalid control character at")."""
    place = f"line {error.lineno}, column {error.colno}" if line else f"column {error.colno}"
    msg = error.msg.removesuffix(" at")
    return f"{msg} at {place}"


def _why(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return _where(error)
    if isinstance(error, UnicodeDecodeError):
        return f"not valid {error.encoding} at byte {error.start}"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error)


def _member_raw(value: Any) -> bytes:
    return scrub(json.dumps(value, ensure_ascii=False)).encode("utf-8")


def _records(source: str, value: Any, options: ReadOptions) -> Iterator[Item]:
    if isinstance(value, Mapping):
        for key in _LIST_KEYS:
            inner = value.get(key)
            if isinstance(inner, list):
                value = inner
                break
        else:
            value = [value]
    if not isinstance(value, list):
        yield failure(
            source,
            "bad-json",
            f"the top level is {_type_name(value)}; expected an object or an array of objects",
            raw=_member_raw(value),
        )
        return
    if not value:
        yield failure(source, "empty", "the JSON array holds no records")
        return
    for index, element in enumerate(value, start=1):
        member = f"{source}#{index}"
        if isinstance(element, Mapping):
            yield record_document(member, element, options.field_map)
        else:
            yield failure(
                member,
                "bad-json",
                f"record is {_type_name(element)}, not an object",
                raw=_member_raw(element),
            )


def read_json(source: str, data: bytes, options: ReadOptions) -> Iterator[Item]:
    """A JSON document: an array of objects, one object, or an object with an articles list.

    A `.json` file that is really JSON Lines (the common mislabel) is read as JSON Lines.
    """
    try:
        value = json.loads(data)
    except json.JSONDecodeError as error:
        first_line = data.split(b"\n", 1)[0]
        if error.msg == "Extra data" and _is_object(first_line):
            yield from read_jsonl(source, io.BytesIO(data), options)
            return
        yield failure(source, "bad-json", f"invalid JSON: {_why(error)}", raw=data)
        return
    except (ValueError, RecursionError) as error:
        yield failure(source, "bad-json", f"invalid JSON: {_why(error)}", raw=data)
        return
    yield from _records(source, value, options)


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.removeprefix(codecs.BOM_UTF8)), dict)
    except (ValueError, RecursionError):
        return False


def read_jsonl(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """JSON Lines, streamed: one object per line, numbered from 1; a bad line fails alone."""
    records = 0
    number = 0
    try:
        for number, line in iter_lines(stream, options.max_bytes):
            member = f"{source}#{number}"
            if line is None:
                records += 1
                yield failure(member, "too-large", f"line is longer than {mib(options.max_bytes)}")
                continue
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            records += 1
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                yield failure(
                    member,
                    "bad-json",
                    f"bad JSON: {_where(error, line=False)}",
                    raw=line,
                )
                continue
            except (ValueError, RecursionError) as error:
                yield failure(member, "bad-json", f"bad JSON: {_why(error)}", raw=line)
                continue
            if isinstance(value, Mapping):
                yield record_document(member, value, options.field_map)
            else:
                yield failure(
                    member, "bad-json", f"line holds {_type_name(value)}, not an object", raw=line
                )
    except StreamError as error:
        yield failure(source, error.reason, f"{error.detail} (after line {number})")
        return
    if records == 0:
        yield failure(source, "empty", "no JSON lines, nothing to read")
