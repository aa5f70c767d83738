"""sources.yaml -> Config: load once, validate everything, report every problem by line and key."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from digest.config.lines import LineLoader, Mapping, Problems, Sequence
from digest.config.mail import (
    EmailConfig,
    SmtpConfig,
    archive_section,
    email_section,
    schedule_section,
)
from digest.errors import ConfigError
from digest.models import Theme
from digest.resources import sample_config
from digest.window import parse_duration

log = logging.getLogger(__name__)

CONFIG_NAME = "sources.yaml"
FALLBACK_THEME = "other"
DEFAULT_FALLBACK = Theme(FALLBACK_THEME, "Also Noted", "Stories that fit no other theme.")

# Keys later stages own (mail, state, schedule, archive): accepted here, validated where used.
_KNOWN_KEYS = {
    "date_order",
    "title",
    "window",
    "timezone",
    "sources",
    "themes",
    "fallback",
    "limits",
    "output",
    "templates",
    "email",
    "schedule",
    "state",
    "archive",
}
_SOURCE_KEYS = {"path", "feed", "name", "window"}
_THEME_KEYS = {"title", "description", "keywords"}


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One configured source: a file or folder (`path`) or a feed URL or file (`feed`)."""

    kind: str
    location: str
    label: str
    name: str | None = None
    take_all: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    """The validated configuration of a run."""

    path: Path | None
    root: Path
    title: str = "Weekly Digest"
    window: timedelta | None = timedelta(days=7)
    timezone: str = "UTC"
    sources: tuple[SourceConfig, ...] = ()
    themes: tuple[Theme, ...] = ()
    fallback: Theme = DEFAULT_FALLBACK
    stories_per_theme: int = 5
    # How many of the most-covered events the email opens with; 0: no Top stories block.
    top_stories: int = 3
    output_dir: Path = Path("out")
    templates_dir: Path | None = None
    dayfirst: bool = False
    email: EmailConfig | None = None
    state_path: Path = Path(".digest/state.db")
    schedule: str | None = None
    archive_dir: Path | None = None
    archive_url: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def all_themes(self) -> tuple[Theme, ...]:
        return (*self.themes, self.fallback)


def find_config(start: Path) -> Path | None:
    """The sources.yaml in the given folder, if there is one."""
    candidate = start / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> Config:
    """Read and validate a sources.yaml; with None, defaults (themes from the bundled sample)."""
    if path is None:
        defaults = _parse(sample_config(), sample_config().read_text(encoding="utf-8"))
        return Config(
            path=None,
            root=Path.cwd(),
            themes=defaults.themes,
            fallback=defaults.fallback,
            output_dir=Path.cwd() / "out",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from exc
    return _parse(path, text)


def _parse(path: Path, text: str) -> Config:
    try:
        data = yaml.load(text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{path.name}:{line}: not valid YAML: {problem}"]) from exc
    if data is None:
        data = Mapping()
    problems = Problems(path.name)
    if not isinstance(data, Mapping):
        raise ConfigError(
            [f"{path.name}:1: the file must be a mapping of keys (title:, sources:, ...)"]
        )
    config = _build(path.resolve(), data, problems)
    if problems.errors:
        raise ConfigError(problems.errors, hint=f"fix {path} and run again")
    for warning in problems.warnings:
        log.info("%s", warning)  # the summary and digest.json say it; -v logs it too
    return config


def _build(path: Path, data: Mapping, problems: Problems) -> Config:
    root = path.parent
    for key in data:
        if key not in _KNOWN_KEYS:
            problems.warn(data.lines.get(key, data.line), key, "unknown key, ignored")
    title = _string(data, "title", problems, "Weekly Digest")
    window = _window(data, problems)
    timezone = _timezone(data, problems)
    limits = data.get("limits") or Mapping()
    per_theme, top = 5, 3
    if not isinstance(limits, Mapping):
        problems.error(
            data.lines["limits"], "limits", "expected a mapping like {stories_per_theme: 5}"
        )
    else:
        per_theme = _positive_int(limits, "stories_per_theme", problems, 5, "limits.")
        top = limits.get("top_stories", 3)
        if isinstance(top, bool) or not isinstance(top, int) or top < 0:
            problems.error(
                limits.lines.get("top_stories", limits.line),
                "limits.top_stories",
                "expected a whole number >= 0 (0: no Top stories block)",
            )
            top = 3
    themes = _themes(data, problems)
    if themes is None:
        defaults = _parse(sample_config(), sample_config().read_text(encoding="utf-8"))
        themes = defaults.themes
    output = _string(data, "output", problems, "out")
    templates = data.get("templates")
    archive = archive_section(data, root, problems)
    return Config(
        path=path,
        root=root,
        title=title,
        window=window,
        timezone=timezone,
        sources=_sources(data, root, problems),
        themes=themes,
        fallback=_fallback(data, problems),
        stories_per_theme=per_theme,
        top_stories=top,
        output_dir=(root / output),
        templates_dir=(root / str(templates)) if templates else None,
        dayfirst=_date_order(data, problems),
        email=email_section(data, problems),
        state_path=root / _string(data, "state", problems, ".digest/state.db"),
        schedule=schedule_section(data, problems),
        archive_dir=archive[0],
        archive_url=archive[1],
        warnings=tuple(problems.warnings),
    )


def _string(data: Mapping, key: str, problems: Problems, default: str, prefix: str = "") -> str:
    """A one-line string setting (a title, a name): line breaks in it would split the
    subject header of the email."""
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip() or not value.strip().isprintable():
        problems.error(
            data.lines.get(key, data.line), prefix + key, "expected a non-empty string on one line"
        )
        return default
    return value.strip()


def _positive_int(data: Mapping, key: str, problems: Problems, default: int, prefix: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.error(data.lines.get(key, data.line), prefix + key, "expected a whole number >= 1")
        return default
    return value


def _window(data: Mapping, problems: Problems) -> timedelta | None:
    value = data.get("window", "7d")
    if value in ("all", None):
        return None
    duration = parse_duration(str(value))
    if duration is None:
        problems.error(
            data.lines["window"],
            "window",
            f"expected a duration like 7d, 2w, 24h or 'all', got {value!r}",
        )
        return timedelta(days=7)
    return duration


def _date_order(data: Mapping, problems: Problems) -> bool:
    """How to read 01/11/2026: month-first (January 11, the default) or day-first (1 November)."""
    value = data.get("date_order", "month-first")
    if value not in ("month-first", "day-first"):
        problems.error(
            data.lines.get("date_order", data.line),
            "date_order",
            f"expected month-first or day-first, got {value!r}",
        )
        return False
    return bool(value == "day-first")


def _timezone(data: Mapping, problems: Problems) -> str:
    value = os.environ.get("DIGEST_TIMEZONE") or data.get("timezone", "UTC")
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        problems.error(
            data.lines.get("timezone", data.line),
            "timezone",
            f"unknown time zone {value!r} (use an IANA name like Europe/London)",
        )
        return "UTC"
    return str(value)


def _sources(data: Mapping, root: Path, problems: Problems) -> tuple[SourceConfig, ...]:
    raw = data.get("sources")
    if raw is None:
        return ()
    if not isinstance(raw, Sequence):
        problems.error(
            data.lines["sources"], "sources", "expected a list of - path: or - feed: entries"
        )
        return ()
    found = []
    for index, item in enumerate(raw):
        source = _source(item, f"sources[{index}]", raw.lines[index], root, problems)
        if source:
            found.append(source)
    return tuple(found)


def _source(item: Any, key: str, line: int, root: Path, problems: Problems) -> SourceConfig | None:
    if isinstance(item, str):
        item = Mapping(path=item)
        item.lines, item.line = {}, line
    if not isinstance(item, Mapping):
        problems.error(line, key, "expected a mapping with path: or feed:")
        return None
    for unknown in set(item) - _SOURCE_KEYS:
        problems.warn(item.lines.get(unknown, line), f"{key}.{unknown}", "unknown key, ignored")
    kinds = [kind for kind in ("path", "feed") if kind in item]
    if len(kinds) != 1:
        problems.error(
            line, key, "needs exactly one of path: (file or folder) or feed: (URL or file)"
        )
        return None
    kind = kinds[0]
    value = item[kind]
    if not isinstance(value, str) or not value.strip():
        problems.error(item.lines.get(kind, line), f"{key}.{kind}", "expected a non-empty string")
        return None
    window = item.get("window")
    if window not in (None, "all"):
        problems.error(
            item.lines.get("window", line),
            f"{key}.window",
            "the only per-source window is 'all' (take every item whatever its date)",
        )
    name = item.get("name")
    if name is not None and not isinstance(name, str):
        problems.error(item.lines.get("name", line), f"{key}.name", "expected a string")
        name = None
    value = value.strip()
    is_url = value.startswith(("http://", "https://"))
    if kind == "feed" and not is_url and "://" in value:
        problems.error(
            item.lines.get(kind, line), f"{key}.feed", "expected an http(s) URL or a file path"
        )
        return None
    location = value if is_url else str((root / os.path.expanduser(value)).resolve())
    return SourceConfig(
        kind=kind, location=location, label=value, name=name, take_all=window == "all"
    )


def _themes(data: Mapping, problems: Problems) -> tuple[Theme, ...] | None:
    raw = data.get("themes")
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not raw:
        problems.error(
            data.lines["themes"],
            "themes",
            "expected a mapping of theme name -> {title, description, keywords}",
        )
        return ()
    themes = []
    for name, spec in raw.items():
        line = raw.lines.get(name, raw.line)
        key = f"themes.{name}"
        if name == FALLBACK_THEME:
            problems.error(
                line,
                key,
                f"'{FALLBACK_THEME}' is the fallback section; rename the theme or set fallback.title",
            )
            continue
        if not isinstance(spec, Mapping):
            problems.error(line, key, "expected a mapping with title, description and keywords")
            continue
        for unknown in set(spec) - _THEME_KEYS:
            problems.warn(spec.lines.get(unknown, line), f"{key}.{unknown}", "unknown key, ignored")
        keywords = spec.get("keywords", [])
        described = isinstance(spec.get("description"), str) and spec["description"].strip()
        if "keywords" not in spec and described:
            keywords = []  # a theme its description alone defines: matched by meaning
        elif (
            not isinstance(keywords, list)
            or not keywords
            or not all(isinstance(word, str) and word.strip() for word in keywords)
        ):
            problems.error(
                spec.lines.get("keywords", line),
                f"{key}.keywords",
                "expected a non-empty list of words or phrases"
                + ("" if described else " (or a description alone, matched by meaning)"),
            )
            keywords = []
        for keyword in keywords:
            if keyword.startswith("re:"):
                try:
                    re.compile(keyword[3:])
                except re.error as exc:
                    problems.error(
                        spec.lines.get("keywords", line),
                        f"{key}.keywords",
                        f"{keyword!r} is not a valid regular expression: {exc}",
                    )
                    keywords = []
                    break
        title = spec.get("title", str(name).replace("_", " ").title())
        if not isinstance(title, str) or not title.strip() or not title.strip().isprintable():
            problems.error(
                spec.lines.get("title", line), f"{key}.title", "expected one line of text"
            )
            title = str(name)
        description = spec.get("description", "")
        themes.append(
            Theme(str(name), str(title), str(description), tuple(k.strip() for k in keywords))
        )
    return tuple(themes)


def _fallback(data: Mapping, problems: Problems) -> Theme:
    raw = data.get("fallback")
    default = DEFAULT_FALLBACK
    if raw is None:
        return default
    if not isinstance(raw, Mapping):
        problems.error(
            data.lines["fallback"], "fallback", "expected a mapping like {title: Also Noted}"
        )
        return default
    title = _string(raw, "title", problems, default.title, "fallback.")
    return Theme(FALLBACK_THEME, title, str(raw.get("description", default.description)))


__all__ = ["Config", "EmailConfig", "SmtpConfig", "SourceConfig", "find_config", "load_config"]
