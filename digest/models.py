"""Pipeline data types: frozen, slotted, stdlib only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Document.format of a feed entry: one story whose title, link and date are already known.
ENTRY_FORMAT = "entry"

# Block kinds: what an author marked a piece of a document as.
HEADING, PARAGRAPH, ITEM, QUOTE, SEPARATOR, TABLE, CODE = (
    "heading",
    "paragraph",
    "item",
    "quote",
    "separator",
    "table",
    "code",
)


@dataclass(frozen=True, slots=True)
class Link:
    """An inline link: the span [start, end) of its block's text, and where it points."""

    start: int
    end: int
    url: str


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document as its author marked it up.

    `level` is a heading's level (1-6) or a list item's depth (1 = top level); `lead` is the
    length of a bold lead at the start of the text (`**Headline.** text`), 0 when there is
    none; `number` is a numbered list item's number (0 for a bullet). Plain text has no
    markup: its blocks are read from line shapes (`digest.gather.plaintext`), and a
    paragraph keeps the line breaks its author made."""

    kind: str
    text: str = ""
    level: int = 0
    links: tuple[Link, ...] = ()
    lead: int = 0
    number: int = 0


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata a reader already knows about a document before its text is parsed."""

    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    url: str | None = None
    source: str | None = None
    modified: datetime | None = None
    # The document says it is one article (og:type, JSON-LD): one story, subheadings and all.
    article: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """One input as read: its blocks plus what the reader knew about it."""

    source: str | None
    origin: str
    format: str
    blocks: tuple[Block, ...]
    hints: Hints = field(default_factory=Hints)


@dataclass(frozen=True, slots=True)
class Story:
    """One clean story taken out of a document."""

    key: str
    origin: str
    title: str
    summary: str
    body: tuple[str, ...]
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    date_source: str | None = None
    source: str | None = None
    fingerprint: str = ""
    # The date the window uses: `published`, else when the file was saved or the feed fetched.
    dated: datetime | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    """One event: the lead story and the items merged into it."""

    lead: Story
    duplicates: tuple[Story, ...] = ()
    # The similarity that joined each duplicate to the event (1.0: the same URL or text);
    # empty when every duplicate is exact.
    similarity: tuple[float, ...] = ()

    @property
    def items(self) -> tuple[Story, ...]:
        return (self.lead, *self.duplicates)

    @property
    def joined(self) -> tuple[float, ...]:
        """Per item, lead first, the similarity that joined it (the lead's is 1.0)."""
        return (1.0, *(self.similarity or (1.0,) * len(self.duplicates)))


@dataclass(frozen=True, slots=True)
class Theme:
    """A configured theme: a section of the digest and the rules that fill it."""

    name: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """A cluster placed in the digest: its themes, the evidence, and whether the email shows it."""

    cluster: Cluster
    themes: tuple[str, ...]
    reasons: tuple[str, ...]
    score: float
    shown: bool = True


@dataclass(frozen=True, slots=True)
class Section:
    """One theme's part of the digest, entries ranked best first."""

    theme: Theme
    entries: tuple[Entry, ...]

    @property
    def shown(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.shown)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that gave no story, and why."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class Period:
    """The date window of an issue; None on a side means open."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class Digest:
    """A built issue, ready to render."""

    title: str
    period: Period
    generated_at: datetime
    sections: tuple[Section, ...]
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    # How many of the most-covered events open the email (0: none).
    top_stories: int = 0

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(entry for section in self.sections for entry in section.entries)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A digest in its output forms."""

    subject: str
    html: str
    text: str
    markdown: str
    # The JSON document in pieces (one per story): joined only when someone asks for it.
    json_parts: tuple[str, ...]
    hidden: int = 0  # stories the email left out (cap per theme, size budget)
    # Keys of the lead stories the email carries: only those, or all when the email links to
    # a full issue page, count as delivered.
    carried: frozenset[str] = frozenset()

    @property
    def json(self) -> str:
        return "".join(self.json_parts)
