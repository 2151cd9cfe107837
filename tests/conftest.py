"""Shared pytest fixtures."""

from __future__ import annotations

# --- http_server: a local HTTP server for the ingest URL and feed tests (owned by ingest) ------
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

ChunkSource = Callable[[], Iterator[bytes]]


@dataclass
class Route:
    """What the server answers for one path: a status, headers, and a body or a chunk stream."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: ChunkSource | None = None  # streamed without Content-Length when set


@dataclass
class LocalServer:
    """A running server on 127.0.0.1: `routes` can be changed by a test, `requests` records hits."""

    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"

ARTICLE_HTML = (
    "<!DOCTYPE html><html><head><meta charset='iso-8859-1'><title>Caf\xe9 talks</title></head>"
    "<body><article><h1>Caf\xe9 talks</h1><p>Ministers met in the caf\xe9 on Tuesday and agreed to "
    "keep talking.</p></article></body></html>"
).encode("latin-1")

PAGE_TWO_HTML = (
    b"<html><body><article><p>The second article, fetched from its link.</p>"
    b"<p>It has two paragraphs.</p></article></body></html>"
)


def feed_xml(base: str) -> bytes:
    """An RSS feed whose entries link to pages on this server and carry only a summary."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Local wire</title><link>{base}/</link><language>en</language>
<item><title>Cafe talks</title><link>{base}/article.html</link>
<pubDate>Tue, 01 Feb 2022 10:00:00 GMT</pubDate><dc:creator>Jane Roe</dc:creator>
<description>Ministers met.</description></item>
<item><title>Second</title><link>/page2.html</link>
<pubDate>Wed, 02 Feb 2022 11:00:00 GMT</pubDate><description>A second story.</description></item>
<item><title>Hidden</title><link>{base}/private/secret.html</link>
<description>Behind robots.</description></item>
</channel></rss>""".encode()


def _huge_chunks() -> Iterator[bytes]:
    block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
    for _ in range(64):  # 4 MiB
        yield block


def _default_routes(base: str) -> dict[str, Route]:
    html = {"Content-Type": "text/html; charset=iso-8859-1"}
    return {
        "/robots.txt": Route(body=ROBOTS_TXT, headers={"Content-Type": "text/plain"}),
        "/article.html": Route(
            body=ARTICLE_HTML,
            headers={**html, "Last-Modified": "Mon, 03 Jan 2011 00:00:00 GMT"},
        ),
        "/page2.html": Route(body=PAGE_TWO_HTML, headers={"Content-Type": "text/html"}),
        "/private/secret.html": Route(
            body=b"<html><body><p>secret</p></body></html>", headers=html
        ),
        "/plain.txt": Route(
            body=b"Plain words from the wire.\n", headers={"Content-Type": "text/plain"}
        ),
        "/feed.xml": Route(
            body=feed_xml(base), headers={"Content-Type": "application/rss+xml; charset=utf-8"}
        ),
        "/huge": Route(headers={"Content-Type": "text/html"}, chunks=_huge_chunks),
        "/huge-declared": Route(
            body=b"x" * (4 * 1024 * 1024), headers={"Content-Type": "text/plain"}
        ),
        "/redirect": Route(status=302, headers={"Location": "/article.html"}),
        "/loop": Route(status=302, headers={"Location": "/loop"}),
        "/error": Route(status=500, body=b"oops", headers={"Content-Type": "text/plain"}),
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.record(path, {k.lower(): v for k, v in self.headers.items()})
        route = self.server.routes.get(path, Route(status=404, body=b"not found"))
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.chunks is None:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        try:
            if route.chunks is None:
                self.wfile.write(route.body)
            else:
                for chunk in route.chunks():
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its size cap, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((path, headers))

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-response is part of what the tests exercise


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A local HTTP server with pages, a feed, robots.txt (disallowing /private/), a 4 MiB
    response, a redirect, a redirect loop, a 500 and 404s for unknown paths."""
    server = _Server()
    host, port = server.server_address[:2]
    base = f"http://{host!s}:{port}"
    server.routes = _default_routes(base)
    # A short poll interval keeps shutdown (and so each test's teardown) fast.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield LocalServer(base=base, routes=server.routes, requests=server.requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- end http_server ---------------------------------------------------------------------------


# --- PostgreSQL: a throwaway server for the store tests ------------------------------------------
# A real server, started from the machine's PostgreSQL binaries in a private folder and reached
# over a Unix socket only; the tests that need it skip, saying why, where there is none.
import glob  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import pwd  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


@dataclass
class PostgresServer:
    socket_dir: str
    _names: Iterator[int] = field(default_factory=itertools.count)

    def new_database(self) -> str:
        """A URL for a new, empty database on the server."""
        import psycopg

        name = f"t{next(self._names)}"
        with psycopg.connect(f"host={self.socket_dir} user=postgres dbname=postgres") as conn:
            conn.autocommit = True
            conn.execute(f"CREATE DATABASE {name}")  # name is ours, never input
        return f"postgresql://postgres@/{name}?host={self.socket_dir}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("no PostgreSQL server here (initdb and pg_ctl not found)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("the psycopg driver is not installed (pip install 'newstrace[postgres]')")
    # PostgreSQL refuses to run as root; as root, it runs as the machine's postgres user.
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server")
        run_as = ["runuser", "-u", "postgres", "--"]
    folder = tempfile.mkdtemp(prefix="newstrace-pg-")
    if run_as:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = str(Path(folder) / "data")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    # An ICU en-US default collation, as a typical server has, so that exports are shown not to
    # depend on it ("B" sorts after "a" there, before it in SQLite); plain initdb where ICU is absent.
    init = [*run_as, initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    icu = ["--locale-provider=icu", "--icu-locale=en-US", "--locale=C.UTF-8"]
    try:
        if subprocess.run(
            [*init, *icu], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ).returncode:
            shutil.rmtree(data, ignore_errors=True)
            subprocess.run(init, **quiet)
        options = f"-k {folder} -c listen_addresses='' -c fsync=off"
        subprocess.run(
            [*run_as, pg_ctl, "-D", data, "-o", options, "-l", f"{folder}/log", "-w", "start"],
            **quiet,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')[-500:]}")
    try:
        yield PostgresServer(folder)
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", data, "-m", "immediate", "stop"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's --db value: a SQLite file, then a database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()


# --- end PostgreSQL -----------------------------------------------------------------------------


# --- warned: the warning a cleaned article gives for one field ---------------------------------
def warned(article: Any, field: str) -> str:
    """The article's first warning about `field` ("authors: not stated ..."); fails without one."""
    notes = [w for w in article.warnings if w.startswith(f"{field}:")]
    assert notes, f"no warning for {field}: {article.warnings}"
    return str(notes[0])
