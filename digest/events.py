"""Stage 3b: stories about the same event, from different sources and in different words,
merged into one cluster.

Two stories tell the same event when what they say means the same (the cosine of their
title-and-lead vectors, `digest.embed`, once what each source's stories share, its language
and house style, is taken out) and they were told close in time: the similarity decays with
the days between them, so next day's market report, which reads like today's, is another
event; and two headlines that give figures must share one. Clusters grow by average linkage: a story joins a cluster only when it is
close to the cluster as a whole, not to one member, so one vague headline cannot chain two
events together.

Near-linear: a story is compared only with the stories told within reach in time that share
one of its rarest words (blocking); a word too common to tell events apart opens no
comparisons. Deterministic: pairs are taken in order of similarity, ties by the stories'
origins, so the input's order does not change the clusters.
"""

from __future__ import annotations

import bisect
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from digest.models import Cluster, Story
from digest.normalize.text import word_count

if TYPE_CHECKING:
    import numpy as np

# The similarity (after the time decay) at which two stories, or a story and a cluster on
# average, are the same event. Measured on the events corpus and on pairs of different events
# of one company (see the README's "Same-event merging").
THRESHOLD = 0.38
# Days over which the similarity of two stories falls to 1/e.
_DECAY_DAYS = 1.0
# Each story is compared with those sharing one of its few rarest words...
_RAREST = 5
# ...and a word found in more stories than this, told within reach, is too common to block on.
_MAX_POSTINGS = 50
# A cluster this large stops growing: clusters stay cheap to compare, and no event has more.
_MAX_CLUSTER = 64
_WORD = re.compile(r"\w{3,}")
# A figure in a headline: "$300 million", "840MB", "six-hour" does not count (no digits).
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"[.,](?=\d{3}(?:\D|$))")
_LEAD_CHARS = 300
# A source's common direction is taken out in full only when it has many stories: of n
# stories, the share n / (n + _SHRINK) (a lone story keeps two thirds of its direction).
_SHRINK = 2.0
_FIRST_SENTENCE = re.compile(r".+?[.!?…](?=\s|$)", re.S)


def story_vectors(stories: Sequence[Story]) -> np.ndarray:
    """The vectors merging compares, one row per story: of its title and lead sentence."""
    from digest.embed import embed

    return embed([event_text(story) for story in stories])


def vectors_of(stories: Sequence[Story], known: Mapping[str, np.ndarray]) -> np.ndarray:
    """The stories' vectors, one row each: those already made (by origin), the rest made now."""
    import numpy as np

    missing = [story for story in stories if story.origin not in known]
    made = dict(zip((story.origin for story in missing), story_vectors(missing), strict=True))
    return np.stack([known[s.origin] if s.origin in known else made[s.origin] for s in stories])


def merge_events(
    clusters: list[Cluster],
    vectors: Mapping[str, np.ndarray] | None = None,
    threshold: float = THRESHOLD,
) -> list[Cluster]:
    """The clusters with those that tell the same event merged; order of first appearance.
    `vectors` holds the story vectors already made (by the build's workers), by origin."""
    if len(clusters) < 2:
        return clusters
    told = _Told.of(clusters, vectors or {})
    groups = _link(_candidates(clusters, told, threshold), told, threshold)
    return [_merge([clusters[index] for index in members], told, members) for members in groups]


@dataclass(frozen=True, slots=True)
class _Told:
    """What the similarity of two stories reads: their vectors, days and headline figures."""

    vectors: np.ndarray
    days: np.ndarray
    figures: np.ndarray  # per story, its headline's figures as bits of a 64-bit mask

    @classmethod
    def of(cls, clusters: list[Cluster], known: Mapping[str, np.ndarray]) -> _Told:
        import numpy as np

        leads = [cluster.lead for cluster in clusters]
        return cls(
            _centred(vectors_of(leads, known), [story.source for story in leads]),
            np.array([_days(story) for story in leads], dtype=np.float64),
            np.array([_figure_bits(story.title) for story in leads], dtype=np.uint64),
        )

    def similarity(self, a: list[int], b: list[int]) -> np.ndarray:
        """The |a| x |b| similarities: the vectors' cosine, decayed by the days between the
        stories, and nothing when both headlines give figures and no figure agrees ("raises
        $300 million" and "raises $40 million" are two rounds, however alike the words)."""
        import numpy as np

        similar: np.ndarray = self.vectors[a] @ self.vectors[b].T
        decay = np.exp(-np.abs(self.days[a][:, None] - self.days[b][None, :]) / _DECAY_DAYS)
        similar *= np.where(np.isnan(decay), 1.0, decay)  # a story without a date: any time
        left, right = self.figures[a][:, None], self.figures[b][None, :]
        similar[(left != 0) & (right != 0) & ((left & right) == 0)] = 0.0
        return similar


def _candidates(
    clusters: list[Cluster], told: _Told, threshold: float
) -> list[tuple[float, int, int]]:
    """Pairs (similarity, i, j) of stories that share a rare word, told within the time in
    which the decay still lets them reach the threshold, and similar enough."""
    import numpy as np

    words = [set(_WORD.findall(event_text(cluster.lead).lower())) for cluster in clusters]
    reach = -math.log(threshold) * _DECAY_DAYS  # days apart beyond which no pair can merge
    days = told.days.tolist()
    dated: dict[str, list[tuple[float, int]]] = defaultdict(list)
    undated: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(words):
        for word in found:
            if math.isnan(days[index]):
                undated[word].append(index)
            else:
                dated[word].append((days[index], index))
    for postings in dated.values():
        postings.sort()
    found_pairs: dict[tuple[int, int], float] = {}
    for index, found in enumerate(words):
        spans = {word: _in_reach(dated[word], days[index], reach) for word in found}
        counts = {word: high - low + len(undated[word]) for word, (low, high) in spans.items()}
        # A word shared with few stories told at about the same time is rare enough.
        rare = sorted(
            (word for word, count in counts.items() if 1 < count <= _MAX_POSTINGS),
            key=lambda word: (counts[word], word),
        )[:_RAREST]
        # Both stories' rarest words open the comparison, whichever came first.
        others = sorted(
            {
                other
                for word in rare
                for other in [i for _, i in dated[word][slice(*spans[word])]] + undated[word]
                if other != index
            }
        )
        if not others:
            continue
        similar = told.similarity([index], others)[0]
        for at in np.flatnonzero(similar >= threshold).tolist():
            other = others[at]
            found_pairs[min(index, other), max(index, other)] = float(similar[at])
    keys = [cluster.lead.origin for cluster in clusters]
    # Ties are broken by the stories' origins, not their places, so the input's order
    # does not change the clusters.
    return sorted(
        ((value, a, b) for (a, b), value in found_pairs.items()),
        key=lambda pair: (-pair[0], *sorted((keys[pair[1]], keys[pair[2]]))),
    )


def _in_reach(postings: list[tuple[float, int]], day: float, reach: float) -> tuple[int, int]:
    """The span of a word's postings (sorted by day) told within `reach` days of `day`; all
    of them when the story has no date."""
    if math.isnan(day):
        return 0, len(postings)
    low = bisect.bisect_left(postings, (day - reach, -1))
    return low, bisect.bisect_right(postings, (day + reach, math.inf), lo=low)


def _link(pairs: list[tuple[float, int, int]], told: _Told, threshold: float) -> list[list[int]]:
    """Average-linkage groups, built from the most similar pair down."""
    count = len(told.vectors)
    owner = list(range(count))
    members: dict[int, list[int]] = {index: [index] for index in range(count)}
    for _, first, second in pairs:
        a, b = owner[first], owner[second]
        if a == b or len(members[a]) + len(members[b]) > _MAX_CLUSTER:
            continue
        if float(told.similarity(members[a], members[b]).mean()) < threshold:
            continue
        keep, gone = min(a, b), max(a, b)
        members[keep].extend(members.pop(gone))
        for index in members[keep]:
            owner[index] = keep
    return [sorted(group) for _, group in sorted(members.items())]


def _merge(group: list[Cluster], told: _Told, members: list[int]) -> Cluster:
    """One cluster of the group's items: the best-told story leads (the fullest text, then
    the earliest, then the first read), the others follow with the similarity that joined
    them (1.0 for an exact duplicate)."""
    if len(group) == 1:
        return group[0]
    items: list[tuple[Story, float, int]] = []
    among = told.similarity(members, members)
    # each member's mean similarity to the others (its own, 1, left out)
    joined = (among.sum(axis=1) - among.diagonal()) / (len(members) - 1)
    for cluster, index, value in zip(group, members, joined.tolist(), strict=True):
        items.append((cluster.lead, round(value, 3), index))
        items.extend((story, 1.0, index) for story in cluster.duplicates)
    lead = min(items, key=lambda item: (-_words(item[0]), _time(item[0]), item[0].origin))
    # The lead's exact copies (its input cluster) joined it as the same URL or text.
    rest = [
        (story, 1.0 if at == lead[2] else value)
        for story, value, at in items
        if story is not lead[0]
    ]
    return Cluster(lead[0], tuple(story for story, _ in rest), tuple(value for _, value in rest))


def event_text(story: Story) -> str:
    """What a story is about: its title and its lead sentence."""
    found = _FIRST_SENTENCE.match(story.summary) if story.summary else None
    lead = found.group(0) if found else story.summary
    return f"{story.title}. {lead}"[:_LEAD_CHARS] if lead else story.title


def _centred(vectors: np.ndarray, sources: list[str | None]) -> np.ndarray:
    """The vectors with what each source's stories have in common taken out (its language,
    its house style, its subject), shrunk for a source of few stories, and made unit again:
    left is what a story says that its source's other stories do not."""
    import numpy as np

    rows: dict[str | None, list[int]] = defaultdict(list)
    for index, source in enumerate(sources):
        rows[source].append(index)
    centred = vectors.copy()
    for members in rows.values():
        share = len(members) / (len(members) + _SHRINK)
        centred[members] -= share * vectors[members].mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 0)
    return unit


def _figure_bits(title: str) -> int:
    """The headline's figures as a set of bits (two figures share a bit one time in 64 by
    chance, and are then taken to agree: the test only ever keeps stories apart)."""
    bits = 0
    for figure in _FIGURE.findall(title):
        # "1,000", "1.000" and "1000" are one figure; "0,68" and "1.5" keep their decimals.
        figure = _THOUSANDS.sub("", figure)
        bits |= 1 << (zlib.crc32(figure.encode()) % 64)
    return bits


def _days(story: Story) -> float:
    moment = story.published or story.dated
    return moment.timestamp() / 86400 if moment else math.nan


def _words(story: Story) -> int:
    return sum(word_count(paragraph) for paragraph in story.body)


def _time(story: Story) -> float:
    moment: datetime | None = story.published or story.dated
    return moment.timestamp() if moment else math.inf


def nearest(clusters: list[Cluster], index: int, count: int) -> list[tuple[int, float]]:
    """The clusters whose leads are most similar to cluster `index`'s lead, most similar
    first, as merging measures two stories (each source's direction taken out over every
    item): what `digest explain` shows as not merged, and how close."""
    if len(clusters) < 2:
        return []
    items = [Cluster(story) for cluster in clusters for story in cluster.items]
    leads, at = [], 0
    for cluster in clusters:
        leads.append(at)
        at += len(cluster.items)
    told = _Told.of(items, {})
    others = [other for other in range(len(clusters)) if other != index]
    similar = told.similarity([leads[index]], [leads[other] for other in others])[0].tolist()
    ranked = sorted(zip(others, similar, strict=True), key=lambda pair: (-pair[1], pair[0]))
    return [(other, round(value, 3)) for other, value in ranked[:count]]
