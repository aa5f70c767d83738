"""HTML fragments -> plain text with one line per block, as a browser's "save as text" gives.

Used for feed entry bodies and email parts, where the markup is a fragment rather than a
page, so no main-content extraction is needed: only the structure (paragraphs, headings, list
items, line breaks) is kept, and what a reader never sees (scripts, styles, hidden
preheaders, tracking pixels) is dropped. Stdlib html.parser: tolerant of broken markup.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    "p div section article header footer aside main nav table tr td th ul ol dl dt dd "
    "blockquote pre figure figcaption hr form fieldset address center".split()
)
_HEADING = frozenset("h1 h2 h3 h4 h5 h6".split())
_SKIP = frozenset(
    "script style head title noscript template svg iframe object button select".split()
)
_VOID = frozenset("br img hr meta link input source wbr area base col embed param track".split())
_HIDDEN = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0|font-size\s*:\s*0|opacity\s*:\s*0(?!\.)",
    re.I,
)
_MAX_DEPTH = 400


class _TextBuilder(HTMLParser):
    """Collects text, starting a new line at every block boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.hidden_depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self._break()
            return
        hides = tag in _SKIP or _is_hidden(attrs)
        if len(self.stack) < _MAX_DEPTH:  # deeply nested junk is flattened, not recursed
            self.stack.append((tag, hides))
            self.hidden_depth += hides
        if tag in _BLOCK or tag in _HEADING or tag == "li":
            self._break()
            if tag == "li" and not self.hidden_depth:
                self.current.append("• ")
            if tag in _HEADING and not self.hidden_depth:
                self.current.append("#" * int(tag[1]) + " ")
        if tag == "a" and not self.hidden_depth:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _, hides in self.stack[index:]:
                    self.hidden_depth -= hides
                del self.stack[index:]
                break
        if tag in _BLOCK or tag in _HEADING or tag == "li":
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.current.append(data)

    def _break(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line and line not in ("•", "#"):
            self.lines.append(line)
        self.current = []

    def text(self) -> str:
        self._break()
        return "\n\n".join(self.lines)


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    values = dict(attrs)
    if "hidden" in values or values.get("aria-hidden") == "true":
        return True
    style = values.get("style") or ""
    return bool(_HIDDEN.search(style))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, one block per paragraph; headings keep # marks."""
    if "<" not in markup:
        return html.unescape(markup).strip()
    builder = _TextBuilder()
    try:
        builder.feed(markup)
        builder.close()
    except (AssertionError, ValueError):  # html.parser gives up on some malformed declarations
        return re.sub(r"<[^>]*>", " ", markup)
    return builder.text()


def strip_tags(markup: str) -> str:
    """One line of text from a fragment of inline HTML (a feed title)."""
    return (
        re.sub(r"\s+", " ", html_to_text(markup).replace("\n", " ")).strip().lstrip("#• ").strip()
    )
