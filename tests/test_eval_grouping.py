"""Generated articles with known truth: the generator is deterministic and its truth holds on its
texts; the duplicate finder's index is partitioned by period and survives a restart (and an old
store's index is migrated, not rebuilt); the grouping scorer counts exactly what a store holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newstrace.eval.generate import generate, near_pairs
from newstrace.eval.growth import analyses_of
from newstrace.group import DuplicateStage
from newstrace.group.duplicates import PERIOD_DAYS, period_of
from newstrace.group.shingles import containment, jaccard, shingles
from newstrace.pipeline import run_corpus
from newstrace.records import Link
from newstrace.stage import Pipeline
from newstrace.store import Store


def test_the_generator_is_deterministic_by_seed() -> None:
    a, b = generate(40, 7), generate(40, 7)
    assert [d.file_text() for d in a] == [d.file_text() for d in b]
    assert [(d.copy_of, d.copy_kind, d.quotes) for d in a] == [
        (d.copy_of, d.copy_kind, d.quotes) for d in b
    ]
    assert [d.file_text() for d in generate(40, 8)] != [d.file_text() for d in a]
    assert generate(20, 7)[:20] == a[:20]  # a prefix of a longer run: sizes share their start


def test_generated_truth_holds_on_the_texts() -> None:
    docs = generate(160, 1)
    assert all(len(d.body.split()) >= 650 for d in docs if d.copy_kind != "trimmed")
    by_name = {d.name: d for d in docs}
    truth = near_pairs(docs)
    kinds = {d.copy_kind for d in docs}
    assert {"exact", "near", "heavy", "trimmed"} <= kinds
    for d in docs:
        if d.copy_of is None:
            continue
        pair = frozenset((d.name, d.copy_of))
        mine, theirs = shingles(d.body), shingles(by_name[d.copy_of].body)
        near = jaccard(mine, theirs) >= 0.8 or containment(mine, theirs) >= 0.9
        if d.copy_kind == "exact":
            assert d.body == by_name[d.copy_of].body and pair not in truth
        else:
            assert (pair in truth) == near, (d.copy_kind, jaccard(mine, theirs))
        if d.copy_kind == "trimmed":
            assert truth[pair] == "trimmed"
    # Every planted quote is in its article's text, and unrelated articles share few 5-grams.
    assert all(q.text[:-1] in d.body for d in docs for q in d.quotes)
    pairs = zip(docs[:-5], docs[5:], strict=True)
    unrelated = [
        jaccard(shingles(x.body), shingles(y.body)) for x, y in pairs if x.story != y.story
    ]
    assert max(unrelated) < 0.3
    renderings = {q.rendering for d in docs for q in d.quotes}
    assert {"canonical", "verbatim", "wording", "negation", "number", "hedge"} <= renderings


def _write(store: Store, docs: list) -> None:
    analyses = analyses_of(docs)
    store.writer.write_batch([(x.article, x.article.id) for x in analyses], [], analyses=analyses)


def _group(store: Store) -> None:
    run_corpus(store, Pipeline((DuplicateStage(),), provided=("raw", "article")), batch=50)


def test_the_index_is_partitioned_by_period_and_survives_a_restart(tmp_path: Path) -> None:
    docs = generate(60, 5)
    copy = next(d for d in docs if d.copy_kind == "near")
    original = next(d for d in docs if d.name == copy.copy_of)
    base = [d for d in docs if d.copy_of is None and d.name != original.name][:10]
    db = str(tmp_path / "p.db")
    store = Store(db)
    _write(store, [*base, original])
    _group(store)
    rows = store.reader.product_rows("minhash_bands")
    assert {r["period"] for r in rows} == {period_of(d.published) for d in [*base, original]}
    store.close()

    # A new process: the stored index answers, nothing is indexed again.
    store = Store(db)
    # The same copy stored again more than a year later (one sentence added: another text).
    late = type(copy)(**{**copy.__dict__, "name": "late", "published": "2026-06-01",
                         "paragraphs": [*copy.paragraphs, "It was published again."]})  # fmt: skip
    _write(store, [copy, late])
    _group(store)
    links = {(x.a, x.b) for x in store.reader.iterate("links")}
    ids = {d.name: a.article.id for d, a in zip([copy, late, original], analyses_of(
        [copy, late, original]), strict=True)}  # fmt: skip
    assert (ids[original.name], ids[copy.name]) in links  # same period: found
    # More than a period away: not looked up, so not linked (to the original; the copy it was
    # made from is in its own period too).
    assert (period_of("2026-06-01") - period_of(original.published)) > 1
    assert not {(ids[original.name], ids["late"]), (ids[copy.name], ids["late"])} & links
    after = store.reader.product_rows("minhash_bands")
    assert len(after) == len(rows) + 2 * 32  # the two new articles' bands, the rest kept
    store.close()


def test_an_old_index_is_migrated_in_place(tmp_path: Path) -> None:
    import sqlite3

    docs = [d for d in generate(12, 2) if d.copy_of is None][:4]
    db = str(tmp_path / "old.db")
    store = Store(db)
    _write(store, docs)
    _group(store)
    store.close()
    with sqlite3.connect(db) as conn:  # as a store from before migration 12 left it
        conn.execute("UPDATE minhash_bands SET period = NULL")
        conn.execute("DROP INDEX ix_minhash_bands_period_bucket")
        conn.execute("UPDATE meta SET value = '11' WHERE key = 'schema_version'")
    store = Store(db)
    rows = store.reader.product_rows("minhash_bands")
    assert len(rows) == 4 * 32
    epoch = date(1970, 1, 1)
    assert {r["period"] for r in rows} == {
        (date.fromisoformat(d.published) - epoch).days // PERIOD_DAYS for d in docs
    }
    store.close()


def test_the_scorer_counts_what_the_store_holds(tmp_path: Path) -> None:
    """A store written by hand, with chosen links: the scores are exact fractions of them."""
    from newstrace.eval.grouping import score_store, write_inputs
    from newstrace.stage import corpus_scope

    docs = generate(40, 1)  # four near pairs, two exact copies
    inputs, _actors = write_inputs(docs, tmp_path)
    store = Store(str(tmp_path / "s.db"))
    _write(store, docs)  # each article once, with its first input as its source
    truth = sorted(near_pairs(docs), key=sorted)
    assert len(truth) >= 2
    name_to_id = {d.name: analyses_of([d])[0].article.id for d in docs}
    # One true pair linked, one false pair linked; every other true pair missed.
    t = sorted(truth[0])
    other = next(d for d in docs if d.story != docs[0].story and d.copy_of is None)
    links = [
        Link("near_duplicate", name_to_id[t[0]], name_to_id[t[1]], 0.9),
        Link("near_duplicate", name_to_id[docs[0].name], name_to_id[other.name], 0.9),
    ]
    stage = DuplicateStage()
    store.writer.reset("newstrace.group.duplicates", stage.name, stage.assigns,
                       corpus_scope(stage))  # fmt: skip
    assert store.writer.advance("newstrace.group.duplicates", stage.name, 0, 0, {"links": links})
    scores = score_store(store, docs, inputs)
    store.close()
    assert scores["near_found_pairs"] == 2
    assert scores["near_p"] == 0.5
    assert scores["near_r"] == round(1 / len(truth), 4)
    # An exact copy's own input was not written here, so it is not found as one.
    assert scores["exact_found"] == (0.0 if any(d.copy_kind == "exact" for d in docs) else 1.0)
    # No quote_variant links: every planted quote alone, so no pair is found.
    assert scores["quotes_matched"] == 1.0
    assert scores["quote_pairwise_r"] == 0.0 and scores["negation_found"] == 0.0
