"""newstrace: turn raw news into a sourced record: who said what, who did what to whom, when, as reported by which outlets."""

__version__ = "0.1.0"
__all__ = ["__version__"]
