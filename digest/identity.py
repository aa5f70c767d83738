"""Story identity: a normalized URL and a hash of the normalized text.

Shared by normalize (each story's key), dedupe (exact duplicates) and, later, the state store
(what an earlier issue already carried), so all three agree on what "the same story" means.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from digest.models import Digest

_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|s_cid|_hsenc|_hsmi|mkt_tok)$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"\W+")


# Characters that could end a link in one of the outputs (Markdown's `(<...>)`, an HTML
# attribute, a plain-text line) or start markup, percent-encoded wherever they appear in a
# URL's path, query or fragment; the URL still names the same resource.
_URL_SAFE = "/:@!$&*+,;=-._~%?#"


def clean_url(url: str | None) -> str | None:
    """An http(s) URL that is safe in every output, or None: other schemes (javascript:,
    data:, file:) and URLs with whitespace or control characters inside are dropped."""
    if not url:
        return None
    url = url.strip()
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # a malformed port raises here
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    netloc = parts.hostname if parts.hostname.isascii() else parts.hostname.encode("idna").decode()
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, no tracking parameters, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    ]
    host = parts.netloc.lower().removeprefix("www.")
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return urlunsplit((scheme, host, parts.path.rstrip("/"), urlencode(query), ""))


def text_fingerprint(text: str) -> str:
    """A hash of the words of a text, blind to case, punctuation and spacing."""
    words = _NON_WORD.sub(" ", text.lower()).strip()
    return hashlib.sha1(words.encode("utf-8")).hexdigest()


def story_key(url: str | None, title: str, fingerprint: str) -> str:
    """A story's identity: its normalized URL when it has one, else its title and text hash."""
    basis = normalize_url(url) if url else _NON_WORD.sub(" ", title.lower()).strip() + fingerprint
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def digest_keys(digest: Digest) -> list[tuple[str | None, str]]:
    """The fingerprints the state keeps of every item of a digest: normalized URL (None
    when it has none) and the hash of its normalized text."""
    return [
        (normalize_url(story.url) if story.url else None, story.fingerprint)
        for entry in digest.entries
        for story in entry.cluster.items
    ]


def issue_hash(digest: Digest) -> str:
    """One issue's identity from its stories' fingerprints, in any order: the same stories
    give the same hash."""
    joined = "\n".join(sorted(f"{url}|{text}" for url, text in digest_keys(digest)))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()
