"""The stage protocol, failure kinds, and pipeline assembly that checks requires/assigns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = ["Pipeline", "PipelineError", "Stage"]


@runtime_checkable
class Stage(Protocol):
    """A batch-in, batch-out step with a versioned name.

    `requires` names the record fields or products it reads; `assigns` what it adds. A stage returns
    new records and never mutates its inputs or hidden globals, so the same code runs locally and on
    a cluster.
    """

    name: str  # versioned, e.g. "newstrace.clean.v1"
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, batch: Sequence[Any]) -> Sequence[Any]: ...


class PipelineError(ValueError):
    """The pipeline is misconfigured: a stage requires something no earlier stage assigns."""


@dataclass(frozen=True)
class Pipeline:
    """An ordered list of stages, checked at assembly rather than half-way through a run."""

    stages: tuple[Stage, ...]
    provided: tuple[str, ...] = ("raw",)

    def __post_init__(self) -> None:
        have = set(self.provided)
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {stage.name} requires {', '.join(missing)}, which no earlier stage assigns; "
                    "reorder the stages or add the one that provides it"
                )
            have.update(stage.assigns)

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def after(self, product: str) -> int:
        """The position just past the stage that assigns `product` (0 if the input provides it),
        so a driver can run the stages in two parts: `p(batch, stop=k)` then `p(rest, start=k)`."""
        if product in self.provided:
            return 0
        for i, stage in enumerate(self.stages):
            if product in stage.assigns:
                return i + 1
        raise PipelineError(f"no stage assigns {product}")

    def __call__(
        self, batch: Sequence[Any], *, start: int = 0, stop: int | None = None
    ) -> Sequence[Any]:
        for stage in self.stages[start:stop]:
            batch = stage(batch)
        return batch
