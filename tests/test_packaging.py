"""A plain, non-editable install carries the templates and the sample, and builds from any folder."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_builds_in_another_folder(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("digest-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "digest/templates/email.mjml.j2",
        "digest/templates/email.txt.j2",
        "digest/templates/digest.md.j2",
        "digest/sample/sources.yaml",
        "digest/sample/seeds/01-amd-mi450-orders.txt",
    ):
        assert required in names, required
    # Dependencies come from this interpreter's site-packages; the project itself from the wheel.
    venv.create(tmp_path / "env", system_site_packages=True, with_pip=True)
    python = tmp_path / "env" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import digest; print(digest.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(tmp_path / "env") in where
    result = subprocess.run(
        [str(tmp_path / "env" / "bin" / "digest"), "build"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    html = (elsewhere / "out" / "digest.html").read_text(encoding="utf-8")
    assert "<h1" in html and "<h2" in html and "<h3" in html
    assert "bundled sample" in result.stderr
