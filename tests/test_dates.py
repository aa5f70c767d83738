from datetime import UTC

import pytest

from digest.dates import find_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: 2026-06-16T19:50:10.239751", "2026-06-16"),
        ("Nov 17, 2026", "2026-11-17"),
        ("17 November 2026", "2026-11-17"),
        ("November 19th, 2026", "2026-11-19"),
        ("Updated Nov. 6, 2026, 9:14 a.m. ET", "2026-11-06"),
        ("2026/11/07", "2026-11-07"),
        ("12.11.2026", "2026-11-12"),
        ("4-Nov-2026", "2026-11-04"),
        ("Posted on Tuesday, March 3, 2026 by the team", "2026-03-03"),
    ],
)
def test_find_date_reads_the_forms_pages_use(text: str, expected: str) -> None:
    found = find_date(text, UTC)
    assert found is not None and found.date().isoformat() == expected


def test_numeric_dates_follow_the_dayfirst_setting() -> None:
    assert find_date("01/11/2026", UTC).month == 1  # type: ignore[union-attr]
    assert find_date("01/11/2026", UTC, dayfirst=True).month == 11  # type: ignore[union-attr]


def test_no_date_is_invented_from_other_numbers() -> None:
    assert find_date("It grew 30% to 8 billion in 12 months", UTC) is None
    assert parse_date("not a date", UTC) is None


def test_parsed_dates_are_timezone_aware() -> None:
    found = parse_date("2026-11-17", UTC)
    assert found is not None and found.tzinfo is not None
