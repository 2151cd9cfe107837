"""The extraction benchmark's scorers on tiny hand-made cases, and the runner's shape on real data."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from newstrace.eval import extraction as ex
from newstrace.eval.scoring import author_key, date_key, shingles, snippet_text, title_key, words

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DATA = SHARED / "eval" / "extraction"


def test_words_and_shingles() -> None:
    assert words("Hello, World! it's 2024") == ["hello", "world", "it", "s", "2024"]
    assert words("Hello World", lower=False) == ["Hello", "World"]
    assert shingles(["a", "b", "c", "d", "e"]) == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert not shingles([])


def test_aeb_scorer_known_answer() -> None:
    # Page 1: gold has shingles abcd and bcde, prediction only abcd -> P 1, R 0.5.
    # Page 2: empty prediction -> left out of precision, recall 0.
    r = ex.score_aeb(["a b c d e", "w x y z"], ["a b c d", ""])
    assert r["precision"] == pytest.approx(1.0)
    assert r["recall"] == pytest.approx(0.25)
    assert r["f1"] == pytest.approx(2 * 1.0 * 0.25 / 1.25)
    assert r["accuracy"] == 0.0
    exact = ex.score_aeb(["One two three four five"], ["One two three four five"])
    assert exact == {"f1": 1.0, "precision": 1.0, "recall": 1.0, "accuracy": 1.0}
    # AEB keeps case: a prediction differing only in case is no match.
    assert ex.score_aeb(["One two three four"], ["one two three four"])["f1"] == 0.0


def test_wcxb_scorer_known_answer() -> None:
    p, r, f = ex.word_prf("The cat sat on the mat", "the cat sat")
    assert (p, r) == (pytest.approx(1.0), pytest.approx(0.5))
    assert f == pytest.approx(2 / 3)
    scores = ex.score_wcxb(["The cat sat on the mat", "dog"], ["the cat sat", ""])
    assert scores["f1"] == pytest.approx((2 / 3 + 0.0) / 2)
    assert scores["recall"] == pytest.approx(0.25)


def test_snippet_scorer_known_answer() -> None:
    items = [(("main text here", "second part"), ("Share this", "Cookie policy"))]
    text = "Intro. Main text here\nand the “second part” — and share this!"
    r = ex.score_snippets(items, [text])
    # with: "main text here" misses (case), "second part" hits; without: "Share this" misses
    # (case), "Cookie policy" absent -> TP 1, FN 1, FP 0, TN 2.
    assert r["precision"] == 1.0
    assert r["recall"] == 0.5
    assert r["accuracy"] == pytest.approx(3 / 4)
    assert ex.score_snippets([(("a b",), ("c",))], [""]) == {
        "f1": 0.0,
        "precision": 0.0,
        "recall": 0.0,
        "accuracy": 0.5,
    }


def test_snippet_text_folds_typography() -> None:
    assert snippet_text("It\u2019s  \u201cfine\u201d\u2014ok\u00a0now") == 'It\'s "fine"-ok now'


def test_exact_match_keys() -> None:
    assert title_key("Pier Closes: What's Next?") == title_key("pier closes what s next")
    assert title_key("Pier closes") != title_key("Pier closes | Gazette")
    assert date_key("2024-03-05T10:00:00Z") == "2024-03-05"
    assert date_key("2024-03") == ""
    assert author_key("Jane Doe, PhD and John Roe") == frozenset({"jane doe", "john roe"})
    assert author_key(["John Roe", "Jane Doe"]) == author_key("Jane Doe; John Roe")
    assert author_key("Jane Doe") != author_key("Jane Doe, John Roe")
    assert author_key(None) == frozenset()


def _page(**gold: object) -> ex.Page:
    return ex.Page("wcxb_articles", "x", None, b"", **gold)  # type: ignore[arg-type]


def test_metadata_scorer_counts_hits_and_inventions() -> None:
    pages = [
        _page(title="Pier closes", date="2024-03-05", author="Jane Doe"),
        _page(title="Other", date="2024-01-01", author=""),  # author annotated as absent
        _page(title=None, date=None, author=None),  # not annotated: ignored
    ]
    outs = [
        ex.Extraction(title="pier CLOSES", date="2024-03-05T08:00", authors=("Jane Doe",)),
        ex.Extraction(title="Another", date=None, authors=("Someone Made Up",)),
        ex.Extraction(title="Anything", date="2020-01-01", authors=("X Y",)),
    ]
    r = ex.score_metadata(pages, outs)
    assert r["title_exact"] == 0.5
    assert r["date_exact"] == 0.5
    assert r["author_exact"] == 1.0
    assert r["invented"] == 1.0
    assert r["gold_empty_fields"] == 1


def test_a_crashing_system_gets_empty_output_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(page: ex.Page) -> ex.Extraction:
        if page.page_id == "bad":
            raise RuntimeError("boom")
        return ex.Extraction(text="fine")

    monkeypatch.setitem(ex.SYSTEMS, "crashy", crash)
    pages = [ex.Page("wcxb_articles", pid, None, b"", text="fine") for pid in ("ok", "bad", "ok2")]
    outs, _secs = ex.extract_all("crashy", pages)
    assert [o.text for o in outs] == ["fine", "", "fine"]
    assert outs[1].error is not None and "boom" in outs[1].error
    row = ex.score("wcxb_articles", pages, outs)
    assert row["errors"] == 1 and row["empty"] == 1
    assert row["f1"] == pytest.approx(2 / 3)


def test_systems_run_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def fetch(page: ex.Page) -> ex.Extraction:
        socket.create_connection(("127.0.0.1", 9))
        return ex.Extraction(text="fetched")

    monkeypatch.setitem(ex.SYSTEMS, "fetcher", fetch)
    outs, _ = ex.extract_all("fetcher", [ex.Page("wcxb_articles", "p", None, b"")])
    assert outs[0].error is not None and "network access is disabled" in outs[0].error
    assert socket.create_connection is not None  # restored afterwards
    assert socket.socket.connect.__name__ == "connect"


def test_default_root_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSTRACE_SHARED", str(tmp_path))
    assert ex.default_root() == tmp_path / "eval" / "extraction"
    monkeypatch.delenv("NEWSTRACE_SHARED")
    assert ex.default_root().parts[-3:] == ("shared", "eval", "extraction")


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split"):
        ex.run(split="train", data=tmp_path)
    with pytest.raises(ValueError, match="unknown system"):
        ex.run(systems=["nope"], data=tmp_path)
    with pytest.raises(FileNotFoundError):
        ex.load_pages("wcxb_articles", "dev", tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not DATA.is_dir(), reason="shared/eval/extraction is not beside the repository")
def test_run_on_a_few_dev_pages_has_the_measuring_shape() -> None:
    result = ex.run(split="dev", data=DATA, limit=3)
    assert result["task"] == "extraction" and result["split"] == "dev"
    assert set(result["results"]) == set(ex.DATASETS)
    for dataset, by_system in result["results"].items():
        assert set(by_system) == {"ours", "trafilatura", "readability", "newspaper4k"}
        for row in by_system.values():
            assert row["n"] == 3
            for key in ("f1", "precision", "recall"):
                assert 0.0 <= row[key] <= 1.0
            if dataset != "scrapinghub_aeb":
                assert {"title_exact", "date_exact", "author_exact", "invented"} <= set(row)
        # Real extractors on real article pages find real text.
        assert by_system["ours"]["f1"] > 0.5
        assert by_system["trafilatura"]["f1"] > 0.5
