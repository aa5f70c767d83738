"""digest preview over real HTTP: the pages answer, a changed story shows up by itself, and a
broken template is shown on the page while the server keeps running."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_until(check, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "sources.yaml").write_text(
        "title: Preview Weekly\nsources:\n  - path: seeds/\n    window: all\ntemplates: tpl\n",
        encoding="utf-8",
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "preview", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: get(base + "/version")[0] == 200, 30), (
            process.stderr.read() if process.poll() else ""
        )
        (tmp_path / "pid").write_text(str(process.pid))
        yield base, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_preview_serves_the_page_the_email_and_the_text(preview: tuple[str, Path]) -> None:
    base, _ = preview
    status, page = get(base + "/")
    assert status == 200 and "Phone, 375 px" in page and "Dark mode" in page and "102 KB" in page
    assert 'id="warnings"' in page and "Plain text" in page and "HTML source" in page
    status, email = get(base + "/email.html")
    assert status == 200 and "<h1" in email and "Preview Weekly" in email
    status, text = get(base + "/email.txt")
    assert status == 200 and text.startswith("Preview Weekly")


def test_a_changed_story_shows_up_within_seconds(preview: tuple[str, Path]) -> None:
    base, folder = preview
    story = folder / "seeds" / "07-hugging-face-outage-short.txt"
    story.write_text(
        story.read_text(encoding="utf-8").replace(
            "Hugging Face Hub Back Online", "Hugging Face Hub Finally Back Online"
        ),
        encoding="utf-8",
    )
    assert wait_until(
        lambda: "Hugging Face Hub Finally Back Online" in get(base + "/email.html")[1], 10
    )


def test_a_template_error_is_shown_and_the_server_keeps_running(preview: tuple[str, Path]) -> None:
    base, folder = preview
    (folder / "tpl" / "email.txt.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    assert wait_until(lambda: "email.txt.j2, line 2" in get(base + "/")[1], 10)
    assert get(base + "/email.html")[0] == 200  # the last good email stays up
    (folder / "tpl" / "email.txt.j2").unlink()
    assert wait_until(lambda: "Build failed" not in get(base + "/")[1], 10)


def test_a_yaml_error_in_the_config_is_shown_and_fixing_it_brings_the_preview_back(
    preview: tuple[str, Path],
) -> None:
    base, folder = preview
    config = folder / "sources.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("title: Preview Weekly", "title: [Preview Weekly"), "utf-8")
    assert wait_until(lambda: "not valid YAML" in get(base + "/")[1], 10)
    assert "sources.yaml:" in get(base + "/")[1]  # the file and line
    assert "not valid YAML" in get(base + "/version")[1]
    assert get(base + "/email.html")[0] == 200  # the last good email stays up
    config.write_text(good.replace("Preview Weekly", "Preview Weekly Again"), "utf-8")
    assert wait_until(lambda: "Build failed" not in get(base + "/")[1], 10)
    assert '"error": null' in get(base + "/version")[1]
    assert "Preview Weekly Again" in get(base + "/email.html")[1]


def test_other_host_names_get_nothing_and_idle_connections_are_bounded(
    preview: tuple[str, Path],
) -> None:
    import socket

    base, folder = preview
    port = int(base.rsplit(":", 1)[1])
    request = urllib.request.Request(
        base + "/email.html", headers={"Host": f"rebound.example:{port}"}
    )
    try:
        urllib.request.urlopen(request, timeout=5)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 421
    assert get(f"http://localhost:{port}/version")[0] == 200
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
    try:
        time.sleep(2)
        pid = (folder / "pid").read_text()
        status_lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        threads = int(next(line.split()[1] for line in status_lines if line.startswith("Threads:")))
        assert threads <= 40, threads  # 32 connections, the server's own few
    finally:
        for connection in idle:
            connection.close()
    assert wait_until(lambda: get(base + "/version")[0] == 200, 15)


def test_config_warnings_show_on_the_page(preview: tuple[str, Path]) -> None:
    base, folder = preview
    config = folder / "sources.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    assert wait_until(lambda: "colour: unknown key, ignored" in get(base + "/")[1], 10)
