"""The store: the only place that speaks SQL. SQLite by default (WAL, one writer), PostgreSQL by URL.

`engine` owns the database (URL, pragmas, migrations), `writer` every change, `reader` the typed
read models. `Store` holds the three for one database.
"""

from __future__ import annotations

import contextlib

from ..errors import StoreBehind, StoreError, StoreMissing
from . import schema
from .engine import Database, display_db
from .models import Page, Stats
from .reader import (
    LISTS,
    ArticleFilter,
    DyadFilter,
    EntityFilter,
    EventFilter,
    QuoteFilter,
    Reader,
    SearchFilter,
    StoryFilter,
    VariantFilter,
    split_dyad,
)
from .writer import StoredBatch, Writer, now

__all__ = [
    "LISTS",
    "ArticleFilter",
    "DyadFilter",
    "EntityFilter",
    "EventFilter",
    "Page",
    "QuoteFilter",
    "SearchFilter",
    "Stats",
    "Store",
    "StoreError",
    "StoreMissing",
    "StoredBatch",
    "StoryFilter",
    "VariantFilter",
    "display_db",
    "now",
    "schema",
    "split_dyad",
]


class Store:
    """A handle on one database: `reader` always, `writer` unless opened `read_only`.

    `create=False` is for commands that only read: a missing SQLite file is `StoreMissing`, and
    nothing is created. A read-only handle can be open while a run writes.
    """

    def __init__(self, db: str, *, create: bool = True, read_only: bool = False) -> None:
        self.database = Database(db, create=create, read_only=read_only)
        self.db = self.database.name  # what messages name; never the password
        self.is_sqlite = self.database.is_sqlite
        self.reader = Reader(self.database)
        self._writer = None if read_only else Writer(self.database)

    @classmethod
    def for_reading(cls, db: str) -> Store:
        """A read-only handle for a command that only reads: it never creates a store, takes no
        write lock and needs no DDL rights; a store an older newstrace made is migrated first,
        once, through a short-lived writer."""
        try:
            return cls(db, read_only=True)
        except StoreBehind:
            cls(db, create=False).close()
            return cls(db, read_only=True)

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            raise StoreError(f"database {self.db}: opened read-only")
        return self._writer

    def migrate(self) -> int:
        return self.database.migrate()

    def schema_version(self) -> int:
        return self.database.schema_version()

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A store dropped without close() still hangs up on its server cleanly (psycopg warns
        # about connections left open when they are only garbage-collected).
        database = getattr(self, "database", None)
        if database is not None:
            with contextlib.suppress(Exception):
                database.dispose()
