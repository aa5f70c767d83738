"""`digest explain`: why a story sits where it does, in words.

For the story whose title or origin matches the query: the evidence for every theme (what
each theme's keywords found, with its score), what decided its section, the items merged
into it and the similarity that joined each, and the nearest stories that were not merged,
with their similarity against the threshold.
"""

from __future__ import annotations

from digest.classify import combine, score_cluster
from digest.events import THRESHOLD, nearest
from digest.models import Cluster, Digest, Entry, Theme


def find(digest: Digest, query: str) -> Entry | None:
    """The first entry, in the digest's order (sections in theme order, best-ranked first
    within each), with an item whose title or origin holds the query (case-insensitive)."""
    wanted = query.casefold()
    for entry in digest.entries:
        for story in entry.cluster.items:
            if wanted in story.title.casefold() or wanted in story.origin.casefold():
                return entry
    return None


def explain(digest: Digest, themes: tuple[Theme, ...], query: str, count: int = 3) -> str | None:
    """The explanation of the story the query names, or None when none matches."""
    entry = find(digest, query)
    if entry is None:
        return None
    entries = list(digest.entries)
    lead = entry.cluster.lead
    section = next(s.theme.title for s in digest.sections if entry in s.entries)
    lines = [lead.title, f"  from {lead.origin}" + (f" ({lead.source})" if lead.source else "")]
    lines += ["", f"Section: {section}"]
    lines += [f"  {reason}" for reason in entry.reasons]
    lines += ["", "Evidence for every theme (keywords found, score):"]
    # Scored as the build scores an event: each item on its own, the tellings combined.
    scored = combine([score_cluster(Cluster(story), themes) for story in entry.cluster.items])
    for found in sorted(scored, key=lambda f: -f.score):
        hits = sorted({*found.title_hits, *found.summary_hits, *(w for w, _ in found.body_hits)})
        said = ", ".join(f'"{hit}"' for hit in hits[:6]) if hits else "no keyword found"
        lines.append(f"  {found.theme}: {found.score:g} ({said})")
    items = entry.cluster.items
    lines += ["", f"Items merged into it ({len(items)}):"]
    for number, (story, similarity) in enumerate(zip(items, entry.cluster.joined, strict=True)):
        how = (
            "the lead (the fullest text, then the earliest)"
            if number == 0
            else "the same URL or text"
            if similarity == 1.0
            else f"similarity {similarity:.2f} to the others (>= {THRESHOLD:g} joins)"
        )
        lines.append(f"  {story.source or story.origin}: {story.title}")
        lines.append(f"    {story.origin}; {how}")
    clusters = [other.cluster for other in entries]
    close = nearest(clusters, entries.index(entry), count)
    lines += [
        "",
        "Nearest stories not merged (the similarity of their leads; merging needs "
        f"{THRESHOLD:g} or more on average with every item of the event, and a rare word "
        "in common):",
    ]
    for other, similarity in close:
        story = clusters[other].lead
        lines.append(f"  {similarity:.2f}  {story.title} ({story.source or story.origin})")
    if not close:
        lines.append("  none: it is the only story")
    return "\n".join(lines)
