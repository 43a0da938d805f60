"""`amity watch`: feeds and pages served by a local HTTP server on 127.0.0.1, through an
outage, a malformed feed, a slow feed, a feed whose host is down and a failing page."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from amity.cli import app
from amity.registry import open_registry
from amity.registry.models import ArticleRow, RelationRow
from amity.watch import parse_interval, read_feed_list
from amity.watch.feeds import parse_feed
from amity.watch.fetch import Fetcher
from amity.watch.watcher import retry_after

LYON = "Lyon and Birmingham signed a twinning agreement on 3 March 2023, the two mayors said."


def page(title: str, body: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p><p>{body}</p></article></body></html>"
    ).encode()


def rss(base: str, items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>{name}</title><link>{base}/pages/{name}.html</link><guid>{name}</guid>"
        f"<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate><description>teaser</description></item>"
        for name in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'.encode()


class Site:
    """Scripted responses: each path has a list of (status, body, headers, delay), used in
    order, the last one repeated; every request is logged with its headers."""

    def __init__(self):
        self.routes: dict[str, list[tuple]] = {}
        self.log: list[tuple[str, int, dict]] = []
        self.lock = threading.Lock()

    def next_response(self, path: str) -> tuple:
        with self.lock:
            script = self.routes.get(path)
            if not script:
                return 404, b"not found", {}, 0
            return script.pop(0) if len(script) > 1 else script[0]


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            status, body, headers, delay = state.next_response(self.path)
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            with state.lock:
                state.log.append((self.path, status, dict(self.headers)))
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def ok(body: bytes, **headers) -> tuple:
    return 200, body, {"Content-Type": "text/html; charset=utf-8", **headers}, 0


def test_watch_follows_feeds_through_outage_and_malformed_response(site, tmp_path, gazetteer):
    base = site.base
    feed = {"Content-Type": "application/rss+xml"}
    site.routes["/a.xml"] = [
        (503, b"Service Unavailable", {}, 0),  # poll 1: the feed is down
        (200, b"<rss><channel><item><title>cut off", feed, 0),  # poll 2: malformed
        (200, rss(base, ["a1", "a2"]), {**feed, "ETag": '"v1"'}, 0),  # poll 3: a2's page fails
        (200, rss(base, ["a1", "a2", "a3", "a4"]), {**feed, "ETag": '"v2"'}, 0),  # 4 and after
    ]
    site.routes["/b.xml"] = [(200, rss(base, ["b1"]), {**feed, "ETag": '"b"'}, 0)]
    site.routes["/slow.xml"] = [(200, rss(base, ["s1"]), feed, 2.0)]  # beyond --timeout
    site.routes["/pages/a1.html"] = [ok(page("Lyon and Birmingham", LYON))]
    site.routes["/pages/a2.html"] = [
        (500, b"oops", {}, 0),
        ok(page("Market", "Apples were cheaper today.")),
    ]
    site.routes["/pages/a3.html"] = [ok(page("Weather", "Rain is expected over the weekend."))]
    site.routes["/pages/a4.html"] = [ok(page("Lyon and Birmingham", LYON))]  # a1's content again
    site.routes["/pages/b1.html"] = [ok(page("Trains", "The new timetable starts on Sunday."))]
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(
        f"# test feeds\n{base}/a.xml\n{base}/b.xml\n{base}/slow.xml\nhttp://127.0.0.1:9/down.xml\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    args = ["watch", str(feeds), "--db", db, "--interval", "0", "--max-polls", "5"]
    result = CliRunner().invoke(app, [*args, "--timeout", "0.5", "--host-delay", "0"])
    assert result.exit_code == 0, result.output
    assert "HTTP 503" in result.output and "malformed feed" in result.output
    assert "down.xml" in result.output and "slow.xml" in result.output

    with open_registry(db) as registry, registry.session() as session:
        urls = sorted(session.scalars(select(ArticleRow.url)))
        relations = session.scalars(select(RelationRow)).all()
    assert urls == [f"{base}/pages/{name}.html" for name in ("a1", "a2", "a3", "b1")]  # once each
    assert len(relations) == 1  # Lyon - Birmingham, from a1 (a4 is the same content)

    a_requests = [(status, headers) for path, status, headers in site.log if path == "/a.xml"]
    assert [status for status, _ in a_requests] == [503, 200, 200, 200, 304]
    assert a_requests[-1][1].get("If-None-Match") == '"v2"'
    b_statuses = [status for path, status, _ in site.log if path == "/b.xml"]
    assert b_statuses == [200, 304, 304, 304, 304]
    page_requests = [path for path, _, _ in site.log if path.startswith("/pages/")]
    assert sorted(page_requests) == sorted(
        [
            "/pages/b1.html",
            "/pages/a1.html",
            "/pages/a2.html",
            "/pages/a2.html",
            "/pages/a3.html",
            "/pages/a4.html",
        ]
    )  # a1 fetched once: its URL is stored; a2 again after its failure
    assert all(h["User-Agent"].startswith("amity/") for _, _, h in site.log)

    # a second watch on the same registry stores nothing new
    again = CliRunner().invoke(app, [*args[:-1], "1", "--timeout", "0.5", "--host-delay", "0"])
    assert again.exit_code == 0, again.output
    with open_registry(db) as registry, registry.session() as session:
        assert len(session.scalars(select(ArticleRow.url)).all()) == 4


def test_fetcher_size_limit_and_host_delay(site):
    site.routes["/big.html"] = [ok(b"x" * 5000)]
    site.routes["/small.html"] = [ok(b"<p>hi</p>")]
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    fetcher = Fetcher(max_bytes=1024, host_delay=5.0, clock=lambda: now[0], sleep=sleep)
    try:
        big = fetcher.get(f"{site.base}/big.html")
        assert big.error is not None and "1,024 bytes" in big.error and big.body == b""
        small = fetcher.get(f"{site.base}/small.html")  # same host at once: waits 5 s
        assert small.error is None and small.body == b"<p>hi</p>"
        assert slept == [5.0]
    finally:
        fetcher.close()


def test_parse_feed_errors_and_helpers(tmp_path):
    assert parse_feed(b"<html><body>Not a feed</body></html>").error
    assert parse_feed(b"").error
    cut = parse_feed(b"<rss><channel><item>")
    assert (cut.error or cut.warning).startswith("malformed feed")
    assert parse_interval("15m") == 900 and parse_interval("90s") == 90 and parse_interval("2") == 2
    assert [retry_after(n, 900) for n in (1, 2, 3, 10)] == [30, 60, 120, 900]
    listed = tmp_path / "feeds.txt"
    listed.write_text("https://a.example/rss  # main\n\n# off\nhttps://b.example/atom\n")
    assert read_feed_list(listed) == ["https://a.example/rss", "https://b.example/atom"]


def test_ingest_reads_a_saved_feed_file(tmp_path, gazetteer):
    """`amity ingest feed.xml`: one article per entry, from the entry's own content; nothing
    is fetched (the links point nowhere)."""
    items = "".join(
        f"<item><title>{title}</title><link>http://127.0.0.1:9/{n}</link><guid>g{n}</guid>"
        f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        for n, (title, text) in enumerate(
            [("Trains", "The new timetable starts on Sunday."), ("Rain", "Rain is expected.")]
        )
    )
    feed = tmp_path / "saved.xml"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
    db = f"sqlite:///{tmp_path / 'feed.db'}"
    result = CliRunner().invoke(app, ["ingest", str(feed), "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    with open_registry(db) as registry, registry.session() as session:
        rows = session.execute(select(ArticleRow.external_id, ArticleRow.url, ArticleRow.title)).all()
    assert sorted(rows) == [
        ("g0", "http://127.0.0.1:9/0", "Trains"),
        ("g1", "http://127.0.0.1:9/1", "Rain"),
    ]
