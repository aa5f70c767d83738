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
from dataclasses import dataclass
from functools import lru_cache

from digest.models import Cluster, Entry, Section, Theme

TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
BODY_CAP = 3
MIN_SCORE = 2.0
SECONDARY_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """How strongly one story matches one theme, and the words that made it."""

    theme: str
    score: float
    title_hits: tuple[str, ...]
    summary_hits: tuple[str, ...]
    body_hits: tuple[tuple[str, int], ...]


def keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled alternation for a theme's keywords."""
    return _compile(keywords)


@lru_cache(maxsize=64)
def _compile(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for keyword in keywords:
        if keyword.startswith("re:"):
            parts.append(f"(?:{keyword[3:]})")
            continue
        escaped = r"\s+".join(re.escape(word) for word in keyword.rstrip("*").split())
        if keyword.endswith("*"):
            escaped += r"[\w-]*"
        if len(keyword) >= 2 and keyword.isupper():
            escaped = f"(?-i:{escaped})"
        parts.append(rf"(?<![\w-]){escaped}(?![\w-])")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def score_theme(theme: Theme, title: str, summary: str, body: str) -> ThemeScore:
    """Score one story against one theme."""
    pattern = keyword_pattern(theme.keywords)
    if pattern is None:
        return ThemeScore(theme.name, 0.0, (), (), ())
    title_hits = tuple(_hits(pattern, title))
    summary_hits = tuple(_hits(pattern, summary))
    body_counts = Counter(_hits(pattern, body))
    body_score = sum(min(count, BODY_CAP) for count in body_counts.values())
    score = (
        TITLE_WEIGHT * len(title_hits)
        + SUMMARY_WEIGHT * len(summary_hits)
        + BODY_WEIGHT * body_score
    )
    return ThemeScore(theme.name, score, title_hits, summary_hits, tuple(body_counts.most_common()))


def _hits(pattern: re.Pattern[str], text: str) -> list[str]:
    return [re.sub(r"\s+", " ", match.group(0).lower()) for match in pattern.finditer(text)]


def classify(cluster: Cluster, themes: tuple[Theme, ...], fallback: Theme) -> Entry:
    """Give a cluster its primary theme, any secondary themes, and the reasons."""
    lead = cluster.lead
    body = "\n".join("\n".join(story.body) for story in cluster.items)
    scores = [score_theme(theme, lead.title, lead.summary, body) for theme in themes]
    ranked = sorted(scores, key=lambda found: -found.score)  # stable: config order breaks ties
    best = ranked[0] if ranked else None
    if best is None or best.score < MIN_SCORE:
        reason = "no theme's keywords matched strongly enough" + (
            f" (best: {best.theme}, score {best.score:g})" if best and best.score else ""
        )
        return Entry(cluster, (fallback.name,), (reason,), 0.0)
    chosen = [best] + [
        found for found in ranked[1:] if found.score >= max(MIN_SCORE, best.score * SECONDARY_SHARE)
    ]
    reasons = tuple(_reason(found) for found in chosen)
    return Entry(cluster, tuple(found.theme for found in chosen), reasons, best.score)


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


def _rank_key(entry: Entry) -> tuple[float, float, float, str]:
    """More coverage first, then stronger theme evidence, then newer, then by title."""
    published = entry.cluster.lead.published
    newest = -published.timestamp() if published else 0.0
    return (-len(entry.cluster.items), -entry.score, newest, entry.cluster.lead.title.lower())
