"""Feeds -> one Document per entry. The one owner of feedparser; its dicts stay in here.

RSS 0.9x/1.0/2.0 and Atom are read by feedparser, which reports problems instead of raising
(`bozo`); JSON Feed 1.0/1.1 is read with the json module. A feed that yields no entries is
skipped with the parser's reason; a sponsored entry is not a story.
"""

from __future__ import annotations

import calendar
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from digest.blocks import plain_blocks
from digest.dates import parse_date
from digest.errors import SourceError
from digest.gather.markup import html_blocks, strip_tags
from digest.models import ENTRY_FORMAT, PARAGRAPH, Block, Document, Hints

log = logging.getLogger(__name__)

_SPONSORED = re.compile(
    r"^\W*(?:sponsored|sponsor|partner content|paid post|advertisement|promoted|ad)\b\W", re.I
)


@dataclass(frozen=True, slots=True)
class FeedEntries:
    """The entries of one feed, and its title."""

    title: str | None
    documents: tuple[Document, ...]


def looks_like_feed(data: bytes) -> bool:
    """Sniff: an RSS, RDF or Atom root, or a JSON Feed version string, near the start."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return b"jsonfeed.org/version" in data[:4096].lower()
    return bool(re.search(rb"<(?:rss|feed|rdf:rdf)[\s>]", head))


def read_feed(data: bytes, origin: str, name: str | None, fetched: datetime) -> FeedEntries:
    """Parse feed bytes; SourceError when the bytes hold no usable feed."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return _read_json_feed(stripped, origin, name, fetched)
    return _read_xml_feed(data, origin, name, fetched)


def _read_xml_feed(data: bytes, origin: str, name: str | None, fetched: datetime) -> FeedEntries:
    import feedparser  # imported here: only feed sources need it

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        raise SourceError(_no_entries_reason(parsed))
    title = strip_tags(parsed.feed.get("title", "")) or None
    documents = []
    for number, entry in enumerate(parsed.entries, start=1):
        document = _xml_entry(
            entry, f"{origin}#{number}", name or title, fetched, parsed.get("bozo")
        )
        if document is not None:
            documents.append(document)
    if not documents and parsed.get("bozo"):
        raise SourceError(_no_entries_reason(parsed))
    return FeedEntries(title, tuple(documents))


def _no_entries_reason(parsed: Any) -> str:
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        problem = parsed.get("bozo_exception")
        line = getattr(problem, "getLineNumber", lambda: None)()
        where = f" (line {line})" if line else ""
        return f"not a usable feed: {_describe(problem)}{where}"
    if not parsed.get("version"):
        return "not a feed: no RSS, Atom or JSON Feed structure found"
    return "feed has no entries"


def _describe(problem: object) -> str:
    message = str(getattr(problem, "getMessage", lambda: problem)()) or type(problem).__name__
    return message.rstrip(".")


def _xml_entry(
    entry: Any, origin: str, source: str | None, fetched: datetime, broken: bool = False
) -> Document | None:
    title = strip_tags(entry.get("title", ""))
    if _SPONSORED.match(title) or _is_sponsored(entry):
        log.info("skipped sponsored entry %s: %s", origin, title)
        return None
    body = _longest(
        [item.get("value", "") for item in entry.get("content", [])] + [entry.get("summary", "")]
    )
    if broken and not title and not body.strip() and not _http(entry.get("link")):
        log.info("skipped empty entry %s", origin)
        return None  # what a truncated feed leaves behind: nothing to show
    published = _entry_date(entry)
    author = entry.get("author") or None
    # An aggregator's entry names its own publisher (RSS <source>): that is the story's
    # source, and the " - Publisher" the aggregator appends to the headline goes.
    publisher = strip_tags(str((entry.get("source") or {}).get("title") or "")).strip()
    if publisher:
        source = publisher
        for dash in (" - ", " – ", " — ", " | "):
            if title.endswith(dash + publisher) and len(title) > len(dash + publisher):
                title = title[: -len(dash + publisher)].rstrip()
                break
    hints = Hints(
        title=title or None,
        author=strip_tags(author) if author else None,
        published=published,
        url=_http(entry.get("link")),
        source=source,
        modified=fetched,
    )
    summary = strip_tags(entry.get("summary", "")) if entry.get("content") else ""
    return Document(source, origin, ENTRY_FORMAT, _entry_blocks(html_blocks(body), summary), hints)


def _is_sponsored(entry: Any) -> bool:
    tags = [str(tag.get("term", "")).lower() for tag in entry.get("tags", []) or []]
    return any(
        term in ("sponsored", "sponsor", "advertisement", "partner content") for term in tags
    )


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict lookup: no deprecated key aliasing
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    # feedparser leaves dates in other languages unparsed ("Sex, 17 Nov 2026"): try ours.
    for key in ("published", "updated", "created", "dc_date"):
        raw = dict.get(entry, key)
        if raw:
            found = parse_date(str(raw), UTC, languages=True)
            if found is not None:
                return found
    return None


def _http(url: object) -> str | None:
    """A link worth keeping: http(s) only (Atom ids such as urn:... are not links)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _longest(candidates: list[str]) -> str:
    return max(candidates, key=len) if candidates else ""


def _entry_blocks(body: tuple[Block, ...], summary: str) -> tuple[Block, ...]:
    """The entry's blocks: its summary first when the body is separate content."""
    if summary and summary not in " ".join(block.text for block in body):
        return (Block(PARAGRAPH, summary), *body)
    return body


def _read_json_feed(data: bytes, origin: str, name: str | None, fetched: datetime) -> FeedEntries:
    try:
        feed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"not a usable JSON Feed: {exc}") from exc
    if not isinstance(feed, dict) or "jsonfeed.org/version" not in str(feed.get("version", "")):
        raise SourceError("not a feed: JSON without a JSON Feed version")
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        raise SourceError("feed has no entries")
    title = strip_tags(str(feed.get("title", ""))) or None
    documents = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            document = _json_item(item, f"{origin}#{number}", name or title, fetched)
            if document is not None:
                documents.append(document)
    return FeedEntries(title, tuple(documents))


def _json_item(
    item: dict[str, Any], origin: str, source: str | None, fetched: datetime
) -> Document | None:
    title = strip_tags(str(item.get("title") or ""))
    if _SPONSORED.match(title):
        return None
    body = html_blocks(str(item.get("content_html") or "")) or plain_blocks(
        str(item.get("content_text") or "")
    )
    summary = str(item.get("summary") or "")
    authors = item.get("authors") or (
        [item["author"]] if isinstance(item.get("author"), dict) else []
    )
    author = next(
        (str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")), None
    )
    raw_date = item.get("date_published") or item.get("date_modified")
    hints = Hints(
        title=title or None,
        author=author,
        published=parse_date(str(raw_date), UTC) if raw_date else None,
        url=_http(item.get("url") or item.get("external_url")),
        source=source,
        modified=fetched,
    )
    return Document(source, origin, ENTRY_FORMAT, _entry_blocks(body, summary), hints)
