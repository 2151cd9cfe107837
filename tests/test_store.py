"""The store: migrations, idempotent batch writes, failures kept with their raw bytes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newstrace.clean.meta import make_article
from newstrace.records import Article, Failure, RawDocument
from newstrace.store import QuoteFilter, Store, StoreError, schema


def _article(text: str, source: str = "a.txt") -> Article:
    return make_article(
        RawDocument(source, text.encode(), "text"), text, title="T", url="https://x.com/a"
    )


def test_new_store_is_migrated_to_latest(db: str) -> None:
    store = Store(db)
    assert store.schema_version() == schema.MIGRATIONS[-1][0]
    # Opening again applies nothing and keeps the version.
    assert Store(db).migrate() == schema.MIGRATIONS[-1][0]


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(str(db))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(str(db))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="newer than this newstrace"):
        Store(str(db))


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "nope" / "s.db"))


def test_rewriting_a_batch_is_idempotent(db: str) -> None:
    store = Store(db)
    a = _article("The minister said talks would resume on Monday in the capital.")
    fail = Failure("bad.txt", "quarantine", "bad-json", "bad.txt: bad json", b"{oops")
    first = store.writer.write_batch([(a, "sha-a")], [fail])
    second = store.writer.write_batch([(a, "sha-a")], [fail])
    assert (first.new_articles, first.duplicates) == (1, 0)
    assert (second.new_articles, second.duplicates) == (0, 1)
    counts = store.reader.stats()
    assert counts.articles == 1
    assert counts.article_sources == 1
    assert counts.failures == 1


def test_exact_duplicate_from_a_second_source_is_linked_not_stored_twice(db: str) -> None:
    store = Store(db)
    text = "The minister said talks would resume on Monday in the capital."
    store.writer.write_batch(
        [(_article(text, "a.txt"), "sha-1"), (_article(text, "b.jsonl#2"), "sha-2")], []
    )
    assert store.reader.stats().articles == 1
    sources = sorted(r.source for r in store.reader.iterate("article_sources"))
    assert sources == ["a.txt", "b.jsonl#2"]
    assert [r.source for r in store.reader.iterate("articles")] == ["a.txt"]


def test_quarantine_keeps_raw_bytes_and_a_later_success_clears_it(db: str) -> None:
    store = Store(db)
    store.writer.write_batch(
        [], [Failure("x.txt", "quarantine", "undecodable", "x.txt: undecodable", b"\xff\xfe")]
    )
    (row,) = store.reader.iterate("failures")
    assert row.raw_bytes == 2
    assert row.reason == "undecodable"
    store.writer.write_batch(
        [(_article("Now it decodes and is a real article text.", "x.txt"), "sha")], []
    )
    assert list(store.reader.iterate("failures")) == []


def test_skip_failures_do_not_keep_raw(db: str) -> None:
    store = Store(db)
    store.writer.write_batch([], [Failure("e.txt", "skip", "empty", "e.txt: empty", b"  ")])
    (row,) = store.reader.iterate("failures")
    assert row.raw_bytes is None


def test_seen_sources_reports_only_stored_pairs(db: str) -> None:
    store = Store(db)
    store.writer.write_batch(
        [(_article("A sentence that is long enough to be stored."), "sha-a")], []
    )
    assert store.reader.seen_sources(
        [("a.txt", "sha-a"), ("a.txt", "other"), ("b.txt", "sha-a")]
    ) == {("a.txt", "sha-a")}


def test_rows_decode_json_columns_and_reject_unknown_tables(db: str) -> None:
    store = Store(db)
    store.writer.write_batch([(_article("A sentence that is long enough to be stored."), "s")], [])
    (row,) = store.reader.iterate("articles")
    assert row.authors == ()
    assert "authors: not stated in the input" in row.warnings
    with pytest.raises(StoreError, match="unknown list"):
        list(store.reader.iterate("sqlite_master"))


def test_a_failed_transaction_leaves_nothing_half_written(db: str) -> None:
    store = Store(db)
    good = _article("A sentence that is long enough to be stored.")
    # A Failure whose required column is None makes the insert fail after the article was written
    # inside the same transaction: the whole batch must roll back.
    broken = Failure("x", "skip", None, "x: broken")  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the driver's integrity error type varies
        store.writer.write_batch([(good, "s")], [broken])
    assert store.reader.stats().articles == 0
    assert store.reader.stats().article_sources == 0


def test_each_source_keeps_the_metadata_it_stated(db: str) -> None:
    store = Store(db)
    text = "The minister said talks would resume on Monday in the capital."
    wire = make_article(RawDocument("wire.txt", b"1", "text"), text, url="https://wire.com/a")
    repost = make_article(
        RawDocument("site.jsonl#1", b"2", "text"),
        text,
        url="https://site.net/b",
        authors=("Ana Lind",),
    )
    store.writer.write_batch([(wire, "1"), (repost, "2")], [])
    rows = {r.source: r for r in store.reader.iterate("article_sources")}
    assert rows["wire.txt"].outlet == "wire.com" and rows["wire.txt"].authors == ()
    assert rows["site.jsonl#1"].outlet == "site.net"
    assert rows["site.jsonl#1"].authors == ("Ana Lind",)
    assert rows["wire.txt"].article_id == rows["site.jsonl#1"].article_id


def test_a_version_2_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    # Build today's store, then take it back to schema 2 as an older newstrace left it.
    db = tmp_path / "s.db"
    store = Store(str(db))
    a, b = _article("One article text that is long enough."), _article("Another one, long too.")
    store.writer.write_batch([(a, "sa"), (b, "sb")], [])
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX ix_articles_seq")
        for table, column in (
            ("articles", "seq"),
            ("runs", "pid"),
            ("runs", "host"),
            ("runs", "heartbeat_at"),
        ):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("ALTER TABLE quotes DROP COLUMN speaker_key")
        conn.execute("DROP TABLE stage_state")
        conn.execute(
            'INSERT INTO quotes (id, article_id, text, start, "end", segments, in_title, kind,'
            " speaker, confidence, rule, stage_version) VALUES"
            f" ('q1', '{a.id}', 'x', 0, 1, '[[0, 1]]', 0, 'direct', 'Viktor Orbán', 0.9, 'r', 'v')"
        )
        conn.execute(
            "INSERT INTO runs (started_at, inputs, status) VALUES ('2025-01-01', '[]', 'running')"
        )
        conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    store = Store(str(db))
    assert store.schema_version() == schema.MIGRATIONS[-1][0]
    with sqlite3.connect(db) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM articles ORDER BY seq")]
        assert seqs == [1, 2]
        assert conn.execute("SELECT speaker_key FROM quotes").fetchone()[0] == "viktor orban"
    # A run left "running" before runs had owners can never finish: it is interrupted.
    assert [r.status for r in store.reader.iterate("runs")] == ["interrupted"]
    found = store.reader.page("quotes", quotes=QuoteFilter(speaker="orban")).items
    assert [q.speaker for q in found] == ["Viktor Orbán"]
