"""The pages in a real browser: Debian's headless Chromium, driven through its chromedriver.

Each store (the example corpus, the seeds, a hostile one) is built by `newstrace run` and served by
uvicorn on a free loopback port. Every page is opened; a reader clicks overview -> article ->
actor -> quotes -> search; the browser's console must stay clean (a CSP violation is a console
error) and no request may leave localhost. Screenshots go to test-artefacts/.

Where the browser is missing the tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from newstrace.records import Analysis, Article, Entity, Link, Quote
from newstrace.store import Store
from newstrace.web import create_app
from test_examples import ROOT, _cli

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTEFACTS = ROOT / "test-artefacts"
SEEDS = ROOT.parent / "shared" / "seeds"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

pytestmark = pytest.mark.slow
_SITES: dict[str, str] = {}  # each served site's store


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if not missing:
        return
    why = f"no browser: {', '.join(missing)} missing (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,900")
    # The browser's console, and the network log to see every request it makes.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    """Start uvicorn on a store; every server started is stopped at the end of the module."""
    import uvicorn

    servers: list[tuple[Any, threading.Thread]] = []

    def start(db: str) -> str:
        port = _free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        for _ in range(200):
            if server.started:
                return f"http://127.0.0.1:{port}"
            time.sleep(0.05)
        raise AssertionError("uvicorn did not start")

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def _run_store(path: Path, *inputs: str, actors: bool = True) -> str:
    db = str(path)
    if actors:
        done = _cli("actors", "import", "examples/actors.txt", "--db", db)
        assert done.returncode == 0, done.stderr
    done = _cli("run", *inputs, "--db", db, "-q")
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def examples_site(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> str:
    db = _run_store(tmp_path_factory.mktemp("ex") / "examples.db", "examples")
    base = serve(db)
    _SITES[base] = db
    return base


# -- what every page visit checks -------------------------------------------------------------
def _drain(driver: Any, kind: str) -> list[dict[str, Any]]:
    return list(driver.get_log(kind))


def _requests(driver: Any) -> list[str]:
    urls = []
    for entry in _drain(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _check_clean(driver: Any, base: str) -> None:
    """No console error or CSP violation, and nothing requested outside this server."""
    errors = [e for e in _drain(driver, "browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
    host = urlsplit(base).netloc
    outside = [u for u in _requests(driver) if urlsplit(u).scheme not in ("data", "about")]
    outside = [u for u in outside if urlsplit(u).netloc != host]
    assert outside == [], outside


def _open(driver: Any, base: str, path: str, shot: str) -> None:
    _drain(driver, "browser")
    _drain(driver, "performance")
    driver.get(base + path)
    _settle(driver, base, shot)


def _go(driver: Any, element: Any, *, submit: bool = False) -> None:
    """Click a link or button (or submit a form field) and wait until the next page replaced
    this one: a click returns before the browser has navigated."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.submit() if submit else element.click()
    WebDriverWait(driver, 30).until(ec.staleness_of(old))


def _settle(driver: Any, base: str, shot: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: (
            d.execute_script("return document.readyState") == "complete"
            and d.find_elements(By.CSS_SELECTOR, "main h1")
        )
    )
    title = driver.title
    assert "newstrace" in title, (driver.current_url, title)
    assert not title.startswith("Error"), (driver.current_url, title)
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text.strip()
    ARTEFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTEFACTS / f"{shot}.png"))
    _check_clean(driver, base)


def _visible(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "body").text)


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


def _every_page(driver: Any, base: str, name: str) -> None:
    """Open every list page, then the first article, actor and the next page of each list."""
    from selenium.webdriver.common.by import By

    for path in PAGES:
        slug = path.strip("/").replace("?", "-").replace("=", "-") or "overview"
        _open(driver, base, path, f"{name}-{slug}")
    _open(driver, base, "/articles", f"{name}-articles")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "td a")]
    assert links, "the articles page lists no article"
    for i, link in enumerate(links):
        _open(driver, base, urlsplit(link).path, f"{name}-article-{i:03d}")
    _open(driver, base, "/actors", f"{name}-actors")
    codes = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.code")]
    for i, link in enumerate(codes[:10]):
        _open(driver, base, urlsplit(link).path, f"{name}-actor-{i:03d}")
    _open(driver, base, "/stories", f"{name}-stories")
    stories = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "td a")]
    for i, link in enumerate(stories[:10]):
        _open(driver, base, urlsplit(link).path, f"{name}-story-{i:03d}")
    _open(driver, base, "/dyads", f"{name}-dyads")
    events = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "td a")]
    for i, link in enumerate([e for e in events if "/events/" in e][:5]):
        _open(driver, base, urlsplit(link).path, f"{name}-event-{i:03d}")


# -- the example corpus -------------------------------------------------------------------------
def test_click_through_overview_article_actor_quotes_search(
    browser: Any, examples_site: str
) -> None:
    from selenium.webdriver.common.by import By

    d, base = browser, examples_site
    _open(d, base, "/", "examples-1-overview")
    assert "What the store holds" in _visible(d)
    assert "Latest articles" in _visible(d) and "Most active actors" in _visible(d)
    # overview -> an article among the latest
    first = d.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-latest] li a")
    title = first.text
    _go(d, first)
    _settle(d, base, "examples-2-article")
    assert d.find_element(By.TAG_NAME, "h1").text == title
    assert d.find_elements(By.CSS_SELECTOR, ".text .quote"), "no quote marked in the text"
    # article -> the first actor it names
    actor = d.find_element(By.CSS_SELECTOR, "main a.code")
    code = actor.text
    _go(d, actor)
    _settle(d, base, "examples-3-actor")
    assert code in d.find_element(By.TAG_NAME, "h1").text
    assert "Statements over time, by outlet" in _visible(d)
    # actor -> the quotes list, filtered by a speaker through the GET form
    _go(d, d.find_element(By.LINK_TEXT, "Quotes"))
    _settle(d, base, "examples-4-quotes")
    speaker = d.find_element(By.CSS_SELECTOR, ".quote-item .meta strong").text
    box = d.find_element(By.ID, "f-speaker")
    box.send_keys(speaker.split()[-1])
    _go(d, d.find_element(By.CSS_SELECTOR, "form.filters button"))
    _settle(d, base, "examples-5-quotes-filtered")
    speakers = [s.text for s in d.find_elements(By.CSS_SELECTOR, ".quote-item .meta strong")]
    # The filter also matches the speaker's resolved name: the page lists what its JSON twin does.
    term = speaker.split()[-1]
    query = {"speaker": term, "limit": 50, "order": "newest"}
    twin = httpx.get(f"{base}/api/v1/quotes", params=query).json()
    assert speakers and speakers == [q["speaker"] for q in twin["items"] if q["speaker"]]
    assert speaker in speakers
    # quotes -> search from the box in the header
    q = d.find_element(By.ID, "quick-q")
    q.send_keys("minister")
    _go(d, q, submit=True)
    _settle(d, base, "examples-6-search")
    hits = d.find_elements(By.CSS_SELECTOR, "li.hit")
    assert hits
    marks = d.find_elements(By.CSS_SELECTOR, "li.hit mark")
    assert marks and all(m.text.lower() == "minister" for m in marks)
    assert "Outlets" in _visible(d)


def test_click_from_a_story_to_how_outlets_changed_a_statement(
    browser: Any, examples_site: str
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d, base = browser, examples_site
    _open(d, base, "/stories", "examples-7-stories")
    first = d.find_element(By.CSS_SELECTOR, "table.list td a")
    title = first.text
    _go(d, first)
    _settle(d, base, "examples-8-story")
    assert d.find_element(By.TAG_NAME, "h1").text == title
    assert "Reported by" in _visible(d) and "Not reported by" in _visible(d)
    _go(d, d.find_element(By.LINK_TEXT, "Variants"))
    _settle(d, base, "examples-9-variants")
    Select(d.find_element(By.ID, "f-change")).select_by_value("meaning_changed")
    _go(d, d.find_element(By.CSS_SELECTOR, "form.filters button"))
    _settle(d, base, "examples-10-variants-changed")
    items = d.find_elements(By.CSS_SELECTOR, "li.variant-item")
    assert items and all(i.find_element(By.CSS_SELECTOR, ".change").text == "meaning changed"
                         for i in items)  # fmt: skip
    twin = httpx.get(f"{base}/api/v1/variants", params={"change": "meaning_changed"}).json()
    assert len(items) == len(twin["items"])
    # Each pair shows the changed words marked, in one rendering or the other.
    for item in items:
        assert item.find_elements(By.CSS_SELECTOR, "blockquote del, blockquote ins")


def test_every_page_of_the_examples_opens_clean(browser: Any, examples_site: str) -> None:
    _every_page(browser, examples_site, "examples")


def test_keyboard_skip_link_and_phone_width(browser: Any, examples_site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser
    _open(d, examples_site, "/quotes", "examples-keyboard")
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = d.switch_to.active_element
    assert focused.text == "Skip to content" and focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    assert d.switch_to.active_element.get_attribute("id") == "main"
    d.set_window_size(390, 844)
    try:
        for path in ("/", "/quotes", "/search?q=minister", "/events", "/variants", "/dyads"):
            _open(d, examples_site, path, f"examples-phone-{path.strip('/')[:6] or 'overview'}")
            overflow = d.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (path, overflow)
    finally:
        d.set_window_size(1280, 900)


# -- the seeds --------------------------------------------------------------------------------
def test_every_page_of_the_seeds_opens_clean(
    browser: Any, serve: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert SEEDS.is_dir(), f"{SEEDS}: the shared seeds are missing"
    db = _run_store(tmp_path_factory.mktemp("seeds") / "seeds.db", str(SEEDS), actors=False)
    _every_page(browser, serve(db), "seeds")


# -- a hostile store --------------------------------------------------------------------------
# Each payload would raise window.__pwned if it ever ran, as a script, a handler or a link.
PAYLOADS = (
    "<script>window.__pwned=(window.__pwned||0)+1</script>",
    '"><img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
    "'><svg onload=window.__pwned=1>",
    "javascript:window.__pwned=1",
    "'; DROP TABLE articles; -- \" OR 1=1 --",
    "../../../../etc/passwd",
    '" AND NEAR( * OR ^ ) :',
)


def _hostile(n: int) -> str:
    return " ".join(PAYLOADS[i % len(PAYLOADS)] for i in range(n, n + 3))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    lines = []
    for i, payload in enumerate(PAYLOADS):
        body = (
            f"The minister {payload} said on Monday: “We will {payload} defend the valley,” "
            f"according to {payload}. Officials in Tarsk {payload} said talks would go on. "
            f"{_hostile(i)} Residents said the drills were close. The harbour office kept "
            "its doors open through the week, and ferry crews reported calm water, steady "
            "winds and a long queue of lorries waiting at the gate for inspection. Farmers "
            "from the upper valley brought their produce down by cart, as they do each spring, "
            "and the market stayed busy well into the evening."
        )
        lines.append(
            json.dumps(
                {
                    "title": f"Hostile {i} {payload}",
                    "body": body,
                    "authors": [payload, f"Reporter {i}"],
                    "url": payload if i % 2 else f"javascript:alert({i})",
                    "outlet": payload,
                    "published": "2025-03-1" + str(i % 10),
                }
            )
        )
    (folder / "hostile.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = _run_store(folder / "hostile.db", str(folder / "hostile.jsonl"))
    _write_hostile_records(db)
    base = serve(db)
    _SITES[base] = db
    return base


def _db_of(base: str) -> str:
    return _SITES[base]


def _write_hostile_records(db: str) -> None:
    """One article written through the store writer with a payload in every field, and a quote
    and entity whose speaker, actor code and names are payloads too (the pipeline would clean or
    refuse some of them, the store must still show them safely)."""
    text = f"{PAYLOADS[0]} said “{PAYLOADS[1]} we stay” and {PAYLOADS[2]} agreed. {PAYLOADS[4]}"
    article = Article(
        id="f" * 32,
        source=PAYLOADS[5],
        text=text,
        title=PAYLOADS[1],
        url=PAYLOADS[3],
        outlet=PAYLOADS[2],
        published="2025-03-20",
        published_precision="day",
        authors=PAYLOADS,
        language=PAYLOADS[0][:16],
        dateline=PAYLOADS[2],
        warnings=PAYLOADS,
        input_kind="json",
    )
    start = text.index(PAYLOADS[1])
    quote = Quote(
        id="h" * 24,
        article_id=article.id,
        text=PAYLOADS[1] + " we stay",
        start=start,
        end=start + len(PAYLOADS[1]) + 8,
        kind="direct",
        segments=((start, start + len(PAYLOADS[1]) + 8),),
        cue=PAYLOADS[0],
        speaker=PAYLOADS[0],
        speaker_mention=PAYLOADS[2],
        speaker_start=0,
        speaker_end=len(PAYLOADS[0]),
        speaker_actor=PAYLOADS[5],
        speaker_actor_id=PAYLOADS[3],
        date="2025-03-20",
        date_basis="published",
        confidence=0.9,
        rule=PAYLOADS[4][:32],
        stage_version="quotes.test",
    )
    entity = Entity(
        article_id=article.id,
        start=0,
        end=len(PAYLOADS[0]),
        text=PAYLOADS[0],
        label="PERSON",
        actor='"><b onmouseover=window.__pwned=1>',
        actor_id=PAYLOADS[3],
        name=PAYLOADS[1],
        title=PAYLOADS[2],
    )
    other = replace(quote, id="i" * 24, text=PAYLOADS[1] + " we go", speaker=PAYLOADS[2])
    analysis = Analysis(article, products={"quotes": (quote, other), "entities": (entity,)})
    # A variant pair of the two, whose detail is a payload too, as a corpus stage writes it.
    variant = Link("quote_variant", quote.id, other.id, 0.5, "meaning_changed", PAYLOADS[0])
    with Store(db) as store:
        store.writer.write_batch([(article, "0" * 64)], [], analyses=[analysis])
        store.writer.reset("hostile.variants", "test", [])
        assert store.writer.advance("hostile.variants", "test", 0, 0, {"links": [variant]})


def _no_injected_markup(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert driver.find_elements(By.CSS_SELECTOR, "img[src=x], svg, main b") == []
    handlers = driver.execute_script(
        "return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    hrefs = [a.get_attribute("href") or "" for a in driver.find_elements(By.TAG_NAME, "a")]
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]
    for a in driver.find_elements(By.CSS_SELECTOR, "a[target=_blank]"):
        assert {"noopener", "nofollow"} <= set((a.get_attribute("rel") or "").split())


def test_hostile_store_renders_with_no_script_run(browser: Any, hostile_site: str) -> None:
    from selenium.webdriver.common.by import By

    d, base = browser, hostile_site
    for path in PAGES:
        _open(d, base, path, f"hostile-{path.strip('/').replace('?', '-') or 'overview'}")
        _no_injected_markup(d)
    _open(d, base, "/articles", "hostile-articles")
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "td a")]
    with Store(_db_of(base)) as store:
        # some payload inputs are refused as not articles; every one stored is listed
        assert len(links) == store.reader.stats().articles >= 4
    for i, link in enumerate(links):
        _open(d, base, urlsplit(link).path, f"hostile-article-{i:02d}")
        _no_injected_markup(d)
    # The payloads are there as text: escaped, not dropped.
    _open(d, base, "/articles/" + "f" * 32, "hostile-written")
    assert PAYLOADS[0] in _visible(d) and PAYLOADS[1] in _visible(d)
    _no_injected_markup(d)
    for code in d.find_elements(By.CSS_SELECTOR, "main a.code"):
        assert urlsplit(code.get_attribute("href")).netloc == urlsplit(base).netloc
    for payload in PAYLOADS:
        keys = {"/search": "q", "/quotes": "speaker", "/variants": "speaker", "/events": "actor"}
        keys |= {"/dyads": "dyad", "/articles": "outlet", "/stories": "outlet"}
        for path, key in keys.items():
            r = httpx.get(base + path, params={key: payload})
            assert r.status_code in (200, 400), (path, payload, r.status_code)
            assert "<script>window" not in r.text
        r = httpx.get(base + "/api/v1/search", params={"q": payload})
        assert r.status_code == 200, (payload, r.text)
        for hit in r.json()["hits"]:
            assert "<script" not in hit["snippet_html"] and "<img" not in hit["snippet_html"]
    _open(d, base, "/search?" + urlencode({"q": PAYLOADS[1]}), "hostile-search")
    _no_injected_markup(d)
    # The written variant pair is listed, its payloads shown as text.
    _open(d, base, "/variants", "hostile-variants")
    assert PAYLOADS[0] in _visible(d) and d.find_elements(By.CSS_SELECTOR, "li.variant-item ins")
    _no_injected_markup(d)


# -- the report -------------------------------------------------------------------------------
def test_the_report_opens_offline_with_the_overview_figures(
    browser: Any, examples_site: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    db = _SITES.get(examples_site)
    assert db is not None
    out = tmp_path / "report.html"
    done = _cli("report", "--db", db, "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "src=" not in html
    _drain(browser, "browser")
    _drain(browser, "performance")
    browser.get(out.as_uri())
    ARTEFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "examples-report.png"))
    requested = [u for u in _requests(browser) if not u.startswith(("file:", "data:", "about:"))]
    assert requested == []
    errors = [e for e in _drain(browser, "browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    shown = {
        dt.text: dd.text
        for dt, dd in zip(
            browser.find_elements(By.CSS_SELECTOR, "dl.figures dt"),
            browser.find_elements(By.CSS_SELECTOR, "dl.figures dd"),
            strict=True,
        )
    }
    with Store(db) as store:
        stats = store.reader.stats()
    assert shown["Articles"] == str(stats.articles)
    assert shown["Quotes"] == str(stats.quotes)
    assert shown["Outlets"] == str(stats.outlets)
    # the same figures the overview page shows
    _open(browser, examples_site, "/", "examples-overview-for-report")
    page = {
        dt.text: dd.text
        for dt, dd in zip(
            browser.find_elements(By.CSS_SELECTOR, "dl.figures dt"),
            browser.find_elements(By.CSS_SELECTOR, "dl.figures dd"),
            strict=True,
        )
    }
    assert page == shown
