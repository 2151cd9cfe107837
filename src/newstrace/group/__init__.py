"""Grouping stored articles: duplicates and copies (later rewrites and stories), as corpus stages."""

from __future__ import annotations

from .duplicates import DuplicateStage
from .events import EventGroupStage

__all__ = ["DuplicateStage", "EventGroupStage"]
