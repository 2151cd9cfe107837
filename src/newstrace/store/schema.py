"""Table definitions (SQLAlchemy Core) and the ordered list of versioned migrations."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    inspect,
    select,
    text,
)

__all__ = [
    "MIGRATIONS",
    "add_extra_table",
    "article_sources",
    "articles",
    "drop_extra_table",
    "entities",
    "event_dyads",
    "event_groups",
    "event_reports",
    "events",
    "extra_tables",
    "failures",
    "links",
    "meta",
    "metadata",
    "minhash_bands",
    "quotes",
    "runs",
    "stage_state",
    "stories",
    "story_articles",
    "story_merges",
    "story_terms",
]

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
    Column("status", String(16), nullable=False),  # running | done | failed | interrupted
    # Who runs it, and when it last committed: a run whose process is gone, or that has not
    # committed for a long time, was killed and is marked interrupted by the next run.
    Column("pid", Integer),
    Column("host", Text),
    Column("heartbeat_at", String(32)),
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
    # The order articles were committed in: corpus stages remember the last one they saw.
    Column("seq", Integer),
)
Index("ix_articles_published", articles.c.published)
Index("ix_articles_seq", articles.c.seq, unique=True)
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

# Entities and actor mentions per article; offsets into the article's text (or its title).
entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("in_title", Boolean, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(16), nullable=False),
    # Actor fields come from dictionaries users bring, so they are Text: PostgreSQL, unlike
    # SQLite, refuses a value longer than a VARCHAR's length.
    Column("actor", Text),  # the actor code on the article's date, e.g. RUSGOV
    Column("actor_id", Text),
    Column("kind", Text),
    Column("country", Text),
    Column("sector", Text),
    Column("name", Text),
    Column("title", Text),
    Column("basis", String(16)),
    UniqueConstraint("article_id", "in_title", "start", "end", name="uq_entities_span"),
)
Index("ix_entities_actor", entities.c.actor)
Index("ix_entities_actor_id", entities.c.actor_id)

quotes = Table(
    "quotes",
    metadata,
    Column("id", String(24), primary_key=True),  # hash of article id and segments
    Column("article_id", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("segments", Text, nullable=False),  # JSON [[start, end], ...]
    Column("in_title", Boolean, nullable=False),
    Column("kind", String(8), nullable=False),  # direct | indirect
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("speaker", Text),
    Column("speaker_mention", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("speaker_actor", Text),  # dictionary values: Text, as in entities
    Column("speaker_actor_id", Text),
    Column("speaker_country", Text),
    Column("date", String(10)),
    Column("date_basis", String(10)),  # stated | published
    Column("confidence", Float, nullable=False),
    Column("rule", String(32), nullable=False),
    Column("stage_version", String(48), nullable=False),
    # speaker and mention folded (case and accents) for search: "orban" finds "Orbán"
    Column("speaker_key", Text),
)
Index("ix_quotes_article", quotes.c.article_id)
Index("ix_quotes_speaker_actor", quotes.c.speaker_actor)
Index("ix_quotes_speaker_actor_id", quotes.c.speaker_actor_id)
Index("ix_quotes_date", quotes.c.date)

# Coded events (see events.Event): one row per report of a happening in an article.
events = Table(
    "events",
    metadata,
    Column("id", String(24), primary_key=True),  # hash of article id, trigger offset and code
    Column("article_id", String(32), nullable=False),
    Column("date", String(10)),
    Column("source_actor", Text, nullable=False),  # codes joined by ";" for several actors
    Column("target_actor", Text),
    Column("source_country", Text),
    Column("target_country", Text),
    Column("source_code", Text, nullable=False),
    Column("target_code", Text),
    Column("event_type", String(16)),  # PLOVER
    Column("mode", String(32)),
    Column("cameo", String(8), nullable=False),
    Column("goldstein", Float),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Column("future", Boolean, nullable=False),
    Column("claimed", Boolean, nullable=False),
    Column("quote_id", String(24)),
    Column("claimant_actor", Text),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("in_title", Boolean, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("target_start", Integer),
    Column("target_end", Integer),
    Column("date_basis", String(10)),
    Column("confidence", Float, nullable=False),
    Column("rule", String(16), nullable=False),
    Column("stage_version", String(48), nullable=False),
)
Index("ix_events_article", events.c.article_id)
Index("ix_events_source", events.c.source_code)
Index("ix_events_target", events.c.target_code)
Index("ix_events_date", events.c.date)

# One event, many reports (group.events, see newstrace.group.events): the happening, each of its
# reports, and its rows in the directed country dyads. Written by a corpus stage, so no owner.
event_groups = Table(
    "event_groups",
    metadata,
    Column("id", String(24), primary_key=True),  # the founding report's event id
    Column("key", Text, nullable=False),  # dyad > type | flags
    Column("source_country", Text),
    Column("target_country", Text),
    Column("source_actor", Text, nullable=False),
    Column("target_actor", Text),
    Column("event_type", String(16)),
    Column("cameo", String(8), nullable=False),
    Column("goldstein", Float),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Column("date", String(10)),
    Column("date_basis", String(10)),
    Column("last_date", String(10)),
    Column("reports", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("stage_version", String(48), nullable=False),
)
Index("ix_event_groups_date", event_groups.c.date)

event_reports = Table(
    "event_reports",
    metadata,
    Column("event_id", String(24), primary_key=True),
    Column("group_id", String(24), nullable=False),
    Column("article_id", String(32), nullable=False),
    Column("outlet", Text),
    Column("key", Text, nullable=False),
    Column("day", String(10)),
    Column("date_basis", String(10)),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("in_title", Boolean, nullable=False),
    Column("gist", Text, nullable=False),
    Column("similarity", Float, nullable=False),
)
# A new report is matched by key and a few days around its own: the lookup the index serves.
Index("ix_event_reports_key_day", event_reports.c.key, event_reports.c.day)
Index("ix_event_reports_group", event_reports.c.group_id)

event_dyads = Table(
    "event_dyads",
    metadata,
    Column("group_id", String(24), nullable=False),
    Column("source", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("date", String(10), nullable=False),
    Column("event_type", String(16)),
    Column("cameo", String(8), nullable=False),
    Column("goldstein", Float),
    UniqueConstraint("group_id", "source", "target", name="uq_event_dyads_pair"),
)
Index("ix_event_dyads_dyad_date", event_dyads.c.source, event_dyads.c.target, event_dyads.c.date)
Index("ix_event_dyads_date", event_dyads.c.date)

# How far each corpus stage got: its version, and the last article `seq` it has handled.
stage_state = Table(
    "stage_state",
    metadata,
    Column("family", String(64), primary_key=True),  # the stage name without its version
    Column("version", String(64), nullable=False),
    Column("watermark", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# Relations between two stored articles (see records.Link); `a` was stored first.
links = Table(
    "links",
    metadata,
    Column("kind", String(16), nullable=False),  # near_duplicate (later: rewrite, same_story, ...)
    Column("a", String(32), nullable=False),
    Column("b", String(32), nullable=False),
    Column("score", Float, nullable=False),
    Column("change", String(24)),
    Column("detail", Text),
    UniqueConstraint("kind", "a", "b", name="uq_links_pair"),
)
Index("ix_links_b", links.c.b)

# The LSH index of the duplicate finder: one row per article and MinHash band, in the time
# partition (`period`, see group.duplicates.period_of) of its article.
minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("article_id", String(32), nullable=False),
    Column("band", Integer, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("period", Integer),  # NULL only while migration 12 fills it
    UniqueConstraint("article_id", "band", name="uq_minhash_bands_article_band"),
)
# By period, then bucket: a lookup asks for a handful of buckets (64-bit hashes, all but unique
# across bands) in three periods, so it reads the rows of those periods only, however many
# other periods the store holds (a row-value IN over (band, bucket) made SQLite scan).
Index("ix_minhash_bands_period_bucket", minhash_bands.c.period, minhash_bands.c.bucket)

# Stories (see group.stories): events reported across articles, outlets and days. `profile` is what
# the clusterer compares a new article with (its summed term counts and entity counts, bounded);
# a story merged into an older one keeps its row with `merged_into` set, so its id still resolves.
stories = Table(
    "stories",
    metadata,
    Column("id", String(24), primary_key=True),  # "s" + the seq of its first article
    Column("title", Text, nullable=False),  # a headline of one of its articles
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Column("first_seq", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("actors", Text, nullable=False),  # JSON list: the main actor codes or names
    Column("profile", Text, nullable=False),  # JSON {"terms": {...}, "entities": {...}}
    Column("merged_into", String(24)),
)
Index("ix_stories_last_seq", stories.c.last_seq)
Index("ix_stories_last_date", stories.c.last_date)

# Which story each article is in (one each), and why it joined: its score and basis.
story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("story_id", String(24), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("basis", String(16), nullable=False),  # new | similar | near_duplicate | merged
)
Index("ix_story_articles_story", story_articles.c.story_id, story_articles.c.seq)

# What merged into what, when (the seq of the article whose arrival merged them) and on what score.
story_merges = Table(
    "story_merges",
    metadata,
    Column("kept", String(24), nullable=False),
    Column("merged", String(24), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("score", Float, nullable=False),
    UniqueConstraint("kept", "merged", name="uq_story_merges_pair"),
)

# Document frequencies of the words the story clusterer weighs (its online IDF).
story_terms = Table(
    "story_terms",
    metadata,
    Column("term", String(64), primary_key=True),
    Column("df", Integer, nullable=False),
)

# Tables of products registered at run time (plugins, the test suite's own products): created when
# a store opens, outside the numbered migrations that the packaged products go through.
_EXTRA: list[Table] = []


def add_extra_table(table: Table) -> None:
    """Create `table` in every store opened from now on (it must use `metadata`)."""
    if table not in _EXTRA:
        _EXTRA.append(table)


def drop_extra_table(table: Table) -> None:
    """Stop creating `table` in stores opened from now on (existing ones keep it)."""
    if table in _EXTRA:
        _EXTRA.remove(table)


def extra_tables() -> tuple[Table, ...]:
    return tuple(_EXTRA)


def _create(*tables: Table) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)
            for index in table.indexes:
                index.create(conn, checkfirst=True)

    return apply


def _add_columns(conn: Connection, table: Table, *names: str) -> None:
    """ALTER TABLE ADD COLUMN for each column not there yet (a new store has them already)."""
    have = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for name in names:
        if name not in have:
            column = table.c[name]
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{name}" {kind}'))


def _v3(conn: Connection) -> None:
    from .products import fold

    _add_columns(conn, runs, "pid", "host", "heartbeat_at")
    _add_columns(conn, articles, "seq")
    _add_columns(conn, quotes, "speaker_key")
    # Articles stored before have their commit order from when they were ingested.
    ids = [
        r[0]
        for r in conn.execute(
            select(articles.c.id)
            .where(articles.c.seq.is_(None))
            .order_by(articles.c.ingested_at, articles.c.id)
        )
    ]
    start = conn.execute(select(func.coalesce(func.max(articles.c.seq), 0))).scalar_one()
    if ids:
        conn.execute(
            articles.update()
            .where(articles.c.id == bindparam("b_id"))
            .values(seq=bindparam("b_seq")),
            [{"b_id": i, "b_seq": start + n} for n, i in enumerate(ids, 1)],
        )
    keys = [
        {"b_id": r[0], "b_key": fold(" ".join(x for x in (r[1], r[2]) if x))}
        for r in conn.execute(select(quotes.c.id, quotes.c.speaker, quotes.c.speaker_mention))
    ]
    if keys:
        conn.execute(
            quotes.update()
            .where(quotes.c.id == bindparam("b_id"))
            .values(speaker_key=bindparam("b_key")),
            keys,
        )
    for index in (*articles.indexes, *quotes.indexes):
        index.create(conn, checkfirst=True)
    stage_state.create(conn, checkfirst=True)
    # Runs a killed process left "running" before runs had an owner can never finish now.
    conn.execute(runs.update().where(runs.c.status == "running").values(status="interrupted"))


def _v6(conn: Connection) -> None:
    from .search import create_index

    create_index(conn)


def _v12(conn: Connection) -> None:
    from ..group.duplicates import period_of

    _add_columns(conn, minhash_bands, "period")
    # The stored index is kept, not rebuilt: each article's rows get the period of its day.
    m, a = minhash_bands, articles
    rows = conn.execute(
        select(a.c.id, a.c.published, a.c.ingested_at).where(
            a.c.id.in_(select(m.c.article_id).where(m.c.period.is_(None)).distinct())
        )
    ).all()
    values = [{"b_id": r[0], "b_period": period_of(r[1], r[2])} for r in rows]
    for at in range(0, len(values), 5000):
        conn.execute(
            m.update()
            .where(m.c.article_id == bindparam("b_id"))
            .values(period=bindparam("b_period")),
            values[at : at + 5000],
        )
    # Rows of articles gone from the store can never match a lookup that checks its texts.
    conn.execute(m.update().where(m.c.period.is_(None)).values(period=0))
    conn.execute(text("DROP INDEX IF EXISTS ix_minhash_bands_bucket"))
    for index in m.indexes:
        index.create(conn, checkfirst=True)


# Append only: a migration, once released, never changes; its number is its position.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (
        1,
        "articles, sources, failures, runs",
        _create(meta, runs, articles, article_sources, failures),
    ),
    (2, "entities and quotes", _create(entities, quotes)),
    (3, "article order, run owners, speaker search keys, corpus stage state", _v3),
    (
        4,
        "links between copies, and the duplicate finder's LSH index",
        _create(links, minhash_bands),
    ),
    (5, "coded events", _create(events)),
    (6, "full-text search over articles and quotes", _v6),
    (
        8,
        "stories, their articles, merges and term frequencies",
        _create(stories, story_articles, story_merges, story_terms),
    ),
    (
        11,
        "one event, many reports: event groups, their reports, directed dyads",
        _create(event_groups, event_reports, event_dyads),
    ),
    (12, "the duplicate finder's LSH index partitioned by time period", _v12),
]
