"""Each public module declares __all__, and every name in it exists."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import newstrace

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(newstrace.__path__, "newstrace.")
    if not m.name.startswith("newstrace.web")  # imported lazily by the server only
)


@pytest.mark.parametrize("name", MODULES)
def test_module_declares_all_and_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    if name.endswith("__main__") or name == "newstrace.cli":
        return  # entry points, not a library surface
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names missing attributes: {missing}"


def test_version_is_exposed() -> None:
    assert newstrace.__version__.count(".") == 2
