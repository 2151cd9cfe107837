"""Runners: where the document, gate and article stages of a run execute (this process, or worker
processes rebuilt from stage names and settings sections)."""

from __future__ import annotations

from .local import LocalRunner, worker_count

__all__ = ["LocalRunner", "worker_count"]
