"""Finding and parsing dates in text; the one owner of python-dateutil.

Fast paths first (ISO 8601), then dateutil on a date-shaped substring: dateutil is never let
loose on a whole sentence, where its fuzzy mode would invent dates out of any number.
"""

from __future__ import annotations

import re
from datetime import datetime, time, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_CLOCK = r"(?:,?\s*(?:at\s+)?\d{1,2}(?::\d{2})?(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}|UTC|GMT))?)?"

# Case-insensitive, no global flags, so other patterns can embed it.
DATE_REGEX = (
    "(?i:"
    + "|".join(
        (
            rf"(?P<iso>{_YEAR}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)",
            rf"(?P<mdy>{_MONTH}\s+{_DAY},?\s+{_YEAR}{_CLOCK})",
            rf"(?P<dmy>{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}{_CLOCK})",
            rf"(?P<ymd>{_YEAR}/\d{{1,2}}/\d{{1,2}})",
            rf"(?P<numeric>\d{{1,2}}[./-]\d{{1,2}}[./-]{_YEAR})",
            rf"(?P<dmy_dash>\d{{1,2}}-{_MONTH}-{_YEAR})",
        )
    )
    + ")"
)
DATE_PATTERN = re.compile(DATE_REGEX)


def parse_date(
    text: str, tz: tzinfo, dayfirst: bool = False, languages: bool = False
) -> datetime | None:
    """Parse one date string into an aware datetime; None when it is not a date.

    `languages` also tries dateparser, which knows month and day names in other languages
    ("Sex, 17 Nov 2026", "17 de novembro de 2026"): slower, so only for whole date strings.
    """
    text = text.strip()
    if not text:
        return None
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = _parse_loose(text, dayfirst)
    if moment is None and languages:
        moment = _parse_any_language(text, dayfirst)
    if moment is None or not 1990 <= moment.year <= 2100:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


_EUROPEAN_ZONES = re.compile(r"\b(?:CET|CEST|EET|EEST|WET|WEST|BST|MEZ|MESZ)\b")


def find_date(text: str, tz: tzinfo, dayfirst: bool = False) -> datetime | None:
    """The first date-shaped substring of a line, parsed; None when there is none.

    A numeric date next to a European time zone ("03/11/2026 · 09:15 CET") is read day first.
    """
    dayfirst = dayfirst or bool(_EUROPEAN_ZONES.search(text))
    for match in DATE_PATTERN.finditer(text):
        found = parse_date(match.group(0), tz, dayfirst)
        if found is not None:
            return found
    return None


def _parse_loose(text: str, dayfirst: bool) -> datetime | None:
    # "Nov. 6, 2026, 9:14 a.m. ET": dateutil wants "am" and no dot after the month.
    cleaned = re.sub(r"\b([ap])\.m\.", r"\1m", text, flags=re.IGNORECASE)
    # "a.m. ET": US zone names mean US zones; dateutil is given them below.
    cleaned = re.sub(r"\b(ET|PT|CT)\b", lambda match: _US_ALIASES[match.group(1)], cleaned)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    cleaned = re.sub(r"(?i)\bat\b", " ", cleaned)
    # Dotted numeric dates (12.11.2026) are written day first wherever they are used.
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", cleaned.strip()):
        dayfirst = True
    try:
        moment = dateutil_parser.parse(
            cleaned, dayfirst=dayfirst, default=_MIDNIGHT, tzinfos=_ZONES
        )
    except (ValueError, OverflowError):
        return None
    return moment


def _parse_any_language(text: str, dayfirst: bool) -> datetime | None:
    import dateparser  # imported here: slow to load, and only non-English dates need it

    settings = {"DATE_ORDER": "DMY" if dayfirst else "MDY"}
    try:
        found: datetime | None = dateparser.parse(text, settings=settings)
        return found
    except (ValueError, OverflowError, TypeError):
        return None


_MIDNIGHT = datetime.combine(datetime(2000, 1, 1).date(), time.min)
_US_ALIASES = {"ET": "EST", "PT": "PST", "CT": "CST"}
_ZONES = {
    name: ZoneInfo(zone)
    for name, zone in {
        "EST": "America/New_York",
        "EDT": "America/New_York",
        "CST": "America/Chicago",
        "CDT": "America/Chicago",
        "PST": "America/Los_Angeles",
        "PDT": "America/Los_Angeles",
        "BST": "Europe/London",
        "CET": "Europe/Paris",
        "CEST": "Europe/Paris",
        "GMT": "UTC",
        "UTC": "UTC",
    }.items()
}
