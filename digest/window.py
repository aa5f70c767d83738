"""Date windows: durations like `7d`, dates like `2026-11-14`, and the period they make."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from digest.models import Period

_DURATION = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta | None:
    """`7d`, `2w`, `36h` -> timedelta; None when the text is not a duration."""
    match = _DURATION.match(text)
    if not match:
        return None
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def parse_moment(text: str, tz: tzinfo, now: datetime, end_of_day: bool = False) -> datetime:
    """A date, ISO datetime or duration (counted back from now) -> aware datetime.

    Raises ValueError with a message fit for the user.
    """
    duration = parse_duration(text)
    if duration is not None:
        return now - duration
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            day = date.fromisoformat(text.strip())
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=tz)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date (YYYY-MM-DD), ISO date-time or duration (7d, 2w, 24h)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def resolve_period(
    now: datetime,
    tz: tzinfo,
    window: timedelta | None,
    since: str | None = None,
    until: str | None = None,
    everything: bool = False,
) -> Period:
    """Turn the window options into a Period; `everything` opens both ends."""
    if everything:
        return Period(None, None)
    end = parse_moment(until, tz, now, end_of_day=True) if until else now
    if since:
        start: datetime | None = parse_moment(since, tz, now)
    else:
        start = end - window if window is not None else None
    if start is not None and start > end:
        raise ValueError(f"--since ({start:%Y-%m-%d}) is after --until ({end:%Y-%m-%d})")
    return Period(start, end)


def in_period(moment: datetime | None, period: Period) -> bool:
    """Whether a moment falls in the period; undated items are always in."""
    if moment is None:
        return True
    if period.start is not None and moment < period.start:
        return False
    return not (period.end is not None and moment > period.end)
