"""Full-text search on SQLite (FTS5, kept in step by the writer) and PostgreSQL (tsvector GIN):
what it finds, its filters, facets and cursor, and that no query text is ever a syntax error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.errors import CursorError
from newstrace.records import Analysis, Article, Entity, Quote, article_id, quote_id
from newstrace.store import SearchFilter, Store, schema
from newstrace.store.search import fts_query
from newstrace.web.marks import snippet_html


def _article(n: int, text: str, outlet: str, published: str, title: str) -> Article:
    return Article(
        id=article_id(text),
        source=f"s{n}.txt",
        text=text,
        title=title,
        outlet=outlet,
        published=published,
        published_precision="day",
    )


def _quote(a: Article, words: str, speaker: str, actor: str | None) -> Quote:
    start = a.text.index(words)
    seg = ((start, start + len(words)),)
    return Quote(
        quote_id(a.id, seg, False),
        a.id,
        words,
        start,
        start + len(words),
        "direct",
        seg,
        speaker=speaker,
        speaker_actor=actor,
        date=a.published,
    )


ARTICLES = [
    (
        "Harbour pilots strike",
        "Pilots at the northern harbour walked out on Monday. “The tugboats stay moored until "
        "we are paid,” said Mira Holm, who leads the union.",
        "Coast Daily",
        "2025-04-01",
        ("The tugboats stay moored until we are paid", "Mira Holm", "XHRLAB"),
    ),
    (
        "Ferry timetable cut",
        "The ferry company cut its winter timetable. “Fewer crossings mean fewer tugboats "
        "needed,” the company's director Jonas Brekke told reporters.",
        "Island Post",
        "2025-04-03",
        ("Fewer crossings mean fewer tugboats needed", "Jonas Brekke", "XHRBUS"),
    ),
    (
        "Café owners welcome tourists",
        "Owners of cafés on the quay said the season had started early. Mira Holm's union "
        "was not involved.",
        "Coast Daily",
        "2025-05-10",
        None,
    ),
]


def _fill(store: Store) -> list[Article]:
    stored = []
    for n, (title, text, outlet, day, quote) in enumerate(ARTICLES):
        a = _article(n, text, outlet, day, title)
        products: dict[str, tuple[object, ...]] = {}
        if quote:
            products["quotes"] = (_quote(a, *quote),)
            products["entities"] = (
                Entity(a.id, 0, 6, a.text[:6], "ORG", actor=quote[2][:3] + "GOV"),
            )
        store.writer.write_batch([(a, f"sha{n}")], [], analyses=[Analysis(a, products=products)])
        stored.append(a)
    return stored


def _kinds(store: Store, **kw: str | None) -> set[tuple[str, str]]:
    page = store.reader.search(SearchFilter(**kw), limit=100)  # type: ignore[arg-type]
    return {(h.kind, h.title or "") for h in page.hits}


def test_search_finds_articles_and_quotes_with_filters_and_facets(db: str) -> None:
    store = Store(db)
    _fill(store)
    found = store.reader.search(SearchFilter(q="tugboats"), limit=10)
    assert found.total == 4  # two articles and their two quotes
    assert {(h.kind, h.outlet) for h in found.hits} == {
        ("article", "Coast Daily"),
        ("article", "Island Post"),
        ("quote", "Coast Daily"),
        ("quote", "Island Post"),
    }
    outlets = {f.value: f.count for f in found.facets["outlet"]}
    assert outlets == {"Coast Daily": 2, "Island Post": 2}
    assert {f.value: f.count for f in found.facets["speaker"]} == {
        "Mira Holm": 1,
        "Jonas Brekke": 1,
    }
    assert {f.value for f in found.facets["actor"]} == {"XHRLAB", "XHRBUS"}
    for hit in found.hits:
        marked = [text.lower() for text, hit_ in hit.snippet if hit_]
        assert marked and set(marked) == {"tugboats"}
    # structured filters narrow the same search
    assert _kinds(store, q="tugboats", outlet="island post") == {
        ("article", "Ferry timetable cut"),
        ("quote", "Ferry timetable cut"),
    }
    assert _kinds(store, q="tugboats", speaker="holm") == {("quote", "Harbour pilots strike")}
    assert _kinds(store, q="tugboats", kind="article", until="2025-04-02") == {
        ("article", "Harbour pilots strike")
    }
    assert _kinds(store, q="tugboats", actor="XHRB") == {("quote", "Ferry timetable cut")}
    # an article matches an actor filter through the actors it mentions
    assert ("article", "Ferry timetable cut") in _kinds(store, q="ferry", actor="XHR")
    assert _kinds(store, q="tugboats", since="2025-05") == set()
    # Articles have no speaker: asked for both, nothing matches, whatever else is filtered.
    assert (
        _kinds(store, q="tugboats", kind="article", speaker="holm", outlet="coast daily") == set()
    )
    store.close()


def test_words_are_all_required_and_phrases_kept_whole(db: str) -> None:
    store = Store(db)
    _fill(store)
    assert _kinds(store, q="tugboats union") == {("article", "Harbour pilots strike")}  # both words
    assert _kinds(store, q='"winter timetable"') == {("article", "Ferry timetable cut")}
    if store.is_sqlite:  # FTS5 folds accents; PostgreSQL's simple configuration does not
        assert _kinds(store, q="cafe") == {("article", "Café owners welcome tourists")}
    assert _kinds(store, q="cafés") == {("article", "Café owners welcome tourists")}
    store.close()


def test_the_cursor_walks_every_hit_once_in_score_order(db: str) -> None:
    store = Store(db)
    _fill(store)
    whole = store.reader.search(SearchFilter(q="the"), limit=100)
    walked, after = [], None
    while True:
        page = store.reader.search(SearchFilter(q="the"), after=after, limit=1)
        walked.extend(page.hits)
        if page.next is None:
            break
        after = page.next
    assert [(h.kind, h.id) for h in walked] == [(h.kind, h.id) for h in whole.hits]
    assert len(walked) == whole.total >= 3
    scores = [h.score for h in walked]
    assert scores == sorted(scores, reverse=True)
    with pytest.raises(CursorError):
        store.reader.search(SearchFilter(q="the"), after="bm90LWEtY3Vyc29y", limit=1)
    store.close()


HOSTILE = st.text(
    alphabet=st.sampled_from(list("\"*^:()-+&|!~'\\%_;{}[]<>/. \ue000\ue001aBé0\u00a0\t")),
    max_size=40,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=HOSTILE)
def test_no_query_text_is_a_syntax_error_on_sqlite(tmp_path: Path, q: str) -> None:
    db = tmp_path / "h.db"
    store = Store(str(db))
    if store.reader.stats().articles == 0:
        _fill(store)
    page = store.reader.search(SearchFilter(q=q, speaker=q or None, outlet=q or None), limit=5)
    assert page.total >= len(page.hits)
    # what reaches FTS5 is quoted strings only: it parses on its own
    query = fts_query(q)
    if query:
        with sqlite3.connect(":memory:") as conn:
            conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
            conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()
    store.close()


def test_operators_typed_by_a_user_are_only_words(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "o.db"))
    _fill(store)
    # FTS5 would read these as NOT, a column filter and a prefix; here they are words to find.
    assert _kinds(store, q="tugboats NOT union") == set()
    assert _kinds(store, q="title:ferry") == set()
    assert _kinds(store, q="tug*") == set()
    store.close()


def test_the_index_follows_re_analysis_and_is_built_for_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    store = Store(str(path))
    a = _fill(store)[0]
    # a re-analysis swaps the article's quotes: the old quote leaves the index, the new one enters
    new = _quote(a, "walked out on Monday", "Mira Holm", None)
    store.writer.replace_analysis([Analysis(a, products={"quotes": (new,)})], ["quotes"])
    assert _kinds(store, q="moored", kind="quote") == set()
    assert _kinds(store, q="walked", kind="quote") == {("quote", "Harbour pilots strike")}
    store.close()
    # a store from before migration 6: the index is made and filled when it is opened
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE search_fts")
        conn.execute("DROP TABLE search_docs")
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    store = Store(str(path))
    assert store.schema_version() == schema.MIGRATIONS[-1][0]  # 6 and every later one
    assert _kinds(store, q="tugboats", kind="article") == {
        ("article", "Harbour pilots strike"),
        ("article", "Ferry timetable cut"),
    }
    assert _kinds(store, q="walked", kind="quote") == {("quote", "Harbour pilots strike")}
    store.close()


def test_snippet_markup_is_escaped_text_and_marks_only() -> None:
    parts = (("<script>alert(1)</script> & ", False), ('<img onerror="x">', True))
    html = str(snippet_html(parts))
    assert html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>&lt;img onerror=&#34;x&#34;&gt;</mark>"
    )


def test_postgresql_search_reads_the_gin_indexes(postgres_server: object, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from newstrace.store.search import search_sql

    url = postgres_server.new_database()  # type: ignore[attr-defined]
    store = Store(url)
    _fill(store)
    store.close()
    sql, params = search_sql("postgresql", SearchFilter(q="tugboats"))
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # a tiny table would be scanned anyway
        plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {sql}"), params))
    engine.dispose()
    assert "ix_articles_fts" in plan and "ix_quotes_fts" in plan, plan
