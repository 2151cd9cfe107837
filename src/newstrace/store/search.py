"""Full-text search over article titles and text and quote text.

SQLite: an FTS5 index (`search_fts`) whose rowids are the ids of `search_docs`, one row per
indexed article or quote; the writer keeps both in step with the articles and quotes, in the
transaction that writes them. PostgreSQL: GIN indexes over `to_tsvector` expressions of the same
columns, so nothing is kept in sync by hand.

A user's query never reaches FTS5's query language: it is cut into words and quoted phrases and
each is passed as a quoted FTS5 string, bound as a parameter, so no input is a syntax error and
no input is an operator. PostgreSQL reads it with `websearch_to_tsquery`, which accepts any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from .products import fold

__all__ = [
    "MARK_END",
    "MARK_START",
    "SearchFilter",
    "create_index",
    "drop_quotes",
    "fts_query",
    "index_articles",
    "index_quotes",
    "search_sql",
]

# Highlight marks around matched words in a snippet: private-use characters, cut out of the
# text before it is shown, so a mark can only ever come from the index.
MARK_START, MARK_END = "\ue000", "\ue001"
# What a PostgreSQL snippet is made from: one fragment of about this many words.
_HEADLINE = f"StartSel={MARK_START},StopSel={MARK_END},MaxWords=28,MinWords=12,MaxFragments=1"
_PG_CONFIG = "simple"  # no stemming: the corpus is in many languages
_PG_ARTICLE = f"to_tsvector('{_PG_CONFIG}', coalesce(a.title, '') || ' ' || a.text)"
_PG_QUOTE = f"to_tsvector('{_PG_CONFIG}', q.text)"


@dataclass(frozen=True)
class SearchFilter:
    """What to search for and in what. `kind` is "article", "quote" or None for both; `speaker`
    (part of the name, case and accents ignored) keeps quotes only; `actor` is an actor code or
    its prefix: a quote's speaker, or an actor an article mentions; `since`/`until` bound the
    publication date, inclusive, by its leading part."""

    q: str
    kind: str | None = None
    outlet: str | None = None
    speaker: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None


_TERMS = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(q: str) -> str:
    """The user's words as an FTS5 query: each word and each "quoted phrase" a quoted string
    (inner double quotes doubled), all of them required. Empty when there are no words."""
    terms = []
    for phrase, word in _TERMS.findall(q):
        term = (phrase or word).replace(MARK_START, "").replace(MARK_END, "").strip()
        if term and any(c.isalnum() for c in term):
            terms.append('"' + term.replace('"', '""') + '"')
    return " ".join(terms)


# -- the index: DDL and keeping it in step ----------------------------------------------------
def create_index(conn: Any) -> None:
    """Migration 6: the index, filled with what the store holds already."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS search_docs (id INTEGER PRIMARY KEY, "
                "kind TEXT NOT NULL, ref TEXT NOT NULL, article_id TEXT NOT NULL, "
                "UNIQUE (kind, ref))"
            )
        )
        conn.execute(
            text("CREATE INDEX IF NOT EXISTS ix_search_docs_article ON search_docs (article_id)")
        )
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )
        )
        rows = conn.execute(text("SELECT id, title, text FROM articles ORDER BY seq, id"))
        index_articles(conn, [{"id": r[0], "title": r[1], "text": r[2]} for r in rows])
        rows = conn.execute(text("SELECT id, article_id, text FROM quotes ORDER BY id"))
        index_quotes(conn, [{"id": r[0], "article_id": r[1], "text": r[2]} for r in rows])
        return
    conn.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS ix_articles_fts ON articles USING GIN ({_PG_ARTICLE.replace('a.', '')})"
        )
    )
    conn.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS ix_quotes_fts ON quotes USING GIN ({_PG_QUOTE.replace('q.', '')})"
        )
    )


def _add(conn: Any, kind: str, rows: Sequence[tuple[str, str, str, str]]) -> None:
    """Index (ref, article_id, title, body) rows of one kind; a row indexed already is left."""
    if conn.dialect.name != "sqlite" or not rows:
        return
    for ref, article_id, title, body in rows:
        found = conn.execute(
            text("INSERT OR IGNORE INTO search_docs (kind, ref, article_id) VALUES (:k, :r, :a)"),
            {"k": kind, "r": ref, "a": article_id},
        )
        if found.rowcount:
            conn.execute(
                text("INSERT INTO search_fts (rowid, title, body) VALUES (:id, :t, :b)"),
                {"id": found.lastrowid, "t": title, "b": body},
            )


def index_articles(conn: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Index article rows (id, title, text), in the caller's transaction."""
    _add(conn, "article", [(r["id"], r["id"], r["title"] or "", r["text"]) for r in rows])


def index_quotes(conn: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Index quote rows (id, article_id, text), in the caller's transaction."""
    _add(conn, "quote", [(r["id"], r["article_id"], "", r["text"]) for r in rows])


def drop_quotes(conn: Any, article_ids: Sequence[str] | None) -> None:
    """Take the quotes of these articles (of every article when None) out of the index."""
    if conn.dialect.name != "sqlite":
        return
    where, params = "kind = 'quote'", {}
    if article_ids is not None:
        if not article_ids:
            return
        names = [f"a{i}" for i in range(len(article_ids))]
        where += f" AND article_id IN ({', '.join(':' + n for n in names)})"
        params = dict(zip(names, article_ids, strict=True))
    conn.execute(
        text(f"DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE {where})"),
        params,
    )
    conn.execute(text(f"DELETE FROM search_docs WHERE {where}"), params)


# -- the query --------------------------------------------------------------------------------
def search_sql(
    dialect: str, sf: SearchFilter, *, snippets: bool = True
) -> tuple[str, dict[str, Any]]:
    """The matching hits as one SELECT (kind, ref, article_id, title, outlet, published, speaker,
    speaker_actor, score, snippet) and its bound parameters; a higher score is a better match.
    Without `snippets` the snippet is NULL (for counts and facets, which need none).
    Every value from the user is a parameter; the SQL text is built from fixed pieces only."""
    params: dict[str, Any] = {}
    article_where: list[str] = []
    quote_where: list[str] = []
    if sf.outlet:
        params["outlet"] = sf.outlet.strip().lower()
        article_where.append("lower(a.outlet) = :outlet")
    if sf.since:
        params["since"] = sf.since
        article_where.append("a.published >= :since")
    if sf.until:
        params["until"], params["until_len"] = sf.until, len(sf.until)
        article_where.append("substr(a.published, 1, :until_len) <= :until")
    if sf.speaker is not None:
        params["speaker"] = "%" + _like(fold(sf.speaker).strip()) + "%"
        quote_where.append("q.speaker_key LIKE :speaker ESCAPE '\\'")
    actor = None
    if sf.actor and sf.actor.strip():
        params["actor"] = _like(sf.actor.strip().upper()) + "%"
        actor = "LIKE :actor ESCAPE '\\'"
        quote_where.append(f"q.speaker_actor {actor}")
    want_articles = sf.kind in (None, "article") and sf.speaker is None
    want_quotes = sf.kind in (None, "quote")
    if dialect == "sqlite":
        params["match"] = fts_query(sf.q)
        snippet = f"snippet(search_fts, -1, '{MARK_START}', '{MARK_END}', '…', 24)"
        snippet = snippet if snippets else "NULL"
        base = (
            f"SELECT d.kind AS kind, d.ref AS ref, d.article_id AS article_id, "
            f"-bm25(search_fts) AS score, {snippet} AS snippet "
            "FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH :match"
        )
        parts = []
        if want_articles:
            where = ["h.kind = 'article'", *article_where]
            if actor:
                where.append(
                    f"EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id AND e.actor {actor})"
                )
            parts.append(_select_article("h.score", "h.snippet", f"({base}) h", where))
        if want_quotes:
            where = ["h.kind = 'quote'", *article_where, *quote_where]
            parts.append(_select_quote("h.score", "h.snippet", f"({base}) h", where, "h.ref"))
    else:
        params["q"] = sf.q
        if snippets:
            params["headline"] = _HEADLINE
        query = f"websearch_to_tsquery('{_PG_CONFIG}', :q)"
        parts = []
        if want_articles:
            where = [f"{_PG_ARTICLE} @@ {query}", *article_where]
            if actor:
                where.append(
                    f"EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id AND e.actor {actor})"
                )
            score = f"ts_rank({_PG_ARTICLE}, {query})::float8"  # read back exactly
            snippet = f"ts_headline('{_PG_CONFIG}', coalesce(a.title, '') || ' — ' || a.text, {query}, :headline)"
            snippet = snippet if snippets else "NULL"
            parts.append(_select_article(score, snippet, None, where))
        if want_quotes:
            where = [f"{_PG_QUOTE} @@ {query}", *article_where, *quote_where]
            score = f"ts_rank({_PG_QUOTE}, {query})::float8"
            snippet = f"ts_headline('{_PG_CONFIG}', q.text, {query}, :headline)"
            snippet = snippet if snippets else "NULL"
            parts.append(_select_quote(score, snippet, None, where, None))
    if not parts:
        # Nothing can match (articles asked for by speaker): an empty SELECT, and no parameter
        # bound that its text does not name (the database driver refuses those).
        return ("SELECT NULL AS kind, NULL AS ref, NULL AS article_id, NULL AS title, "
                "NULL AS outlet, NULL AS published, NULL AS speaker, NULL AS speaker_actor, "
                "0.0 AS score, NULL AS snippet WHERE 1 = 0"), {}  # fmt: skip
    return " UNION ALL ".join(parts), params


_HIT = "a.title AS title, a.outlet AS outlet, a.published AS published"


def _select_article(score: str, snippet: str, source: str | None, where: list[str]) -> str:
    joined = f"{source} JOIN articles a ON a.id = h.ref" if source else "articles a"
    return (
        f"SELECT 'article' AS kind, a.id AS ref, a.id AS article_id, {_HIT}, "
        f"NULL AS speaker, NULL AS speaker_actor, {score} AS score, {snippet} AS snippet "
        f"FROM {joined} WHERE {' AND '.join(where)}"
    )


def _select_quote(
    score: str, snippet: str, source: str | None, where: list[str], ref: str | None
) -> str:
    joined = f"{source} JOIN quotes q ON q.id = {ref}" if source else "quotes q"
    return (
        f"SELECT 'quote' AS kind, q.id AS ref, q.article_id AS article_id, {_HIT}, "
        f"q.speaker AS speaker, q.speaker_actor AS speaker_actor, {score} AS score, "
        f"{snippet} AS snippet "
        f"FROM {joined} JOIN articles a ON a.id = q.article_id WHERE {' AND '.join(where)}"
    )


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
