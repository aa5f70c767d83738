"""build_digest(): the only place that knows the order of the stages."""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from digest.classify import classify, sections
from digest.config import Config, SourceConfig
from digest.dedupe import merge_exact
from digest.gather.files import gather_path
from digest.models import Digest, Document, Period, Skipped, Story
from digest.normalize import Normalized, normalize
from digest.window import in_period

log = logging.getLogger(__name__)

# Below this many documents a process pool costs more than it saves.
_PARALLEL_FROM = 400


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """What to build: the config, the window, and the moment the build happens."""

    config: Config
    period: Period
    now: datetime
    sources: tuple[SourceConfig, ...] | None = None
    title: str | None = None


def build_digest(request: BuildRequest) -> Digest:
    """Gather, normalize, filter by date, merge duplicates, classify and rank."""
    config = request.config
    sources = request.sources if request.sources is not None else config.sources
    documents, skipped = gather(sources)
    stories, more_skipped = normalize_all(documents, config.timezone)
    skipped.extend(more_skipped)
    take_all = {source.label for source in sources if source.take_all}
    kept = [story for story in stories if _in_window(story, request.period, take_all, documents)]
    clusters = merge_exact(kept)
    entries = [classify(cluster, config.themes, config.fallback) for cluster in clusters]
    return Digest(
        title=request.title or config.title,
        period=request.period,
        generated_at=request.now,
        sections=sections(entries, config.all_themes, config.stories_per_theme),
        skipped=tuple(skipped),
        warnings=config.warnings,
    )


def gather(sources: tuple[SourceConfig, ...]) -> tuple[list[Document], list[Skipped]]:
    """Stage 1: every configured source -> documents, plus what could not be read."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for source in sources:
        if source.kind != "path":
            skipped.append(Skipped(source.label, "feeds are not supported yet"))
            continue
        gathered = gather_path(source.location, source.label, source.name)
        documents.extend(gathered.documents)
        skipped.extend(gathered.skipped)
    return documents, skipped


def normalize_all(documents: list[Document], timezone: str) -> tuple[list[Story], list[Skipped]]:
    """Stage 2 over every document, in parallel for large corpora; order is kept."""
    if len(documents) >= _PARALLEL_FROM:
        with ProcessPoolExecutor() as pool:
            results = list(
                pool.map(_normalize_one, documents, [timezone] * len(documents), chunksize=64)
            )
    else:
        results = [_normalize_one(document, timezone) for document in documents]
    stories: list[Story] = []
    skipped: list[Skipped] = []
    for document, result in zip(documents, results, strict=True):
        if result.reason:
            log.warning("skipped %s: %s", document.origin, result.reason)
            skipped.append(Skipped(document.origin, result.reason))
        stories.extend(result.stories)
    return stories, skipped


def _normalize_one(document: Document, timezone: str) -> Normalized:
    return normalize(document, ZoneInfo(timezone))


def _in_window(story: Story, period: Period, take_all: set[str], documents: list[Document]) -> bool:
    if any(story.origin.startswith(label.rstrip("/")) for label in take_all):
        return True
    return in_period(story.published, period)
