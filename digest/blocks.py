"""The block model every reader produces: building blocks from inline runs, and reading them.

A reader walks its input's own structure (an HTML DOM, Markdown tokens) and hands each run of
inline text to an `Inline`, which collapses white space and keeps the spans of links and of a
bold lead exactly, so that a story finder can ask "is this list item led by a link?" instead
of guessing from characters. Pure stdlib.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from digest.models import HEADING, ITEM, PARAGRAPH, SEPARATOR, Block, Link

_SPACE = re.compile(r"\s+")
# Text that may stand before a lead link without making it any less the item's headline:
# tags such as "[video]", an emoji, a dash.
_TAG = r"\[[^\]]{1,24}\]\s*"
_LEAD_PREFIX = re.compile(rf"^(?:{_TAG}|[^\w\s\"“‘'(\[]+\s*)*$")
_TAGS = re.compile(rf"^(?:{_TAG})+")
# A plain-text list item longer than this is a paragraph of a list, not a headline.
_MAX_ITEM_HEADLINE_WORDS = 25


# Links that run a script or carry their content inline point nowhere a reader can go.
_SCRIPT_LINK = re.compile(r"(?i)\s*(?:javascript|vbscript|data):")


def link_target(href: object) -> str | None:
    """A link's target as a block keeps it: None for no target or a script link, whose
    text then reads as plain text (every reader calls this, so they agree)."""
    target = str(href or "").strip()
    return target if target and not _SCRIPT_LINK.match(target) else None


class Inline:
    """Collects one block's inline text: runs, each inside a link or not, bold or not."""

    __slots__ = ("_runs",)

    def __init__(self) -> None:
        self._runs: list[tuple[str, str | None, bool]] = []

    def add(self, text: str, url: str | None = None, bold: bool = False) -> None:
        if text:
            self._runs.append((text, url, bold))

    def take(self, kind: str, level: int = 0) -> Block | None:
        """The block these runs make (None when they hold no text), and a fresh start."""
        runs, self._runs = self._runs, []
        joined = ""
        links: list[tuple[int, int, str]] = []
        bold: list[tuple[int, int]] = []
        for raw, url, strong in runs:
            piece = _SPACE.sub(" ", raw)
            if piece.startswith(" ") and (not joined or joined.endswith(" ")):
                piece = piece[1:]
            if not piece:
                continue
            start = len(joined) + len(piece) - len(piece.lstrip(" "))
            joined += piece
            end = len(joined) - (len(piece) - len(piece.rstrip(" ")))
            if end <= start:
                continue
            # A run that goes on the previous link or bold span (split by markup inside it,
            # white space between) extends that span.
            if url:
                if links and links[-1][2] == url and not joined[links[-1][1] : start].strip():
                    links[-1] = (links[-1][0], end, url)
                else:
                    links.append((start, end, url))
            if strong:
                if bold and not joined[bold[-1][1] : start].strip():
                    bold[-1] = (bold[-1][0], end)
                else:
                    bold.append((start, end))
        text = joined.strip()
        if not text:
            return None
        shift = len(joined) - len(joined.lstrip())
        found = tuple(
            Link(max(0, a - shift), min(len(text), b - shift), u)
            for a, b, u in links
            if min(len(text), b - shift) > max(0, a - shift)
        )
        lead = 0
        if bold and bold[0][0] - shift <= 0:
            lead = min(len(text), bold[0][1] - shift)
        return Block(kind, text, level, found, lead)


def leading_link(block: Block) -> Link | None:
    """The link that leads the block (a roundup item's headline), if one does."""
    if not block.links:
        return None
    first = block.links[0]
    if _LEAD_PREFIX.match(block.text[: first.start]) is None or _in_page(first.url):
        return None
    return first


def self_headline(block: Block) -> Link | None:
    """A plain-text list item as its own headline, where text kept no link: short, its tags
    ("[video]") left out, no URL."""
    tags = _TAGS.match(block.text)
    start = tags.end() if tags else 0
    if len(block.text.split()) > _MAX_ITEM_HEADLINE_WORDS or start >= len(block.text):
        return None
    return Link(start, len(block.text), "")


def heading_link(block: Block) -> str | None:
    """The URL of a heading that is one link (`## [Headline](url)`, `<h2><a>`)."""
    if block.kind != HEADING or not block.links:
        return None
    covered = sum(link.end - link.start for link in block.links)
    letters = sum(1 for c in block.text if c.isalnum())
    linked = sum(
        1 for link in block.links for c in block.text[link.start : link.end] if c.isalnum()
    )
    if covered and letters and linked >= 0.8 * letters and not _in_page(block.links[0].url):
        return block.links[0].url
    return None


def is_page_navigation(block: Block, page_url: str | None = None) -> bool:
    """A block that is nothing but links to places on the same page ("Skip to content",
    "Jump to search", a table of contents): a way around the page, not part of its text.
    Such a link is "#place", or the page's own URL (`page_url`) with a "#place" after it."""
    if block.kind == HEADING or not block.links:
        return False
    if not all(_to_a_place_on(link.url, page_url) for link in block.links):
        return False
    outside = "".join(
        c
        for i, c in enumerate(block.text)
        if not any(link.start <= i < link.end for link in block.links)
    )
    return not any(c.isalnum() for c in outside)


def _to_a_place_on(url: str, page_url: str | None) -> bool:
    # A bare "#" is a placeholder for a script, not a place on the page.
    here, mark, place = url.partition("#")
    if not mark or not place:
        return False
    return not here or (page_url is not None and here == page_url.partition("#")[0])


def _in_page(url: str) -> bool:
    """A link to a place on the same page (a table of contents, a heading's permalink) is
    no headline's link."""
    return url.startswith("#") or not url.strip()


def split_cells(block: Block) -> list[Block]:
    """A block that is a row of layout cells (`| a | b |`) as a block per non-empty cell,
    links kept on their cells. A pipe inside a link's text is not a cell boundary."""
    cuts = [
        i
        for i, c in enumerate(block.text)
        if c == "|" and not any(link.start <= i < link.end for link in block.links)
    ]
    out: list[Block] = []
    for start, end in itertools.pairwise([-1, *cuts, len(block.text)]):
        piece = block.text[start + 1 : end]
        text = piece.strip()
        if not text:
            continue
        first = start + 1 + len(piece) - len(piece.lstrip())
        links = tuple(
            Link(link.start - first, link.end - first, link.url)
            for link in block.links
            if first <= link.start and link.end <= first + len(text)
        )
        out.append(Block(block.kind, text, block.level, links))
    return out


def plain_blocks(text: str) -> tuple[Block, ...]:
    """Plain text has no markup: one paragraph block per run of lines between blank lines,
    lines kept as they are, for the line-shape rules to read."""
    found = []
    for part in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        if part.strip():
            found.append(Block(PARAGRAPH, part.strip("\n")))
    return tuple(found)


def _is_bold_label(block: Block) -> bool:
    """A short paragraph wholly in bold, with no full stop: how many authors mark a heading."""
    return (
        block.kind == PARAGRAPH
        and block.lead >= len(block.text)
        and len(block.text.split()) <= _MAX_LABEL_WORDS
        and not block.text.rstrip().endswith((".", "!", "?", ",", ";", ":"))
    )


_MAX_LABEL_WORDS = 8


def to_lines(blocks: Iterable[Block], marks: bool = True) -> str:
    """The blocks as Markdown-like lines (headings keep `#` marks, list items a bullet, rules
    a `---`), for the rules that read a document line by line. Without `marks` headings are
    bare lines, as plain text wrote them: their levels were guessed, not given."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        bullet = f"{block.number}. " if block.number else "• "
        if not marks and block.kind == ITEM and previous == ITEM:
            out[-1] += "\n" + bullet + block.text  # one list, one run of lines, as written
            continue
        previous = block.kind
        if block.kind == HEADING and marks:
            out.append("#" * max(1, min(6, block.level)) + " " + block.text)
        elif marks and _is_bold_label(block):
            out.append("###### " + block.text)  # "**Related posts**": a heading in all but name
        elif block.kind == ITEM:
            out.append(bullet + block.text)
        elif block.kind == SEPARATOR:
            out.append("---")
        else:
            out.append(block.text)
    return "\n\n".join(out)
