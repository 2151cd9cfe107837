"""The store on a real PostgreSQL server: the example corpus gives the same record as on SQLite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import PostgresServer
from newstrace.clean.meta import make_article
from newstrace.records import Analysis, Entity, RawDocument
from newstrace.store import LISTS, Store, StoreError
from test_examples import _cli

# Set by the store when a row is written, so they differ between two runs of the same input.
VOLATILE = {"ingested_at", "seen_at", "started_at", "finished_at", "heartbeat_at", "pid"}


def _record(db: str, config: Path) -> dict[str, list[dict[str, Any]]]:
    """Import the examples' actors, run the corpus, and export every table."""
    for args in (("actors", "import", "examples/actors.txt"), ("run", "examples", "-q")):
        done = _cli(*args, "--db", db, "--config", str(config))
        assert done.returncode == 0, done.stderr
    out: dict[str, list[dict[str, Any]]] = {}
    for table in LISTS:
        done = _cli("export", table, "--db", db, "--config", str(config))
        assert done.returncode == 0, done.stderr
        rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        out[table] = [{k: v for k, v in r.items() if k not in VOLATILE} for r in rows]
    return out


def test_the_examples_give_the_same_record_on_postgresql_as_on_sqlite(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    records = {}
    for name, db in (
        ("sqlite", str(tmp_path / "s.db")),
        ("postgresql", postgres_server.new_database()),
    ):
        config = tmp_path / f"{name}.toml"
        config.write_text(f'actors_dir = "{tmp_path / name / "actors"}"\n', encoding="utf-8")
        records[name] = _record(db, config)
    sqlite, postgres = records["sqlite"], records["postgresql"]
    assert len(sqlite["articles"]) > 30 and len(sqlite["quotes"]) > 100
    assert any(q["speaker_actor"] for q in sqlite["quotes"])  # actors were resolved
    for table in LISTS:
        # Row for row and in the same order: exports do not depend on the backend.
        assert postgres[table] == sqlite[table], table


def test_values_longer_than_a_short_column_are_stored_whole(db: str) -> None:
    store = Store(db)
    text = "The delegation of the harbour district met the minister on Monday."
    article = make_article(RawDocument("a.txt", b"1", "text"), text, title="T")
    # A user's dictionary may hold long codes and ids; PostgreSQL refuses over-long VARCHARs.
    code, ident = "HRB" + "GOV" * 15, "harbour-district-delegation-" * 4
    mention = Entity(
        article.id, 4, 14, "delegation", "ORG", actor=code, actor_id=ident, kind="organisation"
    )
    found = Analysis(article, products={"entities": (mention,)})
    store.writer.write_batch([(article, "1")], [], analyses=[found])
    (row,) = store.reader.iterate("entities")
    assert (row.actor, row.actor_id) == (code, ident)


def test_an_unreachable_server_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store(f"postgresql://nobody@/newstrace?host={tmp_path}")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"database postgresql://nobody@/newstrace?host={tmp_path}:")


def test_a_password_in_the_url_is_never_printed(tmp_path: Path) -> None:
    url = f"postgresql://ann:s3cret-pw@/newstrace?host={tmp_path}"
    with pytest.raises(StoreError) as info:
        Store(url)
    assert "s3cret-pw" not in str(info.value) and "ann:***@" in str(info.value)
    done = _cli("stats", "--db", url)
    assert done.returncode != 0
    assert "s3cret-pw" not in done.stderr + done.stdout and "ann:***@" in done.stderr
