"""http(s) inputs against a local server: politeness, redirects, caps, errors, feeds."""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Iterator

from conftest import ARTICLE_HTML, PAGE_TWO_HTML, LocalServer, Route
from newstrace.ingest import DEFAULT_USER_AGENT, ReadOptions, read
from newstrace.ingest.url import Fetched, Fetcher
from newstrace.records import Failure, RawDocument

FAST = ReadOptions(min_delay=0.0, timeout=5.0)


def _read(*urls: str, options: ReadOptions = FAST) -> list[RawDocument | Failure]:
    return list(read(list(urls), options=options))


def test_page(http_server: LocalServer) -> None:
    url = http_server.url("/article.html")
    [doc] = _read(url)
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.kind, doc.content) == (url, "html", ARTICLE_HTML)
    assert doc.encoding == "iso-8859-1"
    assert doc.hints.url == url
    assert doc.hints.published is None  # Last-Modified is not a publication date
    headers = next(h for p, h in http_server.requests if p == "/article.html")
    assert headers["user-agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("newstrace/")
    assert "+https://github.com/newstrace/newstrace" in DEFAULT_USER_AGENT


def test_plain_text_url(http_server: LocalServer) -> None:
    [doc] = _read(http_server.url("/plain.txt"))
    assert isinstance(doc, RawDocument) and doc.kind == "text"


def test_redirect_is_followed_and_the_final_url_kept(http_server: LocalServer) -> None:
    url = http_server.url("/redirect")
    [doc] = _read(url)
    assert isinstance(doc, RawDocument)
    assert doc.source == url
    assert doc.hints.url == http_server.url("/article.html")


def test_redirect_loop_is_bounded(http_server: LocalServer) -> None:
    [item] = _read(http_server.url("/loop"))
    assert isinstance(item, Failure) and item.reason == "http-status"
    assert "redirects" in item.message
    assert 1 < http_server.hits("/loop") <= 6


def test_redirect_to_another_scheme_is_refused(http_server: LocalServer) -> None:
    http_server.routes["/sneaky"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    [item] = _read(http_server.url("/sneaky"))
    assert isinstance(item, Failure) and item.reason == "unsupported-format"


def test_robots_disallow_is_respected_without_a_request(http_server: LocalServer) -> None:
    url = http_server.url("/private/secret.html")
    [item] = _read(url)
    assert isinstance(item, Failure)
    assert (item.source, item.reason, item.kind) == (url, "robots-disallowed", "skip")
    assert http_server.hits("/private/secret.html") == 0


def test_robots_is_fetched_once_per_host(http_server: LocalServer) -> None:
    items = _read(http_server.url("/article.html"), http_server.url("/plain.txt"))
    assert all(isinstance(i, RawDocument) for i in items)
    assert http_server.hits("/robots.txt") == 1


def test_robots_can_be_ignored_on_request(http_server: LocalServer) -> None:
    [doc] = _read(
        http_server.url("/private/secret.html"),
        options=ReadOptions(min_delay=0, respect_robots=False),
    )
    assert isinstance(doc, RawDocument)
    assert http_server.hits("/robots.txt") == 0


def test_missing_robots_allows_everything(http_server: LocalServer) -> None:
    del http_server.routes["/robots.txt"]
    [doc] = _read(http_server.url("/private/secret.html"))
    assert isinstance(doc, RawDocument)


def test_robots_server_error_disallows_for_now(http_server: LocalServer) -> None:
    http_server.routes["/robots.txt"] = Route(status=503)
    [item] = _read(http_server.url("/article.html"))
    assert isinstance(item, Failure)
    assert (item.reason, item.kind) == ("robots-disallowed", "retry")
    assert http_server.hits("/article.html") == 0


def test_huge_response_stops_at_the_cap(http_server: LocalServer) -> None:
    small = ReadOptions(min_delay=0, max_bytes=1024 * 1024)
    streamed, declared = _read(
        http_server.url("/huge"), http_server.url("/huge-declared"), options=small
    )
    assert isinstance(streamed, Failure) and streamed.reason == "too-large"
    assert "stopped reading" in streamed.message
    assert isinstance(declared, Failure) and declared.reason == "too-large"
    assert "announces" in declared.message


def test_http_errors(http_server: LocalServer) -> None:
    missing, broken = _read(http_server.url("/nope"), http_server.url("/error"))
    assert isinstance(missing, Failure) and isinstance(broken, Failure)
    assert (missing.reason, missing.kind) == ("http-status", "skip")
    assert "HTTP 404" in missing.message
    assert (broken.reason, broken.kind) == ("http-status", "retry")


def test_connection_refused_is_retryable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    [item] = _read(url)
    assert isinstance(item, Failure)
    assert (item.source, item.reason, item.kind) == (url, "fetch-error", "retry")


def test_timeout_is_retryable(http_server: LocalServer) -> None:
    def slow() -> Iterator[bytes]:
        time.sleep(1.0)
        yield b"late"

    http_server.routes["/slow"] = Route(chunks=slow, headers={"Content-Type": "text/plain"})
    [item] = _read(http_server.url("/slow"), options=ReadOptions(min_delay=0, timeout=0.2))
    assert isinstance(item, Failure) and (item.reason, item.kind) == ("fetch-error", "retry")
    assert "timed out" in item.message


def test_feed_url_is_read_as_a_feed(http_server: LocalServer) -> None:
    url = http_server.url("/feed.xml")
    items = _read(url)
    assert [i.source for i in items] == [f"{url}#1", f"{url}#2", f"{url}#3"]
    first, second, _ = items
    assert isinstance(first, RawDocument) and first.content == b"Ministers met."
    assert first.hints.authors == ("Jane Roe",)
    # A relative link is resolved against the feed's URL.
    assert isinstance(second, RawDocument)
    assert second.hints.url == http_server.url("/page2.html")
    assert http_server.hits("/article.html") == 0


def test_follow_links_fetches_each_entry(http_server: LocalServer) -> None:
    items = _read(http_server.url("/feed.xml"), options=ReadOptions(min_delay=0, follow_links=True))
    article, page_two, hidden = items
    assert isinstance(article, RawDocument)
    assert article.source == http_server.url("/article.html")
    assert article.content == ARTICLE_HTML and article.kind == "html"
    assert article.hints.title == "Cafe talks"  # from the feed entry
    assert article.hints.published == "Tue, 01 Feb 2022 10:00:00 GMT"
    assert article.hints.authors == ("Jane Roe",)
    assert isinstance(page_two, RawDocument) and page_two.content == PAGE_TWO_HTML
    assert isinstance(hidden, Failure) and hidden.reason == "robots-disallowed"
    assert http_server.hits("/private/secret.html") == 0
    assert http_server.hits("/robots.txt") == 1


def test_json_and_gzip_over_http(http_server: LocalServer) -> None:
    http_server.routes["/api"] = Route(
        body=json.dumps({"articles": [{"text": "From the API."}]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    http_server.routes["/dump.jsonl.gz"] = Route(
        body=gzip.compress(b'{"text": "zipped one"}\n{"text": "zipped two"}\n'),
        headers={"Content-Type": "application/gzip"},
    )
    http_server.routes["/encoded"] = Route(
        body=gzip.compress(b"<html><body><p>Encoded in transit.</p></body></html>"),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
    )
    api, one, two, encoded = _read(
        http_server.url("/api"), http_server.url("/dump.jsonl.gz"), http_server.url("/encoded")
    )
    assert isinstance(api, RawDocument) and api.source == http_server.url("/api") + "#1"
    assert isinstance(one, RawDocument) and one.content == b"zipped one"
    assert isinstance(two, RawDocument) and two.source == http_server.url("/dump.jsonl.gz") + "#2"
    assert isinstance(encoded, RawDocument) and b"Encoded in transit." in encoded.content


def test_image_url_is_binary(http_server: LocalServer) -> None:
    http_server.routes["/logo"] = Route(
        body=b"\x89PNG\r\n\x1a\n\x00\x00\x00", headers={"Content-Type": "text/html"}
    )
    [item] = _read(http_server.url("/logo"))
    assert isinstance(item, Failure) and item.reason == "binary"


def test_delay_between_requests_to_one_host(http_server: LocalServer) -> None:
    sleeps: list[float] = []
    options = ReadOptions(min_delay=5.0)
    with Fetcher(options, clock=lambda: 100.0, sleep=sleeps.append) as fetcher:
        first = fetcher.get(http_server.url("/article.html"))
        second = fetcher.get(http_server.url("/plain.txt"))
    assert isinstance(first, Fetched) and isinstance(second, Fetched)
    # robots.txt, then two pages: each request after the first waits the full delay.
    assert sleeps == [5.0, 5.0]


def test_crawl_delay_from_robots(http_server: LocalServer) -> None:
    http_server.routes["/robots.txt"] = Route(body=b"User-agent: *\nCrawl-delay: 7\n")
    sleeps: list[float] = []
    with Fetcher(ReadOptions(min_delay=1.0), clock=lambda: 0.0, sleep=sleeps.append) as fetcher:
        fetcher.get(http_server.url("/article.html"))
        fetcher.get(http_server.url("/plain.txt"))
    # The delay is known once robots.txt is parsed, so it already applies to the first page.
    assert sleeps == [7.0, 7.0]


def test_robots_rules_for_our_agent(http_server: LocalServer) -> None:
    http_server.routes["/robots.txt"] = Route(
        body=b"User-agent: newstrace\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    )
    [item] = _read(http_server.url("/article.html"))
    assert isinstance(item, Failure) and item.reason == "robots-disallowed"
