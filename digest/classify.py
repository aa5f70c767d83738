"""Stage 4: theme rules -> themes with reasons, then sections ranked and capped.

A theme's keywords (from sources.yaml) are matched as whole words or phrases, case-insensitive
(all-caps acronyms such as IPO match case-sensitively); `word*` matches any ending and a
keyword starting with `re:` is a regular expression. A hit in the title counts 3, in the
summary 2, in the body 1 (each keyword's body count capped at 3, so one repeated word cannot
carry a long article). The best-scoring theme is the story's section; others scoring at least
half as much are secondary themes. Every decision keeps the evidence as `reasons`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from digest.models import Cluster, Entry, Section, Theme

TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
BODY_CAP = 3
MIN_SCORE = 2.0
SECONDARY_SHARE = 0.5
# A story goes to the description-only theme it is closest to (the cosine of its vector and
# the theme's "title. description") only from this close: headlines and one-line
# definitions share few words, so even a right match is a low cosine (median 0.09 on the
# events corpus).
MEANING_MIN = 0.05
MEANING_SCALE = 10.0  # a meaning-placed story ranks as if its keyword score were 10 x cosine


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """How strongly one story matches one theme, and the words that made it."""

    theme: str
    score: float
    title_hits: tuple[str, ...]
    summary_hits: tuple[str, ...]
    body_hits: tuple[tuple[str, int], ...]


_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text cut into lower-case words once; every theme's matcher then works by lookup."""

    text: str
    joined: str
    counts: Counter[str]
    vocabulary: frozenset[str]
    by_prefix: dict[str, tuple[str, ...]]
    prefixes: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Tokens:
        words = _TOKEN.findall(text.lower())
        counts = Counter(words)
        by_prefix: dict[str, list[str]] = {}
        for word in counts:
            by_prefix.setdefault(word[:3], []).append(word)
        return cls(
            text,
            " " + " ".join(words) + " ",
            counts,
            frozenset(counts),
            {key: tuple(found) for key, found in by_prefix.items()},
            frozenset(by_prefix),
        )


@dataclass(frozen=True, slots=True)
class Matcher:
    """A theme's keywords compiled for lookup by word rather than one big regex.

    Single words are counted from the text's word counts, `word*` through the words sharing
    its first three letters, phrases in the space-joined words, and `re:` keywords stay
    regexes. The cost grows with the number of keywords, not the length of the article.
    """

    words: frozenset[str]
    exact_case: tuple[tuple[str, re.Pattern[str]], ...]
    phrases: dict[str, tuple[tuple[tuple[str, ...], bool], ...]]
    prefixes: dict[str, tuple[str, ...]]
    regexes: tuple[re.Pattern[str], ...]
    phrase_starts: frozenset[str] = frozenset()
    prefix_keys: frozenset[str] = frozenset()

    def find(self, tokens: Tokens) -> Counter[str]:
        """How often each keyword occurs, keyed by the words that matched (lower case)."""
        counts = tokens.counts
        # Set intersections run in C over the smaller side.
        hits: Counter[str] = Counter(
            {word: counts[word] for word in self.words & tokens.vocabulary}
        )
        for word, pattern in self.exact_case:
            if word.lower() in counts:
                found = len(pattern.findall(tokens.text))
                if found:
                    hits[word.lower()] += found
        # Only the prefix groups and phrase first words present in this text are looked at.
        for key in self.prefix_keys & tokens.prefixes:
            for word in tokens.by_prefix[key]:
                if word.startswith(self.prefixes[key]):
                    hits[word] += counts[word]
        for first in self.phrase_starts & tokens.vocabulary:
            for phrase, wildcard in self.phrases[first]:
                _count_phrase(tokens, phrase, wildcard, hits)
        for pattern in self.regexes:
            for match in pattern.finditer(tokens.text):
                hits[re.sub(r"\s+", " ", match.group(0).lower())] += 1
        return hits


def _count_phrase(
    tokens: Tokens, phrase: tuple[str, ...], wildcard: bool, hits: Counter[str]
) -> None:
    """Count a phrase in the space-joined words; a wildcard phrase counts each ending found."""
    text = " ".join(phrase)
    if not wildcard:
        found = tokens.joined.count(f" {text} ")
        if found:
            hits[text] += found
    elif f" {text}" in tokens.joined:
        for match in re.finditer(rf" ({re.escape(text)}\S*)(?= )", tokens.joined):
            hits[match.group(1)] += 1


@lru_cache(maxsize=64)
def compile_keywords(keywords: tuple[str, ...]) -> Matcher:
    """Compile a theme's keywords (see the module docstring for the syntax)."""
    words: list[str] = []
    exact_case: list[str] = []
    phrases: list[tuple[tuple[str, ...], bool]] = []
    prefixes: list[str] = []
    regexes: list[re.Pattern[str]] = []
    for keyword in keywords:
        if keyword.startswith("re:"):
            regexes.append(re.compile(keyword[3:], re.IGNORECASE))
            continue
        wildcard = keyword.endswith("*")
        parts = tuple(_TOKEN.findall(keyword.rstrip("*")))
        if len(parts) > 1:
            phrases.append((tuple(part.lower() for part in parts), wildcard))
        elif parts and wildcard:
            prefixes.append(parts[0].lower())
        elif parts and len(keyword) >= 2 and keyword.isupper():
            exact_case.append(parts[0])
        elif parts:
            words.append(parts[0].lower())
    by_first: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for phrase, wildcard in phrases:
        by_first.setdefault(phrase[0], []).append((phrase, wildcard))
    by_key: dict[str, list[str]] = {}
    for prefix in prefixes:
        by_key.setdefault(prefix[:3], []).append(prefix)
    return Matcher(
        frozenset(words),
        tuple((word, re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")) for word in exact_case),
        {first: tuple(found) for first, found in by_first.items()},
        {key: tuple(found) for key, found in by_key.items()},
        tuple(regexes),
        frozenset(by_first),
        frozenset(by_key),
    )


def score_theme(theme: Theme, title: Tokens, summary: Tokens, body: Tokens) -> ThemeScore:
    """Score one story against one theme."""
    matcher = compile_keywords(theme.keywords)
    # Sorted: the hits come out of set intersections, whose order changes from run to run,
    # and the reasons that quote them must not.
    title_hits = tuple(sorted(matcher.find(title).elements()))
    summary_hits = tuple(sorted(matcher.find(summary).elements()))
    body_counts = matcher.find(body)
    body_score = sum(min(count, BODY_CAP) for count in body_counts.values())
    score = (
        TITLE_WEIGHT * len(title_hits)
        + SUMMARY_WEIGHT * len(summary_hits)
        + BODY_WEIGHT * body_score
    )
    body_hits = tuple(sorted(body_counts.items(), key=lambda hit: (-hit[1], hit[0])))
    return ThemeScore(theme.name, score, title_hits, summary_hits, body_hits)


def score_cluster(cluster: Cluster, themes: tuple[Theme, ...]) -> tuple[ThemeScore, ...]:
    """Score a cluster (its lead's title and summary, every item's body) against each theme."""
    lead = cluster.lead
    body = "\n".join("\n".join(story.body) for story in cluster.items)
    title, summary, text = Tokens.of(lead.title), Tokens.of(lead.summary), Tokens.of(body)
    return tuple(score_theme(theme, title, summary, text) for theme in themes)


def combine(scored: list[tuple[ThemeScore, ...]]) -> tuple[ThemeScore, ...]:
    """An event's scores from its items' own: each telling counts equally (its scores scaled
    so that its best equals the items' mean best), so one long article cannot outvote every
    other source's framing; the words of all are the evidence."""
    bests = [max((found.score for found in scores), default=0.0) for scores in scored]
    telling = [(scores, best) for scores, best in zip(scored, bests, strict=True) if best > 0]
    if not telling:
        return scored[0]
    scale = sum(best for _, best in telling) / len(telling)
    combined = []
    for position, first in enumerate(scored[0]):
        own = [scores[position] for scores in scored]
        counts: Counter[str] = Counter()
        for found in own:
            counts.update(dict(found.body_hits))
        combined.append(
            ThemeScore(
                first.theme,
                round(sum(scores[position].score / best for scores, best in telling) * scale, 1),
                tuple(sorted(hit for found in own for hit in found.title_hits)),
                tuple(sorted(hit for found in own for hit in found.summary_hits)),
                tuple(sorted(counts.items(), key=lambda hit: (-hit[1], hit[0]))),
            )
        )
    return tuple(combined)


def classify(
    cluster: Cluster,
    themes: tuple[Theme, ...],
    fallback: Theme,
    scores: tuple[ThemeScore, ...] | None = None,
    meaning: tuple[float, ...] | None = None,
) -> Entry:
    """Give a cluster its primary theme, any secondary themes, and the reasons.

    `scores` may be passed in when they were computed ahead (in a worker process).
    `meaning` is the story's similarity to each theme's title and description: a story no
    theme's keywords claim goes to the closest theme defined by its description alone (one
    without keywords), when it is close enough; else to the fallback.
    """
    if scores is None:
        scores = score_cluster(cluster, themes)
    ranked = sorted(scores, key=lambda found: -found.score)  # stable: config order breaks ties
    best = ranked[0] if ranked else None
    if best is None or best.score < MIN_SCORE:
        closest = _closest(themes, meaning)
        if closest is not None:
            theme, similarity = closest
            said = theme.description
            said = said if len(said) <= 60 else said[:57].rstrip() + "..."
            reason = f"closest to {theme.title}: '{said}' ({similarity:.2f})"
            return Entry(cluster, (theme.name,), (reason,), round(similarity * MEANING_SCALE, 2))
        reason = "no theme's keywords matched strongly enough" + (
            f" (best: {best.theme}, score {best.score:g})" if best and best.score else ""
        )
        if meaning and any(not theme.keywords for theme in themes):
            reason += "; no theme's description is close enough"
        return Entry(cluster, (fallback.name,), (reason,), 0.0)
    chosen = [best] + [
        found for found in ranked[1:] if found.score >= max(MIN_SCORE, best.score * SECONDARY_SHARE)
    ]
    reasons = tuple(_reason(found) for found in chosen)
    return Entry(cluster, tuple(found.theme for found in chosen), reasons, best.score)


def theme_meanings(
    clusters: list[Cluster], themes: tuple[Theme, ...], vectors: Mapping[str, Any]
) -> list[tuple[float, ...]]:
    """Per cluster, the similarity of its tellings (the mean of its items' vectors, made by
    the build's workers) to each theme's title and description; nothing when every theme
    has keywords (they alone decide then)."""
    if not clusters or all(theme.keywords for theme in themes):
        return []
    import numpy as np

    from digest.embed import embed
    from digest.events import vectors_of

    defined = embed([f"{theme.title}. {theme.description}" for theme in themes])
    table = vectors_of([story for cluster in clusters for story in cluster.items], vectors)
    found = []
    start = 0
    for cluster in clusters:
        mean = table[start : start + len(cluster.items)].mean(axis=0)
        start += len(cluster.items)
        norm = float(np.linalg.norm(mean)) or 1.0
        found.append(tuple(round(float(value), 4) for value in (defined @ (mean / norm))))
    return found


def _closest(
    themes: tuple[Theme, ...], meaning: tuple[float, ...] | None
) -> tuple[Theme, float] | None:
    """The description-only theme the story is closest to, if it is close enough."""
    if not meaning:
        return None
    candidates = [
        (value, index)
        for index, value in enumerate(meaning)
        if not themes[index].keywords and themes[index].description
    ]
    if not candidates:
        return None
    value, index = max(candidates, key=lambda pair: (pair[0], -pair[1]))
    return (themes[index], value) if value >= MEANING_MIN else None


def _reason(found: ThemeScore) -> str:
    parts = []
    if found.title_hits:
        parts.append("title says " + _quoted(found.title_hits))
    if found.summary_hits:
        parts.append("summary says " + _quoted(found.summary_hits))
    if found.body_hits:
        words = ", ".join(
            f'"{word}"' + (f" ×{count}" if count > 1 else "") for word, count in found.body_hits[:4]
        )
        parts.append("text says " + words)
    return f"{found.theme} (score {found.score:g}): " + "; ".join(parts)


def _quoted(hits: tuple[str, ...]) -> str:
    return ", ".join(f'"{word}"' for word in dict.fromkeys(hits))


def sections(entries: list[Entry], themes: tuple[Theme, ...], limit: int) -> tuple[Section, ...]:
    """Group entries by primary theme in config order, rank each section, mark the email's cap."""
    built = []
    for theme in themes:
        members = [entry for entry in entries if entry.themes[0] == theme.name]
        if not members:
            continue
        members.sort(key=_rank_key)
        placed = tuple(
            Entry(entry.cluster, entry.themes, entry.reasons, entry.score, index < limit)
            for index, entry in enumerate(members)
        )
        built.append(Section(theme, placed))
    return tuple(built)


def _rank_key(entry: Entry) -> tuple[float, float, float, float, str]:
    """More coverage first (sources that told it, then items), then stronger theme evidence,
    then newer, then by title."""
    items = entry.cluster.items
    sources = len({story.source for story in items if story.source})
    published = entry.cluster.lead.published
    newest = -published.timestamp() if published else 0.0
    return (-sources, -len(items), -entry.score, newest, entry.cluster.lead.title.lower())
