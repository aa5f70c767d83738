"""send and run against a real SMTP server on 127.0.0.1: the message part by part, sending
once, failures that record nothing, STARTTLS with AUTH, refused recipients and retries."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.smtp_server import Authenticator, Mailbox, free_port, self_signed, start

ROOT = Path(__file__).resolve().parent.parent


def project(
    tmp_path: Path, port: int, extra_smtp: str = "", to: str = '["ana@example.com"]'
) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    config = tmp_path / "sources.yaml"
    config.write_text(
        "title: Test Weekly\n"
        "sources:\n  - path: seeds/\n    window: all\n"
        "email:\n"
        '  from: "Test Digest <digest@example.com>"\n'
        f"  to: {to}\n"
        '  unsubscribe_url: "https://example.com/unsubscribe"\n'
        f"  smtp: {{host: 127.0.0.1, port: {port}, security: none{extra_smtp}}}\n",
        encoding="utf-8",
    )
    return config


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    controller = start(box)
    yield box, controller.port
    controller.stop()


def test_send_delivers_one_multipart_message_once(
    tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    config = project(tmp_path, port)
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0, out
    assert len(box.messages) == 1
    sender, recipients, message = box.messages[0]
    assert sender == "digest@example.com" and recipients == ["ana@example.com"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.get_payload()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert (
        text.get_content_charset() == "utf-8"
        and text["Content-Transfer-Encoding"] == "quoted-printable"
    )
    assert "<h1" in html.get_content() and "Test Weekly" in text.get_content()
    for header in ("Subject", "From", "To", "Date", "Message-ID", "List-Id"):
        assert message[header], header
    assert message["Subject"].startswith("Test Weekly: issue 1")
    assert message["List-Unsubscribe"] == "<https://example.com/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = message.as_bytes()
    assert max(len(line) for line in raw.split(b"\n")) <= 998
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0 and len(box.messages) == 1, out
    assert "already sent" in out or "Nothing new" in out


def test_server_down_exits_1_and_the_next_send_delivers_the_same_stories(tmp_path: Path) -> None:
    port = free_port()
    config = project(tmp_path, port)
    code, out = run("send", "--config", str(config), "--all")
    assert code == 1
    assert f"127.0.0.1:{port}" in out and "cannot reach the mail server" in out
    with sqlite3.connect(tmp_path / ".digest" / "state.db") as db:
        assert (
            db.execute("SELECT COUNT(*) FROM issues WHERE sent_at IS NOT NULL").fetchone()[0] == 0
        )
    box = Mailbox()
    controller = start(box, port=port)
    try:
        code, out = run("send", "--config", str(config), "--all")
    finally:
        controller.stop()
    assert code == 0, out
    assert len(box.messages) == 1 and "issue 1" in box.messages[0][2]["Subject"]


def test_a_recipient_refused_for_now_is_retried_alone(tmp_path: Path) -> None:
    box = Mailbox(refuse={"bad@example.com"}, refuse_reply="450 4.2.1 mailbox busy, try later")
    controller = start(box)
    try:
        config = project(tmp_path, controller.port, to='["ana@example.com", "bad@example.com"]')
        code, out = run("send", "--config", str(config), "--all")
        assert code == 1 and "bad@example.com: refused: 450" in out
        assert [recipients for _, recipients, _ in box.messages] == [["ana@example.com"]]
        box.refuse.clear()
        code, out = run("send", "--config", str(config), "--all")
        assert code == 0, out
        assert [recipients for _, recipients, _ in box.messages] == [
            ["ana@example.com"],
            ["bad@example.com"],
        ]
        code, out = run("send", "--config", str(config), "--all")
        assert code == 0 and len(box.messages) == 2
    finally:
        controller.stop()


def test_starttls_with_auth_and_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, cert = self_signed(tmp_path)
    box = Mailbox()
    controller = start(box, tls=context, auth=Authenticator("digest", "s3cret-pass"))
    try:
        extra = f", security: starttls, username: digest, password_env: TEST_SMTP_PASSWORD, ca_file: {cert}"
        config = project(tmp_path, controller.port, extra)
        config.write_text(config.read_text().replace("security: none, ", ""), encoding="utf-8")
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong-pass")
        code, out = run("send", "--config", str(config), "--all")
        assert code == 1 and "refused the login" in out and "wrong-pass" not in out
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret-pass")
        code, out = run("send", "--config", str(config), "--all")
        assert code == 0, out
        assert len(box.messages) == 1 and "s3cret-pass" not in out
    finally:
        controller.stop()


def test_a_password_in_the_file_is_refused(tmp_path: Path) -> None:
    config = project(tmp_path, 2525, ", password: hunter2")
    code, out = run("send", "--config", str(config), "--all")
    assert code == 2 and "email.smtp.password" in out and "hunter2" not in out


def test_dry_run_and_test_copy_record_nothing(tmp_path: Path, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    config = project(tmp_path, port)
    code, out = run("send", "--config", str(config), "--all", "--dry-run")
    assert code == 0 and "Dry run" in out and not box.messages
    assert (tmp_path / "out" / "digest.eml").read_text().count("multipart/alternative") >= 1
    code, out = run("send", "--config", str(config), "--all", "--to", "me@example.com")
    assert code == 0 and [r for _, r, _ in box.messages] == [["me@example.com"]]
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0 and [r for _, r, _ in box.messages][-1] == ["ana@example.com"]


def test_build_format_eml_writes_the_message(tmp_path: Path) -> None:
    config = project(tmp_path, 2525)
    code, out = run(
        "build", "--config", str(config), "--format", "eml", "--out", str(tmp_path / "o")
    )
    assert code == 0, out
    assert (
        "List-Unsubscribe: <https://example.com/unsubscribe>"
        in (tmp_path / "o" / "digest.eml").read_text()
    )
    assert not (tmp_path / ".digest").exists()  # a build changes no state


def test_bcc_force_and_a_rate_limit(tmp_path: Path, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    config = project(tmp_path, port, to='["ana@example.com", "bo@example.com"]')
    config.write_text(
        config.read_text().replace(
            "  unsubscribe_url:", "  bcc: true\n  interval: 0.2\n  unsubscribe_url:"
        )
    )
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0, out
    assert len(box.messages) == 1 and box.messages[0][1] == ["ana@example.com", "bo@example.com"]
    assert "bo@example.com" not in box.messages[0][2]["To"]  # Bcc: recipients are not shown
    code, out = run("send", "--config", str(config), "--all", "--force")
    assert code == 0 and len(box.messages) == 2


def test_implicit_tls_on_connect(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    context, cert = self_signed(tmp_path)
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), ssl_context=context)
    controller.start()
    try:
        config = project(tmp_path, controller.port, f", ca_file: {cert}")
        config.write_text(config.read_text().replace("security: none", "security: ssl"))
        code, out = run("send", "--config", str(config), "--all")
        assert code == 0, out
        assert len(box.messages) == 1
    finally:
        controller.stop()


def test_a_test_copy_goes_out_even_when_nothing_is_new(
    tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    config = project(tmp_path, port)
    assert run("send", "--config", str(config), "--all")[0] == 0
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0 and "Nothing new" in out and len(box.messages) == 1
    code, out = run("send", "--config", str(config), "--all", "--to", "me@example.com")
    assert code == 0, out
    assert [r for _, r, _ in box.messages] == [["ana@example.com"], ["me@example.com"]]
    first, copy = (message.get_body(("plain",)).get_content() for _, _, message in box.messages)
    assert copy.split("\n", 1)[1] == first.split("\n", 1)[1] and len(copy) > 500  # same stories
    code, out = run("send", "--config", str(config), "--all")
    assert code == 0 and "Nothing new" in out and len(box.messages) == 2  # it recorded nothing


def test_an_unset_password_variable_is_a_configuration_error(
    tmp_path: Path, mailbox: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = mailbox
    monkeypatch.delenv("DIGEST_TEST_UNSET_PASSWORD", raising=False)
    config = project(tmp_path, port, extra_smtp=", password_env: DIGEST_TEST_UNSET_PASSWORD")
    code, out = run("send", "--config", str(config), "--all")
    assert code == 2 and "DIGEST_TEST_UNSET_PASSWORD is not set" in out
    assert not box.messages


def test_a_test_copy_uses_the_window_not_the_last_send(
    tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    import os
    import time

    box, port = mailbox
    config = project(tmp_path, port)
    config.write_text(config.read_text().replace("    window: all\n", ""), encoding="utf-8")
    shutil.rmtree(tmp_path / "seeds")
    (tmp_path / "seeds").mkdir()
    story = tmp_path / "seeds" / "story.txt"
    story.write_text(
        "Harbour Cranes Halted By Software Fault\n\nA software fault in the crane control system "
        "halted container traffic at the port for six hours, the operator said, before engineers "
        "rolled back an update and the cranes resumed work in the evening.\n",
        encoding="utf-8",
    )
    os.utime(story, (time.time() - 3600, time.time() - 3600))  # saved an hour ago: in the window
    (tmp_path / "seeds" / "empty.txt").write_bytes(b"")
    code, out = run("send", "--config", str(config))
    assert code == 0 and len(box.messages) == 1, out
    assert "Skipped seeds/empty.txt: empty file" in out  # send says what it skipped, once
    assert "Nothing new" in run("send", "--config", str(config))[1]
    code, out = run("send", "--config", str(config), "--to", "me@example.com")
    assert code == 0 and [r for _, r, _ in box.messages][-1] == ["me@example.com"], out
