"""http(s) URLs, fetched politely: robots.txt, a per-host delay, a size cap, bounded redirects."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..records import Failure, Hints
from .common import NO_HINTS, Item, failure, mib, one_line, parse_content_type
from .dispatch import read_stream
from .feed import Follow
from .options import ReadOptions
from .sniff import extension

__all__ = ["MAX_REDIRECTS", "Fetched", "Fetcher", "read_url"]

MAX_REDIRECTS = 5
# RFC 9309: a crawler must parse at least the first 500 KiB of a robots.txt and may stop there.
ROBOTS_MAX_BYTES = 512 * 1024
# A robots.txt Crawl-delay above this would stall a run for hours; we wait this long at most.
MAX_CRAWL_DELAY = 60.0

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_REDIRECTS = {301, 302, 303, 307, 308}
# Content types that name a format better than the URL path does.
_TYPE_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/rss+xml": ".rss",
    "application/atom+xml": ".atom",
    "application/rdf+xml": ".rdf",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/jsonlines": ".jsonl",
    "text/csv": ".csv",
    "text/tab-separated-values": ".tsv",
    "application/warc": ".warc",
}


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: the URL after redirects, its Content-Type, and the body."""

    url: str
    status: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class _Denied:
    """Why a whole origin is off limits for this run (robots.txt unreachable or erroring)."""

    reason: str
    detail: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    url: str
    content_type: str | None
    location: str | None
    body: bytes


class Fetcher:
    """One HTTP client for a run, with robots.txt rules and request times kept per host.

    `clock` and `sleep` are injectable so that the delay policy can be tested without waiting.
    """

    def __init__(
        self,
        options: ReadOptions,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._options = options
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent, "Accept": _ACCEPT},
            timeout=options.timeout,
            follow_redirects=False,  # followed by hand, so that each hop passes robots.txt and the delay
            transport=transport,
        )
        self._clock = clock
        self._sleep = sleep
        self._robots: dict[str, RobotFileParser | _Denied] = {}
        self._last: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, url: str, source: str | None = None) -> Fetched | Failure:
        """GET a URL, following up to MAX_REDIRECTS redirects; every problem is a Failure."""
        source = source or url
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme.lower() not in ("http", "https"):
                return failure(
                    source,
                    "unsupported-format",
                    f"only http(s) URLs are fetched, not {one_line(current, 200)}",
                )
            if not parts.hostname:
                return failure(
                    source, "fetch-error", f"not a valid URL: {one_line(current, 200)}", kind="skip"
                )
            if self._options.respect_robots:
                denied = self._check_robots(current, source)
                if denied is not None:
                    return denied
            answer = self._request(current, source, self._options.max_bytes)
            if isinstance(answer, Failure):
                return answer
            if answer.status in _REDIRECTS and answer.location:
                current = urljoin(current, answer.location)
                continue
            if not 200 <= answer.status < 300:
                transient = answer.status >= 500 or answer.status in (408, 429)
                return failure(
                    source,
                    "http-status",
                    f"the server answered HTTP {answer.status} for {one_line(answer.url, 200)}",
                    kind="retry" if transient else "skip",
                )
            return Fetched(answer.url, answer.status, answer.content_type, answer.body)
        return failure(
            source,
            "http-status",
            f"more than {MAX_REDIRECTS} redirects (the last to {one_line(current, 200)})",
        )

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is None:
            return
        delay = max(self._options.min_delay, self._crawl_delay.get(host, 0.0))
        remaining = last + delay - self._clock()
        if remaining > 0:
            self._sleep(remaining)

    def _request(
        self, url: str, source: str, cap: int, *, truncate: bool = False
    ) -> _Answer | Failure:
        """One GET without following redirects; the body is read only for 2xx answers."""
        host = (urlsplit(url).hostname or "").lower()
        self._wait(host)
        try:
            with self._client.stream("GET", url) as response:
                content_type = response.headers.get("content-type")
                location = response.headers.get("location")
                if not 200 <= response.status_code < 300:
                    return _Answer(
                        response.status_code, str(response.url), content_type, location, b""
                    )
                declared = response.headers.get("content-length", "")
                if not truncate and declared.isdigit() and int(declared) > cap:
                    return failure(
                        source,
                        "too-large",
                        f"the server announces {mib(int(declared))}, more than {mib(cap)} (max_bytes)",
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        if truncate:
                            del body[cap:]
                            break
                        return failure(
                            source,
                            "too-large",
                            f"the response is larger than {mib(cap)} (max_bytes); stopped reading",
                        )
                return _Answer(
                    response.status_code, str(response.url), content_type, location, bytes(body)
                )
        except httpx.TimeoutException:
            return failure(
                source,
                "fetch-error",
                f"timed out after {self._options.timeout:g}s fetching {one_line(url, 200)}",
                kind="retry",
            )
        except httpx.DecodingError as error:
            return failure(
                source, "fetch-error", f"the response body does not decode: {error}", kind="skip"
            )
        except httpx.HTTPError as error:
            return failure(
                source,
                "fetch-error",
                f"could not fetch {one_line(url, 200)}: {error or type(error).__name__}",
                kind="retry",
            )
        except (httpx.InvalidURL, ValueError, UnicodeError) as error:
            return failure(source, "fetch-error", f"not a valid URL ({error})", kind="skip")
        finally:
            self._last[host] = self._clock()

    def _check_robots(self, url: str, source: str) -> Failure | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._robots[origin] = self._load_robots(origin)
        if isinstance(rules, _Denied):
            return failure(source, rules.reason, rules.detail, kind=rules.kind)
        if not rules.can_fetch(self._options.user_agent, url):
            return failure(
                source, "robots-disallowed", f"{origin}/robots.txt disallows {one_line(url, 200)}"
            )
        return None

    def _load_robots(self, origin: str) -> RobotFileParser | _Denied:
        """Fetch and parse robots.txt as RFC 9309 says: 4xx allows all, 5xx disallows all."""
        rules = RobotFileParser()
        current = f"{origin}/robots.txt"
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._request(current, current, ROBOTS_MAX_BYTES, truncate=True)
            if isinstance(answer, Failure):
                return _Denied(
                    answer.reason, f"robots.txt could not be fetched: {answer.message}", answer.kind
                )
            if answer.status in _REDIRECTS and answer.location:
                current = urljoin(current, answer.location)
                continue
            if 200 <= answer.status < 300:
                rules.parse(answer.body.decode("utf-8", "replace").splitlines())
                delay = rules.crawl_delay(self._options.user_agent)
                if delay is not None:
                    host = (urlsplit(origin).hostname or "").lower()
                    self._crawl_delay[host] = min(float(delay), MAX_CRAWL_DELAY)
                return rules
            if 400 <= answer.status < 500:
                rules.allow_all = True  # type: ignore[attr-defined]  # no robots.txt: everything is allowed
                return rules
            return _Denied(
                "robots-disallowed",
                f"{origin}/robots.txt answered HTTP {answer.status}; until it answers, "
                "RFC 9309 says nothing on the site may be fetched",
                "retry",
            )
        rules.allow_all = True  # type: ignore[attr-defined]  # RFC 9309: too many redirects counts as "unavailable"
        return rules


def _name_for(url: str, mime: str | None) -> str:
    """A name whose extension says the format: the Content-Type's, unless it is generic."""
    path = urlsplit(url).path or "/"
    ext = _TYPE_EXTENSIONS.get(mime or "")
    if ext is None:
        if mime == "text/plain" and not extension(path):
            return path + ".txt"
        return path
    return path if path.lower().endswith(ext) else path + ext


def read_url(
    url: str,
    fetcher: Fetcher,
    options: ReadOptions,
    *,
    hints: Hints = NO_HINTS,
    following: bool = False,
) -> Iterator[Item]:
    """Fetch a URL and read what it returns like a file of that type, named by the URL.

    hints.url is the URL after redirects and `encoding` the Content-Type charset. Last-Modified
    and the like are not publication dates and are not passed on.
    """
    fetched = fetcher.get(url, url)
    if isinstance(fetched, Failure):
        yield fetched
        return
    mime, charset = parse_content_type(fetched.content_type)
    follow: Follow | None = None
    if options.follow_links and not following:

        def follow(link: str, entry_hints: Hints) -> Iterator[Item]:
            return read_url(link, fetcher, options, hints=entry_hints, following=True)

    yield from read_stream(
        url,
        _name_for(fetched.url, mime),
        io.BytesIO(fetched.body),
        options,
        hints=replace(hints, url=fetched.url),
        encoding=charset,
        content_type=fetched.content_type,
        base_url=fetched.url,
        follow=follow,
    )
