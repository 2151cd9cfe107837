"""Where the shared evaluation data lives: the `shared_dir` setting, NEWSTRACE_SHARED, or the
`shared` folder beside the repository checkout."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["shared_dir"]


def shared_dir(configured: str | None = None) -> Path:
    """The `shared` folder: `configured` (the `shared_dir` setting) if given, else
    NEWSTRACE_SHARED if set, else the one beside the repository checkout."""
    if configured:
        return Path(configured).expanduser()
    env = os.environ.get("NEWSTRACE_SHARED")
    if env:
        return Path(env)
    # src/newstrace/eval/paths.py -> repo root is parents[3]; shared sits beside the repo.
    return Path(__file__).resolve().parents[3].parent / "shared"
