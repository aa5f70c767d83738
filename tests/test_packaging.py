"""A plain, non-editable install into a new virtual environment, with its dependencies resolved
by pip from what the package declares (nothing borrowed from the interpreter running the tests),
carries the templates and the sample and builds from any folder.

Dependencies come from the package index, or, when DIGEST_WHEELHOUSE names a folder of wheels
(CI fills one before the year-ahead run, whose clock no index certificate would accept), from
that folder alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_builds_in_another_folder(tmp_path: Path) -> None:
    offline = (
        ["--no-index", "--find-links", os.environ["DIGEST_WHEELHOUSE"]]
        if os.environ.get("DIGEST_WHEELHOUSE")
        else []
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            *offline,
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
    # No pip inside the new venv (that would need ensurepip, which Debian ships separately):
    # this interpreter's pip installs into it with --python, resolving every dependency anew.
    venv.create(tmp_path / "env", system_site_packages=False, with_pip=False)
    python = tmp_path / "env" / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    wheelhouse = os.environ.get("DIGEST_WHEELHOUSE")
    if wheelhouse:
        install += ["--no-index", "--find-links", wheelhouse]
    subprocess.run([*install, str(wheel)], check=True)
    assert "include-system-site-packages = false" in (tmp_path / "env" / "pyvenv.cfg").read_text()
    imported = subprocess.run(
        [
            str(python),
            "-c",
            "import click, mjml, trafilatura; print(click.__file__, mjml.__file__, trafilatura.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(tmp_path / "env")) for path in imported), imported
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
    # The web-page reader works from this install (trafilatura with its HTML cleaner).
    page = elsewhere / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = subprocess.run(
        [
            str(tmp_path / "env" / "bin" / "digest"),
            "build",
            "--all",
            "--format",
            "json",
            "page.html",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Skipped" not in result.stdout, result.stdout
    assert "Cooling Failure Takes Two Data Halls Offline" in (
        elsewhere / "out" / "digest.json"
    ).read_text(encoding="utf-8")


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Cooling Failure Takes Two Data Halls Offline | Example Wire</title>
<meta property="og:title" content="Cooling Failure Takes Two Data Halls Offline">
<meta property="article:published_time" content="2026-11-19T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<article><h1>Cooling Failure Takes Two Data Halls Offline</h1>
<p>The operator said a cooling failure took two data halls offline for most of the night, and
the outage hit checkout pages for several large retailers before service was restored.</p>
<p>Engineers restored power to the chillers shortly after dawn, and the company said it would
publish a full incident report within a week, including the timeline of the failover.</p>
</article><footer>Copyright Example Wire</footer></body></html>
"""
