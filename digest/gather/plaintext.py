"""Blocks from plain text: the one input whose structure has to be read from line shapes.

A browser's "save as text", a mail client's text part and a hand-written note keep only the
shapes of their markup: a rule is a line of dashes, a list item starts with a bullet, a quote
or a code block is indented, a paragraph is a run of lines between blank lines (joined: hard
wrapping is not structure) and a heading is a short line standing alone. Heading levels are
lost in text; every heading but the title comes out at level 2, and the story finder is told
the levels are flat. When the text divides itself with rules, the line after each rule is its
section's heading whatever its punctuation, and no other line is one: the author's own
dividers decide, not a guess from a line's length.
"""

from __future__ import annotations

import re

from digest.dates import DATE_REGEX
from digest.models import CODE, HEADING, ITEM, PARAGRAPH, QUOTE, SEPARATOR, Block
from digest.normalize.text import word_count

_RULE = re.compile(r"^\s*(?:[-=_*~]\s*){3,}$|^\s*(?:[─━═]\s*){3,}$")
_BULLET = re.compile(r"^(\s*)(?:[*•●▪◦‣+-]|(\d{1,3})[.)])\s+(?=\S)")
_DATE_LINE = re.compile(rf"^\W*(?:\w+,?\s+)?(?:{DATE_REGEX})\W*$", re.I)
# Lines of a program: they end or start with a bracket or a statement's punctuation.
_CODE_LINE = re.compile(r"[{};]\s*$|^\s*[}\])]|^\s*(?://|#!|\$ |>>> )|=>|\)\s*\{")
# Every alternative above needs one of these characters: a line without any (most prose)
# is no code line, and telling that is far cheaper than running the pattern over it.
_CODE_CHARS = frozenset("{};])/#$>=")
_HEADING_WORDS = 14
_HEADING_CHARS = 120
_QUOTE_INDENT = 4
# A heading does not end like a sentence or a lead-in; a trailing emoji or a "?" is fine.
_NOT_HEADING_END = ".,;:!"
_MIN_RULES = 2
_WRAPPED = 40  # a line cut by wrapping runs close to the width; a short one was broken by hand
_SENTENCE_END = '.!?;:…"”)'


def text_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a plain-text document, read from its line shapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    runs = [run.split("\n") for run in re.split(r"\n[ \t]*\n", text)]
    runs = [[line.rstrip() for line in run if line.strip()] for run in runs]
    runs = [run for run in runs if run]
    ruled = sum(1 for run in runs if len(run) == 1 and _RULE.match(run[0])) >= _MIN_RULES
    found: list[Block] = []
    after_rule = False
    for index, run in enumerate(runs):
        if len(run) == 1 and _RULE.match(run[0]):
            found.append(Block(SEPARATOR, ""))
            after_rule = True
            continue
        following = runs[index + 1][0] if index + 1 < len(runs) else None
        heading = _heading(run, index == 0, ruled, after_rule, following)
        after_rule = False
        if heading is not None:
            found.append(heading)
        else:
            found.extend(_run_blocks(run, found[-1] if found else None))
    return tuple(found)


def _heading(
    run: list[str], first: bool, ruled: bool, after_rule: bool, following: str | None
) -> Block | None:
    """The run as a heading, if it is one line that stands as one: the title line, the
    line after a rule (in a text divided by rules), a short line alone, or "1. Headline"
    alone over paragraphs (a numbered story's headline)."""
    if len(run) != 1:
        return None
    line = run[0]
    numbered = _BULLET.match(line)
    if numbered:
        rest = line[numbered.end() :]
        over_prose = following is not None and not _BULLET.match(following)
        if numbered.group(2) and not ruled and over_prose and _heading_shaped(rest):
            return Block(HEADING, rest.strip(), 2)
        return None
    stands = first or (after_rule if ruled else _heading_shaped(line))
    if stands and not _DATE_LINE.match(line) and _could_head(line, ruled):
        return Block(HEADING, line.strip(), 1 if first else 2)
    return None


def _could_head(line: str, ruled: bool) -> bool:
    stripped = line.strip()
    if len(stripped) > _HEADING_CHARS or word_count(stripped) > _HEADING_WORDS:
        return False
    return ruled or (stripped[:1].isalnum() or stripped[:1] in "\"'“‘¿¡")


def _heading_shaped(line: str) -> bool:
    """A short line alone, not ending like a sentence, not led by punctuation."""
    stripped = line.strip()
    return (
        bool(stripped)
        and not _BULLET.match(line)
        and stripped[-1] not in _NOT_HEADING_END
        and line == line.lstrip()
        and _could_head(stripped, False)
    )


def _run_blocks(run: list[str], previous: Block | None) -> list[Block]:
    """A run of lines between blank lines: list items, a quote, code or a paragraph."""
    indents = [len(line) - len(line.lstrip()) for line in run]
    if any(_BULLET.match(line) for line in run):
        return _items(run)
    if _is_code(run, indents, previous):
        return [Block(CODE, "\n".join(run))]
    if min(indents) >= _QUOTE_INDENT:
        return [Block(QUOTE, _join(run))]
    return [Block(PARAGRAPH, "\n".join(_unwrap(run)))]


def _unwrap(run: list[str]) -> list[str]:
    """The run's lines with hard wrapping undone: a line that goes on in lowercase after a
    long one that did not end a sentence continues it. Other line breaks are the author's (a page
    saved as text puts each element on a line of its own) and are kept."""
    found: list[str] = []
    for line in run:
        line = line.strip()
        wrapped = found and len(found[-1]) >= _WRAPPED and found[-1][-1:] not in _SENTENCE_END
        if wrapped and line[:1].islower():
            found[-1] += " " + line
        else:
            found.append(line)
    return found


def _is_code(run: list[str], indents: list[int], previous: Block | None) -> bool:
    coded = sum(1 for line in run if not _CODE_CHARS.isdisjoint(line) and _CODE_LINE.search(line))
    if coded * 2 > len(run):
        return True
    # A code block's later part after a blank line inside it: indented lines go on it.
    return previous is not None and previous.kind == CODE and min(indents) > 0


def _items(run: list[str]) -> list[Block]:
    """Each bullet line starts an item (its depth from its indent); other lines go on the
    item before them, or are a paragraph of their own when no item came yet."""
    found: list[Block] = []
    lines: list[str] = []
    kind, level, number = PARAGRAPH, 0, 0

    def close() -> None:
        if lines:
            found.append(Block(kind, "\n".join(_unwrap(lines)), level, number=number))

    for line in run:
        bullet = _BULLET.match(line)
        if bullet:
            close()
            kind, level = ITEM, 1 + len(bullet.group(1)) // 2
            number = int(bullet.group(2) or 0)
            lines = [line[bullet.end() :]]
        elif kind == PARAGRAPH or line.startswith(" ") or not lines:
            lines.append(line)
        else:
            close()
            kind, level, number, lines = PARAGRAPH, 0, 0, [line]
    close()
    return found


def _join(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines)
