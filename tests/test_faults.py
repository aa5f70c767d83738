"""Sending under faults, against a real SMTP server on 127.0.0.1: a connection dropped or hung
at DATA for one recipient, a recipient refused for now or for good, `digest run` killed with
SIGKILL at each point of a send, two senders at once, and a damaged state file. In every case
the messages are counted per recipient at the server: exactly one each, every story delivered.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.smtp_server import EchoingAuthenticator, Mailbox, self_signed, start
from tests.test_send import project

TWO = '["ana@example.com", "bo@example.com"]'
NEW_STORY = (
    "Harbour Cranes Halted By Software Fault\n\n"
    "Published: 2026-11-20\n\n"
    "A software fault in the crane control system halted container traffic at the port for six "
    "hours on Thursday, the operator said, before engineers rolled back an update and the "
    "cranes resumed work in the evening.\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def digest(config: Path, command: str = "run") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", command, "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def plain_text(message: object) -> str:
    return str(message.get_body(("plain",)).get_content())  # type: ignore[attr-defined]


@pytest.fixture
def box() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = start(mailbox)
    yield mailbox, controller.port
    mailbox.release.set()
    controller.stop()


def test_a_connection_dropped_at_data_fails_only_that_recipient(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port, to=TWO)
    mailbox.drop = {"bo@example.com"}
    code, out = run("send", "--config", str(config), "--all")
    assert code == 1 and "bo@example.com: refused: connection lost" in out
    assert mailbox.per_recipient() == {"ana@example.com": 1}
    mailbox.drop.clear()
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0, out
    assert mailbox.per_recipient() == {"ana@example.com": 1, "bo@example.com": 1}
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0 and "Nothing new" in out and len(mailbox.messages) == 2


def test_a_server_hanging_at_data_times_out_and_the_recipient_is_retried(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port, extra_smtp=", timeout: 1", to=TWO)
    mailbox.hang, mailbox.hang_for = {"ana@example.com"}, 3.0
    code, out = run("send", "--config", str(config), "--all")
    assert code == 1 and "ana@example.com: refused: connection lost" in out
    assert "bo@example.com: refused: not tried" in out and mailbox.per_recipient() == {}
    mailbox.hang.clear()
    time.sleep(mailbox.hang_for)  # the server's one thread is still hanging on that message
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0, out
    assert mailbox.per_recipient() == {"ana@example.com": 1, "bo@example.com": 1}


def test_an_unfinished_issue_is_finished_before_a_new_one_and_nothing_travels_twice(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port, to=TWO)
    mailbox.refuse, mailbox.refuse_reply = {"bo@example.com"}, "451 4.3.0 try again later"
    assert run("send", "--config", str(config), "--all")[0] == 1
    (tmp_path / "seeds" / "99-new.txt").write_text(NEW_STORY, encoding="utf-8")
    mailbox.refuse.clear()
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0, out
    assert mailbox.per_recipient() == {"ana@example.com": 2, "bo@example.com": 2}
    first_ids = {}
    for _, recipients, message in mailbox.messages:
        first_ids.setdefault(recipients[0], message["Message-ID"])
    assert first_ids["ana@example.com"] == first_ids["bo@example.com"]  # bo got issue 1 itself
    first, second = plain_text(mailbox.messages[0][2]), plain_text(mailbox.messages[-1][2])
    assert "Harbour Cranes Halted" in second and "Harbour Cranes Halted" not in first
    assert "Hugging Face" in first and "Hugging Face" not in second  # no story travels twice


def test_a_recipient_refused_for_good_is_not_retried_and_blocks_nothing(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port, to=TWO)
    mailbox.refuse = {"bo@example.com"}
    code, out = run("send", "--config", str(config), "--all")
    assert code == 1 and "refused some recipients for good" in out
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0 and "Nothing new" in out and mailbox.rcpt_seen == 2
    (tmp_path / "seeds" / "99-new.txt").write_text(NEW_STORY, encoding="utf-8")
    mailbox.refuse.clear()
    assert run("send", "--config", str(config), "--all")[0] == 0
    assert mailbox.per_recipient() == {"ana@example.com": 2, "bo@example.com": 1}
    assert "Hugging Face" not in plain_text(mailbox.messages[-1][2])


@pytest.mark.parametrize(
    "point",
    [("RCPT", 1), ("MAIL", 2), ("QUIT", 1)],
    ids=["before-data", "after-the-first-250", "after-the-last-250"],
)
def test_a_run_killed_at_any_point_of_a_send_delivers_exactly_once(
    tmp_path: Path, box: tuple[Mailbox, int], point: tuple[str, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port, to=TWO)
    mailbox.stall_at = point
    process = digest(config)
    assert mailbox.stalled.wait(60), process.communicate(timeout=5)
    busy = subprocess.run(
        [sys.executable, "-m", "digest", "send", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert busy.returncode == 1 and "in progress" in busy.stderr  # send and run share the lock
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    mailbox.stall_at = None
    mailbox.release.set()
    code, out = run("run", "--config", str(config))
    assert code == 0, out
    assert mailbox.per_recipient() == {"ana@example.com": 1, "bo@example.com": 1}
    code, out = run("run", "--config", str(config))
    assert code == 0 and "Nothing new" in out
    assert mailbox.per_recipient() == {"ana@example.com": 1, "bo@example.com": 1}
    with sqlite3.connect(tmp_path / ".digest" / "state.db") as db:
        assert db.execute("SELECT COUNT(*) FROM issues WHERE sent_at IS NULL").fetchone()[0] == 0
    assert not list(tmp_path.rglob("*.lock"))  # no lock file that a deletion could defeat


def test_run_and_send_started_together_send_once(tmp_path: Path, box: tuple[Mailbox, int]) -> None:
    mailbox, port = box
    mailbox.delay = 1.0
    config = project(tmp_path, port)
    processes = [digest(config, "run"), digest(config, "send")]
    results = [process.communicate(timeout=120) for process in processes]
    assert len(mailbox.messages) == 1, results
    assert any("in progress" in out + err for out, err in results)


def test_new_state_files_opened_at_once_get_one_schema(tmp_path: Path) -> None:
    probe = "import sys; from pathlib import Path; from digest.store import Store; Store.open(Path(sys.argv[1])).connection.close()"
    for round_ in range(3):
        path = tmp_path / f"round{round_}" / "state.db"
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", probe, str(path)], stderr=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        errors = [process.communicate(timeout=60)[1] for process in processes]
        assert all(process.returncode == 0 for process in processes), errors
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_an_empty_state_file_is_refused_and_nothing_is_sent(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port)
    (tmp_path / ".digest").mkdir()
    (tmp_path / ".digest" / "state.db").write_bytes(b"")
    code, out = run("run", "--config", str(config))
    assert code == 1 and "is empty (0 bytes)" in out and not mailbox.messages
    assert (tmp_path / ".digest" / "state.db").stat().st_size == 0


def test_a_password_echoed_by_the_server_reaches_no_output_log_or_traceback(tmp_path: Path) -> None:
    context, cert = self_signed(tmp_path)
    controller = start(Mailbox(), tls=context, auth=EchoingAuthenticator())
    try:
        extra = f", security: starttls, username: digest, password_env: TEST_SMTP_SECRET, ca_file: {cert}"
        config = project(tmp_path, controller.port, extra)
        config.write_text(config.read_text().replace("security: none, ", ""), encoding="utf-8")
        log = tmp_path / "run.log"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "digest",
                "run",
                "-v",
                "--log-file",
                str(log),
                "--config",
                str(config),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "TEST_SMTP_SECRET": "pa55-echoed-back"},
        )
    finally:
        controller.stop()
    assert result.returncode == 1 and "refused the login" in result.stderr + result.stdout
    assert "535" in result.stderr + result.stdout  # the server's words are kept, masked
    for text in (result.stdout, result.stderr, log.read_text(encoding="utf-8")):
        assert "pa55-echoed-back" not in text


def stories_in(message: object) -> int:
    html = message.get_body(("html",)).get_content()  # type: ignore[attr-defined]
    return int(html.count("<h3"))


def test_stories_the_email_had_no_room_for_come_in_the_next_issue(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port)
    config.write_text(config.read_text() + "limits: {stories_per_theme: 2}\n", encoding="utf-8")
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0, out
    first = stories_in(mailbox.messages[0][2])
    assert 0 < first < 18 and "will come in the next" in plain_text(mailbox.messages[0][2])
    while run("send", "--config", str(config), "--all")[1].find("Nothing new") < 0:
        assert len(mailbox.messages) < 10
    assert sum(stories_in(message) for _, _, message in mailbox.messages) == 18  # each once


def test_held_back_stories_stay_inside_the_next_window(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    from datetime import UTC, datetime

    from digest.config import load_config
    from digest.delivery import SendRequest, send_issue

    mailbox, port = box
    config_path = project(tmp_path, port)
    config_path.write_text(
        config_path.read_text().replace("    window: all\n", "")
        + "window: 7d\nlimits: {stories_per_theme: 1}\n",
        encoding="utf-8",
    )
    (tmp_path / "seeds").rename(tmp_path / "old-seeds")
    (tmp_path / "seeds").mkdir()
    for day in (17, 18, 19):
        (tmp_path / "seeds" / f"{day}.txt").write_text(
            NEW_STORY.replace("Halted", f"Halted Again ({day})")
            .replace("2026-11-20", f"2026-11-{day}")
            .replace("six hours", f"{day - 10} hours"),
            encoding="utf-8",
        )
    config = load_config(config_path)
    first = send_issue(SendRequest(config, datetime(2026, 11, 20, 9, tzinfo=UTC)))
    assert first.sent and stories_in(mailbox.messages[-1][2]) == 1
    later = datetime(2026, 11, 21, 9, tzinfo=UTC)
    sent = 1
    while "Nothing new" not in send_issue(SendRequest(config, later)).message:
        sent += stories_in(mailbox.messages[-1][2])
        assert len(mailbox.messages) < 5
    assert sent == 3  # every story once, though each was dated before the last issue went out


def test_a_run_stops_at_its_deadline_and_the_next_one_finishes(
    tmp_path: Path, box: tuple[Mailbox, int]
) -> None:
    mailbox, port = box
    config = project(tmp_path, port, extra_smtp=", timeout: 60", to=TWO)
    mailbox.stall_at = ("MAIL", 2)  # ana has it; the server then stops answering
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "digest", "run", "--deadline", "10", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "took longer than 10 s" in result.stderr
    assert time.monotonic() - started < 25
    mailbox.stall_at = None
    mailbox.release.set()
    code, out = run("run", "--config", str(config))
    assert code == 0, out
    assert mailbox.per_recipient() == {"ana@example.com": 1, "bo@example.com": 1}
