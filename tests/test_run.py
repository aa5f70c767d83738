"""digest run as cron calls it: two at once send once, a crash records nothing as sent, and
schedule prints and installs a valid crontab line."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from digest.cli import main
from tests.smtp_server import Mailbox, start
from tests.test_send import project


def digest_process(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_runs_started_together_send_exactly_one_message(tmp_path: Path) -> None:
    box = Mailbox(delay=1.0)  # a slow server keeps the first run inside its lock
    controller = start(box)
    try:
        config = project(tmp_path, controller.port)
        first, second = digest_process(config), digest_process(config)
        results = [process.communicate(timeout=120) for process in (first, second)]
        assert first.returncode == 0 and second.returncode == 0, results
        assert len(box.messages) == 1
        assert any("another digest run or send is in progress" in out + err for out, err in results)
    finally:
        controller.stop()


def test_a_run_killed_mid_send_records_nothing_as_sent(tmp_path: Path) -> None:
    slow = Mailbox(delay=30.0)
    controller = start(slow)
    config = project(tmp_path, controller.port)
    process = digest_process(config)
    deadline = time.monotonic() + 60
    while slow.rcpt_seen == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)  # dies after the stories were recorded, before acceptance
    process.wait(timeout=30)
    controller.stop()
    with sqlite3.connect(tmp_path / ".digest" / "state.db") as db:
        assert (
            db.execute("SELECT COUNT(*) FROM issues WHERE sent_at IS NOT NULL").fetchone()[0] == 0
        )
        recorded = db.execute("SELECT COUNT(*) FROM issue_items").fetchone()[0]
    box = Mailbox()
    controller = start(box)
    try:
        config.write_text(re.sub(r"port: \d+", f"port: {controller.port}", config.read_text()))
        result = CliRunner().invoke(main, ["run", "--config", str(config)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert len(box.messages) == 1 and "issue 1" in box.messages[0][2]["Subject"]
        with sqlite3.connect(tmp_path / ".digest" / "state.db") as db:
            assert db.execute("SELECT COUNT(*) FROM issue_items").fetchone()[0] == recorded
        again = CliRunner().invoke(main, ["run", "--config", str(config)], catch_exceptions=False)
        assert again.exit_code == 0 and "Nothing new" in again.output and len(box.messages) == 1
    finally:
        controller.stop()


def test_schedule_prints_installs_and_removes_a_crontab_line(tmp_path: Path) -> None:
    config = project(tmp_path, 2525)
    config.write_text(config.read_text() + 'schedule: "monday 08:00"\ntimezone: Europe/London\n')
    crontab = tmp_path / "crontab"
    crontab.write_text("MAILTO=me@example.com\n15 3 * * * /usr/bin/backup\n")
    env = {"DIGEST_CRONTAB_FILE": str(crontab)}
    runner = CliRunner(env=env)
    result = runner.invoke(main, ["schedule", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    marker, tz_line, line = result.output.strip().splitlines()
    assert tz_line == "CRON_TZ=Europe/London"
    fields = line.split()
    assert fields[:5] == ["0", "8", "*", "*", "1"]
    assert Path(fields[5]).is_absolute() and " run --config " + str(config.resolve()) in line
    assert "--log-file " + str((tmp_path / "digest.log").resolve()) in line
    for _ in range(2):  # idempotent
        assert (
            runner.invoke(main, ["schedule", "--config", str(config), "--install"]).exit_code == 0
        )
    installed = crontab.read_text().splitlines()
    assert installed[:2] == ["MAILTO=me@example.com", "15 3 * * * /usr/bin/backup"]
    assert installed.count(marker) == 1 and len(installed) == 5
    assert runner.invoke(main, ["schedule", "--config", str(config), "--remove"]).exit_code == 0
    assert crontab.read_text().splitlines() == [
        "MAILTO=me@example.com",
        "15 3 * * * /usr/bin/backup",
    ]
    nxt = runner.invoke(
        main, ["schedule", "--config", str(config), "--next", "3"], catch_exceptions=False
    )
    assert [line.split()[0] for line in nxt.output.strip().splitlines()] == ["Mon", "Mon", "Mon"]


def test_bad_schedules_are_refused_with_the_line(tmp_path: Path) -> None:
    config = project(tmp_path, 2525)
    config.write_text(config.read_text() + 'schedule: "someday soon"\n')
    result = CliRunner().invoke(main, ["schedule", "--config", str(config)])
    assert result.exit_code == 2 and "sources.yaml:10: schedule:" in result.output
