"""Feeds over HTTP(S): the one owner of urllib. Bounded in time and size."""

from __future__ import annotations

import urllib.error
import urllib.request

from digest import __version__
from digest.errors import SourceError

TIMEOUT_SECONDS = 20
MAX_BYTES = 10 * 1024 * 1024


def fetch(url: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The body of a successful GET; SourceError naming the cause otherwise."""
    request = urllib.request.Request(url, headers={"User-Agent": f"digest/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise SourceError(f"HTTP {exc.code} {exc.reason} from {url}") from exc
    except urllib.error.URLError as exc:
        raise SourceError(f"cannot fetch {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise SourceError(f"cannot fetch {url}: no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise SourceError(f"cannot fetch {url}: {exc}") from exc
    if len(data) > MAX_BYTES:
        raise SourceError(f"feed at {url} is larger than {MAX_BYTES // 1_048_576} MB")
    return data
