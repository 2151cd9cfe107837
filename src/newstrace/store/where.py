"""What the reads share: conditions on columns (an outlet, an actor code or its prefix, a
";"-joined code list, a day range) and keyset cursors, which name a place in a list by the keys
of its last item."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sqlalchemy import Integer, and_, func, or_

from ..errors import CursorError

__all__ = [
    "after",
    "check_cursor_types",
    "code_prefix",
    "days",
    "decode_cursor",
    "encode_cursor",
    "listed",
    "outlet_is",
]


def outlet_is(column: Any, outlet: str) -> Any:
    return func.lower(column) == outlet.strip().lower()


def code_prefix(column: Any, code: str) -> Any:
    """An actor code or its prefix (RUS, RUSGOV), whatever its case."""
    return column.startswith(code.strip().upper(), autoescape=True)


def listed(column: Any, code: str) -> Any:
    """A ";"-joined code list holds `code` as one of its items."""
    return or_(
        column == code,
        column.startswith(f"{code};", autoescape=True),
        column.endswith(f";{code}", autoescape=True),
        column.contains(f";{code};", autoescape=True),
    )


def days(column: Any, since: str | None, until: str | None) -> list[Any]:
    """A day column within [since, until], inclusive; `until` compares by its leading part, so
    a month or a year keeps all its days."""
    where = []
    if since:
        where.append(column >= since)
    if until:
        where.append(func.substr(column, 1, len(until)) <= until)
    return where


def after(keys: list[Any], values: list[Any]) -> Any:
    """Rows strictly after `values` in the order `keys`: the keyset condition."""
    clauses = []
    for i, ((key, up), value) in enumerate(zip(keys, values, strict=True)):
        same = [k == v for (k, _), v in zip(keys[:i], values[:i], strict=True)]
        clauses.append(and_(*same, key > value if up else key < value))
    return or_(*clauses)


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, n: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != n:
        raise CursorError(f"cursor {cursor[:40]!r} is not one this list gave out")
    if not all(v is None or isinstance(v, str | int | float) for v in values):
        raise CursorError(f"cursor {cursor[:40]!r} is not one this list gave out")
    return values


def check_cursor_types(cursor: str, keys: list[Any], values: list[Any]) -> None:
    """Each key of a cursor has its column's type: a forged one is refused here, before it
    reaches a database that would fail on an integer compared with a string (PostgreSQL)."""
    for (key, _up), value in zip(keys, values, strict=True):
        integer = isinstance(key.type, Integer)
        fits = (
            isinstance(value, int) and not isinstance(value, bool)
            if integer
            else isinstance(value, str)
        )
        if not fits:
            raise CursorError(f"cursor {cursor[:40]!r} is not one this list gave out")
