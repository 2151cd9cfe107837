"""`newstrace report`: one self-contained HTML file with the overview's figures and the latest
quotes, to send by e-mail. Its style sheet is inlined, it loads nothing and links nowhere
outside itself, and it says what it was made from and when."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..store import Store, now
from .app import overview
from .pages import env

__all__ = ["render_report", "write_report"]

_CSS = Path(__file__).with_name("static") / "style.css"


def render_report(store: Store, quotes: int = 30) -> str:
    """The report as one HTML document (autoescaped like every page)."""
    figures = overview(store)
    latest = store.reader.page("quotes", limit=quotes, newest_first=True).items
    return env.get_template("report.html").render(
        o=figures,
        quotes=latest,
        css=Markup(_CSS.read_text(encoding="utf-8")),  # our own file, shipped in the package
        made=now(),
        db=store.db,
    )


def write_report(store: Store, out: Path) -> int:
    """Write the report to `out`; returns its size in bytes."""
    body = render_report(store).encode("utf-8")
    out.write_bytes(body)
    return len(body)
