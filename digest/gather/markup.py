"""HTML -> blocks by walking its elements: headings with their level, paragraphs, list items
with their depth, quotes, rules, and the links and bold leads inside them.

Used for feed entry bodies, email parts and newsletter pages, where no main-content extraction
is wanted: only what a reader never sees (scripts, styles, hidden preheaders, tracking
pixels) and site furniture (nav, aside, footer) is dropped. Stdlib html.parser: tolerant of
broken markup.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from digest.blocks import Inline, link_target, plain_blocks, to_lines
from digest.models import CODE, HEADING, ITEM, PARAGRAPH, QUOTE, SEPARATOR, Block

_BLOCK = frozenset(
    "p div section article header footer aside main nav table tr td th ul ol dl dt dd "
    "blockquote pre figure figcaption hr form fieldset address center".split()
)
_HEADING = frozenset("h1 h2 h3 h4 h5 h6".split())
# Never shown, or site furniture around the text rather than text: navigation menus, side
# bars and footers.
_SKIP = frozenset(
    "script style head title noscript template svg iframe object button select nav aside "
    "footer".split()
)
_BOLD = frozenset(("strong", "b"))
_VOID = frozenset("br img hr meta link input source wbr area base col embed param track".split())
_HIDDEN = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0|font-size\s*:\s*0|opacity\s*:\s*0(?!\.)",
    re.I,
)
_MAX_DEPTH = 400


class _BlockBuilder(HTMLParser):
    """Collects blocks, starting a new one at every block boundary; the kind of a block is
    the element its text sat in (heading, list item, quote, preformatted, else paragraph)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.inline = Inline()
        # (tag, hides its content, href of a link)
        self.stack: list[tuple[str, bool, str | None]] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self._break()
            elif tag == "hr" and not self.hidden_depth:
                self._break()
                self.blocks.append(Block(SEPARATOR))
            return
        hides = tag in _SKIP or _is_hidden(attrs)
        if tag in _BLOCK or tag in _HEADING or tag == "li":
            self._break()
        if len(self.stack) < _MAX_DEPTH:  # deeply nested junk is flattened, not recursed
            href = link_target(dict(attrs).get("href")) if tag == "a" else None
            self.stack.append((tag, hides, href))
            self.hidden_depth += hides

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK or tag in _HEADING or tag == "li":
            self._break()
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _, hides, _ in self.stack[index:]:
                    self.hidden_depth -= hides
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            return
        url = next((href for _, _, href in reversed(self.stack) if href), None)
        bold = any(tag in _BOLD for tag, _, _ in self.stack)
        self.inline.add(data, url, bold)

    def _break(self) -> None:
        kind, level = PARAGRAPH, 0
        for tag, _, _ in reversed(self.stack):
            if tag in _HEADING:
                kind, level = HEADING, int(tag[1])
                break
            if tag == "li":
                kind = ITEM
                level = sum(1 for t, _, _ in self.stack if t in ("ul", "ol")) or 1
                break
            if tag == "blockquote":
                kind = QUOTE
                break
            if tag == "pre":
                kind = CODE
                break
        block = self.inline.take(kind, level)
        if block is not None and block.text not in ("•", "#"):
            self.blocks.append(block)

    def result(self) -> tuple[Block, ...]:
        self._break()
        return tuple(self.blocks)


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    values = dict(attrs)
    if "hidden" in values or values.get("aria-hidden") == "true":
        return True
    style = values.get("style") or ""
    return bool(_HIDDEN.search(style))


def html_blocks(markup: str) -> tuple[Block, ...]:
    """The blocks of an HTML fragment or page as a reader sees it: no main-content choice,
    only what is never shown (scripts, hidden preheaders, navigation) left out."""
    if "<" not in markup:
        return plain_blocks(html.unescape(markup))
    builder = _BlockBuilder()
    try:
        builder.feed(markup)
        builder.close()
    except (AssertionError, ValueError):  # html.parser gives up on some malformed declarations
        return plain_blocks(re.sub(r"<[^>]*>", " ", markup))
    return builder.result()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, one block per paragraph; headings keep # marks."""
    return to_lines(html_blocks(markup))


def strip_tags(markup: str) -> str:
    """One line of text from a fragment of inline HTML (a feed title)."""
    return (
        re.sub(r"\s+", " ", html_to_text(markup).replace("\n", " ")).strip().lstrip("#• ").strip()
    )
