"""Document layout: paragraphs and headings, and a newsletter cut into its stories.

A newsletter is a run of stories, each a headline line followed by body paragraphs. An article
has the same surface shape (a title, then section headings over paragraphs), so the choice
between the two is made on evidence: sentence-like headlines, numbered or emoji headlines,
several bylines, a greeting and newsletter furniture count for a newsletter; bylines, summary
boxes, takeaways, references and one topic running through every section count for an
article. When in doubt a document is one article: splitting an article invents stories,
which is worse. Only plain text comes here to be split: a marked document's sections are
read by `sections`, which knows its headings.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from digest.dates import DATE_PATTERN
from digest.normalize.extract import is_issue_line, is_metadata_line
from digest.normalize.text import (
    blocks,
    ends_sentence,
    is_bullet,
    title_case_ratio,
    word_count,
)

HEADING, PARAGRAPH, ITEM, META = "heading", "paragraph", "item", "meta"

_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|#\d{1,2}\b)\s+")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_LEADING_SYMBOLS = re.compile(r"^[^\w\"“‘'(\[$£€]+", re.UNICODE)
_NEWSLETTER_MARKERS = re.compile(
    r"(?im)^(?:in this (?:issue|edition|week's issue)|in today's (?:issue|edition|email)|"
    r"today's (?:issue|stories|headlines)|here's what (?:happened|you need|we're)|"
    r"good (?:morning|afternoon|evening)\b|hey (?:there|everyone|friends|folks)|hi (?:there|everyone|all)|"
    r"welcome (?:to|back)\b|happy (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:in )?partnership with|presented by|together with|brought to you by|sponsored by|"
    r"forward(?:ed)? this|view (?:this email )?in (?:your )?browser|unsubscribe|"
    r"see you (?:next|tomorrow|on)|until next time|that's (?:all|it) for (?:this|today)|"
    r"keep reading|read more|share this (?:issue|newsletter|email)|forward to a (?:friend|colleague)|"
    r".{0,40}\b(?:edition|issue\s*#?\d+)\s*$|(?:manage|update) your (?:email|preferences|subscription)|"
    r"[^\n]{0,60}\bunsubscribe\b|(?:you are|you're) receiving|\d+\.\s+\S)"
)
_GREETING_LINE = re.compile(
    r"(?im)^(?:good (?:morning|afternoon|evening)|hey|hi|hello|howdy|greetings|welcome back|"
    r"happy (?:mon|tues|wednes|thurs|fri|satur|sun)day|dear (?:readers?|friends|subscribers))\b[^\n]{0,60}[,!.]"
)
_BYLINE_START = re.compile(r"^(?:by|words by|reporting by)\s+[A-Z]", re.IGNORECASE)
ISSUE_NAME = re.compile(
    r"(?i)\b(?:week\s*\d+|issue|edition|no\.\s*\d+|#\d+|digest|brief|briefing|roundup|round-up|"
    r"newsletter|weekly|daily|dispatch|bulletin|recap)\b"
)
_HEADLINE_MAX_WORDS = 22
_HEADLINE_MAX_CHARS = 170


@dataclass(frozen=True, slots=True)
class Unit:
    """A heading, a paragraph or a list item, in reading order."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Chunk:
    """One story's raw material: its headline (None for an untitled article), its units, and
    the metadata lines of the issue it came in (a newsletter's masthead date)."""

    title: str | None
    units: tuple[Unit, ...]
    issue_meta: tuple[str, ...] = ()
    standfirst: str | None = None
    url: str | None = None  # the headline's own link
    brief: bool = False  # a roundup item: a linked headline and at most a line of text


def units(text: str, marked: bool = False) -> list[Unit]:
    """Cut cleaned text into headings, metadata, paragraphs and list items.

    A hard-wrapped block (plain-text email) is joined into paragraphs; everywhere else each
    line is a unit, as in text saved from a web page, where headings, bylines and paragraphs
    often follow each other with no blank line between. A line's kind can depend on the line
    after it (a kicker sits over a headline; a numbered headline over its paragraph), so the
    lines are classified with the whole document's next line in view. In a `marked` text
    (read from HTML or Markdown) the author's `#` marks are the only headings: a short
    paragraph is still a paragraph.
    """
    found: list[Unit] = []
    lines: list[str] = []
    for block in blocks(text):
        lines.extend(block)
    found.extend(_classify_lines(lines, marked))
    return found


def _classify_lines(lines: list[str], marked: bool) -> list[Unit]:
    found: list[Unit] = []
    for index, line in enumerate(lines):
        previous = found[-1] if found else None
        if (
            previous
            and line[:1].islower()
            and previous.kind != META
            and not ends_sentence(previous.text)
        ):
            # A line that starts in lower case continues the line above it.
            found[-1] = Unit(PARAGRAPH, previous.text + " " + line)
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        found.append(Unit(_line_kind(line, following, marked), line))
    return found


def split_stories(
    text: str,
    raw: str,
    article_signals: int,
    one_article: bool = False,
    marked: bool = False,
    title: str | None = None,
) -> list[Chunk]:
    """One chunk for an article; one per story for a plain-text newsletter. A document that
    says it is one article (`one_article`) is one chunk, subheadings and all, and so is a
    `marked` one (HTML, Markdown) that comes here: its structure was read by `sections`
    and showed no stories. `title` is the title the document's metadata gives, if any."""
    parts = units(text, marked)

    def article(parts: list[Unit]) -> Chunk:
        return _marked_article(parts, title) if marked else _article(parts)

    if one_article or marked:
        return [article(parts)]
    heads = headline_positions(parts)
    if len(heads) >= 2 and _is_newsletter(parts, heads, raw, article_signals):
        return _stories(parts, _marked_heads(parts, heads))
    return [article(parts)]


def _marked_heads(parts: list[Unit], heads: list[int]) -> list[int]:
    """When most headlines carry a marker (an emoji or a number), a line
    without it is a one-liner inside a story, not a headline."""
    for marked in (_has_symbol, _has_number):
        kept = [index for index in heads if marked(parts, index)]
        if len(kept) >= 2 and len(kept) >= 0.6 * len(heads):
            return kept
    return heads


def headline_positions(parts: list[Unit]) -> list[int]:
    """Indexes of headings that open a body: a heading followed (after any byline or date
    lines) by a paragraph or list."""
    found = []
    for index, unit in enumerate(parts):
        if unit.kind != HEADING:
            continue
        after = index + 1
        while after < len(parts) and parts[after].kind == META:
            after += 1
        if after == len(parts) or parts[after].kind not in (PARAGRAPH, ITEM):
            continue
        above = index - 1
        while above >= 0 and parts[above].kind == META and not is_issue_line(parts[above].text):
            above -= 1
        if above >= 0 and is_issue_line(parts[above].text) and _is_tagline(unit.text):
            continue  # a tagline under "Issue 19 -- Monday, November 16, 2026"
        # A one- or two-word label opens no story.
        if word_count(headline_text(unit.text)) >= 3:
            found.append(index)
    return found


def unmarked(line: str) -> str:
    """A heading line without its Markdown `#` marks."""
    return _MARKDOWN_HEADING.sub("", line)


def headline_text(line: str) -> str:
    """A heading as a title: without markdown hashes, story numbers or leading emoji."""
    line = _MARKDOWN_HEADING.sub("", line)
    line = _NUMBERED.sub("", line)
    return _LEADING_SYMBOLS.sub("", line).strip()


def _line_kind(line: str, following: str | None, marked: bool = False) -> str:
    is_heading = _MARKDOWN_HEADING.match if marked else _is_heading
    if is_metadata_line(line):
        return META
    if is_bullet(line) and not (_NUMBERED.match(line) and is_heading(line) and _is_body(following)):
        return ITEM
    if is_heading(line):
        return HEADING
    return PARAGRAPH


def _is_body(line: str | None) -> bool:
    return line is not None and word_count(line) >= 15 and not is_bullet(line)


def _is_heading(line: str) -> bool:
    """A line that could be a heading or headline: short, not a list item, not a lead-in."""
    if _MARKDOWN_HEADING.match(line):
        return True
    text = headline_text(line)
    if not text or len(line) > _HEADLINE_MAX_CHARS or word_count(text) > _HEADLINE_MAX_WORDS:
        return False
    if text.endswith((":", ",", ";", "-", "–")):
        return False
    return not is_bullet(line) or bool(_NUMBERED.match(line))


def _article(parts: list[Unit]) -> Chunk:
    """One article: its title is found by walking up from the lead paragraph through the
    header zone (bylines, dates, labels, standfirst); anything above the title is page
    furniture (masthead, menus, consent banners) and is dropped."""
    lead = _lead_index(parts)
    found = _title_above(parts, lead) if lead is not None else None
    if found is None:
        meta = tuple(unit.text for unit in parts if unit.kind == META)
        first = next((index for index, unit in enumerate(parts) if unit.kind != META), None)
        if first is not None and parts[first].kind == HEADING:
            rest = parts[:first] + parts[first + 1 :]
            return Chunk(headline_text(parts[first].text), tuple(rest), meta)
        return Chunk(None, tuple(parts), meta)
    title, standfirst = found
    assert lead is not None
    # Between title and lead: bylines, dates, labels; kept as metadata for the author and date.
    header = tuple(
        Unit(META, unit.text)
        for index, unit in enumerate(parts[title + 1 : lead], start=title + 1)
        if unit.kind != ITEM and index != standfirst
    )
    return Chunk(
        headline_text(parts[title].text),
        header + tuple(parts[lead:]),
        standfirst=parts[standfirst].text if standfirst is not None else None,
    )


def _marked_article(parts: list[Unit], title: str | None) -> Chunk:
    """One article whose reader kept the author's headings (HTML, Markdown): its title is
    the heading, or a line above the lead paragraph, that repeats the title its metadata
    gives; else its first heading when nothing but metadata comes before it and it is an
    <h1> or the metadata gives no title (an h2 there is a standfirst: text). Everything
    after the title that the reader kept is the article's text. There is no header zone to
    guess: the extractor has already left most of the page's furniture out, and what it
    kept above a repeated title (a newsletter sign-up, skip links) is not the article."""
    wanted = _comparable(title) if title else ""
    lead = _lead_index(parts)
    first = next(
        (
            i
            for i, unit in enumerate(parts)
            if (unit.kind == HEADING or lead is None or i < lead)
            and _is_title(_comparable(unit.text), wanted)
        ),
        None,
    )
    if first is None:
        first = next((i for i, unit in enumerate(parts) if unit.kind != META), None)
        if (
            first is None
            or parts[first].kind != HEADING
            or (title and not parts[first].text.startswith("# "))
        ):
            return Chunk(None, tuple(parts))
    # Above the title: dates and bylines are kept for the metadata.
    above = tuple(unit for unit in parts[:first] if unit.kind == META)
    return Chunk(headline_text(parts[first].text), above + tuple(parts[first + 1 :]))


def _is_title(line: str, title: str) -> bool:
    """The line is the title, or the title is the line with a site's name after it."""
    if not line or not title:
        return False
    return line == title or (title.startswith(line + " ") and len(line) >= 0.6 * len(title))


def _comparable(text: str) -> str:
    return " ".join(re.findall(r"\w+", headline_text(text).lower()))


def _lead_index(parts: list[Unit]) -> int | None:
    """The first real paragraph: a dozen words or more ending like a sentence."""
    for index, unit in enumerate(parts):
        if (
            unit.kind in (PARAGRAPH, HEADING)
            and word_count(unit.text) >= 12
            and ends_sentence(unit.text)
        ):
            if unit.kind == HEADING and word_count(unit.text) < 18:
                continue
            return index
    return None


_HEADER_REACH = 30


def _title_above(parts: list[Unit], lead: int) -> tuple[int, int | None] | None:
    """(title index, standfirst index) in the header zone above the lead, if any."""
    candidates = [
        index
        for index in range(lead - 1, max(-1, lead - 1 - _HEADER_REACH), -1)
        if parts[index].kind in (HEADING, PARAGRAPH) and _could_be_title(parts[index].text)
    ]
    if not candidates:
        return None
    first = candidates[0]
    if len(candidates) > 1 and candidates[1] >= first - 4:
        below, above = parts[first].text, parts[candidates[1]].text
        # A standfirst sits under its title: sentence case, and either a full sentence or
        # clearly longer than the title. A banner above a title ("🎉 Call for talks...")
        # is not a title.
        standfirst = _is_standfirst(below) and (
            ends_sentence(below) or word_count(below) >= 1.3 * word_count(above)
        )
        if standfirst and word_count(above) >= 6 and not _LEADING_SYMBOLS.match(above):
            return candidates[1], first
    return first, None


def _could_be_title(text: str) -> bool:
    title = headline_text(text)
    words = word_count(title)
    return 4 <= words <= 30 and not is_metadata_line(text)


def _is_standfirst(text: str) -> bool:
    """A sentence-like line under a title: longer, in sentence case, usually no full stop."""
    return word_count(text) >= 10 and title_case_ratio(text) < 0.6


def _stories(parts: list[Unit], heads: list[int]) -> list[Chunk]:
    if len(heads) > 2 and _is_issue_title(parts, heads[0], heads[1]):
        # The letter's own title and dateline ("Two questions ... / By Jo / Nov 19"), over a
        # short note to readers: its date belongs to every story, the note to none.
        heads = heads[1:]
    issue_meta = tuple(unit.text for unit in parts[: heads[0]] if unit.kind == META)
    chunks = []
    for number, start in enumerate(heads):
        end = heads[number + 1] if number + 1 < len(heads) else len(parts)
        body = tuple(parts[start + 1 : end])
        chunks.append(Chunk(headline_text(parts[start].text), body, issue_meta))
    return chunks


def _is_issue_title(parts: list[Unit], start: int, end: int) -> bool:
    meta = [unit.text for unit in parts[start + 1 : end] if unit.kind == META]
    prose = [unit.text for unit in parts[start + 1 : end] if unit.kind == PARAGRAPH]
    dated = any(DATE_PATTERN.search(text) for text in meta)
    return dated and len(prose) <= 1 and sum(word_count(text) for text in prose) < 80


def _is_newsletter(parts: list[Unit], heads: list[int], raw: str, article_signals: int) -> bool:
    """Whether the evidence says a run of separate stories rather than one sectioned article:
    a score of 2 or more."""
    titles = [headline_text(parts[index].text) for index in heads]
    score = 0
    sentence_like = sum(1 for title in titles if _is_sentence_headline(title))
    if sentence_like >= 2 and sentence_like * 2 >= len(titles):
        score += 3
    numbered = sum(1 for index in heads if _NUMBERED.match(parts[index].text))
    symbols = sum(1 for index in heads if _has_symbol(parts, index))
    if numbered >= 2 or symbols >= 2:
        score += 3
    bylines = {unit.text for unit in parts if unit.kind == META and _BYLINE_START.match(unit.text)}
    if len(bylines) >= 2:
        score += 3  # several authors: separate stories
    markers = len({match.group(0).lower() for match in _NEWSLETTER_MARKERS.finditer(raw)})
    score += min(markers, 2)
    if _GREETING_LINE.search(raw[:3000]):
        score += 2  # "Hello from Rotterdam," / "Good morning!": a letter, not an article
    first = next((unit.text for unit in parts if unit.kind in (HEADING, META)), "")
    if ISSUE_NAME.search(first):
        score += 2  # "Harbour Brief — week 47", "Dock Digest": the document names an issue
    score -= min(article_signals, 3)
    if score >= 3 or score <= 0:
        return score >= 2  # the cast of names (+1 or -1, and costly) cannot change the verdict
    return score + _topic_spread(parts, heads) >= 2


def _has_symbol(parts: list[Unit], index: int) -> bool:
    """An emoji or other symbol before the headline (Markdown's # marks do not count)."""
    text = _MARKDOWN_HEADING.sub("", parts[index].text)
    return bool(_LEADING_SYMBOLS.match(_NUMBERED.sub("", text)))


def _has_number(parts: list[Unit], index: int) -> bool:
    return bool(_NUMBERED.match(parts[index].text))


def _is_tagline(text: str) -> bool:
    """A publication's motto ("Satellites, spectrum and the networks in between"): no full
    stop, no figures, and hardly a name in it, unlike a headline."""
    return (
        not ends_sentence(text)
        and not any(c.isdigit() for c in text)
        and title_case_ratio(text) < 0.35
    )


def _is_sentence_headline(title: str) -> bool:
    """A headline written as a sentence ("X did Y. And Z."), unlike a section heading."""
    return title.rstrip("\"'”’").endswith((".", "!")) and not title.endswith("...")


def _topic_spread(parts: list[Unit], heads: list[int]) -> int:
    """+1 when sections share few names (separate stories), -1 when one cast runs through all."""
    casts = []
    for number, start in enumerate(heads):
        end = heads[number + 1] if number + 1 < len(heads) else len(parts)
        text = " ".join(unit.text for unit in parts[start:end])
        casts.append(_names(text))
    pairs = [len(a & b) / len(a | b) for a, b in itertools.pairwise(casts) if a | b]
    if not pairs:
        return 0
    overlap = sum(pairs) / len(pairs)
    if overlap < 0.12:
        return 1
    return -1 if overlap > 0.3 else 0


_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z0-9]+(?:[-.][A-Z0-9][a-zA-Z0-9]*)*)")


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start: a cheap stand-in for the names in a text."""
    return {word for word in _CAPITALISED.findall(text) if len(word) > 2} - _COMMON_CAPITALS


_COMMON_CAPITALS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Their",
        "They",
        "But",
        "And",
        "For",
        "With",
        "From",
        "What",
        "When",
        "Where",
        "Why",
        "How",
        "Who",
        "Its",
        "It's",
        "Our",
        "Your",
        "We",
        "You",
        "He",
        "She",
        "His",
        "Her",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "AI",
        "CEO",
    ]
)

__all__ = ["Chunk", "Unit", "headline_positions", "split_stories", "units"]
