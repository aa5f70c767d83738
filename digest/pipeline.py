"""build_digest(): the only place that knows the order of the stages."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from digest.classify import (
    ThemeScore,
    classify,
    combine,
    score_cluster,
    sections,
    theme_meanings,
)
from digest.config import Config, SourceConfig
from digest.dedupe import merge_exact
from digest.errors import DigestError, SourceError
from digest.events import merge_events, story_vectors
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
    found = normalize_all(inputs, config.timezone, config.themes, config.dayfirst)
    del inputs  # fetched feeds' documents: the stories hold what is needed now
    skipped.extend(found.skipped)
    take_all = {source.label for source in sources if source.take_all}
    kept = [
        story
        for story in found.stories
        if _in_window(story, request.period, take_all) and not _was_sent(story, request.seen)
    ]
    clusters = merge_events(merge_exact(kept), found.vectors)
    # Every story was scored in the worker; an event's scores are its items' together.
    meanings = theme_meanings(clusters, config.themes, found.vectors)
    entries = [
        classify(
            cluster,
            config.themes,
            config.fallback,
            _event_scores(cluster, found.scores),
            meanings[index] if meanings else None,
        )
        for index, cluster in enumerate(clusters)
    ]
    return Digest(
        title=request.title or config.title,
        period=request.period,
        generated_at=request.now,
        sections=sections(entries, config.all_themes, config.stories_per_theme),
        skipped=tuple(skipped),
        warnings=config.warnings,
        top_stories=config.top_stories,
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


@dataclass(slots=True)
class Normalizing:
    """What the workers made: the stories in input order, and by story origin their theme
    scores and event vectors, plus the inputs that gave no story."""

    stories: list[Story] = field(default_factory=list)
    scores: dict[str, Scores] = field(default_factory=dict)
    vectors: dict[str, Any] = field(default_factory=dict)  # numpy rows
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Worked:
    """A chunk of inputs after a worker: what could not be read, per document its origin and
    stories (or why none) and their theme scores, and one event vector per story, in order."""

    unread: list[Skipped]
    documents: list[tuple[str, Normalized, tuple[Scores, ...]]]
    vectors: Any  # a numpy array, a row per story


# Inputs per worker task: enough that a task's story vectors are made in one batch.
_CHUNK = 64


def normalize_all(
    inputs: list[Input], timezone: str, themes: tuple[Theme, ...], dayfirst: bool = False
) -> Normalizing:
    """Stages 1 (reading files) and 2 over every input, with each story's theme scores and
    event vector computed alongside (the costly, per-story parts of stages 3 and 4), in
    parallel for large corpora; order is kept."""
    chunks = [inputs[start : start + _CHUNK] for start in range(0, len(inputs), _CHUNK)]
    if len(inputs) >= _PARALLEL_FROM:
        count = len(chunks)
        with ProcessPoolExecutor() as pool:
            results = list(
                pool.map(_work, chunks, [timezone] * count, [themes] * count, [dayfirst] * count)
            )
    else:
        results = [_work(chunk, timezone, themes, dayfirst) for chunk in chunks]
    found = Normalizing()
    for worked in results:
        found.skipped.extend(worked.unread)
        told: list[Story] = []
        for origin, result, story_scores in worked.documents:
            if result.reason:
                log.info("skipped %s: %s", origin, result.reason)
                found.skipped.append(Skipped(origin, result.reason))
            told.extend(result.stories)
            found.scores.update(
                zip((story.origin for story in result.stories), story_scores, strict=True)
            )
        found.stories.extend(told)
        found.vectors.update(zip((story.origin for story in told), worked.vectors, strict=True))
    return found


def _work(
    chunk: list[Input], timezone: str, themes: tuple[Theme, ...], dayfirst: bool = False
) -> Worked:
    """A chunk of inputs from reading to scored stories with their event vectors."""
    tz = ZoneInfo(timezone)
    unread: list[Skipped] = []
    done = []
    told: list[Story] = []
    for item in chunk:
        if isinstance(item, FileInput):
            gathered = read_input(item.path, item.origin, item.source)
            documents: tuple[Document, ...] = gathered.documents
            unread.extend(gathered.skipped)
        else:
            documents = (item,)
        for document in documents:
            try:
                result = normalize(document, tz, dayfirst)
            except Exception as exc:
                log.exception("could not process %s", document.origin)
                result = Normalized((), f"could not be processed: {type(exc).__name__}: {exc}")
            scored = tuple(score_cluster(Cluster(story), themes) for story in result.stories)
            done.append((document.origin, result, scored))
            told.extend(result.stories)
    return Worked(unread, done, story_vectors(told))


def _event_scores(cluster: Cluster, scores: dict[str, Scores]) -> Scores | None:
    if not cluster.duplicates:
        return scores.get(cluster.lead.origin)
    found = [scores.get(story.origin) for story in cluster.items]
    if any(item is None for item in found):
        return None  # scored in classify, on all its text
    return combine([item for item in found if item is not None])


def _was_sent(story: Story, seen: frozenset[str]) -> bool:
    if not seen:
        return False
    return story.fingerprint in seen or bool(story.url and normalize_url(story.url) in seen)


def _in_window(story: Story, period: Period, take_all: set[str]) -> bool:
    if any(story.origin.startswith(label.rstrip("/")) for label in take_all):
        return True
    return in_period(story.dated or story.published, period)
