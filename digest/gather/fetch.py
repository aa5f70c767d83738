"""Feeds over HTTP(S): the one owner of httpx. Bounded in time and size, wherever the server is.

Every fetch has a deadline for the whole response, not only for each read: a server that
trickles a byte every few seconds never times out a single read, and would otherwise hold the
build (and a cron run's lock) forever. Bodies are decoded (gzip, deflate) by httpx as they
stream in, and the size cap applies to the decoded bytes. Redirects are followed by hand so
that each hop is checked: only http(s), and never into loopback, private or link-local
addresses unless the configured URL itself points there.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from digest import __version__
from digest.errors import SourceError

READ_TIMEOUT_SECONDS = 20.0  # one read, connect included
FEED_DEADLINE_SECONDS = 60.0  # the whole of one feed's response, redirects included
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"digest/{__version__} (newsletter digest generator)"


def fetch(
    url: str, deadline: float | None = None, read_timeout: float = READ_TIMEOUT_SECONDS
) -> bytes:
    """The body of a successful GET; SourceError naming the cause otherwise.

    `deadline` is a time.monotonic() moment; by default the feed gets FEED_DEADLINE_SECONDS.
    """
    import httpx  # imported here: only feed URLs need it

    end = deadline if deadline is not None else time.monotonic() + FEED_DEADLINE_SECONDS
    allowed_private = _is_private_host(urlsplit(url).hostname or "")
    timeout = httpx.Timeout(read_timeout)
    try:
        with httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        ) as client:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                _check_time(url, end)
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = _next_hop(
                            url, current, response.headers["location"], allowed_private
                        )
                        continue
                    if response.status_code >= 400:
                        raise SourceError(
                            f"HTTP {response.status_code} {response.reason_phrase} from {url}"
                        )
                    return _read_body(url, response.iter_bytes(), end)
            raise SourceError(f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects")
    except SourceError:
        raise
    except httpx.TimeoutException as exc:
        raise SourceError(f"cannot fetch {url}: no answer within {read_timeout:g} s") from exc
    except httpx.DecodingError as exc:
        raise SourceError(f"cannot fetch {url}: the compressed body is broken ({exc})") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise SourceError(f"cannot fetch {url}: {exc}") from exc


def _read_body(url: str, chunks: Iterator[bytes], end: float) -> bytes:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > MAX_BYTES:
            raise SourceError(f"feed at {url} is larger than {MAX_BYTES // 1_048_576} MB")
        _check_time(url, end)
    return bytes(data)


def _check_time(url: str, end: float) -> None:
    if time.monotonic() > end:
        raise SourceError(f"cannot fetch {url}: the response did not finish in time (too slow)")


def _next_hop(url: str, current: str, location: str, allowed_private: bool) -> str:
    target = urljoin(current, location)
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"cannot fetch {url}: redirected to a non-http(s) address")
    if not allowed_private and _is_private_host(parts.hostname):
        raise SourceError(
            f"cannot fetch {url}: redirected to a local or private address ({parts.hostname})"
        )
    return target


def _is_private_host(host: str) -> bool:
    """Whether a host names (or resolves to) loopback, private, link-local or reserved space."""
    try:
        addresses = {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable: the request itself will fail with the reason
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return any(
        a.is_loopback or a.is_private or a.is_link_local or a.is_reserved or a.is_unspecified
        for a in addresses
    )
