"""The JSON API on a real store of the example corpus: pages, items, errors in one shape, exports
that are the rows `newstrace export` writes, the OpenAPI document, and `newstrace serve` itself."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from newstrace.errors import StoreError, StoreMissing
from newstrace.store import Store
from newstrace.store.models import as_row
from newstrace.store.products import fold
from newstrace.web import create_app
from test_examples import ROOT, _cli, _jsonl
from test_read_side import _fill

# Each API list and the `newstrace export` table it serves.
LISTS = {
    "articles": "articles",
    "quotes": "quotes",
    "entities": "entities",
    "events": "events",
    "links": "links",
    "stories": "stories",
    "variants": "variants",
    "sources": "article_sources",
    "failures": "failures",
    "runs": "runs",
}


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "examples.db")
    imported = _cli("actors", "import", "examples/actors.txt", "--db", path)
    assert imported.returncode == 0, imported.stderr
    done = _cli("run", "examples", "--db", path, "-q")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def client(corpus_db: str) -> Any:
    with TestClient(create_app(corpus_db), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def exported(corpus_db: str) -> dict[str, list[dict[str, Any]]]:
    """What `newstrace export` writes for each list, as JSON rows."""
    found = {}
    for table in LISTS.values():
        done = _cli("export", table, "--db", corpus_db)
        assert done.returncode == 0, done.stderr
        found[table] = _jsonl(done.stdout)
    return found


def _chain(client: TestClient, path: str, limit: int, **params: str) -> list[dict[str, Any]]:
    """Every item of a list, a page at a time through `next`, with a bound on the walk."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(10_000):
        query: dict[str, Any] = {"limit": limit, **params}
        if cursor is not None:
            query["cursor"] = cursor
        r = client.get(f"/api/v1/{path}", params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        cursor = page["next"]
        if cursor is None:
            return items
        assert page["items"], "a page with a next cursor is never empty"
    raise AssertionError(f"{path}: the pages never ended")


def _assert_error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"].strip()
    return body["error"]


@pytest.mark.parametrize("path", sorted(LISTS))
def test_pages_chain_to_the_whole_list_in_the_export_order(
    client: TestClient, exported: dict[str, list[dict[str, Any]]], path: str
) -> None:
    want = exported[LISTS[path]]
    assert want, f"the example corpus gives no {path}"
    assert _chain(client, path, limit=97) == want


def test_small_pages_chain_to_one_big_page(client: TestClient) -> None:
    for order in ("reported", "newest"):
        big = client.get("/api/v1/quotes", params={"limit": 500, "order": order}).json()
        assert big["next"] is None  # the corpus's quotes fit on one page of 500
        assert len(big["items"]) > 100
        assert _chain(client, "quotes", limit=7, order=order) == big["items"]
    reported = client.get("/api/v1/quotes", params={"limit": 500}).json()["items"]
    newest = client.get("/api/v1/quotes", params={"limit": 500, "order": "newest"}).json()["items"]
    assert reported != newest and sorted(q["id"] for q in reported) == sorted(
        q["id"] for q in newest
    )
    days = [q["date"] or "" for q in newest]
    assert days == sorted(days, reverse=True)


def test_next_is_null_on_the_last_page_only(client: TestClient) -> None:
    n = client.get("/api/v1/stats").json()["articles"]
    first = client.get("/api/v1/articles", params={"limit": n - 1}).json()
    assert first["next"] is not None and len(first["items"]) == n - 1
    last = client.get("/api/v1/articles", params={"limit": n - 1, "cursor": first["next"]}).json()
    assert last["next"] is None and len(last["items"]) == 1
    exact = client.get("/api/v1/articles", params={"limit": n}).json()
    assert exact["next"] is None and len(exact["items"]) == n


def test_the_default_page_is_fifty(client: TestClient) -> None:
    page = client.get("/api/v1/entities").json()
    assert len(page["items"]) == 50 and page["next"] is not None


def test_an_article_by_id_and_the_404_shape(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    article = exported["articles"][3]
    r = client.get(f"/api/v1/articles/{article['id']}")
    assert r.status_code == 200 and r.json() == article
    error = _assert_error(client.get("/api/v1/articles/no-such-article"), 404, "not_found")
    assert "no-such-article" in error["message"]
    _assert_error(client.get("/api/v1/no-such-list"), 404, "not_found")
    _assert_error(client.post("/api/v1/articles"), 405, "method_not_allowed")


def test_a_forged_cursor_is_400_in_the_error_shape(client: TestClient) -> None:
    error = _assert_error(
        client.get("/api/v1/quotes", params={"cursor": "bm90LWEtY3Vyc29y"}), 400, "bad_cursor"
    )
    assert "not one this list gave out" in error["message"]
    # A real cursor, but of another list: its keys do not fit this one.
    articles_cursor = client.get("/api/v1/articles", params={"limit": 1}).json()["next"]
    assert articles_cursor
    _assert_error(
        client.get("/api/v1/quotes", params={"cursor": articles_cursor}), 400, "bad_cursor"
    )


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 501}, {"limit": "many"}, {"format": "xml"}, {"since": "yesterday"}],
    ids=["limit-0", "limit-501", "limit-word", "format", "since"],
)
def test_bad_parameters_are_422_in_the_error_shape(
    client: TestClient, params: dict[str, Any]
) -> None:
    error = _assert_error(client.get("/api/v1/quotes", params=params), 422, "invalid_parameter")
    assert next(iter(params)) in error["message"]  # it names the parameter


def test_limit_at_its_bounds_is_accepted(client: TestClient) -> None:
    assert client.get("/api/v1/entities", params={"limit": 1}).status_code == 200
    assert len(client.get("/api/v1/entities", params={"limit": 500}).json()["items"]) == 500


@pytest.mark.parametrize("speaker", ["renee castellvi", "RENÉE", "Castellví", "castellvi"])
def test_speaker_filter_ignores_case_and_accents(client: TestClient, speaker: str) -> None:
    found = _chain(client, "quotes", limit=500, speaker=speaker)
    assert found and {q["speaker"] for q in found} == {"Renée Castellví"}


def test_quote_filters_narrow_the_list(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    quotes = exported["quotes"]
    with_actor = next(q for q in quotes if q["speaker_actor"])
    code = with_actor["speaker_actor"][:3]
    by_actor = _chain(client, "quotes", limit=500, actor=code.lower())
    assert by_actor == [q for q in quotes if (q["speaker_actor"] or "").startswith(code)]
    article_id = quotes[0]["article_id"]
    in_article = _chain(client, "quotes", limit=500, article_id=article_id)
    assert in_article == [q for q in quotes if q["article_id"] == article_id]
    days = sorted({q["date"] for q in quotes if q["date"]})
    mid = days[len(days) // 2]
    since = _chain(client, "quotes", limit=500, since=mid)
    until = _chain(client, "quotes", limit=500, until=mid)
    assert since and until
    assert all(q["date"] >= mid for q in since) and all(q["date"] <= mid for q in until)
    assert len(since) + len(until) == sum(1 for q in quotes if q["date"]) + sum(
        1 for q in quotes if q["date"] == mid
    )


def test_articles_filter_by_outlet_and_date(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    articles = exported["articles"]
    found = _chain(client, "articles", limit=500, outlet="MeridianWire.com")
    assert found == [a for a in articles if (a["outlet"] or "").lower() == "meridianwire.com"]
    assert found
    month = next(a["published"][:7] for a in articles if a["published"])
    in_or_before = _chain(client, "articles", limit=500, until=month)
    want = [a for a in articles if a["published"] and a["published"][:7] <= month]
    assert in_or_before == want and want


def test_entities_filter_by_article_actor_and_label(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    entities = exported["entities"]
    article_id = entities[0]["article_id"]
    assert _chain(client, "entities", limit=500, article_id=article_id) == [
        e for e in entities if e["article_id"] == article_id
    ]
    code = next(e["actor"] for e in entities if e["actor"])[:3]
    by_actor = _chain(client, "entities", limit=500, actor=code)
    assert by_actor == [e for e in entities if (e["actor"] or "").startswith(code)] and by_actor
    people = _chain(client, "entities", limit=500, label="person")
    assert people == [e for e in entities if e["label"] == "PERSON"] and people


@pytest.mark.parametrize("path", ["quotes", "articles", "failures"])
def test_csv_and_jsonl_are_the_rows_newstrace_export_writes(
    client: TestClient, corpus_db: str, path: str
) -> None:
    table = LISTS[path]
    cli_jsonl = _jsonl(_cli("export", table, "--db", corpus_db).stdout)
    r = client.get(f"/api/v1/{path}", params={"format": "jsonl"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/x-ndjson"
    assert f'filename="{path}.jsonl"' in r.headers["content-disposition"]
    assert _jsonl(r.text) == cli_jsonl and len(cli_jsonl) > 1

    cli_csv = _cli("export", table, "--db", corpus_db, "-f", "csv").stdout
    r = client.get(f"/api/v1/{path}", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert f'filename="{path}.csv"' in r.headers["content-disposition"]
    got = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert got == list(csv.DictReader(io.StringIO(cli_csv, newline="")))
    assert len(got) == len(cli_jsonl)


def test_an_export_is_the_whole_filtered_list_not_a_page(client: TestClient) -> None:
    pages = _chain(client, "quotes", limit=5, speaker="castellvi", order="newest")
    r = client.get(
        "/api/v1/quotes",
        params={"speaker": "castellvi", "order": "newest", "format": "jsonl", "limit": 1},
    )
    assert _jsonl(r.text) == pages and len(pages) > 1
    # A cursor goes with pages only: an export always starts at the beginning.
    cursor = client.get("/api/v1/quotes", params={"limit": 1}).json()["next"]
    _assert_error(
        client.get("/api/v1/quotes", params={"format": "csv", "cursor": cursor}),
        400,
        "bad_request",
    )


def test_parquet_export(client: TestClient, exported: dict[str, list[dict[str, Any]]]) -> None:
    r = client.get("/api/v1/entities", params={"format": "parquet"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(r.content))
    assert table.column("id").to_pylist() == [e["id"] for e in exported["entities"]]


def test_stats(client: TestClient, exported: dict[str, list[dict[str, Any]]]) -> None:
    stats = client.get("/api/v1/stats").json()
    assert stats["articles"] == len(exported["articles"])
    assert stats["quotes"] == len(exported["quotes"])
    assert stats["failures"] == len(exported["failures"])
    assert sum(stats["failures_by_reason"].values()) == stats["failures"]


def test_openapi_lists_every_route_with_the_error_shape(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    want = {f"/api/v1/{p}" for p in (*LISTS, "events", "dyads")} | {"/api/v1", "/api/v1/stats"}
    items = {"/api/v1/articles/{article_id}", "/api/v1/events/{event_id}"}
    items |= {"/api/v1/stories/{story_id}"}
    views = {"/api/v1/search", "/api/v1/actors", "/api/v1/actors/{code}", "/api/v1/overview"}
    assert set(spec["paths"]) == want | items | views
    event = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]["id"]
    for path in spec["paths"]:  # each one it lists answers
        url = path.replace("{article_id}", exported["articles"][0]["id"])
        url = url.replace("{event_id}", event)
        url = url.replace("{story_id}", exported["stories"][0]["id"])
        url = url.replace("{code}", exported["quotes"][0]["speaker_actor"] or "VRN")
        params = {"q": "minister"} if path.endswith("/search") else {}
        assert client.get(url, params=params).status_code == 200, path
    schemas = spec["components"]["schemas"]
    assert {"Article", "Quote", "Entity", "Failure", "Run", "Source", "Stats"} <= set(schemas)
    assert {"Event", "Report", "DyadDay", "EventDetail"} <= set(schemas)
    assert {"Story", "StoryDetail", "Variant"} <= set(schemas)
    assert "reports" in schemas["Event"]["properties"]
    assert "speaker" in schemas["Quote"]["properties"]
    assert "HTTPValidationError" not in schemas  # FastAPI's own 422 shape is not what we send
    for path, ops in spec["paths"].items():
        for status in ("404", "422", "500"):
            ref = ops["get"]["responses"][status]["content"]["application/json"]["schema"]
            assert ref == {"$ref": "#/components/schemas/ErrorResponse"}, (path, status)
    params = {p["name"] for p in spec["paths"]["/api/v1/quotes"]["get"]["parameters"]}
    assert {"speaker", "actor", "outlet", "since", "until", "article_id", "order"} <= params
    assert {"cursor", "limit", "format"} <= params


def test_no_page_that_would_load_from_a_cdn(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/api/v1/docs", "/api/v1/redoc"):
        assert client.get(path).status_code == 404
    r = client.get("/api/v1/articles", params={"limit": 1})
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_store_failures_are_500_in_the_error_shape(corpus_db: str) -> None:
    app = create_app(corpus_db)
    with TestClient(app, raise_server_exceptions=False) as c:
        reader = app.state.store.reader

        def broken_store() -> None:
            raise StoreError("database x: disk I/O error")

        def bug() -> None:
            raise RuntimeError("secret internals")

        reader.stats = broken_store
        error = _assert_error(c.get("/api/v1/stats"), 500, "store_error")
        assert "disk I/O error" in error["message"]
        reader.stats = bug
        error = _assert_error(c.get("/api/v1/stats"), 500, "internal_error")
        assert "secret" not in error["message"]

        def broken_iterate(*_args: Any, **_kw: Any) -> Any:
            raise StoreError("database x: disk I/O error")
            yield

        reader.iterate = broken_iterate
        for fmt in ("jsonl", "csv", "parquet"):
            r = c.get("/api/v1/quotes", params={"format": fmt})
            _assert_error(r, 500, "store_error")


def test_the_api_reads_sqlite_and_postgresql(db: str) -> None:
    store = Store(db)
    _fill(store, 6)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        want = [as_row(q) for q in store.reader.iterate("quotes")]
        assert _chain(c, "quotes", limit=4) == json.loads(json.dumps(want)) and len(want) == 18
        assert c.get("/api/v1/stats").json()["quotes"] == 18
        # Keys of the wrong types: a 400 on PostgreSQL too, never the database's own error.
        _assert_error(c.get("/api/v1/runs", params={"cursor": "WyIxIl0"}), 400, "bad_cursor")
    store.close()


def test_a_missing_store_fails_at_startup(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        create_app(str(tmp_path / "none.db"))
    done = _cli("serve", "--db", str(tmp_path / "none.db"))
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "not found" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "none.db").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_newstrace_serve_answers_on_loopback(corpus_db: str) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newstrace.cli", "serve", "--db", corpus_db, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/stats", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert server.poll() is None, server.communicate(timeout=10)
        assert answer is not None, "newstrace serve did not answer within 60 s"
        assert answer.status_code == 200 and answer.json()["articles"] > 0
    finally:
        server.terminate()
        try:
            _out, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _out, err = server.communicate()
    assert server.returncode is not None
    assert f"127.0.0.1:{port}/api/v1/" in err  # it said where it serves
    assert "Traceback" not in err


# -- events and dyads ----------------------------------------------------------------------------


def _walk(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        r = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        items.extend(r.json()["items"])
        cursor = r.json()["next"]
        if cursor is None:
            return items


def test_events_pages_are_the_exported_events(client: TestClient, corpus_db: str) -> None:
    exported = _jsonl(_cli("export", "events", "--db", corpus_db).stdout)
    assert _walk(client, "/api/v1/events", limit=7) == exported
    newest = _walk(client, "/api/v1/events", limit=5, order="newest")
    days = [e["date"] or "" for e in newest]
    assert days == sorted(days, reverse=True) and len(newest) == len(exported)


def test_events_filters_and_one_event_with_its_reports(client: TestClient) -> None:
    accused = _walk(client, "/api/v1/events", dyad="KSY-VRN", type="accuse", since="2025-03-26",
                    until="2025-03-27")  # fmt: skip
    assert [e["reports"] for e in accused] == [3]
    (event,) = accused
    body = client.get(f"/api/v1/events/{event['id']}").json()
    assert body["event"] == event
    assert len(body["reports"]) == 3 and len({r["outlet"] for r in body["reports"]}) == 3
    # A later report's id finds the same event.
    later = next(r["event_id"] for r in body["reports"] if r["event_id"] != event["id"])
    assert client.get(f"/api/v1/events/{later}").json()["event"]["id"] == event["id"]
    by_actor = _walk(client, "/api/v1/events", actor="ksy")
    assert by_actor and all(
        "KSY" in (e["source_actor"] + ";" + (e["target_actor"] or "")) for e in by_actor
    )
    missing = client.get("/api/v1/events/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/events", params={"dyad": "KSY"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter"


def test_dyad_pages_carry_the_scores_the_export_gives(client: TestClient, corpus_db: str) -> None:
    exported = _jsonl(_cli("export", "dyads", "--db", corpus_db).stdout)
    assert _walk(client, "/api/v1/dyads", limit=3) == exported
    week = _walk(client, "/api/v1/dyads", dyad="VRN-KSY", since="2025-04-15")
    assert [d["date"] for d in week] == ["2025-04-16", "2025-04-18", "2025-04-20"]
    # Scored against the days before `since` too: the same numbers as the whole list.
    assert week == [d for d in exported if (d["source"], d["target"]) == ("VRN", "KSY")
                    and d["date"] >= "2025-04-15"]  # fmt: skip


@pytest.mark.parametrize("path", ["events", "dyads"])
def test_event_lists_download_as_the_export_files(
    client: TestClient, corpus_db: str, path: str
) -> None:
    for fmt in ("jsonl", "csv"):
        r = client.get(f"/api/v1/{path}", params={"format": fmt})
        assert r.status_code == 200, r.text
        cli = _cli("export", path, "--db", corpus_db, "-f", fmt).stdout
        if fmt == "csv":  # the same rows (a captured stdout has its line ends translated)
            assert list(csv.reader(io.StringIO(r.text))) == list(csv.reader(io.StringIO(cli)))
        else:
            assert r.text == cli
    r = client.get(f"/api/v1/{path}", params={"format": "jsonl", "cursor": "x"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_a_story_with_its_articles_coverage_and_variants(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    variants = exported["variants"]
    story_of = {a: s["id"] for s in exported["stories"] for a in s["article_ids"]}
    # The story that holds the most variants, found from the exports, not from the route.
    counts: dict[str, int] = {}
    for v in variants:
        for side in ("a_article_id", "b_article_id"):
            if v[side] in story_of:
                counts[story_of[v[side]]] = counts.get(story_of[v[side]], 0) + 1
    assert counts, "the example corpus has no quote variant inside a story"
    sid = max(sorted(counts), key=counts.__getitem__)
    body = client.get(f"/api/v1/stories/{sid}").json()
    story = next(s for s in exported["stories"] if s["id"] == sid)
    assert body["story"] == story
    assert [m["article_id"] for m in body["articles"]] == story["article_ids"]
    assert {r["outlet"] for r in body["reported"]} == set(story["outlets"])
    assert not set(body["missed"]) & set(story["outlets"])
    inside = [
        v
        for v in variants
        if sid in (story_of.get(v["a_article_id"]), story_of.get(v["b_article_id"]))
    ]
    assert body["variants"] == inside
    listed = _chain(client, "variants", limit=3, story=sid)
    assert listed == inside
    _assert_error(client.get("/api/v1/stories/no-such-story"), 404, "not_found")


def test_variants_filter_by_change_and_speaker(
    client: TestClient, exported: dict[str, list[dict[str, Any]]]
) -> None:
    variants, quotes = exported["variants"], exported["quotes"]
    for change in {v["change"] for v in variants}:
        got = _chain(client, "variants", limit=50, change=change)
        assert got == [v for v in variants if v["change"] == change]
    named = next(v for v in variants if v["b_speaker"])
    word = named["b_speaker"].split()[-1]
    got = _chain(client, "variants", limit=50, speaker=word.upper())
    # The filter reads the speaker's name and the words the text uses for them, of either quote.
    names = {q["id"]: fold(f"{q['speaker'] or ''} {q['speaker_mention'] or ''}") for q in quotes}
    said = [v for v in variants if fold(word) in names[v["a"]] + " " + names[v["b"]]]
    assert named in got and got == said
    _assert_error(
        client.get("/api/v1/variants", params={"change": "rephrased"}), 422, "invalid_parameter"
    )
