"""Plain text read from its line shapes: rules, headings, lists, wrapping, code, and the
stories the finder makes of them when text kept no links."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from digest.gather.plaintext import text_blocks
from digest.models import CODE, HEADING, ITEM, PARAGRAPH, QUOTE, SEPARATOR, Document, Hints
from digest.normalize import normalize

RULE = "-" * 72
PROSE = (
    "The harbour authority said on Tuesday that the new crane schedule would cut waiting "
    "times for container ships by a third before the winter storms arrive."
)
MORE = (
    "Dock workers were consulted over the summer, and their union welcomed the plan while "
    "asking for a review of night shifts once the first month is over."
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in text_blocks(text)]


def stories(text: str) -> list[str]:
    document = Document("Test", "letter.txt", "text", text_blocks(text), Hints())
    return [story.title for story in normalize(document, ZoneInfo("UTC")).stories]


def test_a_text_divided_by_rules_takes_the_line_after_each_rule_as_its_heading() -> None:
    text = "\n\n".join(
        [
            "The Quayside Letter - Issue No. 9",
            "May 4, 2026",
            "Hello again, dock watchers!",
            RULE,
            "Cranes on a new timetable!",
            PROSE,
            RULE,
            "A second berth opens 🚢",
            MORE,
            RULE,
            "Readers' Questions",
            MORE,
            RULE,
            "That's all for now!",
            "See you next week,",
        ]
    )
    blocks = text_blocks(text)
    assert blocks[0].kind == HEADING and blocks[0].level == 1
    assert (PARAGRAPH, "Hello again, dock watchers!") in kinds(text)  # no rule above it
    assert [b.text for b in blocks if b.kind == HEADING][1:3] == [
        "Cranes on a new timetable!",
        "A second berth opens 🚢",
    ]
    assert sum(1 for b in blocks if b.kind == SEPARATOR) == 4
    assert stories(text) == ["Cranes on a new timetable!", "A second berth opens 🚢"]


def test_hard_wrapping_is_undone_but_an_authors_line_breaks_stay() -> None:
    wrapped = (
        "The harbour authority said on Tuesday that the new crane\n"
        "schedule would cut waiting times by a third."
    )
    assert kinds(wrapped) == [(PARAGRAPH, wrapped.replace("\n", " "))]
    broken = "Harbour Office\nPier Road 4\nPortmouth"
    assert kinds(broken) == [(PARAGRAPH, broken)]


def test_lists_quotes_code_and_numbered_headlines() -> None:
    text = "\n\n".join(
        [
            "What changed:\n* night shifts end at two\n  and start at six\n* a second crane crew",
            "    A port is only as quick as its slowest crane.",
            "function load(ship) {\n  return ship.crates;\n}",
            "1. Cranes on a new timetable",
            PROSE,
        ]
    )
    found = text_blocks(text)
    assert [(b.kind, b.text) for b in found[:3]] == [
        (PARAGRAPH, "What changed:"),
        (ITEM, "night shifts end at two\nand start at six"),  # a short line: broken by hand
        (ITEM, "a second crane crew"),
    ]
    assert found[3].kind == QUOTE
    assert found[4].kind == CODE and found[4].text.startswith("function load")
    assert (found[5].kind, found[5].text) == (HEADING, "Cranes on a new timetable")


def test_a_roundup_without_links_reads_each_headline_item_and_skips_furniture() -> None:
    headlines = [
        "Harbour crane timetable explained",
        "Why berth two took a decade",
        "[video] A night with the tug crews",
        "Tide tables for the estuary",
        "Portmouth joins the green shipping corridor",
        "Container scanners get an upgrade",
    ]
    changes = [
        "fix the tide clock drift",
        "add a berth map",
        "crane: remove the legacy queue",
        "Document the night shift rota",
    ]
    text = "\n\n".join(
        [
            "Harbour Notes 12",
            "June 1, 2026",
            "Welcome to the notes. Here is what happened around the port this week.",
            "News from the Quays",
            "Official",
            "\n".join("* " + h for h in headlines[:3]),
            "Reading",
            "\n".join("* " + h for h in headlines[3:]),
            "Changes merged this week",
            "\n".join("* " + c for c in changes),
            "Open Jobs",
            "Harbour Board",
            "* Crane Operator (Portmouth)",
            "* Night Pilot (Remote Rota)",
        ]
    )
    found = stories(text)
    assert found == [*headlines[:2], "A night with the tug crews", *headlines[3:]]
