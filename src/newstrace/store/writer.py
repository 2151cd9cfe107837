"""The one writer: every change to the store goes through here, one transaction per batch, so a
run killed at any moment leaves whole batches only."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, text

from ..records import Analysis, Article, Failure
from . import schema, search
from .engine import Database
from .products import PRODUCTS, product

__all__ = ["STALE_AFTER", "StoredBatch", "Writer", "now"]

# A run on another machine that has not committed for this long is taken to be dead.
STALE_AFTER = timedelta(hours=1)
# PostgreSQL advisory lock keys: batch writers take turns, and so do corpus stage writers.
_BATCH_LOCK, _CORPUS_LOCK = 7160917, 7160918


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoredBatch:
    """What one committed batch changed: new articles, and sources that repeated a stored one."""

    new_articles: int
    duplicates: int
    failures: int


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


class Writer:
    """Writes runs, articles, failures, products and corpus stage state."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, inputs: Sequence[str]) -> int:
        """Record a new run; runs left `running` by a killed process are marked interrupted."""
        host, pid, stamp = socket.gethostname(), os.getpid(), now()
        with self.db.begin() as conn:
            self._close_dead_runs(conn, host)
            result = conn.execute(
                schema.runs.insert().values(
                    started_at=stamp,
                    inputs=json.dumps(list(inputs)),
                    status="running",
                    pid=pid,
                    host=host,
                    heartbeat_at=stamp,
                )
            )
            return int(result.inserted_primary_key[0])

    def _close_dead_runs(self, conn: Any, host: str) -> None:
        r = schema.runs
        stale = (datetime.now(UTC) - STALE_AFTER).isoformat(timespec="seconds")
        for run_id, run_host, pid, beat in conn.execute(
            select(r.c.id, r.c.host, r.c.pid, r.c.heartbeat_at).where(r.c.status == "running")
        ):
            # On this machine only liveness decides (a long run may commit nothing for hours); a
            # pid that is now ours was another process's before a restart. Elsewhere (a shared
            # server) only silence can tell.
            if run_host == host:
                dead = pid is None or pid == os.getpid() or not _alive(pid)
            else:
                dead = (beat or "") < stale
            if dead:
                conn.execute(r.update().where(r.c.id == run_id).values(status="interrupted"))

    def finish_run(
        self, run_id: int, counts: dict[str, dict[str, int]], status: str = "done"
    ) -> None:
        with self.db.begin() as conn:
            conn.execute(
                schema.runs.update()
                .where(schema.runs.c.id == run_id)
                .values(finished_at=now(), counts=json.dumps(counts), status=status)
            )

    # -- articles ---------------------------------------------------------------------------
    def write_batch(
        self,
        articles: Sequence[tuple[Article, str]],
        failures: Sequence[Failure],
        run_id: int | None = None,
        *,
        analyses: Sequence[Analysis] = (),
    ) -> StoredBatch:
        """Store one batch in one transaction. `articles` pairs each Article with the sha256 of
        the raw bytes it came from; the products of `analyses` are kept for the articles this
        batch adds, and their notes and stage versions go on the article. Re-writing what is
        stored changes nothing (idempotent)."""
        stamp = now()
        by_id = {x.article.id: x for x in analyses}
        new = dup = 0
        added: set[str] = set()
        with self.db.begin() as conn:
            self._take_turn(conn, _BATCH_LOCK)
            existing = stored_ids(conn, (a.id for a, _ in articles))
            seq = self._last_seq(conn)
            for article, raw_sha in articles:
                analysis = by_id.get(article.id)
                if analysis is not None:
                    article = with_analysis(article, analysis)
                row = _article_row(article, run_id, stamp)
                if article.id in existing:
                    dup += 1
                else:
                    seq += 1
                    conn.execute(schema.articles.insert().values(**row, seq=seq))
                    search.index_articles(conn, [row])
                    existing.add(article.id)
                    added.add(article.id)
                    new += 1
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
            _insert_products(conn, [x for x in analyses if x.article.id in added])
            for failure in failures:
                self._write_failure(conn, failure, run_id, stamp)
            if run_id is not None:
                conn.execute(
                    schema.runs.update()
                    .where(schema.runs.c.id == run_id)
                    .values(heartbeat_at=stamp)
                )
        return StoredBatch(new, dup, len(failures))

    def _take_turn(self, conn: Any, key: int) -> None:
        """On PostgreSQL, writers of one kind take turns until commit (SQLite's BEGIN IMMEDIATE
        already does). Taken first, before anything is read: which articles are new, and the next
        `seq`, must be read by one writer at a time, or two runs sharing an article both insert it
        and a batch could commit after one with a larger seq, which a corpus stage would skip."""
        if not self.db.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def _last_seq(self, conn: Any) -> int:
        return int(
            conn.execute(select(func.coalesce(func.max(schema.articles.c.seq), 0))).scalar_one()
        )

    def _write_failure(self, conn: Any, failure: Failure, run_id: int | None, stamp: str) -> None:
        f = schema.failures
        conn.execute(
            f.delete().where((f.c.source == failure.source) & (f.c.reason == failure.reason))
        )
        conn.execute(
            f.insert().values(
                source=failure.source,
                kind=failure.kind,
                reason=failure.reason,
                message=failure.message,
                raw=failure.raw if failure.kind == "quarantine" else None,
                run_id=run_id,
                seen_at=stamp,
            )
        )

    def replace_analysis(self, analyses: Sequence[Analysis], products: Iterable[str]) -> None:
        """Swap the stored analysis of these articles for a new one, in one transaction: their
        records of `products` (what the re-run stages assign), and the notes and stage versions on
        the article row (each analysis's article holds what is kept of the old ones)."""
        ids = sorted({x.article.id for x in analyses})
        owned = [PRODUCTS[p] for p in products if p in PRODUCTS and PRODUCTS[p].owner]
        with self.db.begin() as conn:
            for chunk in chunks(ids, 500):
                for spec in owned:
                    assert spec.owner is not None
                    conn.execute(spec.table.delete().where(spec.table.c[spec.owner].in_(chunk)))
                    if spec.name == "quotes":
                        search.drop_quotes(conn, list(chunk))
            for x in analyses:
                article = with_analysis(x.article, x)
                conn.execute(
                    schema.articles.update()
                    .where(schema.articles.c.id == article.id)
                    .values(
                        warnings=json.dumps(list(article.warnings), ensure_ascii=False),
                        stage_versions=json.dumps(list(article.stage_versions)),
                    )
                )
            _insert_products(conn, analyses)

    # -- corpus stages ----------------------------------------------------------------------
    def advance(
        self,
        family: str,
        version: str,
        start: int,
        watermark: int,
        products: Mapping[str, Sequence[Any]],
    ) -> bool:
        """Write a corpus stage's new records and move its watermark from `start`, in one
        transaction. False, and nothing written, when another run moved it first (two runs
        grouping at once): the caller reads the state again and goes on from there."""
        with self.db.begin() as conn:
            self._take_turn(conn, _CORPUS_LOCK)
            s = schema.stage_state
            row = conn.execute(
                select(s.c.version, s.c.watermark).where(s.c.family == family)
            ).first()
            if row is None or row[0] != version or int(row[1]) != start:
                return False  # nothing written: the transaction commits nothing
            for name, records in products.items():
                spec = product(name)
                rows = [spec.to_row(r) for r in records]
                if not rows:
                    continue
                if spec.key:
                    match = [spec.table.c[k] == bindparam(f"key_{k}") for k in spec.key]
                    keys = [{f"key_{k}": row[k] for k in spec.key} for row in rows]
                    conn.execute(spec.table.delete().where(*match), keys)
                conn.execute(spec.table.insert(), rows)
                if name == "quotes":  # a corpus stage's quotes are searchable as well
                    search.index_quotes(conn, rows)
            self._set_state(conn, family, version, watermark)
            return True

    def reset(
        self,
        family: str,
        version: str,
        products: Iterable[str],
        scope: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """Forget what an older version of a corpus stage wrote (or start a stage that never ran):
        it starts again from the first article. `scope` limits what is deleted from a product
        other stages share (the `links` of one kind), by column and value."""
        with self.db.begin() as conn:
            self._take_turn(conn, _CORPUS_LOCK)
            for name in products:
                table = product(name).table
                where = [
                    table.c[col] == value for col, value in (scope or {}).get(name, {}).items()
                ]
                conn.execute(table.delete().where(*where))
                if name == "quotes":
                    search.drop_quotes(conn, None)
                    if where:  # only part forgotten: index again what is left
                        search.index_quotes(conn, _quote_rows(conn))
            self._set_state(conn, family, version, 0)

    def _set_state(self, conn: Any, family: str, version: str, watermark: int) -> None:
        s = schema.stage_state
        conn.execute(s.delete().where(s.c.family == family))
        conn.execute(
            s.insert().values(family=family, version=version, watermark=watermark, updated_at=now())
        )

    def _insert_ignore(self, conn: Any, table: Any, row: dict[str, Any]) -> None:
        if self.db.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
        conn.execute(insert(table).values(**row).on_conflict_do_nothing())


def with_analysis(article: Article, analysis: Analysis) -> Article:
    """The article row as stored after an analysis: its notes and stage versions added."""
    return replace(
        article,
        warnings=(*article.warnings, *(n.text for n in analysis.notes)),
        stage_versions=(*article.stage_versions, *analysis.stage_versions),
    )


def _insert_products(conn: Any, analyses: Sequence[Analysis]) -> None:
    by_product: dict[str, list[Any]] = {}
    for x in analyses:
        for name, records in x.products.items():
            by_product.setdefault(name, []).extend(records)
    for name, found in by_product.items():
        if found:
            spec = product(name)
            rows = [spec.to_row(r) for r in found]
            conn.execute(spec.table.insert(), rows)
            if name == "quotes":  # searchable in the transaction that stores them
                search.index_quotes(conn, rows)


def _quote_rows(conn: Any) -> list[dict[str, Any]]:
    q = schema.quotes
    return [dict(r._mapping) for r in conn.execute(select(q.c.id, q.c.article_id, q.c.text))]


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


def stored_ids(conn: Any, ids: Iterable[str]) -> set[str]:
    """Which of these article ids are stored (read inside the caller's transaction)."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids)), 500):
        found.update(
            r[0]
            for r in conn.execute(
                select(schema.articles.c.id).where(schema.articles.c.id.in_(chunk))
            )
        )
    return found


def chunks(items: Sequence[Any], n: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True
