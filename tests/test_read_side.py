"""The typed read side: stable pages with cursors, search that ignores case and accents, a
read-only handle beside a writer, and the missing-database rule."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from newstrace.errors import CursorError, StoreError, StoreMissing
from newstrace.records import Analysis, Article, Entity, Quote, article_id, quote_id
from newstrace.store import ArticleFilter, EntityFilter, QuoteFilter, Store
from newstrace.store.models import QuoteView
from test_examples import _cli


def _article(n: int, published: str | None) -> Article:
    text = f"Report number {n}. The minister said the border would stay closed for now."
    return Article(
        id=article_id(text),
        source=f"r{n}.txt",
        text=text,
        title=f"Report {n}",
        published=published,
        published_precision="day" if published else None,
    )


def _quotes(article: Article, speakers: list[str]) -> tuple[Quote, ...]:
    out = []
    for i, who in enumerate(speakers):
        seg = ((i, i + 5),)
        out.append(
            Quote(
                quote_id(article.id, seg, False),
                article.id,
                article.text[i : i + 5],
                i,
                i + 5,
                "direct",
                seg,
                speaker=who,
                date=article.published,
            )
        )
    return tuple(out)


def _fill(store: Store, n: int, start: int = 0) -> None:
    for k in range(start, start + n):
        a = _article(k, None if k % 4 == 0 else f"2025-03-{k % 28 + 1:02d}")
        x = Analysis(a, products={"quotes": _quotes(a, ["Ann Lee", "Viktor Orban", "Bo Li"])})
        store.writer.write_batch([(a, f"sha{k}")], [], analyses=[x])


def _walk(store: Store, limit: int, **kw: object) -> list[QuoteView]:
    items: list[QuoteView] = []
    after = None
    while True:
        page = store.reader.page("quotes", after=after, limit=limit, **kw)  # type: ignore[arg-type]
        items.extend(page.items)
        if page.next is None:
            return items
        after = page.next


def test_pages_follow_one_stable_order(db: str) -> None:
    store = Store(db)
    _fill(store, 9)
    everything = list(store.reader.iterate("quotes"))
    assert len(everything) == 27
    assert _walk(store, 4) == everything  # any page size gives the same list, nothing twice
    assert _walk(store, 5, newest_first=True) == list(
        store.reader.page("quotes", limit=100, newest_first=True).items
    )
    # Report order: undated reports first, then by day; newest-first puts undated last.
    days = [q.published or "" for q in everything]
    assert days == sorted(days)


def test_a_cursor_stays_valid_while_the_store_grows(db: str) -> None:
    store = Store(db)
    _fill(store, 6)
    before = [q.id for q in store.reader.iterate("quotes")]
    first = store.reader.page("quotes", limit=5)
    assert first.next is not None
    _fill(store, 3, start=100)  # new articles land before and after the cursor
    rest = _walk_from(store, first.next)
    seen = [q.id for q in first.items] + [q.id for q in rest]
    assert len(seen) == len(set(seen))  # nothing repeated across the pages
    assert set(before) <= set(seen)  # and nothing that was there is skipped


def _walk_from(store: Store, after: str) -> list[QuoteView]:
    items: list[QuoteView] = []
    cursor: str | None = after
    while cursor is not None:
        page = store.reader.page("quotes", after=cursor, limit=4)
        items.extend(page.items)
        cursor = page.next
    return items


def test_a_forged_cursor_is_a_clear_error(db: str) -> None:
    store = Store(db)
    with pytest.raises(CursorError, match="not one this list gave out"):
        store.reader.page("quotes", after="bm90LWEtY3Vyc29y")
    # A cursor of another list has other keys: refused too, not read as a place in this one.
    _fill(store, 3)
    articles_cursor = store.reader.page("articles", limit=1).next
    assert articles_cursor is not None
    with pytest.raises(CursorError):
        store.reader.page("quotes", after=articles_cursor)
    # The right number of keys, of the wrong types: refused before the database sees them
    # (PostgreSQL would fail on a string compared with an integer column).
    from newstrace.store.where import encode_cursor

    for name, values in [("runs", ["1"]), ("quotes", ["", "a", "b", 1, 2, "c"]), ("runs", [True])]:
        with pytest.raises(CursorError):
            store.reader.page(name, after=encode_cursor(values))


def test_articles_filter_by_outlet_and_publication_date(db: str) -> None:
    store = Store(db)
    dated = [("Wire", "2022-02-01"), ("wire", "2022-02-23"), ("Post", "2022-03-02"), ("Wire", None)]
    for n, (outlet, day) in enumerate(dated):
        a = dataclasses.replace(_article(n, day), outlet=outlet)
        store.writer.write_batch([(a, f"sha{n}")], [])

    def days(**kw: str) -> list[str | None]:
        found = store.reader.iterate("articles", articles=ArticleFilter(**kw), size=1)
        return sorted((v.published for v in found), key=lambda d: d or "")

    assert days(outlet="WIRE") == [None, "2022-02-01", "2022-02-23"]
    assert days(since="2022-02-02") == ["2022-02-23", "2022-03-02"]
    assert days(until="2022-02-23") == ["2022-02-01", "2022-02-23"]
    assert days(until="2022-02") == ["2022-02-01", "2022-02-23"]  # a month bound keeps its days
    assert days(outlet="wire", since="2022-02-02", until="2022-02") == ["2022-02-23"]
    assert days(outlet="nobody") == []


def test_quote_day_bounds_may_be_a_month_or_a_year(db: str) -> None:
    store = Store(db)
    _fill(store, 5)  # three articles with statement days in March 2025, two undated

    def n(**kw: str) -> int:
        return len(list(store.reader.iterate("quotes", quotes=QuoteFilter(**kw))))

    dated = n(since="2025-03-01")
    assert dated == 9 and n() == 15
    assert n(until="2025-03") == n(until="2025") == dated  # the whole month, the whole year
    assert n(until="2025-02") == 0 and n(until="2025-03-03") == 6


def test_entities_filter_by_article_actor_and_label(db: str) -> None:
    store = Store(db)
    ids = []
    for n in range(3):
        a = _article(n, "2025-03-01")
        found = (
            Entity(a.id, 0, 6, "Report", "ORG"),
            Entity(a.id, 7, 13, "number", "GPE", actor="RUSGOV" if n else "UKR"),
        )
        store.writer.write_batch(
            [(a, f"sha{n}")], [], analyses=[Analysis(a, products={"entities": found})]
        )
        ids.append(a.id)

    def texts(**kw: str) -> list[tuple[str, str | None]]:
        found = store.reader.iterate("entities", entities=EntityFilter(**kw), size=1)
        return sorted(((e.article_id, e.actor) for e in found), key=lambda p: (p[0], p[1] or ""))

    assert texts(article_id=ids[1]) == [(ids[1], None), (ids[1], "RUSGOV")]
    assert texts(actor="rus") == sorted((i, "RUSGOV") for i in ids[1:])
    assert texts(label="gpe") == sorted([(ids[0], "UKR"), (ids[1], "RUSGOV"), (ids[2], "RUSGOV")])
    assert texts(article_id=ids[0], actor="RUS") == []
    assert len(texts()) == 6


def test_iterate_lists_quotes_newest_first_as_pages_do(db: str) -> None:
    store = Store(db)
    _fill(store, 5)
    newest = list(store.reader.iterate("quotes", newest_first=True, size=2))
    assert newest == list(store.reader.page("quotes", limit=100, newest_first=True).items)
    assert newest != list(store.reader.iterate("quotes"))


@pytest.mark.parametrize("query", ["orbán", "ORBAN", "Viktor Orb"])
def test_speaker_search_ignores_case_and_accents(db: str, query: str) -> None:
    store = Store(db)
    _fill(store, 2)
    found = store.reader.page("quotes", quotes=QuoteFilter(speaker=query), limit=50).items
    assert len(found) == 2 and {q.speaker for q in found} == {"Viktor Orban"}


def test_a_read_only_handle_reads_while_a_run_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    store = Store(db)
    _fill(store, 2)
    a = _article(50, "2025-03-05")
    with store.database.begin() as conn:  # a writer holds the write lock, uncommitted
        from newstrace.store import schema

        conn.execute(schema.meta.insert().values(key="in-flight", value="1"))
        reader = Store(db, read_only=True)
        assert reader.reader.stats().articles == 2  # the committed state, without waiting
        with pytest.raises(StoreError, match="read-only"):
            reader.writer.write_batch([(a, "x")], [])
        reader.close()


def test_commands_that_only_read_never_create_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing, match="not found"):
        Store(str(tmp_path / "none.db"), create=False)
    with pytest.raises(StoreMissing):
        Store(str(tmp_path / "none.db"), read_only=True)
    assert not (tmp_path / "none.db").exists()


def test_quarantined_inputs_can_be_written_back_and_re_run(tmp_path: Path) -> None:
    db, raw = str(tmp_path / "s.db"), tmp_path / "raw"
    _cli("run", "examples/broken", "--db", db, "-q")
    done = _cli("export", "failures", "--db", db, "--raw", str(raw))
    assert done.returncode == 0, done.stderr
    failures = [json.loads(line) for line in done.stdout.splitlines()]
    kept = {f["source"]: f for f in failures if f["raw_bytes"]}
    manifest = [
        json.loads(line) for line in (raw / ".newstrace-manifest.jsonl").read_text().splitlines()
    ]
    assert {m["source"] for m in manifest} == set(kept) and len(kept) >= 2
    for m in manifest:
        written = raw / m["file"]
        assert written.parent == raw and written.stat().st_size == kept[m["source"]]["raw_bytes"]
    # Run again from the folder, the same inputs fail for the same reasons.
    again = _cli("run", str(raw), "--db", str(tmp_path / "again.db"), "-q")
    assert again.returncode == 1  # nothing in it is an article yet
    reasons = _cli("export", "failures", "--db", str(tmp_path / "again.db"))
    got = sorted(json.loads(line)["reason"] for line in reasons.stdout.splitlines())
    assert got == sorted(m["reason"] for m in manifest)


def test_reading_commands_never_wait_for_a_writer(tmp_path: Path) -> None:
    # A run holds the write lock; stats and export read at once instead of waiting it out.
    import sqlite3

    db = tmp_path / "s.db"
    _fill(Store(str(db)), 2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = _cli("stats", "--db", str(db))
        assert done.returncode == 0, done.stderr
        listed = _cli("export", "quotes", "--db", str(db))
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 6
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_store_in_a_folder_with_uri_characters(tmp_path: Path) -> None:
    folder = tmp_path / "news#2025?draft"
    folder.mkdir()
    store = Store(str(folder / "s.db"))
    _fill(store, 1)
    assert Store(str(folder / "s.db"), read_only=True).reader.stats().articles == 1


@pytest.mark.parametrize(
    ("written", "typed"),
    [("Viktor Orbán", "orban"), ("Søren Lund", "soren"), ("Łukasz Nowak", "LUKASZ"),
     ("Novak Đoković", "dokovic"), ("Kenan Yıldız", "yildiz"), ("Rolf Straße", "strasse")],
)  # fmt: skip
def test_search_folds_letters_that_carry_their_mark(written: str, typed: str) -> None:
    from newstrace.store.products import fold

    assert fold(typed) in fold(written)


def test_a_container_member_is_written_back_by_what_it_holds() -> None:
    from newstrace.ingest.sniff import extension_for

    assert extension_for("dump.warc.gz#https://x.org/a", b"Plain words of a page.") == ".txt"
    assert extension_for("broken.warc.gz", b"\x1f\x8b\x08garbage") == ".warc.gz"
    assert extension_for("../../etc/passwd", b"<html><p>x</p></html>") == ".html"
