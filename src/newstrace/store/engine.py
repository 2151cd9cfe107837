"""The database itself: its URL, connection settings, the existence rule and migrations."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, create_engine, event, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from ..errors import StoreBehind, StoreError, StoreMissing
from . import schema

__all__ = ["Database", "display_db", "one_line"]

_USERINFO = re.compile(r"^([\w+.-]+://)([^/?#]*)@")


def display_db(db: str) -> str:
    """`db` as it may be printed, as the user wrote it but with a server URL's password masked."""
    m = _USERINFO.match(db)
    if not m or ":" not in m.group(2):
        return db
    user = m.group(2).split(":", 1)[0]
    return f"{m.group(1)}{user}:***@{db[m.end() :]}"


def one_line(exc: BaseException | None) -> str:
    # Server drivers write multi-line messages (DETAIL, HINT); an error is one line here.
    return " ".join(str(exc).split())


def _url(db: str) -> str:
    """A SQLAlchemy URL for `db`: a file path is SQLite; postgres:// and postgresql:// name the
    psycopg 3 driver (SQLAlchemy's default for them, psycopg2, is not what we install)."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    scheme, sep, rest = db.partition("://")
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg{sep}{rest}"
    return db


class Database:
    """One database: a writing engine (migrated on open) and, beside it, a reading one.

    A SQLite file is opened in WAL mode, so readers (the web server, `export`) read while a run
    writes. Write transactions start with BEGIN IMMEDIATE: the write lock is taken up front and a
    second writer waits for it (busy_timeout) instead of failing half-way. `create=False` is the
    rule of the commands that only read: a missing SQLite file is an error, and none is made.
    `read_only=True` opens no writer at all and never migrates.
    """

    def __init__(self, db: str, *, create: bool = True, read_only: bool = False) -> None:
        self.name = display_db(db)  # what messages name; never the password
        self.target = db  # as given, for a worker process to open the same database
        url = _url(db)
        self.is_sqlite = url.startswith("sqlite")
        self.path: Path | None = None
        if self.is_sqlite:
            self.path = Path(url.removeprefix("sqlite:///"))
            if not self.path.exists() and (read_only or not create):
                raise StoreMissing(
                    f"database {self.name}: not found; run `newstrace run PATH --db {self.name}` first"
                )
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"database {self.name}: folder {self.path.parent} does not exist")
        self.write_engine: Engine | None = None
        if not read_only:
            self.write_engine = self._engine(url, writer=True)
            self.migrate()
        self.read_engine = self._engine(url, writer=False)
        if read_only:
            self._check_version()

    def _engine(self, url: str, *, writer: bool) -> Engine:
        try:
            if self.path is not None:
                # Connected from the path itself, never through a URL string, so a '#' or '?' in
                # a folder name stays part of the path; readers use SQLite's read-only URI mode.
                path = self.path.resolve()
                uri = path.as_uri() + "?mode=ro"

                def connect() -> sqlite3.Connection:
                    if writer:
                        return sqlite3.connect(path, check_same_thread=False)
                    return sqlite3.connect(uri, uri=True, check_same_thread=False)

                # The pool SQLAlchemy gives a file database (a bare sqlite:// looks in-memory).
                engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)
            else:
                engine = create_engine(url, future=True)
        except ImportError as exc:
            hint = " (pip install 'newstrace[postgres]')" if url.startswith("postgresql") else ""
            raise StoreError(f"database {self.name}: no driver for it: {exc}{hint}") from None
        except (SQLAlchemyError, ValueError) as exc:
            raise StoreError(f"database {self.name}: {one_line(exc)}") from None
        if self.is_sqlite:
            event.listen(engine, "connect", _sqlite_writer if writer else _sqlite_reader)
            if writer:
                # pysqlite's own BEGIN is deferred; take the write lock when the transaction opens.
                event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        elif not writer:
            event.listen(engine, "connect", _postgres_reader)
        return engine

    # -- schema -----------------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply every migration not yet applied; returns the schema version now in force."""
        assert self.write_engine is not None
        try:
            with self.write_engine.begin() as conn:
                schema.meta.create(conn, checkfirst=True)
                current = _version(conn)
                latest = schema.MIGRATIONS[-1][0]
                if current > latest:
                    raise StoreError(
                        f"database {self.name}: schema version {current} is newer than this "
                        f"newstrace knows ({latest}); upgrade newstrace"
                    )
                for version, _name, apply in schema.MIGRATIONS:
                    if version > current:
                        apply(conn)
                        conn.execute(
                            schema.meta.delete().where(schema.meta.c.key == "schema_version")
                        )
                        conn.execute(
                            schema.meta.insert().values(key="schema_version", value=str(version))
                        )
                        current = version
                for table in schema.extra_tables():
                    table.create(conn, checkfirst=True)
                return current
        except OperationalError as exc:
            raise StoreError(f"database {self.name}: {one_line(exc.orig)}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.name}: {one_line(exc)}") from None

    def _check_version(self) -> None:
        try:
            with self.read_engine.connect() as conn:
                current = _version(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.name}: {one_line(exc)}") from None
        if current < schema.MIGRATIONS[-1][0]:
            raise StoreBehind(
                f"database {self.name}: schema version {current}, this newstrace reads "
                f"{schema.MIGRATIONS[-1][0]}; open it once for writing (`newstrace analyse`) "
                "to migrate it"
            )
        if current > schema.MIGRATIONS[-1][0]:
            raise StoreError(
                f"database {self.name}: schema version {current} is newer than this newstrace "
                f"knows ({schema.MIGRATIONS[-1][0]}); upgrade newstrace"
            )

    def schema_version(self) -> int:
        with self.read_engine.connect() as conn:
            return _version(conn)

    def bytewise(self, column: Any) -> Any:
        """The column compared code point by code point, as SQLite always does: PostgreSQL's
        default collation follows the locale ("a-b" after "ab"), so orders would differ."""
        if self.is_sqlite or isinstance(column.type, Integer):
            return column
        return column.collate("C")

    def begin(self) -> Any:
        """A write transaction, retried briefly when another writer holds the SQLite lock."""
        if self.write_engine is None:
            raise StoreError(f"database {self.name}: opened read-only")
        return _RetryingBegin(self.write_engine, self.name)

    def dispose(self) -> None:
        for engine in (self.write_engine, self.read_engine):
            if engine is not None:
                engine.dispose()


def _version(conn: Any) -> int:
    try:
        row = conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
        ).first()
    except OperationalError:  # no meta table yet: an empty database
        return 0
    return int(row[0]) if row else 0


def _sqlite_common(dbapi_conn: Any) -> Any:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    return cur


def _sqlite_writer(dbapi_conn: Any, _record: Any) -> None:
    # SQLAlchemy's pysqlite recipe: let the "begin" event issue BEGIN IMMEDIATE itself.
    dbapi_conn.isolation_level = None
    cur = _sqlite_common(dbapi_conn)
    # WAL lets readers read while a run writes; NORMAL sync is durable at each commit in WAL.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_reader(dbapi_conn: Any, _record: Any) -> None:
    _sqlite_common(dbapi_conn).close()


def _postgres_reader(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cur.close()
    dbapi_conn.commit()


class _RetryingBegin:
    """`engine.begin()` that retries a few times on 'database is locked' before giving up."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self._ctx: Any = None

    def __enter__(self) -> Any:
        for attempt in range(5):
            try:
                self._ctx = self.engine.begin()
                return self._ctx.__enter__()
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or attempt == 4:
                    raise StoreError(f"database {self.name}: {one_line(exc.orig)}") from None
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def __exit__(self, *exc: Any) -> Any:
        try:
            return self._ctx.__exit__(*exc)
        except SQLAlchemyError as error:  # at commit: a lock, a constraint, a lost server
            raise StoreError(
                f"database {self.name}: {one_line(getattr(error, 'orig', error))}"
            ) from None
