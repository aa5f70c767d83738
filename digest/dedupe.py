"""Stage 3: exact duplicates merged into clusters (same normalized URL or the same text)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest.models import Cluster, Story

_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|s_cid|_hsenc|_hsmi|mkt_tok)$",
    re.I,
)


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, no tracking parameters, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    ]
    path = parts.path.rstrip("/") or ""
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit(
        (
            "https" if parts.scheme in ("http", "https") else parts.scheme,
            host,
            path,
            urlencode(query),
            "",
        )
    )


def text_fingerprint(story: Story) -> str:
    """A hash of the story's words, blind to case, punctuation and spacing."""
    words = re.sub(r"\W+", " ", " ".join(story.body).lower()).strip()
    return hashlib.sha1(words.encode("utf-8")).hexdigest()


def fingerprints(story: Story) -> list[str]:
    found = ["text:" + text_fingerprint(story)]
    if story.url:
        found.append("url:" + normalize_url(story.url))
    return found


def merge_exact(stories: list[Story]) -> list[Cluster]:
    """Merge stories that share a fingerprint; the first one seen leads, order is kept."""
    owner: dict[str, int] = {}
    groups: list[list[Story]] = []
    for story in stories:
        keys = fingerprints(story)
        index = next((owner[key] for key in keys if key in owner), None)
        if index is None:
            index = len(groups)
            groups.append([])
        groups[index].append(story)
        for key in keys:
            owner.setdefault(key, index)
    return [Cluster(group[0], tuple(group[1:])) for group in groups]
