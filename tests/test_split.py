"""Article or newsletter, and where the stories start: fresh inputs for each shape."""

from digest.normalize.split import (
    HEADING,
    META,
    PARAGRAPH,
    headline_positions,
    split_stories,
    units,
)

BODY = (
    "The company confirmed the change on Monday in a short statement to customers, "
    "saying the new plan would take effect at the start of next quarter."
)
OTHER = (
    "Analysts at two banks said the move was overdue and would likely be copied by "
    "competitors before the end of the year, pointing to thinner margins."
)


def titles(text: str, signals: int = 0) -> list[str | None]:
    return [chunk.title for chunk in split_stories(text, text, signals)]


def test_sentence_headlines_make_a_newsletter_and_closers_stay_with_their_story() -> None:
    text = "\n\n".join(
        [
            "The merger is dead. Regulators won.",
            BODY,
            OTHER,
            "Expect another bid by spring.",
            "A ferry app went dark for a day. Nobody said why.",
            OTHER,
            BODY,
        ]
    )
    chunks = split_stories(text, text, 0)
    assert [chunk.title for chunk in chunks] == [
        "The merger is dead. Regulators won.",
        "A ferry app went dark for a day. Nobody said why.",
    ]
    assert chunks[0].units[-1].text == "Expect another bid by spring."


def test_an_article_with_section_headings_stays_one_story() -> None:
    text = "\n\n".join(
        [
            "Why Rail Freight Is Finally Growing Again",
            BODY,
            "What Changed This Year",
            OTHER,
            "Where the Money Comes From",
            BODY,
            "Key Takeaways",
            "  • Freight volumes rose\n  • Prices fell",
        ]
    )
    assert titles(text, signals=1) == ["Why Rail Freight Is Finally Growing Again"]


def test_numbered_and_emoji_headlines_are_stories_without_their_prefix() -> None:
    numbered = "\n\n".join(
        ["1. Lender raises $40M for farm loans", BODY, "2. Ferry operator loses its route", OTHER]
    )
    assert titles(numbered) == [
        "Lender raises $40M for farm loans",
        "Ferry operator loses its route",
    ]
    emoji = "\n\n".join(
        [
            "🚀 Rocket firm books a second launch",
            BODY,
            "---",
            "⚡ Utility blames a software bug",
            OTHER,
        ]
    )
    assert titles(emoji) == ["Rocket firm books a second launch", "Utility blames a software bug"]


def test_headline_directly_above_its_paragraph_in_one_block() -> None:
    text = "\n\n".join(
        [
            "Drone Courier Grounds Its Fleet After a Fire\n" + BODY,
            "Bakery Chain Sells Itself to a Rival\n" + OTHER,
        ]
    )
    raw = text + "\n\nForward to a colleague · Unsubscribe"
    assert [chunk.title for chunk in split_stories(text, raw, 0)] == [
        "Drone Courier Grounds Its Fleet After a Fire",
        "Bakery Chain Sells Itself to a Rival",
    ]


def test_a_kicker_is_no_headline_and_a_byline_is_metadata() -> None:
    parts = units("MARKETS\nChipmaker Lifts Its Forecast\nBy Ana Ruiz\n\n" + BODY)
    assert [(unit.kind, unit.text) for unit in parts] == [
        (HEADING, "MARKETS"),
        (HEADING, "Chipmaker Lifts Its Forecast"),
        (META, "By Ana Ruiz"),
        (PARAGRAPH, BODY),
    ]
    # A one-word label over a headline opens no story of its own.
    assert headline_positions(parts) == [1]


def test_consecutive_long_lines_are_separate_paragraphs_but_wrapped_lines_join() -> None:
    two = units(BODY + "\n" + OTHER)
    assert [unit.kind for unit in two] == [PARAGRAPH, PARAGRAPH]
    wrapped = units(
        "The company confirmed the change on Monday in a short\nstatement to customers on Monday."
    )
    assert len(wrapped) == 1
