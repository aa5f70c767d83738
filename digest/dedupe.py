"""Stage 3: exact duplicates merged into clusters (the same normalized URL or the same text)."""

from __future__ import annotations

from digest.identity import normalize_url, text_fingerprint
from digest.models import Cluster, Story


def fingerprints(story: Story) -> list[str]:
    """The keys under which two stories are the same: their text, and their URL if any."""
    found = ["text:" + (story.fingerprint or text_fingerprint(" ".join(story.body)))]
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
