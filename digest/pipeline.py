"""build_digest(): the only place that knows the order of the stages."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.classify import ThemeScore, classify, score_cluster, sections
from digest.config import Config, SourceConfig
from digest.dedupe import merge_exact
from digest.errors import DigestError, SourceError
from digest.gather.files import gather_url, list_path, read_input
from digest.identity import normalize_url
from digest.models import Cluster, Digest, Document, Period, Skipped, Story, Theme
from digest.normalize import Normalized, normalize
from digest.window import in_period

log = logging.getLogger(__name__)

# Below this many inputs (files, fetched entries) a process pool costs more than it saves.
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
    inputs, skipped = gather(sources)
    stories, scores, more_skipped = normalize_all(
        inputs, config.timezone, config.themes, config.dayfirst
    )
    del inputs  # fetched feeds' documents: the stories hold what is needed now
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


@dataclass(frozen=True, slots=True)
class FileInput:
    """A file to read: the worker that normalizes it reads it, so reading runs in parallel
    too and only a path crosses to the worker."""

    path: Path
    origin: str
    source: str | None


Input = Document | FileInput


def gather(sources: tuple[SourceConfig, ...]) -> tuple[list[Input], list[Skipped]]:
    """Stage 1: every configured source -> inputs (feeds fetched over the network are read
    here, files only listed), plus what could not be read.

    One source's failure, whatever it is, is that source's skip: the others are still read.
    """
    from digest.gather.fetch import FEED_DEADLINE_SECONDS

    inputs: list[Input] = []
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
                inputs.extend(gathered.documents)
                skipped.extend(gathered.skipped)
            else:
                paths, problems = list_path(source.location, source.label)
                inputs.extend(FileInput(path, origin, source.name) for path, origin in paths)
                skipped.extend(problems)
        except DigestError as exc:
            if not isinstance(exc, SourceError):
                raise  # a broken install stops the run (InstallError), as it should
            skipped.append(Skipped(source.label, exc.message))
        except Exception as exc:
            log.debug("source %s failed", source.label, exc_info=True)
            skipped.append(Skipped(source.label, f"unreadable: {type(exc).__name__}: {exc}"))
    return inputs, skipped


Scores = tuple[ThemeScore, ...]


def normalize_all(
    inputs: list[Input], timezone: str, themes: tuple[Theme, ...], dayfirst: bool = False
) -> tuple[list[Story], dict[str, Scores], list[Skipped]]:
    """Stages 1 (reading files) and 2 over every input, with each story's theme scores
    computed alongside (the costly, per-story part of stage 4), in parallel for large
    corpora; order is kept."""
    if len(inputs) >= _PARALLEL_FROM:
        count = len(inputs)
        with ProcessPoolExecutor() as pool:
            results = list(
                pool.map(
                    _work,
                    inputs,
                    [timezone] * count,
                    [themes] * count,
                    [dayfirst] * count,
                    chunksize=64,
                )
            )
    else:
        results = [_work(item, timezone, themes, dayfirst) for item in inputs]
    stories: list[Story] = []
    scores: dict[str, Scores] = {}
    skipped: list[Skipped] = []
    for unread, normalized in results:
        skipped.extend(unread)
        for origin, result, story_scores in normalized:
            if result.reason:
                log.info("skipped %s: %s", origin, result.reason)
                skipped.append(Skipped(origin, result.reason))
            stories.extend(result.stories)
            scores.update(
                zip((story.origin for story in result.stories), story_scores, strict=True)
            )
    return stories, scores, skipped


def _work(
    item: Input, timezone: str, themes: tuple[Theme, ...], dayfirst: bool = False
) -> tuple[tuple[Skipped, ...], list[tuple[str, Normalized, tuple[Scores, ...]]]]:
    """One input from reading to scored stories: what could not be read, and per document
    its origin, its stories (or why none) and their theme scores."""
    if isinstance(item, FileInput):
        gathered = read_input(item.path, item.origin, item.source)
        documents, unread = gathered.documents, gathered.skipped
    else:
        documents, unread = (item,), ()
    tz = ZoneInfo(timezone)
    done = []
    for document in documents:
        try:
            result = normalize(document, tz, dayfirst)
        except Exception as exc:
            log.exception("could not process %s", document.origin)
            result = Normalized((), f"could not be processed: {type(exc).__name__}: {exc}")
        scored = tuple(score_cluster(Cluster(story), themes) for story in result.stories)
        done.append((document.origin, result, scored))
    return unread, done


def _was_sent(story: Story, seen: frozenset[str]) -> bool:
    if not seen:
        return False
    return story.fingerprint in seen or bool(story.url and normalize_url(story.url) in seen)


def _in_window(story: Story, period: Period, take_all: set[str]) -> bool:
    if any(story.origin.startswith(label.rstrip("/")) for label in take_all):
        return True
    return in_period(story.dated or story.published, period)
