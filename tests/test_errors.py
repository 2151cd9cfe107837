"""One error tree, and one table of failure reasons that every reason in the code is listed in."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import newstrace
from newstrace import errors

SRC = Path(newstrace.__file__).parent
DOC = SRC.parents[1] / "docs" / "errors.md"


def _public_error_classes() -> list[type[BaseException]]:
    found = []
    for m in pkgutil.walk_packages(newstrace.__path__, "newstrace."):
        if m.name.startswith("newstrace.web"):
            continue
        module = importlib.import_module(m.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__.startswith("newstrace")
                and not name.startswith("_")
            ):
                found.append(obj)
    return found


def test_every_public_error_is_under_the_root() -> None:
    classes = _public_error_classes()
    assert errors.StoreError in classes and errors.ModelError in classes
    outside = [c.__qualname__ for c in classes if not issubclass(c, errors.NewstraceError)]
    assert not outside, f"errors outside NewstraceError: {outside}"


def _reason_literals() -> set[tuple[str, str]]:
    """(file, reason) for every Failure(...) or failure(...) call whose reason is a literal."""
    found = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(
                node.func, ast.Name | ast.Attribute
            ):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            # Failure(source, kind, reason, ...) and failure(source, reason, ...); a helper that
            # forwards (kind, reason) literals is read the same way as Failure.
            position = {"Failure": 2, "_fail": 2, "failure": 1}.get(name)
            if position is None:
                continue
            args = [a for a in node.args]
            keyword = next((k.value for k in node.keywords if k.arg == "reason"), None)
            value = (
                keyword
                if keyword is not None
                else (args[position] if len(args) > position else None)
            )
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add((path.name, value.value))
    return found


def test_every_failure_reason_in_the_code_is_registered() -> None:
    literals = _reason_literals()
    assert len(literals) > 20  # the scan sees the readers' and the cleaners' reasons
    unregistered = sorted(r for r in literals if r[1] not in errors.REASONS)
    assert not unregistered, f"reasons missing from errors.REASONS: {unregistered}"


def test_every_reason_has_a_kind_and_a_doc_entry() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for reason, (kind, meaning) in errors.REASONS.items():
        assert kind in ("skip", "quarantine", "retry") and meaning
        assert f"`{reason}`" in doc, f"reason {reason} is not in docs/errors.md"
    for name in errors.__all__:
        obj = getattr(errors, name)
        if inspect.isclass(obj):
            assert f"`{name}`" in doc, f"error {name} is not in docs/errors.md"
