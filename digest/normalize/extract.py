"""Title, author, date, source and summary: from the document's own metadata lines first,
then from its shape (the first line, the lead paragraph)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache

from digest.dates import DATE_PATTERN, DATE_REGEX, find_date
from digest.normalize.text import (
    clip,
    ends_sentence,
    is_bullet,
    sentences,
    strip_bullet,
    title_case_ratio,
    word_count,
)

_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:van|von|de|da|del|der|la|le|bin|al|[A-Z][\w'’.-]*)){0,3}"
_NAME_ONLY = re.compile(rf"^{_NAME}$")
_BYLINE = re.compile(
    rf"^(?:by|words by|written by|author:|reporting by|posted by)\s+(?P<name>{_NAME}"
    rf"(?:(?:,| and| &)\s+{_NAME})*)(?P<rest>.*)$",
    re.IGNORECASE,
)
_READ_TIME = re.compile(
    rf"^(?P<name>{_NAME})?\s*[·|•,–—-]*\s*(?P<rest>.*?)\b\d+\s*min(?:ute)?s?\.?\s*read\b.*$",
    re.IGNORECASE,
)
_NAME_THEN_DATE = re.compile(rf"^(?P<name>{_NAME})\s*[·|•–—]+\s*(?P<rest>.+)$")
_LABELED_DATE = re.compile(
    r"^(?:originally\s+)?(?:published|posted|updated|last updated|date|dated|first published|released)"
    r"(?:\s+on)?\s*[:\-–—]?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
_LABELED_SOURCE = re.compile(
    r"^(?:\d+[.)]\s*)?(?:primary source|original source|source|publication|outlet)\s*:\s*(?P<source>.+)$",
    re.IGNORECASE,
)
_LABELED_URL = re.compile(
    r"^(?:url|link|source url|original url|canonical|saved from|read online|permalink)\s*:?\s*"
    r"(?P<url>https?://\S+)$",
    re.IGNORECASE,
)
_DATELINE = re.compile(rf"^[A-Z][A-Z .'-]{{2,40}},\s*(?P<date>{DATE_REGEX})\s*[—–-]")
_WRITTEN_BY = re.compile(r"^(?:written by|about the author|about the writer)[\s:]*$", re.IGNORECASE)
_SUMMARY_HEADING = re.compile(
    r"^(?:quick summary|summary|tl;?\s?dr|at a glance|in brief|the gist|the short version|"
    r"overview|the bottom line|bottom line|what you need to know|in short|key points|"
    r"the big picture)[\s:.]*$",
    re.IGNORECASE,
)
_TAKEAWAYS_HEADING = re.compile(
    r"^(?:key takeaways?|takeaways?|key points|what to know|highlights|the takeaways?)[\s:.]*$",
    re.IGNORECASE,
)
_HEAD_LINES = 8
# What may follow the name in "By Name ...": nothing, a separator, a role, "on" + date, a date.
_BYLINE_REST = re.compile(
    r"^\s*(?:$|[|·•,–—(/-]|on\b|and\b|&|\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec the this "
    "that then now next last early late".split()
)
_READ_OR_BY = re.compile(r"^(?:by|words by|written by)\s|\bmin(?:ute)?s?\.? read\b", re.IGNORECASE)
_EDITION = re.compile(
    r"^(?:.{0,40}\b(?:edition|issue\s*(?:no\.?\s*)?#?\d+|vol(?:ume)?\.?\s*\d+|no\.\s*\d+)\b.{0,30})$",
    re.IGNORECASE,
)
_SUMMARY_WORDS = 70


@dataclass(frozen=True, slots=True)
class Meta:
    """What a document says about itself in metadata lines."""

    author: str | None = None
    published: datetime | None = None
    source: str | None = None
    url: str | None = None
    article_signals: int = 0


def pull_metadata(text: str, tz: tzinfo, dayfirst: bool = False) -> tuple[Meta, str]:
    """Read bylines, date lines, source and URL lines; return them and the text without them."""
    lines = text.split("\n")
    author = published = source = url = None
    signals = 0
    kept: list[str] = []
    nonblank = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped:
            nonblank += 1
        near_top = nonblank <= _HEAD_LINES
        if (
            near_top
            and _byline(stripped, tz, dayfirst) is not None
            and _READ_OR_BY.search(stripped)
        ):
            signals += 1
        found = _metadata_line(stripped, tz, dayfirst)
        if found is None:
            if _WRITTEN_BY.match(stripped):
                author = author or _next_name(lines, index)
                signals += 1
            elif _SUMMARY_HEADING.match(stripped) or _TAKEAWAYS_HEADING.match(stripped):
                signals += 1
            kept.append(line)
            continue
        kind, value = found
        signals += 1
        if kind == "author" and isinstance(value, str):
            author = author or value
        elif kind == "date" and isinstance(value, datetime):
            published = published or value
        elif kind == "source" and isinstance(value, str):
            source = source or value
        elif kind == "url" and isinstance(value, str):
            url = url or value
        elif kind == "byline" and isinstance(value, tuple):
            author = author or value[0]
            published = published or value[1]
    meta = Meta(author, published, source, url, signals)
    return meta, "\n".join(kept)


def _metadata_line(line: str, tz: tzinfo, dayfirst: bool) -> tuple[str, object] | None:
    """Classify a line as metadata: ("author"|"date"|"source"|"url"|"byline", value)."""
    if not line or len(line) > 160:
        return None
    match = _LABELED_DATE.match(line)
    if match and word_count(match.group("date")) <= 10:
        moment = find_date(match.group("date"), tz, dayfirst)
        if moment is not None:
            return "date", moment
    match = _LABELED_URL.match(line)
    if match:
        return "url", match.group("url")
    match = _LABELED_SOURCE.match(line)
    if (
        match
        and word_count(match.group("source")) <= 6
        and not match.group("source").startswith("http")
    ):
        return "source", match.group("source").strip()
    return None


def _byline(line: str, tz: tzinfo, dayfirst: bool) -> tuple[str, object] | None:
    if len(line) > 200:  # a byline is short; the patterns below backtrack on long lines
        return None
    lowered = line.lower()
    for pattern in (_BYLINE, _READ_TIME, _NAME_THEN_DATE):
        # Cheap checks first: these patterns backtrack on long lines that cannot match.
        if pattern is _READ_TIME and "read" not in lowered:
            continue
        if pattern is _NAME_THEN_DATE and not _SEPARATOR.search(line):
            continue
        match = pattern.match(line)
        if not match:
            continue
        name = (match.group("name") or "").strip(" ·|,") or None
        rest = match.group("rest") or ""
        if pattern is _BYLINE and not _BYLINE_REST.match(rest):
            continue
        if name and name.split()[0].lower().rstrip(".") in _NOT_NAMES:
            continue
        moment = find_date(rest, tz, dayfirst)
        if pattern is _NAME_THEN_DATE and moment is None:
            continue
        return "byline", (_tidy_name(name), moment)
    return None


def _tidy_name(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"\s+", " ", name).strip(" ,.|·")
    return name if 2 <= len(name) <= 60 else None


def _next_name(lines: list[str], index: int) -> str | None:
    for line in lines[index + 1 : index + 4]:
        candidate = line.strip()
        if candidate:
            return candidate if _NAME_ONLY.match(candidate) and word_count(candidate) <= 4 else None
    return None


def dateline(paragraph: str, tz: tzinfo, dayfirst: bool = False) -> datetime | None:
    """The date of a press-release dateline: "SAN FRANCISCO, Nov. 10, 2026 — ..."."""
    match = _DATELINE.match(paragraph)
    return find_date(match.group("date"), tz, dayfirst) if match else None


def summarize(
    paragraphs: list[str], headings: dict[int, str], standfirst: str | None = None
) -> str:
    """Two or three sentences that say what happened.

    Prefers the article's own summary: a paragraph under a "Quick summary"-style heading, else
    its standfirst, else the lead paragraph, else its key takeaways. `headings` maps a
    paragraph index to the heading just above it.
    """
    for index, heading in headings.items():
        if _SUMMARY_HEADING.match(heading) and index < len(paragraphs):
            if is_bullet(paragraphs[index]):
                items = [
                    strip_bullet(text) for text in paragraphs[index : index + 3] if is_bullet(text)
                ]
                return clip(" ".join(_as_sentence(item) for item in items), 400)
            return _lead_sentences([paragraphs[index]])
    if standfirst:
        opening = next((text for text in paragraphs if _is_prose(text)), "")
        first = sentences(opening)[0] if opening else ""
        return clip(_as_sentence(standfirst) + (" " + first if first else ""), 480)
    lead = [text for text in paragraphs if _is_prose(text)]
    if lead:
        return _lead_sentences(lead)
    return clip(" ".join(strip_bullet(text) for text in paragraphs[:2]), 300)


def _is_prose(text: str) -> bool:
    return not is_bullet(text) and word_count(text) >= 12 and ends_sentence(text)


def _lead_sentences(paragraphs: list[str]) -> str:
    chosen: list[str] = []
    total = 0
    for paragraph in paragraphs[:2]:
        for sentence in sentences(paragraph):
            count = word_count(sentence)
            if chosen and (total + count > _SUMMARY_WORDS or len(chosen) >= 3):
                return " ".join(chosen)
            chosen.append(sentence)
            total += count
        if total >= 25:
            break
    return clip(" ".join(chosen), 480)


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if ends_sentence(text) else text + "."


@lru_cache(maxsize=16384)
def is_metadata_line(line: str) -> bool:
    """A byline, a date line, a read-time line or an issue/edition line: about the text, not of it."""
    if len(line) > 120:
        return False
    if _READ_OR_BY.search(line) and _byline(line, _UTC, False) is not None:
        return True
    if _LABELED_DATE.match(line) and DATE_PATTERN.search(line):
        return True
    if _EDITION.match(line) and not ends_sentence(line):
        return True
    if _ROLE.search(line) and word_count(line) <= 8 and not ends_sentence(line):
        return True
    if _name_with_role(line):
        return True
    if _RELATIVE_OR_STAMP.search(line) and word_count(line) <= 8 and not ends_sentence(line):
        return True
    match = DATE_PATTERN.search(line)
    if match and word_count(line) <= 8 and len(match.group(0)) >= len(line) * 0.4:
        return True
    # "November 8, 2026 · Issue 93 · Forwarded this?": a masthead row with a date in it.
    parts = _SEPARATOR.split(line)
    return len(parts) >= 2 and any(
        (DATE_PATTERN.fullmatch(part.strip()) or _EDITION.match(part.strip())) for part in parts
    )


# "2 hours ago", "Yesterday", "First published 06:48 GMT", "Reading time: 14 minutes".
_RELATIVE_OR_STAMP = re.compile(
    r"\b\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b|^(?:yesterday|today|just now)\b"
    r"|^(?:first |originally |last )?(?:published|updated|posted|modified)\b|\breading time\b"
    r"|\b\d+\s*(?:min(?:ute)?s?|m)\.?\s*read\b",
    re.IGNORECASE,
)
# A job title in a byline block: "Energy Correspondent", "Priya Raman, Senior Editor".
_ROLE = re.compile(
    r"\b(?:correspondent|reporter|editor|writer|columnist|contributor|producer|"
    r"staff writer|editor-at-large|bureau chief|contributing \w+)s?\b",
    re.IGNORECASE,
)


_PERSON = re.compile(
    r"^(?:Dr\.? |Prof\.? )?[A-Z][a-zà-ÿ'’]+(?:[- ][A-Z][a-zà-ÿ'’]+|\s[A-Z]\.){1,3}$"
)
_NOT_PERSON_WORDS = frozenset(
    "the and of for in on at news daily weekly times post journal review insider lines brief "
    "briefing report media group labs press home menu search technology business markets policy "
    "follow share listen subscribe sign read more story stories by from with".split()
)


def _is_person_name(line: str) -> bool:
    """A bare byline: two to four capitalised words, no publication or navigation words."""
    text = line.strip()
    if not _PERSON.match(text):
        return False
    return not any(word.lower() in _NOT_PERSON_WORDS for word in re.split(r"[- ]", text))


def is_issue_line(line: str) -> bool:
    """A newsletter's issue line: "Issue 212 | 16/11/2026", "Wednesday edition"."""
    return bool(_EDITION.match(line)) and not ends_sentence(line)


def _name_with_role(line: str) -> str | None:
    """The name in "Ines Vukovic, Staff Site Reliability Engineer"; None for other lines."""
    name, comma, role = line.partition(",")
    if comma and _is_person_name(name) and 1 <= word_count(role) <= 6 and not ends_sentence(line):
        return name.strip()
    return None


def read_metadata(
    lines: list[str], tz: tzinfo, dayfirst: bool = False
) -> tuple[str | None, datetime | None]:
    """Author and date from a story's metadata lines (bylines, date lines, a bare name)."""
    author: str | None = None
    published: datetime | None = None
    for line in lines:
        if author is None and _is_person_name(line):
            author = line.strip()
            continue
        named = _name_with_role(line)
        if author is None and named:
            author = named
            continue
        found = (
            _byline(line, tz, dayfirst)
            if _READ_OR_BY.search(line) or _SEPARATOR.search(line)
            else None
        )
        if found and isinstance(found[1], tuple):
            author = author or found[1][0]
            published = published or found[1][1]
        published = published or find_date(line, tz, dayfirst)
    return author, published


def read_masthead(
    lines: list[str], tz: tzinfo, dayfirst: bool = False
) -> tuple[str | None, datetime | None]:
    """A newsletter's name and issue date from its masthead ("The Weekly · Issue 87 · Nov 17, 2026")."""
    name: str | None = None
    published: datetime | None = None
    for line in lines:
        published = published or find_date(line, tz, dayfirst)
        first = _SEPARATOR.split(line)[0].strip()
        if (
            name is None
            and first != line.strip()
            and not DATE_PATTERN.search(first)
            and word_count(first) <= 5
            and title_case_ratio(first) >= 0.75
        ):
            name = first
    return name, published


_SEPARATOR = re.compile(r"\s+[·|•–—]\s+|\s*[·|•]\s*")
_UTC = UTC
