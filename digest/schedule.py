"""When `digest run` happens: schedules, the crontab line, and the run lock.

The one owner of croniter (cron expressions are validated and stepped through by it rather
than by hand) and of fcntl (the lock that keeps two overlapping runs from both sending).
"""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path

from digest.errors import DigestError

MARKER = "# digest: weekly digest (managed by `digest schedule`)"
_DAYS = {
    "monday": 1,
    "mon": 1,
    "tuesday": 2,
    "tue": 2,
    "tues": 2,
    "wednesday": 3,
    "wed": 3,
    "thursday": 4,
    "thu": 4,
    "thurs": 4,
    "friday": 5,
    "fri": 5,
    "saturday": 6,
    "sat": 6,
    "sunday": 0,
    "sun": 0,
    "daily": "*",
    "everyday": "*",
    "weekdays": "1-5",
    "weekends": "0,6",
}
_FRIENDLY = re.compile(
    r"^(?:every\s+)?(?P<day>[a-z]+)\s+(?:at\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?$"
)


class ScheduleError(DigestError):
    """A schedule that is neither a friendly form nor a valid cron expression."""


def cron_expression(text: str) -> str:
    """`monday 08:00`, `weekdays 7:30am`, `daily 6:00` or a five-field cron expression ->
    a five-field cron expression."""
    from croniter import croniter  # imported here: only scheduling needs it

    value = " ".join(text.strip().lower().split())
    match = _FRIENDLY.match(value)
    if match and match.group("day") in _DAYS:
        hour = int(match.group("hour"))
        minute = int(match.group("minute") or 0)
        if match.group("ampm") == "pm" and hour < 12:
            hour += 12
        if match.group("ampm") == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise ScheduleError(f"{text!r}: no such time of day")
        return f"{minute} {hour} * * {_DAYS[match.group('day')]}"
    if len(value.split()) == 5 and croniter.is_valid(value):
        return value
    raise ScheduleError(
        f"{text!r} is not a schedule: use a form like 'monday 08:00' or a cron expression like '0 8 * * 1'"
    )


def next_runs(text: str, tz: tzinfo, now: datetime, count: int) -> list[datetime]:
    """The next `count` moments the schedule fires, in the given time zone."""
    from croniter import croniter

    walker = croniter(cron_expression(text), now.astimezone(tz))
    return [walker.get_next(datetime) for _ in range(count)]


def crontab_lines(schedule: str, timezone: str, config: Path, log_file: Path) -> list[str]:
    """The crontab entry: a marker comment, CRON_TZ, and the command with absolute paths."""
    executable = _executable()
    command = f"{executable} run --config {shlex.quote(str(config))} --log-file {shlex.quote(str(log_file))}"
    return [MARKER, f"CRON_TZ={timezone}", f"{cron_expression(schedule)} {command}"]


def _executable() -> str:
    """The absolute path of the `digest` command, else `python -m digest`."""
    # Absolute, but not resolved: a venv's python is a symlink to the base interpreter, and
    # only the link's own path runs with the venv's packages.
    found = shutil.which("digest")
    if found:
        return shlex.quote(os.path.abspath(found))
    return f"{shlex.quote(os.path.abspath(sys.executable))} -m digest"


def install(lines: list[str], crontab_file: Path | None) -> bool:
    """Put the entry in the crontab, replacing an earlier one; True when it changed."""
    current = _read_crontab(crontab_file)
    kept = _without_entry(current)
    updated = [*kept, *lines]
    if updated == current:
        return False
    _write_crontab(updated, crontab_file)
    return True


def remove(crontab_file: Path | None) -> bool:
    """Take the entry out of the crontab; True when there was one."""
    current = _read_crontab(crontab_file)
    kept = _without_entry(current)
    if kept == current:
        return False
    _write_crontab(kept, crontab_file)
    return True


def _without_entry(lines: list[str]) -> list[str]:
    """Drop the marker and the two lines after it (CRON_TZ and the command)."""
    kept: list[str] = []
    skip = 0
    for line in lines:
        if line == MARKER:
            skip = 2
            continue
        if skip and (line.startswith("CRON_TZ=") or " run --config " in line):
            skip -= 1
            continue
        skip = 0
        kept.append(line)
    return kept


def _read_crontab(crontab_file: Path | None) -> list[str]:
    if crontab_file is not None:
        return (
            crontab_file.read_text(encoding="utf-8").splitlines() if crontab_file.exists() else []
        )
    try:
        result = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise DigestError(
            "no crontab command on this machine", hint="install cron, or add the line by hand"
        ) from exc
    return result.stdout.splitlines() if result.returncode == 0 else []


def _write_crontab(lines: list[str], crontab_file: Path | None) -> None:
    text = "\n".join(lines) + "\n"
    if crontab_file is not None:
        temporary = crontab_file.with_suffix(crontab_file.suffix + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, crontab_file)
        return
    result = subprocess.run(
        ["crontab", "-"], input=text, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DigestError(f"crontab refused the update: {result.stderr.strip()}")


class Busy(DigestError):
    """Another `digest run` or `digest send` holds the lock."""


@contextmanager
def run_lock(state_path: Path) -> Iterator[None]:
    """Hold the state folder's lock for a whole send or run; a second one gets Busy at once.

    The lock is flock(2) on the folder that holds the state database: the kernel drops it when
    the process dies (a killed run leaves nothing to clean up), and there is no lock file
    whose deletion could let a second sender in.
    """
    folder = state_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Busy(f"another digest run or send is in progress (it holds {folder})") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


class RunTimeout(BaseException):
    """A run went past its deadline and was stopped. Like KeyboardInterrupt it is not an
    Exception, so no handler that turns one source's failure into a skip can swallow it."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Stop the run (RunTimeout) once `seconds` have passed, wherever it is: a cron run must
    never hold the lock for ever. Every delivery is committed as it happens, so stopping
    loses nothing; the next run carries on where this one stopped."""

    def expire(signum: int, frame: object) -> None:
        raise RunTimeout(f"the run took longer than {seconds} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
