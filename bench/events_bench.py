"""Benchmark: same-event merging (stage 3b) at 1,000 to 100,000 stories.

    python bench/events_bench.py                 # 1,000, 10,000 and 100,000 stories
    python bench/events_bench.py 5000            # any sizes

Generates stories of many events over a week: each event (a company or person, what
happened, a figure) is told by one to six sources in different templates, so the blocking
words (names) and the vectors behave as in real coverage. Times the story vectors (one
process, one batch) and the merging itself (blocking, average linkage), prints the pairwise
precision and recall against the generated events, and the peak memory.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

from digest.events import merge_events, story_vectors
from digest.models import Cluster, Story

SYLLABLES = "ka lo mi ra ven tor bel dun sha quo zi fen mar pol tis gre hal cor nim vex".split()
HAPPENINGS = [
    (
        "outage",
        [
            "{n} suffers {x}-hour outage",
            "{n} services down for {x} hours",
            "Outage at {n} lasts {x} hours",
            "{n} restores service after {x}-hour failure",
        ],
    ),
    (
        "funding",
        [
            "{n} raises ${x} million",
            "{n} closes ${x} million funding round",
            "Investors put ${x} million into {n}",
            "{n} valued higher after ${x}M round",
        ],
    ),
    (
        "lawsuit",
        [
            "{n} sued over {x} patents",
            "Court case against {n} cites {x} patents",
            "{n} faces lawsuit on {x} patents",
            "Patent suit targets {n} ({x} claims)",
        ],
    ),
    (
        "launch",
        [
            "{n} launches model with {x} billion parameters",
            "{n} unveils {x}B-parameter model",
            "New {n} model has {x} billion parameters",
            "{n} ships its largest model yet, at {x}B",
        ],
    ),
    (
        "hiring",
        [
            "{n} to hire {x} engineers",
            "{n} plans {x} new jobs",
            "{n} expands team by {x}",
            "{n} hiring spree: {x} roles",
        ],
    ),
]


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()


def make_stories(count: int, seed: int = 11) -> tuple[list[Cluster], list[int]]:
    rng = random.Random(seed)
    start = datetime(2026, 11, 16, tzinfo=UTC)
    clusters: list[Cluster] = []
    events: list[int] = []
    event = 0
    while len(clusters) < count:
        who, (_, templates) = name(rng), rng.choice(HAPPENINGS)
        figure, when = rng.randint(2, 900), start + timedelta(hours=rng.uniform(0, 160))
        for told in range(min(rng.randint(1, 6), count - len(clusters))):
            title = rng.choice(templates).format(n=who, x=figure)
            published = when + timedelta(hours=rng.uniform(0, 12))
            lead = f"{who} said on {published:%A} that the figure was {figure}."
            origin = f"s{len(clusters)}"
            clusters.append(
                Cluster(
                    Story(
                        origin,
                        origin,
                        title,
                        lead,
                        (lead,),
                        source=f"source {told}",
                        published=published,
                        dated=published,
                    )
                )
            )
            events.append(event)
        event += 1
    return clusters, events


def measure(count: int) -> None:
    clusters, events = make_stories(count)
    started = time.perf_counter()
    rows = story_vectors([cluster.lead for cluster in clusters])
    vectors = dict(zip((cluster.lead.origin for cluster in clusters), rows, strict=True))
    embedded = time.perf_counter() - started
    started = time.perf_counter()
    merged = merge_events(clusters, vectors)
    merging = time.perf_counter() - started
    place = {cluster.lead.origin: index for index, cluster in enumerate(clusters)}
    by_event: dict[int, list[int]] = {}
    for index, event in enumerate(events):
        by_event.setdefault(event, []).append(index)
    true_pairs = sum(len(m) * (len(m) - 1) // 2 for m in by_event.values())
    found = correct = 0
    for cluster in merged:
        members = [events[place[story.origin]] for story in cluster.items]
        found += len(members) * (len(members) - 1) // 2
        correct += sum(members.count(e) * (members.count(e) - 1) // 2 for e in set(members))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count:>7,} stories | vectors {embedded:6.2f} s | merging {merging:6.2f} s "
        f"({count / merging:,.0f} stories/s) | {len(merged):,} entries | pairwise P "
        f"{correct / found if found else float('nan'):.3f} R {correct / true_pairs:.3f} | "
        f"peak RSS {peak:,.0f} MB"
    )


def main() -> int:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1000, 10000, 100000]
    print(f"same-event merging benchmark on {sys.platform}, Python {sys.version.split()[0]}")
    for count in sizes:
        measure(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
