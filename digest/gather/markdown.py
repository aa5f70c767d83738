"""Markdown files (read-later exports, notes, newsletters) -> Document. The one owner of
markdown-it-py.

Front matter gives title, date, url, source and author; unknown keys are ignored. The body is
parsed by a CommonMark parser (markdown-it-py: the reference-compliant Python port, with
tables) into blocks, so headings, list items, rules, links and bold leads are what the author
wrote rather than guesses from characters; escapes and entities come out as the text a reader
sees. Raw HTML blocks inside the Markdown are read by the HTML block reader.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml

from digest.blocks import Inline, link_target, split_cells
from digest.config.lines import safe_load
from digest.dates import parse_date
from digest.gather.decode import decode
from digest.gather.markup import html_blocks
from digest.models import (
    CODE,
    HEADING,
    ITEM,
    PARAGRAPH,
    QUOTE,
    SEPARATOR,
    TABLE,
    Block,
    Document,
    Hints,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Lines that all open with a pipe, which the table rule did not take (no header separator):
# an extractor's rendering of a page's layout table, one cell per piece of the page.
_LAYOUT_ROW = re.compile(r"\A(?:[ \t]*\|[^\n]*(?:\n|\Z))+\Z")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


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
    parsed = markdown_blocks(text)
    # Without a title in front matter, a document's one level-1 heading at the top is its title.
    tops = [block for block in parsed if block.kind == HEADING and block.level == 1]
    own = parsed[0].text if len(tops) == 1 and parsed and parsed[0] is tops[0] else None
    title = _string(meta.get("title")) or own
    found = Hints(
        title=title,
        author=_string(meta.get("author") or meta.get("authors")),
        published=_date(meta.get("date") or meta.get("published") or meta.get("pubDate")),
        url=_string(meta.get("url") or meta.get("link") or meta.get("canonical_url")),
        source=_string(meta.get("source") or meta.get("site") or meta.get("publication"))
        or hints.source,
        modified=hints.modified,
    )
    # A heading that repeats the title stays: the story finder knows it for the title.
    return [Document(found.source, origin, "markdown", parsed, found)]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    # markdown-it leaves a link it judges unsafe (javascript:) as raw `[text](url)` text;
    # a digest never renders these hrefs as given, so take the link's text and drop the URL.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a Markdown text, in reading order."""
    blocks: list[Block] = []
    lists = 0  # depth of list nesting
    context: list[str] = []  # open containers: heading level "h2", "li", "quote", "cell"
    cells: list[str] = []
    for token in _parser().parse(text):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif kind == "list_item_open":
            context.append("li")
        elif kind == "blockquote_open":
            context.append("quote")
        elif kind == "heading_open":
            context.append(token.tag)
        elif kind in ("th_open", "td_open"):
            context.append("cell")
        elif kind in (
            "list_item_close",
            "blockquote_close",
            "heading_close",
            "th_close",
            "td_close",
        ):
            if context:
                context.pop()
        elif kind == "tr_close":
            if any(cells):
                blocks.append(Block(TABLE, " | ".join(cell for cell in cells if cell)))
            cells = []
        elif kind == "inline":
            block = _inline_block(token, context, lists)
            if block is None:
                continue
            if context and context[-1] == "cell":
                cells.append(block.text)
            elif not context and _LAYOUT_ROW.match(token.content):
                blocks.extend(split_cells(block))
            else:
                blocks.append(block)
        elif kind in ("fence", "code_block"):
            if token.content.strip():
                blocks.append(Block(CODE, token.content.rstrip("\n")))
        elif kind == "hr":
            blocks.append(Block(SEPARATOR))
        elif kind == "html_block":
            blocks.extend(html_blocks(token.content))
    return tuple(blocks)


def _inline_block(token: Token, context: list[str], lists: int) -> Block | None:
    inline = Inline()
    links: list[str | None] = []
    bold = 0
    for child in token.children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            inline.add(child.content, links[-1] if links else None, bold > 0)
        elif kind in ("softbreak", "hardbreak"):
            inline.add(" ")
        elif kind == "link_open":
            links.append(link_target(child.attrGet("href")))
        elif kind == "link_close":
            if links:
                links.pop()
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold = max(0, bold - 1)
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            inline.add(" ")
        # images are decorative in a digest; emphasis and inline tags keep only their text
    where = context[-1] if context else ""
    if where.startswith("h") and where[1:].isdigit():
        return inline.take(HEADING, int(where[1:]))
    if "li" in context:
        return inline.take(ITEM, max(1, lists))
    if "quote" in context:
        return inline.take(QUOTE)
    return inline.take(PARAGRAPH)


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
