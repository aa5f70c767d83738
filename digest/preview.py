"""`digest preview`: the email as readers will see it, served on 127.0.0.1 and rebuilt on change.

The page shows the email at phone width (375 px) and desktop width, in dark mode, as plain
text and as HTML source, with its size against Gmail's clipping limit and a list of warnings.
A watcher thread rebuilds when an input, the configuration or a template changes; the page
polls `/version` and reloads itself. A build error (a broken template) is shown on the page
with the template's name and line while the last good email stays up.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from digest.errors import DigestError
from digest.models import Rendered

log = logging.getLogger(__name__)

GMAIL_CLIP_BYTES = 102_000
PHONE_SUBJECT_CHARS = 60


@dataclass
class PreviewState:
    """The latest build, shared between the watcher and the request handlers."""

    rendered: Rendered | None = None
    notes: tuple[str, ...] = ()  # inputs skipped and configuration warnings
    error: str | None = None
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


Builder = Callable[[], tuple[Rendered, tuple[str, ...]]]  # -> (the email, skips and warnings)


def warnings_for(rendered: Rendered, notes: tuple[str, ...] = ()) -> list[str]:
    """What a sender should know before this goes out: the build's own skips and warnings,
    then what the email itself gets wrong."""
    found = list(notes)
    hidden = rendered.hidden
    size = len(rendered.html.encode("utf-8"))
    if size > GMAIL_CLIP_BYTES:
        found.append(f"The HTML is {size / 1000:.0f} KB: Gmail clips messages over 102 KB.")
    if hidden:
        found.append(
            f"{hidden} {'story was' if hidden == 1 else 'stories were'} left out of the email for space (they are in the full issue)."
        )
    images = re.findall(r"<img\b[^>]*>", rendered.html, re.IGNORECASE)
    missing_alt = [tag for tag in images if not re.search(r"\balt\s*=", tag, re.IGNORECASE)]
    if missing_alt:
        found.append(f"{len(missing_alt)} image(s) without alt text.")
    insecure = sorted(set(re.findall(r'href="(http://[^"]+)"', rendered.html)))
    if insecure:
        found.append(f"{len(insecure)} link(s) not on https, e.g. {insecure[0]}")
    if len(rendered.subject) > PHONE_SUBJECT_CHARS:
        found.append(
            f"The subject is {len(rendered.subject)} characters; phones show about {PHONE_SUBJECT_CHARS}."
        )
    return found


def dark_version(email_html: str) -> str:
    """The email with its dark-mode rules applied unconditionally, as a dark client shows it."""
    forced = email_html.replace("@media (prefers-color-scheme: dark)", "@media all")
    return forced.replace("<head>", '<head><meta name="color-scheme" content="dark">', 1)


class Watcher(threading.Thread):
    """Rebuilds when any watched file changes (polling mtimes: no extra dependency).

    It never dies: while the configuration cannot be read (a YAML error, say) it keeps
    watching the paths it last knew, so fixing the file brings the preview back by itself.
    """

    def __init__(
        self, paths: Callable[[], list[Path]], rebuild: Callable[[], None], interval: float = 0.5
    ) -> None:
        super().__init__(daemon=True)
        self.paths, self.rebuild, self.interval = paths, rebuild, interval
        self.stopped = threading.Event()
        self.roots: list[Path] = []
        self.seen = self._snapshot()

    def _snapshot(self) -> dict[str, float]:
        try:
            self.roots = self.paths()
        except Exception:  # the config is broken: the build shows why; keep the last roots
            log.debug("preview: watched paths unavailable", exc_info=True)
        snapshot: dict[str, float] = {}
        for root in self.roots:
            if root.is_dir():
                for folder, _, files in os.walk(root):
                    for name in files:
                        path = os.path.join(folder, name)
                        try:
                            snapshot[path] = os.stat(path).st_mtime
                        except OSError:
                            continue
            else:
                try:
                    snapshot[str(root)] = root.stat().st_mtime
                except OSError:
                    continue
        return snapshot

    def run(self) -> None:
        # Sleep, then look at the flag: a plain sleep keeps working where a timed wait on an
        # Event does not (under libfaketime, which the year-ahead test run uses).
        while not self.stopped.is_set():
            time.sleep(self.interval)
            current = self._snapshot()
            if current != self.seen and not self.stopped.is_set():
                self.seen = current
                self.rebuild()


class Preview:
    """The server: build once, serve, rebuild on change."""

    def __init__(self, build: Builder, watched: Callable[[], list[Path]], port: int) -> None:
        self.build = build
        self.state = PreviewState()
        self.rebuild()
        self.watcher = Watcher(watched, self.rebuild)
        handler = _handler(self.state)
        self.server = _BoundedServer(("127.0.0.1", port), handler)
        self.port = int(self.server.server_address[1])

    def rebuild(self) -> None:
        try:
            rendered, notes = self.build()
        except DigestError as exc:
            self._failed(str(exc))
            return
        except Exception as exc:  # the server outlives any one bad build
            log.debug("preview build crashed", exc_info=True)
            self._failed(f"{type(exc).__name__}: {exc}")
            return
        with self.state.lock:
            self.state.rendered, self.state.notes, self.state.error = rendered, notes, None
            self.state.version += 1

    def _failed(self, error: str) -> None:
        log.warning("preview build failed: %s", error)
        with self.state.lock:
            self.state.error, self.state.version = error, self.state.version + 1

    def serve_forever(self) -> None:
        self.watcher.start()
        try:
            self.server.serve_forever(poll_interval=0.2)
        finally:
            self.watcher.stopped.set()
            self.server.server_close()

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.watcher.stopped.set()
        self.server.shutdown()


class _BoundedServer(ThreadingHTTPServer):
    """At most MAX_CONNECTIONS at once: past that a new connection is closed at once, so idle
    or slow clients cannot make threads without end."""

    MAX_CONNECTIONS = 32
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(self.MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


# Answer only requests addressed to this machine by name: a page elsewhere that rebinds its
# own host name to 127.0.0.1 (DNS rebinding) sends its own name in Host and gets nothing.
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def _handler(state: PreviewState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # seconds a connection may sit idle (slowloris)

        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").strip().lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in _LOCAL_HOSTS:
                self._send(
                    "this preview answers only to 127.0.0.1 and localhost", "text/plain", 421
                )
                return
            with state.lock:
                rendered, notes, error, version = (
                    state.rendered,
                    state.notes,
                    state.error,
                    state.version,
                )
            path = self.path.split("?")[0]
            if path == "/version":
                self._send(json.dumps({"version": version, "error": error}), "application/json")
            elif rendered is None:
                self._send(_error_page(error or "no build yet"), "text/html", 500 if error else 503)
            elif path == "/email.html":
                self._send(rendered.html, "text/html")
            elif path == "/email-dark.html":
                self._send(dark_version(rendered.html), "text/html")
            elif path == "/email.txt":
                self._send(rendered.text, "text/plain")
            elif path in ("/", "/index.html"):
                self._send(_page(rendered, notes, error, version), "text/html")
            else:
                self._send("not found", "text/plain", 404)

        def _send(self, body: str, kind: str, status: int = 200) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            log.debug("preview: " + format, *args)

    return Handler


_RELOADER = """
<script>
let seen = VERSION;
setInterval(async () => {
  try {
    const answer = await (await fetch('/version', {cache: 'no-store'})).json();
    if (answer.version !== seen) { location.reload(); }
  } catch (e) {}
}, 1000);
</script>"""


def _page(rendered: Rendered, notes: tuple[str, ...], error: str | None, version: int) -> str:
    size = len(rendered.html.encode("utf-8"))
    warnings = warnings_for(rendered, notes)
    banner = (
        f'<div class="error"><b>Build failed</b> (showing the last good email):<pre>{html.escape(error)}</pre></div>'
        if error
        else ""
    )
    items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings) or "<li>None.</li>"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Preview: {html.escape(rendered.subject)}</title>
<style>
 body {{ font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 16px; background: #eef0f3; color: #1f2328; }}
 .frames {{ display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }}
 figure {{ margin: 0; }} figcaption {{ font-weight: 600; margin-bottom: 4px; }}
 iframe {{ border: 1px solid #c9ced6; background: #fff; height: 900px; }}
 pre {{ white-space: pre-wrap; background: #fff; border: 1px solid #c9ced6; padding: 12px; max-height: 600px; overflow: auto; }}
 .error {{ background: #ffebe9; border: 1px solid #cf222e; padding: 8px 12px; margin-bottom: 12px; }}
</style></head><body>
{banner}
<h1>{html.escape(rendered.subject)}</h1>
<p id="size">HTML size: {size / 1000:.1f} KB of Gmail's 102 KB clipping limit ({size * 100 / GMAIL_CLIP_BYTES:.0f}%).</p>
<h2>Warnings</h2><ul id="warnings">{items}</ul>
<div class="frames">
 <figure><figcaption>Phone, 375 px</figcaption><iframe id="phone" src="/email.html" width="375"></iframe></figure>
 <figure><figcaption>Desktop, 700 px</figcaption><iframe id="desktop" src="/email.html" width="700"></iframe></figure>
 <figure><figcaption>Dark mode</figcaption><iframe id="dark" src="/email-dark.html" width="600"></iframe></figure>
</div>
<h2>Plain text</h2><pre id="text">{html.escape(rendered.text)}</pre>
<h2>HTML source</h2><pre id="source">{html.escape(rendered.html)}</pre>
{_RELOADER.replace("VERSION", str(version))}
</body></html>"""


def _error_page(error: str) -> str:
    return f"<!doctype html><html><body><h1>Build failed</h1><pre>{html.escape(error)}</pre>{_RELOADER.replace('VERSION', '-1')}</body></html>"


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll until condition() is true or the timeout passes (used by tests and --open)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
