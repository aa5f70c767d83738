"""Markdown files (read-later exports, notes) -> Document: front matter, then plain text.

Front matter gives title, date, url, source and author; unknown keys are ignored. Markdown
syntax is reduced to the text a reader sees, keeping headings as `#` lines so a newsletter of
`##` stories can be split like any other.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import yaml

from digest.config.lines import safe_load
from digest.dates import parse_date
from digest.gather.decode import decode
from digest.models import Document, Hints

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images: decorative in a digest
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^\[[^\]]+\]:\s*\S+.*$", re.M), ""),  # reference definitions
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    # Horizontal rules stay, as one form: they separate a newsletter's stories.
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M), "---"),
    (re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M), r"\1 \2"),
)


# `## [Headline](https://...)`: a heading that is one link.
_LINKED_HEADING = re.compile(
    r"(?m)^#{1,6}[ \t]+\[([^\]\n]+)\]\((\S+?)(?:[ \t]+\"[^\"]*\")?\)[ \t]*#*[ \t]*$"
)


def read_markdown(data: bytes, origin: str, hints: Hints) -> list[Document]:
    """A Markdown article or newsletter."""
    text = decode(data)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = safe_load(match.group("yaml"))
        except yaml.YAMLError:
            loaded = None  # a broken header is not worth losing the article for
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[match.end() :]
    title = _string(meta.get("title"))
    links = tuple(
        (markdown_to_text(heading).strip(), url) for heading, url in _LINKED_HEADING.findall(text)
    )
    body = markdown_to_text(text)
    body = _drop_repeated_title(body, title)
    found = Hints(
        title=title,
        author=_string(meta.get("author") or meta.get("authors")),
        published=_date(meta.get("date") or meta.get("published") or meta.get("pubDate")),
        url=_string(meta.get("url") or meta.get("link") or meta.get("canonical_url")),
        source=_string(meta.get("source") or meta.get("site") or meta.get("publication"))
        or hints.source,
        modified=hints.modified,
        links=links,
    )
    return [Document(found.source, origin, "markdown", body, found)]


def markdown_to_text(text: str) -> str:
    """The visible text of Markdown, headings kept as `#` lines, code fences unwrapped."""
    text = re.sub(r"^```.*?$|^~~~.*?$", "", text, flags=re.M)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _drop_repeated_title(body: str, title: str | None) -> str:
    """A leading `# Title` that repeats the front matter's title is not body text."""
    if not title:
        return body
    lines = body.lstrip().split("\n", 1)
    first = lines[0].lstrip("# ").strip()
    if lines[0].startswith("#") and first.lower() == title.lower():
        return lines[1] if len(lines) > 1 else ""
    return body


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value if item)
    if value is None or not str(value).strip():
        return None
    return str(value).strip()


def _date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value:
        return parse_date(str(value), UTC, languages=True)
    return None
