"""Table definitions (SQLAlchemy Core) and the ordered list of versioned migrations."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["MIGRATIONS", "article_sources", "articles", "failures", "meta", "metadata", "runs"]

metadata = MetaData()

# Key/value facts about the store itself; `schema_version` is the last migration applied.
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("inputs", Text, nullable=False),  # JSON list
    Column("counts", Text),  # JSON {outcome: {reason: n}}
    Column("status", String(16), nullable=False),  # running | done | failed
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),  # content hash of the cleaned text
    Column("source", Text, nullable=False),  # the first input it came from
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("published_precision", String(8)),
    Column("authors", Text, nullable=False),  # JSON list
    Column("language", String(16)),
    Column("dateline", Text),
    Column("text", Text, nullable=False),
    Column("warnings", Text, nullable=False),  # JSON list
    Column("input_kind", String(16), nullable=False),
    Column("stage_versions", Text, nullable=False),  # JSON list
    Column("run_id", Integer),
    Column("ingested_at", String(32), nullable=False),
)
Index("ix_articles_published", articles.c.published)
Index("ix_articles_outlet", articles.c.outlet)

# Every input that produced an article, with the metadata that input stated. The same text
# republished by a second outlet is one article with two sources, each keeping its own outlet, URL,
# date and byline; and a re-run can skip inputs whose bytes it has already seen.
article_sources = Table(
    "article_sources",
    metadata,
    Column("source", Text, nullable=False),
    Column("raw_sha", String(64), nullable=False),
    Column("article_id", String(32), nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("published_precision", String(8)),
    Column("authors", Text, nullable=False),  # JSON list
    Column("language", String(16)),
    Column("dateline", Text),
    Column("warnings", Text, nullable=False),  # JSON list
    Column("run_id", Integer),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("source", "raw_sha", name="uq_article_sources_source_raw"),
)
Index("ix_article_sources_article", article_sources.c.article_id)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # skip | quarantine | retry
    Column("reason", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("raw", LargeBinary),  # kept for quarantined inputs so they can be re-run
    Column("run_id", Integer),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("source", "reason", name="uq_failures_source_reason"),
)


def _create(*tables: Table) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)
            for index in table.indexes:
                index.create(conn, checkfirst=True)

    return apply


# Append only: a migration, once released, never changes; its number is its position.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (
        1,
        "articles, sources, failures, runs",
        _create(meta, runs, articles, article_sources, failures),
    ),
]
