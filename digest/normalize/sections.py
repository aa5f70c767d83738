"""Stories from a document's own structure: a section per story, a link roundup's items, and
the sections that are not stories.

Readers that see markup (HTML, Markdown, an email's HTML part) give blocks whose kinds the
author chose. Over those, a newsletter's shape is plain to see: headings that are links of
their own over paragraphs (a section per story), or list items each led by a link (a
roundup: the link text is the headline, its URL the story's, the rest of the item its
summary). What is not a story is recognised by its role, named by a small vocabulary that
newsletters share in their section headings (sponsor, jobs, events, a call for
participation, contributors, questions, feedback, a table of contents, a quote of the week),
by its shape (a list of links to code-review items, a list of dated event listings), and by
its place (the greeting before the first heading, the sign-off after a closing rule).

When the structure does not decide (an article, or plain text) this module says so and the
line-shape rules in `split` take over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from digest.blocks import heading_link, leading_link, self_headline
from digest.dates import DATE_REGEX
from digest.models import CODE, HEADING, ITEM, PARAGRAPH, QUOTE, SEPARATOR, TABLE, Block, Link
from digest.normalize.clean import is_junk_line
from digest.normalize.extract import is_metadata_line
from digest.normalize.promo import is_promo
from digest.normalize.split import HEADING as HEADING_UNIT
from digest.normalize.split import ITEM as ITEM_UNIT
from digest.normalize.split import META, Chunk, Unit
from digest.normalize.split import PARAGRAPH as PARAGRAPH_UNIT
from digest.normalize.text import word_count

# The roles of a newsletter's sections that are not stories, as their headings name them.
# Matched as whole words in a short heading; the heading's own words, never its story.
_ROLES = re.compile(
    r"(?i)\b(?:sponsors?|sponsored|partners?|presented by|brought to you|advertis\w*|"
    r"jobs?|hiring|careers?|open (?:positions|roles)|job board|"
    r"events?|meetups?|conferences?|calendar|webinars?|"
    r"calls? for (?:participation|papers|proposals|testing|contributors)|cfps?|"
    r"get involved|help wanted|volunteers?|contributors?|contributing|"
    r"questions?|ask (?:us|me)|feedback|connect with us|contact(?: us)?|get in touch|"
    r"write for us|reader mail|mailbag|"
    r"thanks|thank you|acknowledg\w*|credits|"
    r"in this (?:issue|edition)|table of contents|contents|"
    r"quotes? of the (?:week|day|month)|"
    # a project's review queue, the changelog's words for what links to trackers show
    r"pull requests?|prs|rfcs|tracking issues|"
    r"subscribe|follow us|share (?:this|the)|sign[- ]?off|"
    # and a page's furniture around its article
    r"references|see also|external links|further reading|notes|bibliography|sources|"
    r"related|more from|read more|recommended|popular|trending|most (?:read|viewed|shared))\b"
)
# "#31", "Issue 212", "No. 52": a title that numbers the document as an issue of a newsletter.
ISSUE_NUMBER = re.compile(r"(?i)(?:^|\s)#\s?\d+\b|\b(?:issue|edition|vol\.?|volume|no\.)\s*#?\d+\b")
_HASHTAG = re.compile(r"^\W*#[^\W\d]\w*[^\w#]*$")
_ROLE_WORDS = 8  # a heading longer than this is a headline, whatever words it holds
_MIN_STORY_WORDS = 15
# A list item of a roundup: its lead link's text is a headline of at least two words.
_MIN_HEADLINE_WORDS = 2
# Links to code-review items (pull and merge requests, issues, commits): a changelog.
_TRACKER = re.compile(r"/(?:pull|pulls|issues|merge_requests|commit|commits)/[0-9a-f]+", re.I)
_DATE_LED = re.compile(rf"^\W*(?:{DATE_REGEX})", re.I)
_BULLETS = "•●▪◦‣"
_COMMIT = re.compile(r"(?:[\w./-]+:\s+)?[a-z][a-z']*\s")
# A roundup's items are the newsletter's story form when they outnumber its prose sections
# this many times; the prose sections then are its editorial furniture (a featured pick, a
# report, instructions), not stories.
_ROUNDUP_DOMINANCE = 4


@dataclass(slots=True)
class _Section:
    heading: Block | None
    role: str | None
    level: int
    body: list[Block] = field(default_factory=list)
    ruled: bool = False  # a rule stands right before its heading


def section_role(heading: str) -> str | None:
    """The non-story role a section heading names (sponsor, jobs, events, ...), if any."""
    words = word_count(heading)
    if not words or words > _ROLE_WORDS:
        return None
    if _HASHTAG.match(heading):
        return "hashtag"  # "#ourpaper 📰": the channel to follow or write to, no headline
    found = _ROLES.search(heading)
    return found.group(0).lower() if found else None


def is_newsletter(blocks: Sequence[Block], flat: bool = False) -> bool:
    """Whether the structure says several stories: a roundup, or three or more headlines
    over a story's worth of text that are links of their own or that each follow a rule
    (the author divided the document into its stories)."""
    sections = _sections(blocks, flat)
    told = [s for s in sections if s.heading and _prose_words(s.body) >= _MIN_STORY_WORDS]
    linked = sum(1 for s in told if s.heading and heading_link(s.heading))
    ruled = sum(1 for s in told if s.ruled)
    return linked >= 3 or ruled >= 3 or _has_roundup(sections, flat)


def is_roundup(blocks: Sequence[Block]) -> bool:
    """Whether the document is a link roundup: six or more link-led list items, in two or
    more sections. Said even of a page that calls itself an article: a list article's items
    are headings over paragraphs, a roundup's are lines of links."""
    return _has_roundup(_sections(blocks))


def within(blocks: Sequence[Block], headings: set[str]) -> tuple[Block, ...]:
    """The blocks of the sections whose headings are among `headings` (those a main-content
    extractor kept), and what comes before the first heading: a page's side bars and
    footer lists left out, its own lists kept whole."""
    kept: list[Block] = []
    keep = True
    for block in blocks:
        if block.kind == HEADING:
            keep = block.text in headings
        if keep:
            kept.append(block)
    return tuple(kept)


def _has_roundup(sections: list[_Section], flat: bool = False) -> bool:
    rounds = [items for s in sections if (items := _roundup_items(s, flat))]
    return len(rounds) >= 2 and sum(len(items) for items in rounds) >= 6


def find_stories(
    blocks: Sequence[Block], newsletter: bool, title: str | None = None, flat: bool = False
) -> list[Chunk] | None:
    """The stories the document's structure gives, or None when structure does not decide
    (the caller then reads the document as one article or by line shapes). `flat`: the
    headings' levels are unknown (plain text), so a subsection is told by its shape."""
    if not newsletter and not is_newsletter(blocks, flat):
        return None
    sections = _sections(blocks, flat)
    _title_is_intro(sections, title)
    told: list[tuple[int, _StoryDraft]] = []
    items: list[tuple[int, Chunk]] = []
    listed: dict[int, _StoryDraft] = {}  # each roundup section, as one story
    absorbed_below: int | None = None
    for index, section in enumerate(sections):
        heading = section.heading
        if heading is None or section.role:
            absorbed_below = None
            continue
        if absorbed_below is not None and section.level > absorbed_below:
            told[-1][1].units.extend(_units([heading, *section.body]))  # a subsection
            continue
        absorbed_below = None
        found = _roundup_items(section, flat)
        if found:
            items.extend((index, chunk) for chunk in found)
            listed[index] = _StoryDraft(heading.text, _units(section.body), heading_link(heading))
            continue
        if _prose_words(section.body) >= _MIN_STORY_WORDS and not _is_pitch(section.body):
            draft = _StoryDraft(heading.text, _units(section.body), heading_link(heading))
            told.append((index, draft))
            absorbed_below = section.level
    if items and len(items) >= _ROUNDUP_DOMINANCE * len(told):
        told = []
    elif listed and len(told) >= _ROUNDUP_DOMINANCE * len(listed):
        # The other way round: in a newsletter of told stories, a section that is a list of
        # links ("Learn more", "Resources") is one story, its links the story's text.
        told.extend(listed.items())
        items = []
    labels = sum(1 for _, draft in told if _is_label(draft))
    if not items and len(told) >= 2 and labels >= _LABEL_SHARE * len(told):
        # Sections named by topic ("Performance", "Password Manager"), not by story: the
        # areas of one report.
        return None
    drafted = [(index, Chunk(d.title, tuple(d.units), url=d.url)) for index, d in told]
    chunks = [chunk for _, chunk in sorted(drafted + items, key=lambda pair: pair[0])]
    return chunks or None


@dataclass(slots=True)
class _StoryDraft:
    """A story section while its subsections are still being added."""

    title: str
    units: list[Unit]
    url: str | None


def _sections(blocks: Sequence[Block], flat: bool = False) -> list[_Section]:
    """The document cut at its headings; each section knows its role, its own or the one of
    the heading it sits under. A rule closes a section: what follows it before the next
    heading (a sign-off) belongs to no section."""
    sections = [_Section(None, None, 0)]
    open_roles: list[tuple[int, str | None]] = []
    closed = False
    previous = ""
    for block in blocks:
        if block.kind == HEADING:
            while open_roles and open_roles[-1][0] >= block.level:
                open_roles.pop()
            # Levels a reader guessed (plain text) say nothing of what sits under what.
            inherited = None if flat else next((r for _, r in reversed(open_roles) if r), None)
            label = _label_over(sections[-1]) if previous == PARAGRAPH and not closed else None
            role = section_role(block.text) or label or inherited
            open_roles.append((block.level, role))
            sections.append(_Section(block, role, block.level, ruled=previous == SEPARATOR))
            closed = False
        elif block.kind == SEPARATOR:
            closed = True
        elif not closed:
            sections[-1].body.append(block)
        previous = block.kind
    if flat:
        _pass_roles_on(sections)
    return sections


def _label_over(section: _Section) -> str | None:
    """The role a short label right above a heading names ("Sponsored", "Events"), taken
    out of the section it closes: a kicker says what the next section is. A link there
    ("Read more") is the closing section's button, not a label."""
    last = section.body[-1] if section.body else None
    if last is None or last.links or word_count(last.text) > _LABEL_WORDS:
        return None
    role = section_role(last.text)
    if role:
        section.body.pop()
    return role


def _pass_roles_on(sections: list[_Section]) -> None:
    """Without heading levels, a subsection shows by its shape: a heading straight over a
    list, after a section with a role, is one of that section's lists (the companies under
    "Jobs", the regions under "Events"). A section of prose, or a heading over nothing (a
    group of its own), ends the run."""
    running: str | None = None
    for section in sections[1:]:
        if section.role:
            running = section.role
        elif section.body and section.body[0].kind == ITEM:
            section.role = running
        else:
            running = None


def _title_is_intro(sections: list[_Section], title: str | None) -> None:
    """The document's own title heading (its first heading, when it repeats the title or is
    the only one at the top level, as a page's <h1> is) is no story: what sits under it
    before the next heading is the greeting or masthead, like text before any heading."""
    headed = [section for section in sections if section.heading is not None]
    if len(headed) < 2 or headed[0].heading is None:
        return
    top = min(section.level for section in headed)
    first = letters(headed[0].heading.text)
    named = bool(title) and bool(first) and first == letters(title or "")
    if named or (headed[0].level == top and sum(1 for s in headed if s.level == top) == 1):
        # A role word in the document's name ("Harbour Notes", "Events Weekly") is no role
        # of the sections under it; a heading between them that names the role still passes
        # it on (the meetups under "Events" in "Events Weekly").
        inherited, headed[0].role = headed[0].role, "title"
        if not inherited:
            return
        above: list[tuple[int, str | None]] = []
        for section in headed[1:]:
            while above and above[-1][0] >= section.level:
                above.pop()
            own = section_role(section.heading.text) if section.heading else None
            if section.role == inherited and own != inherited:
                section.role = next((role for _, role in reversed(above) if role), None)
            above.append((section.level, section.role))


def letters(text: str) -> str:
    """Only the letters and digits of a text, lowercased: a title's identity."""
    return "".join(c for c in text.lower() if c.isalnum())


def _roundup_items(section: _Section, flat: bool = False) -> list[Chunk]:
    """A section's link-led list items as stories, when they are what the section holds and
    the list is not a changelog or an event listing. In plain text, where links are lost,
    an item that reads as a headline leads with itself."""
    if section.heading is None or section.role:
        return []
    listed = [block for block in section.body if block.kind == ITEM]
    if not listed:
        return []
    top = min(block.level for block in listed)
    # Without links, only a section that is a list from its first line is a roundup; a
    # list after a paragraph is that paragraph's points.
    listing = flat and section.body[0].kind == ITEM
    led = []
    for block in listed:
        link = leading_link(block) if block.level == top else None
        if link is None and listing and block.level == top:
            link = self_headline(block)
        if link is not None and word_count(block.text[link.start : link.end]) >= 2:
            led.append((block, link))
    prose = [block for block in section.body if block.kind in (PARAGRAPH, QUOTE)]
    # A section's one link that names its heading, under the section's own text ("Learn
    # more about X" under "X" and what X does), is the section's link, not a roundup's story.
    if (
        len(led) == 1
        and len(section.body) > 1
        and f" {_words(section.heading.text)} " in f" {_words(_link_text(*led[0]))} "
    ):
        return []
    if not led or len(led) < len(prose) or len(led) * 2 < sum(1 for b in listed if b.level == top):
        return []
    urls = [link.url for _, link in led]
    if sum(1 for url in urls if _TRACKER.search(urlsplit(url).path)) * 5 >= len(urls) * 3:
        return []
    if sum(1 for block, _ in led if _DATE_LED.match(block.text)) * 5 >= len(led) * 3:
        return []
    # Headlines open with a name or a capital; commit subjects (a changelog's lines, when
    # text kept no links to show it) open in lowercase, many with a plain verb ("fix",
    # "clippy: add").
    lower = sum(1 for block, link in led if block.text[link.start : link.start + 1].islower())
    verbs = sum(1 for block, link in led if _COMMIT.match(block.text, link.start))
    if lower * 2 > len(led) and verbs * 3 >= len(led):
        return []
    chunks = []
    for block, link in led:
        title = block.text[link.start : link.end].strip()
        rest = block.text[link.end :].strip(" \t-–—:|,;").strip()
        units = (Unit(PARAGRAPH_UNIT, rest),) if word_count(rest) >= 3 else ()
        chunks.append(Chunk(title, units, url=link.url or None, brief=True))
    return chunks


def _is_label(draft: _StoryDraft) -> bool:
    """A section heading that names a topic, not a story: a few words and no link."""
    return draft.url is None and word_count(draft.title) <= _LABEL_WORDS


_LABEL_WORDS = 3
_LABEL_SHARE = 0.75


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _link_text(block: Block, link: Link) -> str:
    return block.text[link.start : link.end]


def _units(blocks: Sequence[Block]) -> list[Unit]:
    """A story section's blocks as the units a story is built from; code, furniture and
    selling paragraphs left out."""
    found = []
    for block in blocks:
        if block.kind == CODE or not block.text:
            continue
        if block.kind == HEADING:
            found.append(Unit(HEADING_UNIT, block.text))
        elif is_junk_line(block.text):
            continue
        elif is_metadata_line(block.text):
            found.append(Unit(META, block.text))
        elif block.kind == ITEM:
            found.append(Unit(ITEM_UNIT, block.text.lstrip(_BULLETS + " ").replace("\n", " ")))
        elif block.kind in (PARAGRAPH, QUOTE, TABLE):
            # plain text keeps a paragraph's own line breaks; a story reads it as one
            found.append(Unit(PARAGRAPH_UNIT, block.text.replace("\n", " ")))
    return found


def _prose_words(blocks: Sequence[Block]) -> int:
    return sum(word_count(block.text) for block in blocks if block.kind in (PARAGRAPH, QUOTE, ITEM))


def _is_pitch(blocks: Sequence[Block]) -> bool:
    """A section whose every paragraph sells (subscribe, write for us, join us)."""
    prose = [block for block in blocks if block.kind in (PARAGRAPH, QUOTE, ITEM)]
    return bool(prose) and all(is_promo(block.text) for block in prose)
