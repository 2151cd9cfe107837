"""Where the shared evaluation data lives: --data, NEWSTRACE_SHARED, or ../shared beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["shared_dir"]


def shared_dir() -> Path:
    """The `shared` folder: NEWSTRACE_SHARED if set, else the one beside the repository checkout."""
    env = os.environ.get("NEWSTRACE_SHARED")
    if env:
        return Path(env)
    # src/newstrace/eval/paths.py -> repo root is parents[3]; shared sits beside the repo.
    return Path(__file__).resolve().parents[3].parent / "shared"
