"""Scorers for the public benchmarks in ../shared/eval, run beside the anchors; and `bench`."""

__all__: list[str] = []
