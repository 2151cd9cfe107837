"""The HTML pages and their JSON twins on a real store of the example corpus, without a browser:
what each page shows, its filters, cursor and export links, the headers that keep a page safe,
and the new API routes (events, actors, search, overview). The browser tests are in
test_web_browser.py."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newstrace.web import create_app
from newstrace.web.marks import changed_html, runs_of, safe_url
from newstrace.web.pages import NAV
from test_examples import EVENTS, ROOT, _cli


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = str(tmp_path_factory.mktemp("pages") / "examples.db")
    imported = _cli("actors", "import", "examples/actors.txt", "--db", path)
    assert imported.returncode == 0, imported.stderr
    done = _cli("run", "examples", "--db", path, "-q")
    assert done.returncode == 0, done.stderr
    with TestClient(create_app(path), raise_server_exceptions=False) as c:
        yield c


PAGES = (
    "/",
    "/articles",
    "/quotes",
    "/actors",
    "/stories",
    "/variants",
    "/events",
    "/dyads",
    "/search",
    "/search?q=minister",
)


def _links(html: str, prefix: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(' + re.escape(prefix) + r'[^"]*)"', html)]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_html_with_a_strict_policy(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "<script" not in r.text and " style=" not in r.text  # nothing inline to allow
    assert 'href="#main"' in r.text and 'id="main"' in r.text  # the skip link and its target
    for nav_path, _label in NAV:
        assert f'href="{nav_path}"' in r.text


def test_each_list_links_its_json_twin_and_exports(client: TestClient) -> None:
    for path, api in (("/articles", "/api/v1/articles"), ("/quotes", "/api/v1/quotes")):
        html = client.get(path, params={"outlet": "varniapress.com"}).text
        twins = _links(html, api)
        assert any("format=csv" in t for t in twins) and any("format=parquet" in t for t in twins)
        csv_link = next(t for t in twins if "format=csv" in t)
        assert "outlet=varniapress.com" in csv_link
        r = client.get(csv_link)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows and {row["outlet"] for row in rows} == {"varniapress.com"}


def test_the_quotes_page_filters_and_pages_like_its_twin(client: TestClient) -> None:
    api = client.get("/api/v1/quotes", params={"limit": 500, "order": "newest"}).json()["items"]
    seen: list[str] = []
    url: str | None = "/quotes"
    for _ in range(50):
        if url is None:
            break
        html = client.get(url).text
        seen += re.findall(r'#q-([0-9a-f]+)">in its article', html)
        found = _links(html, "/quotes?")
        nexts = [u for u in found if "cursor=" in u]
        url = nexts[0] if nexts else None
    assert seen == [q["id"] for q in api]
    html = client.get("/quotes", params={"speaker": "vesk", "since": "", "actor": ""}).text
    speakers = set(re.findall(r"<strong>([^<]+)</strong>", html))
    assert speakers and all("vesk" in s.lower() for s in speakers)


def test_bad_page_input_is_a_page_not_a_500(client: TestClient) -> None:
    for path, params in (
        ("/quotes", {"since": "yesterday"}),
        ("/quotes", {"cursor": "not-a-cursor"}),
        ("/search", {"q": "x", "kind": "<b>"}),
        ("/articles", {"outlet": "x" * 600}),
    ):
        r = client.get(path, params=params)
        assert r.status_code == 400, (path, params)
        assert r.headers["content-type"].startswith("text/html")
        assert "<b>" not in r.text
    assert client.get("/articles/does-not-exist").status_code == 404
    assert client.get("/actors/../../etc/passwd").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/api/v1/no-such").json()["error"]["code"] == "not_found"


def test_the_article_page_marks_quotes_speakers_and_actors(client: TestClient) -> None:
    quotes = client.get("/api/v1/quotes", params={"limit": 500}).json()["items"]
    q = next(q for q in quotes if q["speaker_actor"] and not q["in_title"])
    html = client.get(f"/articles/{q['article_id']}").text
    marked = "".join(re.findall(r'<span class="quote[^"]*"[^>]*>([^<]*)</span>', html))
    assert unescape(q["text"]).split()[0] in unescape(marked)
    assert 'class="speaker' in html
    assert f'href="/actors/{q["speaker_actor"]}"' in html
    assert f'id="q-{q["id"]}"' in html


def test_the_actor_page_shows_statements_by_outlet_and_events(client: TestClient) -> None:
    actor = client.get("/api/v1/actors/VRNGOV").json()
    assert actor["actor"]["code"] == "VRNGOV" and actor["actor"]["quotes"] > 0
    by_outlet: dict[str, int] = {}
    for row in actor["timeline"]:
        by_outlet[row["outlet"] or ""] = by_outlet.get(row["outlet"] or "", 0) + row["count"]
    quotes = client.get("/api/v1/quotes", params={"actor": "VRNGOV", "limit": 500}).json()
    assert sum(by_outlet.values()) == len(quotes["items"])
    html = client.get("/actors/VRNGOV").text
    for outlet in by_outlet:
        assert f'<th scope="col">{outlet or "unknown"}</th>' in html
    events = client.get("/api/v1/events", params={"actor": "VRN", "limit": 500}).json()["items"]
    # A side can hold several actors ("KSY;VRN"): the filter matches any of them.
    sides = [f"{e['source_actor']};{e['target_actor'] or ''}".split(";") for e in events]
    assert events and all(any(c.startswith("VRN") for c in side) for side in sides)
    assert client.get("/api/v1/actors/NO-SUCH").status_code == 404


def test_events_filter_by_type_actor_and_day(client: TestClient) -> None:
    every = client.get("/api/v1/events", params={"limit": 500}).json()["items"]
    kind = every[0]["event_type"]
    typed = client.get("/api/v1/events", params={"limit": 500, "type": kind.lower()})
    assert typed.json()["items"] == [e for e in every if e["event_type"] == kind]
    day = next(e["date"] for e in every if e["date"])
    dated = client.get("/api/v1/events", params={"limit": 500, "since": day, "until": day})
    assert dated.json()["items"] == [e for e in every if e["date"] == day]
    html = client.get("/events", params={"type": kind}).text
    assert html.count("<tr>") - 1 == min(50, len(typed.json()["items"]))


def test_actors_list_walks_every_code_once(client: TestClient) -> None:
    codes: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/actors", params=params).json()
        codes += [a["code"] for a in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert codes == sorted(set(codes)) and "VRN" in codes


def test_search_api_hits_snippets_and_facets(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "minister", "limit": 100})
    body = r.json()
    assert body["total"] == len(body["hits"]) > 0
    for hit in body["hits"]:
        assert "<mark>" in hit["snippet_html"]
        plain = re.sub(r"</?mark>", "", hit["snippet_html"])
        assert unescape(plain) == hit["snippet"]
    outlets = {f["value"]: f["count"] for f in body["facets"]["outlet"]}
    for outlet, n in outlets.items():
        narrowed = client.get("/api/v1/search", params={"q": "minister", "outlet": outlet})
        assert narrowed.json()["total"] == n
    speakers = body["facets"]["speaker"]
    assert speakers
    by = client.get("/api/v1/search", params={"q": "minister", "speaker": speakers[0]["value"]})
    assert by.json()["total"] >= speakers[0]["count"]
    assert all(h["kind"] == "quote" for h in by.json()["hits"])
    exported = client.get("/api/v1/search", params={"q": "minister", "format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(exported.text)))) == body["total"]


@pytest.mark.parametrize("q", ['"', "AND", "NEAR(", "*", "a:b", "'); --", "^x", "((("])
def test_search_syntax_from_a_user_is_never_a_500(client: TestClient, q: str) -> None:
    assert client.get("/api/v1/search", params={"q": q}).status_code == 200
    assert client.get("/search", params={"q": q}).status_code == 200
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422


def test_overview_twin_matches_the_page(client: TestClient) -> None:
    o = client.get("/api/v1/overview").json()
    html = client.get("/").text
    assert f"<dd>{o['stats']['articles']}</dd>" in html
    assert f"<dd>{o['stats']['quotes']}</dd>" in html
    for a in o["latest_articles"]:
        assert f'href="/articles/{a["id"]}"' in html
    for actor in o["most_active"]:
        assert f'href="/actors/{actor["code"]}"' in html


def test_only_http_links_leave_the_site() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "/articles/x",
        "http:///nohost",
        "vbscript:x",
        "http://ok.example/\nx",
        None,
        "",
    ):
        assert safe_url(bad) is None, bad


def test_marks_cover_quotes_and_survive_bad_offsets() -> None:
    from newstrace.store.models import EntityView, QuoteView

    text = "Ann said “we stay” today."
    quote = QuoteView(
        *("q1", "a1", "we stay", 10, 17, ((10, 17), (50, 90)), False, "direct"),
        *(None, None, None, "Ann", "Ann", 0, 3, None, None, None, None, None, 1.0, "r", "v"),
        *(None, None, None),
    )
    entity = EntityView(1, "a1", -5, 3, False, "Ann", "PERSON", "XPER", *([None] * 7))
    runs = runs_of(text, [quote], [entity])
    assert "".join(r.text for r in runs) == text
    assert [r.text for r in runs if "quote" in r.classes] == ["we stay"]
    assert [r.text for r in runs if "speaker" in r.classes] == ["Ann"]


GROUPS = json.loads(
    (ROOT / "tests" / "data" / "examples_expected_groups.json").read_text(encoding="utf-8")
)


def _article_ids(client: TestClient) -> dict[str, str]:
    """Each example source's article id, from the API."""
    found: dict[str, str] = {}
    cursor = None
    while True:
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/sources", params=params).json()
        found |= {s["source"]: s["article_id"] for s in page["items"]}
        if not (cursor := page["next"]):
            return found


def test_stories_page_lists_every_story_and_a_story_shows_its_coverage(
    client: TestClient,
) -> None:
    stories = client.get("/api/v1/stories", params={"limit": 500}).json()["items"]
    html = client.get("/stories").text
    linked = [urlsplit_path(h) for h in _links(html, "/stories/")]
    assert sorted(linked) == sorted(f"/stories/{s['id']}" for s in stories)
    ids = _article_ids(client)
    summit = [ids[f"examples/stories/{n}.txt"] for n in (
        "2025-04-08_meridianwire_port-aldene-summit-prisoners",
        "2025-04-08_varniapress_dragomir-marsk-detainees",
        "2025-04-09_innerseaherald_halden-swap-preparations",
    )]  # fmt: skip
    later = ids["examples/stories/2025-05-13_meridianwire_olvena-summit-river-water.txt"]
    (story,) = [s for s in stories if summit[0] in s["article_ids"]]
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200
    shown = [h.rsplit("/", 1)[1] for h in _links(page.text, "/articles/")]
    assert set(summit) <= set(shown) and later not in shown  # the look-alike stays apart
    reported = page.text.split('id="h-coverage"')[1].split("Not reported by")[0]
    for outlet in ("meridianwire.com", "varniapress.com", "innerseaherald.co.uk"):
        assert f"{outlet}: first 2025-04-0" in reported
    assert client.get("/stories/no-such-story").status_code == 404


def urlsplit_path(link: str) -> str:
    return link.split("?", 1)[0]


@pytest.mark.parametrize("case", GROUPS["quote_variants"], ids=lambda c: c["speaker"])
def test_variants_page_marks_the_words_that_changed(client: TestClient, case: Any) -> None:
    surname = case["speaker"].split()[-1]
    html = client.get("/variants", params={"speaker": surname, "change": case["change"]}).text
    items = html.split('<li class="variant-item')[1:]
    ids = _article_ids(client)
    wanted = {ids[s] for s in case["sources"]}
    (item,) = [i for i in items if all(f"/articles/{a}#q-" in i for a in wanted)]
    marked = re.findall(r"<(del|ins)>([^<]*)</\1>", item)
    assert {w for _tag, w in marked} >= set(case["words"]), marked
    assert case["change"].replace("_", " ") in item


def test_variants_page_rejects_an_unknown_change(client: TestClient) -> None:
    r = client.get("/variants", params={"change": "spun"})
    assert r.status_code == 400 and "change" in r.text


def test_changed_words_are_escaped_before_they_are_marked() -> None:
    text = "<b>14</b> & more"
    html = str(changed_html(text, [(3, 5), (14, 16)], "ins"))
    assert html == "&lt;b&gt;<ins>14</ins>&lt;/b&gt; &amp; mo<ins>re</ins>"
    assert str(changed_html(text, [(5, 3), (40, 50)], "del")) == "&lt;b&gt;14&lt;/b&gt; &amp; more"
    with pytest.raises(ValueError):
        changed_html(text, [], "script")


def test_dyads_page_flags_the_escalating_day_and_links_its_events(client: TestClient) -> None:
    want = EVENTS["escalation"]
    html = client.get(
        "/dyads", params={"dyad": want["dyad"], "since": want["since"], "until": want["until"]}
    ).text
    rows = re.findall(r"<tr( class=\"alert\")?><td>(\d{4}-\d{2}-\d{2})</td>", html)
    assert {day for _alert, day in rows} == set(want["days"])
    assert [day for alert, day in rows if alert] == want["alerts"]
    alert_row = html.split('<tr class="alert">')[1].split("</tr>")[0]
    events = _links(alert_row, "/events/")
    assert len(events) == len(want["drivers"])
    for link in events:
        page = client.get(link)
        assert page.status_code == 200 and '<h2 id="h-reports">' in page.text
        assert page.text.split("<h1>")[1].split(":")[0] in want["drivers"]
    assert client.get("/dyads", params={"dyad": "VRN"}).status_code == 400
    assert client.get("/events/no-such-event").status_code == 404


def test_an_event_page_lists_every_report(client: TestClient) -> None:
    want = EVENTS["one_event_three_reports"]
    found = client.get(
        "/api/v1/events",
        params={
            "dyad": want["dyad"],
            "type": want["type"],
            "since": want["date"],
            "until": want["date"],
        },
    ).json()["items"]
    (event,) = [e for e in found if e["reports"] == want["reports"]]
    html = client.get(f"/events/{event['id']}").text
    table = html.split('id="h-reports"')[1]
    assert table.count("<tr><td>") == want["reports"]
    assert len(set(_links(table, "/articles/"))) == want["reports"]
