"""Stage 2: Document -> Story. Clean away furniture, split newsletters, extract the fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from digest.blocks import is_page_navigation, to_lines
from digest.identity import clean_url, story_key, text_fingerprint
from digest.models import ENTRY_FORMAT, Document, Story
from digest.models import HEADING as HEADING_BLOCK
from digest.normalize.clean import strip_boilerplate
from digest.normalize.extract import (
    Meta,
    dateline,
    pull_metadata,
    read_masthead,
    read_metadata,
    summarize,
)
from digest.normalize.sections import ISSUE_NUMBER, find_stories
from digest.normalize.split import HEADING, ISSUE_NAME, META, Chunk, split_stories, units, unmarked
from digest.normalize.text import clip, ends_sentence, sentences, tidy, word_count

_MIN_STORY_WORDS = 15
_TITLED_FORMATS = ("html", "markdown")
_NOT_FOUND = re.compile(
    r"(?im)^\W*(?:error\s*)?404\b|\bpage (?:not found|can(?:not|'t) be found)\b"
    r"|^\W*(?:this|that) page (?:has |doesn't |does not |no longer |may have |could not )"
    r"|\b(?:we|we're|we are) (?:can't|cannot|couldn't|could not|unable to) find (?:the|that|this) page\b"
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """The stories of one document, or why it gave none."""

    stories: tuple[Story, ...]
    reason: str | None = None


def normalize(document: Document, tz: tzinfo, dayfirst: bool = False) -> Normalized:
    """Turn one document into its clean stories."""
    url = document.hints.url
    kept = tuple(block for block in document.blocks if not is_page_navigation(block, url))
    if len(kept) < len(document.blocks):
        document = replace(document, blocks=kept)
    text = tidy(to_lines(document.blocks, marks=document.format != "text"))
    if document.format == ENTRY_FORMAT:
        if not document.hints.title and not text.strip():
            return Normalized((), "a feed entry with neither a title nor any text")
        return Normalized((_entry_story(document, text, tz, dayfirst),))
    if not text.strip():
        return Normalized((), "empty file")
    head = "\n".join(text.split("\n", 40)[:40])
    if ("404" in head or "page" in head.lower()) and _NOT_FOUND.search(head):
        return Normalized((), "a 'page not found' (404) page, not an article")
    hints = document.hints
    told = None
    if not hints.article:
        flat = document.format == "text"
        title = hints.title or (_first_title(document) if flat else None)
        numbered = bool(
            title and (ISSUE_NUMBER.search(title) or (not flat and ISSUE_NAME.search(title)))
        )
        told = find_stories(document.blocks, numbered, title, flat)
    if told is not None:
        _, issued = read_masthead(_masthead(document), tz, dayfirst)
        meta, chunks = Meta(published=issued), told
    else:
        meta, rest = pull_metadata(text, tz, dayfirst)
        cleaned = strip_boilerplate(rest, document.format in _TITLED_FORMATS)
        if word_count(cleaned) < _MIN_STORY_WORDS:
            return Normalized(
                (), "no article text: only page furniture (subscribe box, navigation, ads)"
            )
        marked = document.format in _TITLED_FORMATS
        chunks = split_stories(
            cleaned, text, meta.article_signals, hints.article, marked, hints.title
        )
    several = len(chunks) > 1
    stories: list[Story] = []
    for chunk in chunks:
        story = _story(chunk, document.origin, document, meta, tz, dayfirst, several)
        if story is not None:
            stories.append(story)
    if several:
        # Numbered as the reader sees them: a chunk that made no story takes no number.
        stories = [
            replace(story, origin=f"{document.origin}#{number}")
            for number, story in enumerate(stories, start=1)
        ]
    if not stories:
        return Normalized((), "no story: the text is too short or has no headline and body")
    return Normalized(tuple(stories))


def _story(
    chunk: Chunk,
    origin: str,
    document: Document,
    meta: Meta,
    tz: tzinfo,
    dayfirst: bool,
    several: bool,
) -> Story | None:
    hints = document.hints
    paragraphs: list[str] = []
    headings: dict[int, str] = {}
    meta_lines: list[str] = []
    # The story's text in reading order. Subheadings its author marked (HTML, Markdown)
    # belong to it; in plain text a "heading" is a guess, as often a menu line as a title.
    marked = document.format in _TITLED_FORMATS
    text: list[str] = []
    for unit in chunk.units:
        if unit.kind == META:
            meta_lines.append(unit.text)
            continue
        # A guessed heading that ends like a sentence was a short paragraph all along.
        if unit.kind == HEADING and (marked or not ends_sentence(unit.text)):
            headings[len(paragraphs)] = unmarked(unit.text)
            if marked:
                text.append(headings[len(paragraphs)])
        else:
            paragraphs.append(unmarked(unit.text) if unit.kind == HEADING else unit.text)
            text.append(paragraphs[-1])
    if not chunk.brief:
        if word_count(" ".join(paragraphs)) < _MIN_STORY_WORDS:
            return None
        if not any(_is_prose(text, marked and not several) for text in paragraphs):
            return None
    # A page's or a Markdown file's own metadata names a single article better than its text.
    trusted = hints.title if document.format in _TITLED_FORMATS and not several else None
    title = trusted or chunk.title or hints.title or _title_from(paragraphs)
    author, own_date = read_metadata(meta_lines, tz, dayfirst)
    publication, issue_date = read_masthead(list(chunk.issue_meta), tz, dayfirst)
    found_date = own_date or meta.published or issue_date
    published, date_source = _date(hints.published, found_date, paragraphs, tz, dayfirst)
    body = tuple(text)
    fingerprint = text_fingerprint(" ".join(body))
    # A page's URL is the URL of its one article, not of each story a newsletter page holds
    # (sharing it would also merge those stories as duplicates).
    url = clean_url(chunk.url) if several else clean_url(hints.url) or clean_url(meta.url)
    return Story(
        key=story_key(url, title, fingerprint),
        fingerprint=fingerprint,
        origin=origin,
        title=title,
        summary=summarize(paragraphs, headings, chunk.standfirst) if paragraphs else "",
        body=body,
        url=url,
        author=hints.author or author or meta.author,
        published=published,
        date_source=date_source or _fallback_source(document),
        dated=published or hints.modified,
        source=hints.source or meta.source or publication or document.source,
    )


def _masthead(document: Document) -> list[str]:
    """The short lines above a newsletter's first story heading: its name, its issue date."""
    lines: list[str] = []
    for index, block in enumerate(document.blocks):
        if block.kind == HEADING_BLOCK and index > 0:
            break
        lines.extend(line for line in block.text.split("\n") if word_count(line) <= 12)
    return lines


def _first_title(document: Document) -> str | None:
    """The title line a plain-text document opens with, when it has one."""
    first = document.blocks[0] if document.blocks else None
    return first.text if first and first.kind == HEADING_BLOCK and first.level == 1 else None


def _fallback_source(document: Document) -> str | None:
    """How an undated item is dated: when its file was saved, or its feed fetched."""
    if document.hints.modified is None:
        return None
    fetched = document.format == ENTRY_FORMAT and document.origin.startswith(
        ("http://", "https://")
    )
    return "fetched" if fetched else "file modified"


def _entry_story(document: Document, text: str, tz: tzinfo, dayfirst: bool) -> Story:
    """A feed entry: one story, with title, link and date from the feed; every entry counts."""
    hints = document.hints
    cleaned = strip_boilerplate(text) if text.strip() else ""
    paragraphs = [unit.text for unit in units(cleaned) if unit.kind != META]
    title = hints.title or (_title_from(paragraphs) if paragraphs else "Untitled entry")
    body = tuple(paragraphs)
    # The text alone: a feed that retitles an old entry does not make it a new story.
    fingerprint = text_fingerprint(" ".join(body) or title)
    url = clean_url(hints.url)
    return Story(
        key=story_key(url, title, fingerprint),
        fingerprint=fingerprint,
        origin=document.origin,
        title=title,
        summary=summarize(paragraphs, {}) if paragraphs else "",
        body=body,
        url=url,
        author=hints.author,
        published=hints.published,
        date_source="feed" if hints.published else _fallback_source(document),
        dated=hints.published or hints.modified,
        source=hints.source or document.source,
    )


def _date(
    hinted: datetime | None,
    found: datetime | None,
    paragraphs: list[str],
    tz: tzinfo,
    dayfirst: bool,
) -> tuple[datetime | None, str | None]:
    if hinted is not None:
        return hinted, "metadata"
    if found is not None:
        return found, "text"
    stamped = next(
        (found for text in paragraphs[:3] if (found := dateline(text, tz, dayfirst))), None
    )
    return (stamped, "text") if stamped else (None, None)


def _is_prose(text: str, marked: bool = False) -> bool:
    """A real paragraph: a dozen words or more, ending like a sentence or holding sentences
    (a page's running text can end on a page number or a table's edge). A paragraph its
    author marked as one (HTML, Markdown) needs no full stop: a photo essay's lines, verse."""
    return word_count(text) >= 12 and (marked or ends_sentence(text) or len(sentences(text)) > 1)


def _title_from(paragraphs: list[str]) -> str:
    first = sentences(paragraphs[0])[0] if paragraphs else "Untitled"
    return clip(first.rstrip("."), 90)
