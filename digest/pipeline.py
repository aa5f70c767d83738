"""build_digest(): the only place that knows the order of the stages."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from digest.classify import ThemeScore, classify, score_cluster, sections
from digest.config import Config, SourceConfig
from digest.dedupe import merge_exact
from digest.errors import DigestError, SourceError
from digest.gather.files import gather_path, gather_url
from digest.identity import normalize_url
from digest.models import Cluster, Digest, Document, Period, Skipped, Story, Theme
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
    # Fingerprints of stories an earlier issue already carried: they are left out.
    seen: frozenset[str] = frozenset()


def build_digest(request: BuildRequest) -> Digest:
    """Gather, normalize, filter by date, merge duplicates, classify and rank."""
    config = request.config
    sources = request.sources if request.sources is not None else config.sources
    documents, skipped = gather(sources)
    stories, scores, more_skipped = normalize_all(
        documents, config.timezone, config.themes, config.dayfirst
    )
    skipped.extend(more_skipped)
    take_all = {source.label for source in sources if source.take_all}
    kept = [
        story
        for story in stories
        if _in_window(story, request.period, take_all) and not _was_sent(story, request.seen)
    ]
    clusters = merge_exact(kept)
    entries = [
        # A lone story was scored in the worker; a merged cluster is scored on all its text.
        classify(
            cluster,
            config.themes,
            config.fallback,
            scores.get(cluster.lead.origin) if not cluster.duplicates else None,
        )
        for cluster in clusters
    ]
    return Digest(
        title=request.title or config.title,
        period=request.period,
        generated_at=request.now,
        sections=sections(entries, config.all_themes, config.stories_per_theme),
        skipped=tuple(skipped),
        warnings=config.warnings,
    )


# The whole gather's deadline: with each feed bounded too, a cron run always finishes.
GATHER_DEADLINE_SECONDS = 300.0


def gather(sources: tuple[SourceConfig, ...]) -> tuple[list[Document], list[Skipped]]:
    """Stage 1: every configured source -> documents, plus what could not be read.

    One source's failure, whatever it is, is that source's skip: the others are still read.
    """
    from digest.gather.fetch import FEED_DEADLINE_SECONDS

    documents: list[Document] = []
    skipped: list[Skipped] = []
    end = time.monotonic() + GATHER_DEADLINE_SECONDS
    for source in sources:
        try:
            if source.kind == "feed" and source.location.startswith(("http://", "https://")):
                if time.monotonic() >= end:
                    reason = (
                        f"not fetched: the gather took longer than {GATHER_DEADLINE_SECONDS:g} s"
                    )
                    skipped.append(Skipped(source.label, reason))
                    continue
                deadline = min(end, time.monotonic() + FEED_DEADLINE_SECONDS)
                gathered = gather_url(source.location, source.label, source.name, deadline)
            else:
                gathered = gather_path(source.location, source.label, source.name)
        except DigestError as exc:
            if not isinstance(exc, SourceError):
                raise  # a broken install stops the run (InstallError), as it should
            skipped.append(Skipped(source.label, exc.message))
            continue
        except Exception as exc:
            log.debug("source %s failed", source.label, exc_info=True)
            skipped.append(Skipped(source.label, f"unreadable: {type(exc).__name__}: {exc}"))
            continue
        documents.extend(gathered.documents)
        skipped.extend(gathered.skipped)
    return documents, skipped


def normalize_all(
    documents: list[Document], timezone: str, themes: tuple[Theme, ...], dayfirst: bool = False
) -> tuple[list[Story], dict[str, tuple[ThemeScore, ...]], list[Skipped]]:
    """Stage 2 over every document, with each story's theme scores computed alongside (the
    costly, per-story part of stage 4), in parallel for large corpora; order is kept."""
    if len(documents) >= _PARALLEL_FROM:
        count = len(documents)
        with ProcessPoolExecutor() as pool:
            results = list(
                pool.map(
                    _work,
                    documents,
                    [timezone] * count,
                    [themes] * count,
                    [dayfirst] * count,
                    chunksize=64,
                )
            )
    else:
        results = [_work(document, timezone, themes, dayfirst) for document in documents]
    stories: list[Story] = []
    scores: dict[str, tuple[ThemeScore, ...]] = {}
    skipped: list[Skipped] = []
    for document, (result, story_scores) in zip(documents, results, strict=True):
        if result.reason:
            log.info("skipped %s: %s", document.origin, result.reason)
            skipped.append(Skipped(document.origin, result.reason))
        stories.extend(result.stories)
        scores.update(zip((story.origin for story in result.stories), story_scores, strict=True))
    return stories, scores, skipped


def _work(
    document: Document, timezone: str, themes: tuple[Theme, ...], dayfirst: bool = False
) -> tuple[Normalized, tuple[tuple[ThemeScore, ...], ...]]:
    try:
        result = normalize(document, ZoneInfo(timezone), dayfirst)
    except Exception as exc:
        log.exception("could not process %s", document.origin)
        return Normalized((), f"could not be processed: {type(exc).__name__}: {exc}"), ()
    return result, tuple(score_cluster(Cluster(story), themes) for story in result.stories)


def _was_sent(story: Story, seen: frozenset[str]) -> bool:
    if not seen:
        return False
    return story.fingerprint in seen or bool(story.url and normalize_url(story.url) in seen)


def _in_window(story: Story, period: Period, take_all: set[str]) -> bool:
    if any(story.origin.startswith(label.rstrip("/")) for label in take_all):
        return True
    return in_period(story.dated or story.published, period)
