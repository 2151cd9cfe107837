"""The store: the only place that speaks SQL. SQLite by default (WAL, one writer), PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, create_engine, event, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..records import Article, Entity, Failure, Quote
from . import schema

__all__ = ["TABLES", "Store", "StoreError", "StoredBatch", "display_db", "now"]

# What `newstrace export` can read, by public name.
TABLES = ("articles", "quotes", "entities", "failures", "article_sources", "runs")


class StoreError(RuntimeError):
    """The database cannot be opened, migrated or written; the message says which and why."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _url(db: str) -> str:
    """A SQLAlchemy URL for `db`: a file path is SQLite; postgres:// and postgresql:// name the
    psycopg 3 driver (SQLAlchemy's default for them, psycopg2, is not what we install)."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    scheme, sep, rest = db.partition("://")
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg{sep}{rest}"
    return db


_USERINFO = re.compile(r"^([\w+.-]+://)([^/?#]*)@")


def display_db(db: str) -> str:
    """`db` as it may be printed, as the user wrote it but with a server URL's password masked."""
    m = _USERINFO.match(db)
    if not m or ":" not in m.group(2):
        return db
    user = m.group(2).split(":", 1)[0]
    return f"{m.group(1)}{user}:***@{db[m.end() :]}"


def _one_line(exc: BaseException | None) -> str:
    # Server drivers write multi-line messages (DETAIL, HINT); an error is one line here.
    return " ".join(str(exc).split())


@dataclass(frozen=True)
class StoredBatch:
    """What one committed batch changed: new articles, and sources that repeated a stored one."""

    new_articles: int
    duplicates: int
    failures: int


class Store:
    """A handle on one database. Reads may happen anywhere; writes go through `write_batch`,
    one transaction per batch, so a run killed at any moment leaves whole batches only."""

    def __init__(self, db: str) -> None:
        self.db = display_db(db)  # what messages name; never the password
        url = _url(db)
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = Path(url.removeprefix("sqlite:///"))
            if path.parent and not path.parent.exists():
                raise StoreError(f"database {self.db}: folder {path.parent} does not exist")
        try:
            self.engine: Engine = create_engine(url, future=True)
        except ImportError as exc:
            hint = " (pip install 'newstrace[postgres]')" if url.startswith("postgresql") else ""
            raise StoreError(f"database {self.db}: no driver for it: {exc}{hint}") from None
        except (SQLAlchemyError, ValueError) as exc:
            raise StoreError(f"database {self.db}: {_one_line(exc)}") from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    # -- schema -----------------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply every migration not yet applied; returns the schema version now in force."""
        try:
            with self.engine.begin() as conn:
                schema.meta.create(conn, checkfirst=True)
                row = conn.execute(
                    select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
                ).first()
                current = int(row[0]) if row else 0
                latest = schema.MIGRATIONS[-1][0]
                if current > latest:
                    raise StoreError(
                        f"database {self.db}: schema version {current} is newer than this newstrace "
                        f"knows ({latest}); upgrade newstrace"
                    )
                for version, _name, apply in schema.MIGRATIONS:
                    if version > current:
                        apply(conn)
                        self._set_meta(conn, "schema_version", str(version))
                        current = version
                return current
        except OperationalError as exc:
            raise StoreError(f"database {self.db}: {_one_line(exc.orig)}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.db}: {_one_line(exc)}") from None

    def _set_meta(self, conn: Any, key: str, value: str) -> None:
        conn.execute(schema.meta.delete().where(schema.meta.c.key == key))
        conn.execute(schema.meta.insert().values(key=key, value=value))

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).first()
        return int(row[0]) if row else 0

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, inputs: Sequence[str]) -> int:
        with self._begin() as conn:
            result = conn.execute(
                schema.runs.insert().values(
                    started_at=now(), inputs=json.dumps(list(inputs)), status="running"
                )
            )
            return int(result.inserted_primary_key[0])

    def finish_run(
        self, run_id: int, counts: dict[str, dict[str, int]], status: str = "done"
    ) -> None:
        with self._begin() as conn:
            conn.execute(
                schema.runs.update()
                .where(schema.runs.c.id == run_id)
                .values(finished_at=now(), counts=json.dumps(counts), status=status)
            )

    # -- writes -----------------------------------------------------------------------------
    def seen_sources(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which (source, raw_sha) pairs are already stored: a resumed run skips them."""
        keys = list(keys)
        if not keys:
            return set()
        found: set[tuple[str, str]] = set()
        shas = sorted({sha for _s, sha in keys})
        t = schema.article_sources
        with self.engine.connect() as conn:
            for chunk in _chunks(shas, 500):
                rows = conn.execute(select(t.c.source, t.c.raw_sha).where(t.c.raw_sha.in_(chunk)))
                found.update((r[0], r[1]) for r in rows)
        return found & set(keys)

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids the store already holds."""
        with self.engine.connect() as conn:
            return _stored_ids(conn, ids)

    def write_batch(
        self,
        articles: Sequence[tuple[Article, str]],
        failures: Sequence[Failure],
        run_id: int | None = None,
        *,
        entities: Sequence[Entity] = (),
        quotes: Sequence[Quote] = (),
    ) -> StoredBatch:
        """Store one batch in one transaction. `articles` pairs each Article with the sha256 of
        the raw bytes it came from; `entities` and `quotes` are kept for the articles this batch
        adds. Re-writing what is stored changes nothing (idempotent)."""
        stamp = now()
        new = dup = 0
        added: set[str] = set()
        with self._begin() as conn:
            existing = _stored_ids(conn, (a.id for a, _ in articles))
            for article, raw_sha in articles:
                if article.id in existing:
                    dup += 1
                else:
                    conn.execute(
                        schema.articles.insert().values(**_article_row(article, run_id, stamp))
                    )
                    existing.add(article.id)
                    added.add(article.id)
                    new += 1
                row = _article_row(article, run_id, stamp)
                self._insert_ignore(
                    conn,
                    schema.article_sources,
                    {k: row[k] for k in _SOURCE_COLUMNS}
                    | {"raw_sha": raw_sha, "article_id": article.id, "seen_at": stamp},
                )
                # A source that now yields an article is no longer a failure.
                conn.execute(
                    schema.failures.delete().where(schema.failures.c.source == article.source)
                )
            _insert_analysis(conn, added, entities, quotes)
            for failure in failures:
                conn.execute(
                    schema.failures.delete().where(
                        (schema.failures.c.source == failure.source)
                        & (schema.failures.c.reason == failure.reason)
                    )
                )
                conn.execute(
                    schema.failures.insert().values(
                        source=failure.source,
                        kind=failure.kind,
                        reason=failure.reason,
                        message=failure.message,
                        raw=failure.raw if failure.kind == "quarantine" else None,
                        run_id=run_id,
                        seen_at=stamp,
                    )
                )
        return StoredBatch(new, dup, len(failures))

    def _insert_ignore(self, conn: Any, table: Any, row: dict[str, Any]) -> None:
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
        conn.execute(insert(table).values(**row).on_conflict_do_nothing())

    def _bytewise(self, column: Any) -> Any:
        """The column compared code point by code point, as SQLite always does: PostgreSQL's
        default collation follows the locale ("a-b" after "ab"), so exports would differ."""
        if self.engine.dialect.name != "postgresql" or isinstance(column.type, Integer):
            return column
        return column.collate("C")

    def _begin(self) -> Any:
        """A write transaction, retried briefly when another writer holds the SQLite lock."""
        return _RetryingBegin(self.engine)

    # -- reads ------------------------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            out: dict[str, Any] = {}
            for name in ("articles", "article_sources", "quotes", "entities", "failures", "runs"):
                table = schema.metadata.tables[name]
                out[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            out["failures_by_reason"] = {
                f"{k}/{r}": n
                for k, r, n in conn.execute(
                    select(schema.failures.c.kind, schema.failures.c.reason, func.count())
                    .group_by(schema.failures.c.kind, schema.failures.c.reason)
                    .order_by(schema.failures.c.kind, schema.failures.c.reason)
                )
            }
            out["outlets"] = conn.execute(
                select(func.count(func.distinct(schema.articles.c.outlet)))
            ).scalar_one()
            out["languages"] = {
                str(lang): n
                for lang, n in conn.execute(
                    select(schema.articles.c.language, func.count())
                    .group_by(schema.articles.c.language)
                    .order_by(func.count().desc(), schema.articles.c.language.nulls_first())
                )
            }
            out["quotes_by_kind"] = {
                str(kind): n
                for kind, n in conn.execute(
                    select(schema.quotes.c.kind, func.count())
                    .group_by(schema.quotes.c.kind)
                    .order_by(schema.quotes.c.kind)
                )
            }
            out["quotes_with_actor"] = conn.execute(
                select(func.count())
                .select_from(schema.quotes)
                .where(schema.quotes.c.speaker_actor.is_not(None))
            ).scalar_one()
            out["actors_mentioned"] = conn.execute(
                select(func.count(func.distinct(schema.entities.c.actor)))
            ).scalar_one()
            dates = conn.execute(
                select(func.min(schema.articles.c.published), func.max(schema.articles.c.published))
            ).first()
            out["published_range"] = [dates[0], dates[1]] if dates else [None, None]
        return out

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of a public table as plain values (JSON columns decoded), in a stable order."""
        if table not in TABLES:
            raise StoreError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
        t = schema.metadata.tables[table]
        query = select(t)
        if table == "quotes":
            # A quote is read with where it was reported: the article's outlet, date and URL.
            a = schema.articles
            # NULLS FIRST everywhere: SQLite puts NULL first, PostgreSQL last, by default.
            query = (
                select(t, a.c.outlet, a.c.published.label("published"), a.c.url)
                .join(a, a.c.id == t.c.article_id)
                .order_by(
                    a.c.published.nulls_first(),
                    t.c.article_id,
                    t.c.in_title.desc(),
                    t.c.start,
                    t.c.end,
                    t.c.id,
                )
            )
        elif table == "entities":
            query = query.order_by(t.c.article_id, t.c.in_title.desc(), t.c.start, t.c.end, t.c.id)
        else:
            query = query.order_by(
                *[self._bytewise(t.c[c]) for c in ("id", "source", "raw_sha") if c in t.c]
            )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _decode_row(table, dict(row._mapping))

    def articles_lacking(self, versions: Sequence[str], *, batch: int = 500) -> Iterator[Article]:
        """Stored articles whose stage versions miss any of `versions` (all of them when empty),
        in id order, read a page at a time so a large store is never held in memory."""
        a = schema.articles
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = [
                    dict(r._mapping)
                    for r in conn.execute(
                        select(a).where(a.c.id > last).order_by(a.c.id).limit(batch)
                    )
                ]
            if not rows:
                return
            last = rows[-1]["id"]
            for row in rows:
                done = set(json.loads(row["stage_versions"]))
                if not versions or not set(versions) <= done:
                    yield _article_of(row)

    def replace_analysis(
        self,
        articles: Sequence[Article],
        entities: Sequence[Entity],
        quotes: Sequence[Quote],
    ) -> None:
        """Swap the stored analysis of these articles for a new one, in one transaction: their
        entities and quotes, and the stage versions and warnings on the article row."""
        ids = [x.id for x in articles]
        with self._begin() as conn:
            for chunk in _chunks(sorted(set(ids)), 500):
                conn.execute(
                    schema.entities.delete().where(schema.entities.c.article_id.in_(chunk))
                )
                conn.execute(schema.quotes.delete().where(schema.quotes.c.article_id.in_(chunk)))
            for x in articles:
                conn.execute(
                    schema.articles.update()
                    .where(schema.articles.c.id == x.id)
                    .values(
                        warnings=json.dumps(list(x.warnings), ensure_ascii=False),
                        stage_versions=json.dumps(list(x.stage_versions)),
                    )
                )
            _insert_analysis(conn, set(ids), entities, quotes)

    def find_quotes(
        self, *, speaker: str | None = None, actor: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        """Quotes with where they were reported, newest first; `speaker` matches part of the
        speaker's name (case-insensitive), `actor` an actor code prefix (RUS, RUSGOV)."""
        q, a = schema.quotes, schema.articles
        query = select(q, a.c.outlet, a.c.published.label("published"), a.c.url).join(
            a, a.c.id == q.c.article_id
        )
        if speaker:
            query = query.where(func.lower(q.c.speaker).contains(speaker.lower(), autoescape=True))
        if actor:
            query = query.where(q.c.speaker_actor.startswith(actor.upper(), autoescape=True))
        query = query.order_by(q.c.date.desc().nulls_last(), q.c.article_id, q.c.start).limit(limit)
        with self.engine.connect() as conn:
            return [_decode_row("quotes", dict(r._mapping)) for r in conn.execute(query)]

    def close(self) -> None:
        self.engine.dispose()

    def __del__(self) -> None:
        # A store dropped without close() still hangs up on its server cleanly (psycopg warns
        # about connections left open when they are only garbage-collected).
        engine = getattr(self, "engine", None)
        if engine is not None:
            with contextlib.suppress(Exception):
                engine.dispose()


_SOURCE_COLUMNS = (
    "source",
    "url",
    "outlet",
    "title",
    "published",
    "published_precision",
    "authors",
    "language",
    "dateline",
    "warnings",
    "run_id",
)
_JSON_COLUMNS = {"authors", "warnings", "stage_versions", "inputs", "counts", "segments"}


def _decode_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON_COLUMNS & row.keys():
        if row[key] is not None:
            row[key] = json.loads(row[key])
    if table == "failures" and row.get("raw") is not None:
        row["raw_bytes"] = len(row.pop("raw"))
    elif table == "failures":
        row.pop("raw", None)
        row["raw_bytes"] = None
    return row


def _article_row(a: Article, run_id: int | None, stamp: str) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "outlet": a.outlet,
        "title": a.title,
        "published": a.published,
        "published_precision": a.published_precision,
        "authors": json.dumps(list(a.authors), ensure_ascii=False),
        "language": a.language,
        "dateline": a.dateline,
        "text": a.text,
        "warnings": json.dumps(list(a.warnings), ensure_ascii=False),
        "input_kind": a.input_kind,
        "stage_versions": json.dumps(list(a.stage_versions)),
        "run_id": run_id,
        "ingested_at": stamp,
    }


def _article_of(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        published_precision=row["published_precision"],
        authors=tuple(json.loads(row["authors"])),
        language=row["language"],
        dateline=row["dateline"],
        warnings=tuple(json.loads(row["warnings"])),
        input_kind=row["input_kind"],
        stage_versions=tuple(json.loads(row["stage_versions"])),
    )


def _entity_row(e: Entity) -> dict[str, Any]:
    return {f.name: getattr(e, f.name) for f in fields(e)}


def _quote_row(q: Quote) -> dict[str, Any]:
    row = {f.name: getattr(q, f.name) for f in fields(q)}
    row["segments"] = json.dumps([list(s) for s in q.segments])
    return row


def _insert_analysis(
    conn: Any, article_ids: set[str], entities: Sequence[Entity], quotes: Sequence[Quote]
) -> None:
    """Insert the entities and quotes that belong to these articles."""
    entity_rows = [_entity_row(e) for e in entities if e.article_id in article_ids]
    if entity_rows:
        conn.execute(schema.entities.insert(), entity_rows)
    quote_rows = [_quote_row(q) for q in quotes if q.article_id in article_ids]
    if quote_rows:
        conn.execute(schema.quotes.insert(), quote_rows)


def _stored_ids(conn: Any, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids)), 500):
        found.update(
            r[0]
            for r in conn.execute(
                select(schema.articles.c.id).where(schema.articles.c.id.in_(chunk))
            )
        )
    return found


def _chunks(items: Sequence[str], n: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the web server read while a run writes; NORMAL sync is durable at each commit in WAL.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class _RetryingBegin:
    """`engine.begin()` that retries a few times on 'database is locked' before giving up."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._ctx: Any = None

    def __enter__(self) -> Any:
        for attempt in range(5):
            try:
                self._ctx = self.engine.begin()
                return self._ctx.__enter__()
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or attempt == 4:
                    raise StoreError(f"database: {exc.orig}") from None
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def __exit__(self, *exc: Any) -> Any:
        return self._ctx.__exit__(*exc)
