"""The web side: the read-only JSON API served by `newstrace serve` (pages come later)."""

from __future__ import annotations

from .app import API, create_app

__all__ = ["API", "create_app"]
