"""Feeds over HTTP from a real server on 127.0.0.1 that misbehaves: it trickles, hangs, floods
headers, redirects in loops and to other schemes, compresses, and sends too much. Each case
ends in bounded time with a reason, and never takes the other sources down with it."""

from __future__ import annotations

import contextlib
import gzip
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from digest.errors import SourceError
from digest.gather.fetch import _next_hop, fetch
from digest.gather.files import gather_url

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Trickle News</title>'
    b"<item><title>Cooling failure takes two data halls offline</title>"
    b"<link>https://example.com/a</link><description>The operator said a cooling failure took "
    b"two data halls offline for most of the night.</description></item></channel></rss>"
)


class Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        request = self.rfile.readline().decode("latin-1")
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        path = request.split(" ")[1] if " " in request else "/"
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.answer(path)

    def send(self, status: str, headers: list[tuple[str, str]], body: bytes = b"") -> None:
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        self.wfile.write(head.encode("latin-1") + b"Connection: close\r\n\r\n" + body)

    def answer(self, path: str) -> None:
        if path == "/ok":
            self.send("200 OK", [("Content-Length", str(len(RSS)))], RSS)
        elif path == "/trickle":  # headers and <rss>, then a byte every half second, for ever
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss>")
            while True:
                time.sleep(0.5)
                self.wfile.write(b" ")
        elif path == "/hang":
            time.sleep(30)
        elif path == "/headers":
            self.send("200 OK", [(f"X-Flood-{n}", "x") for n in range(2000)], RSS)
        elif path == "/gzip":
            body = gzip.compress(RSS)
            self.send(
                "200 OK", [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))], body
            )
        elif path == "/bomb":
            body = gzip.compress(b" " * (40 * 1024 * 1024))
            self.send(
                "200 OK", [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))], body
            )
        elif path == "/loop":
            self.send("302 Found", [("Location", "/loop"), ("Content-Length", "0")])
        elif path == "/moved":
            self.send("301 Moved", [("Location", "/ok"), ("Content-Length", "0")])
        elif path == "/to-file":
            self.send("302 Found", [("Location", "file:///etc/passwd"), ("Content-Length", "0")])
        elif path == "/gone":
            self.send("410 Gone", [("Content-Length", "0")])
        else:
            self.send("404 Not Found", [("Content-Length", "0")])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def timed(url: str, seconds: float = 3.0, read_timeout: float = 2.0) -> tuple[str, float]:
    started = time.monotonic()
    try:
        fetch(url, time.monotonic() + seconds, read_timeout)
        outcome = "ok"
    except SourceError as exc:
        outcome = exc.message
    return outcome, time.monotonic() - started


def test_a_trickling_server_is_cut_off_at_the_deadline(server: str) -> None:
    reason, took = timed(server + "/trickle", seconds=2.0)
    assert "did not finish in time" in reason and took < 4.0


def test_a_hanging_server_times_out(server: str) -> None:
    reason, took = timed(server + "/hang", read_timeout=1.0)
    assert "no answer within 1 s" in reason and took < 3.0


def test_good_gzip_and_redirected_feeds_are_read(server: str) -> None:
    assert fetch(server + "/ok") == RSS
    assert fetch(server + "/gzip") == RSS  # decoded, whatever the server's encoding
    assert fetch(server + "/moved") == RSS


def test_bad_answers_are_reasons_not_crashes(server: str) -> None:
    assert "HTTP 410 Gone" in timed(server + "/gone")[0]
    assert "more than 5 redirects" in timed(server + "/loop")[0]
    assert "non-http(s)" in timed(server + "/to-file")[0]
    assert "larger than 10 MB" in timed(server + "/bomb")[0]  # the cap is on decoded bytes
    flood = timed(server + "/headers")[0]
    assert flood == "ok" or flood.startswith("cannot fetch")
    assert "cannot fetch" in timed("http://127.0.0.1:9/nothing-listens")[0]


def test_redirects_into_private_addresses_are_refused_unless_the_feed_is_local() -> None:
    with pytest.raises(SourceError, match="local or private address"):
        _next_hop("https://feeds.example/x", "https://feeds.example/x", "http://127.0.0.1/", False)
    with pytest.raises(SourceError, match="local or private address"):
        _next_hop("https://feeds.example/x", "https://feeds.example/x", "http://10.1.2.3/", False)
    with pytest.raises(SourceError, match="local or private address"):
        _next_hop("https://feeds.example/x", "https://feeds.example/x", "http://[::1]/", False)
    with pytest.raises(SourceError, match="local or private address"):
        _next_hop(
            "https://feeds.example/x", "https://feeds.example/x", "http://169.254.169.254/", False
        )
    assert _next_hop("http://127.0.0.1/a", "http://127.0.0.1/a", "/b", True) == "http://127.0.0.1/b"


def test_a_slow_feed_is_one_skip_and_the_good_feed_still_counts(server: str) -> None:
    started = time.monotonic()
    slow = gather_url(server + "/trickle", "slow", deadline=time.monotonic() + 2.0)
    good = gather_url(server + "/ok", "good")
    assert time.monotonic() - started < 6.0
    assert slow.documents == () and "did not finish in time" in slow.skipped[0].reason
    assert [document.origin for document in good.documents] == ["good#1"]
