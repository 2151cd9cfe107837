"""newstrace: turn raw news into a sourced record: who said what, who did what to whom, when, as reported by which outlets.

The Python API (see `newstrace.api`): `run`, `open_store`, `read_articles`, `read_quotes`,
`read_entities`, `read_links`, `read_events`, `read_event_reports`, `read_dyads`, `stats` and
`to_frame`.
"""

__version__ = "0.1.0"

# After __version__: the modules below read it while this package is still importing.
from .api import (
    open_store,
    read_articles,
    read_dyads,
    read_entities,
    read_event_reports,
    read_events,
    read_links,
    read_quotes,
    run,
    stats,
    to_frame,
)

__all__ = [
    "__version__",
    "open_store",
    "read_articles",
    "read_dyads",
    "read_entities",
    "read_event_reports",
    "read_events",
    "read_links",
    "read_quotes",
    "run",
    "stats",
    "to_frame",
]
