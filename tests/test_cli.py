"""The command line, through Click's runner and as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd or old)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_bare_build_in_the_checkout_writes_all_formats(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copy(ROOT / "sources.yaml", project / "sources.yaml")
    code, out, _ = run("build", cwd=project)
    assert code == 0, out
    for name in ("digest.html", "digest.txt", "digest.md", "digest.json"):
        assert (project / "out" / name).stat().st_size > 0
    assert 'Built "The AI Rivalry Weekly"' in out and "Competition" in out
    document = json.loads((project / "out" / "digest.json").read_text(encoding="utf-8"))
    assert sum(len(section["stories"]) for section in document["sections"]) >= 12


def test_inputs_replace_the_sources_and_formats_can_be_chosen(tmp_path: Path) -> None:
    code, out, _ = run(
        "build",
        str(ROOT / "seeds" / "02-newsletter-sentence-case.txt"),
        "--all",
        "--format",
        "json",
        "--format",
        "txt",
        "--out",
        str(tmp_path),
        "--title",
        "Mine",
    )
    assert code == 0, out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["digest.json", "digest.txt"]
    document = json.loads((tmp_path / "digest.json").read_text(encoding="utf-8"))
    assert document["title"] == "Mine"
    origins = [
        item["origin"]
        for s in document["sections"]
        for story in s["stories"]
        for item in story["items"]
    ]
    assert sorted(origins) == [
        f"{ROOT / 'seeds' / '02-newsletter-sentence-case.txt'}#{n}" for n in (1, 2, 3)
    ]


def test_skipped_inputs_are_listed_with_reasons_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "seeds" / "07-hugging-face-outage-short.txt", tmp_path / "in" / "good.txt")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "blob.txt").write_bytes(b"\x00\x01\x02\x03")
    code, out, err = run("build", "in", "--all", "--out", "out", cwd=tmp_path)
    assert code == 0, out
    assert "in/empty.txt: empty file" in out and "in/blob.txt: binary file" in out
    assert err == ""  # said once, in the summary: no log lines repeat it without -v
    document = json.loads((tmp_path / "out" / "digest.json").read_text(encoding="utf-8"))
    assert {skip["origin"] for skip in document["skipped"]} == {"in/empty.txt", "in/blob.txt"}
    assert document["sections"][0]["stories"][0]["items"][0]["origin"] == "in/good.txt"
    code, _, err = run("build", "in", "--all", "--out", "out", "--strict", cwd=tmp_path)
    assert code == 1 and "--strict" in err


def test_a_missing_input_path_is_a_usage_error_and_overwrites_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "seeds" / "07-hugging-face-outage-short.txt", tmp_path / "in" / "good.txt")
    assert run("build", "in", "--all", "--out", "out", cwd=tmp_path)[0] == 0
    before = (tmp_path / "out" / "digest.json").read_bytes()
    code, _, err = run("build", "in", "nosuchfile.txt", "--all", "--out", "out", cwd=tmp_path)
    assert code == 2 and "'nosuchfile.txt': no such file or folder" in err
    assert (tmp_path / "out" / "digest.json").read_bytes() == before


def test_an_empty_build_hints_at_the_window_only_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "form.txt").write_text("Get the newsletter\n\nEnter your email\n")
    code, out, _ = run("build", "in", "--all", "--out", "out", cwd=tmp_path)
    assert code == 0 and "No stories in the inputs." in out and "try --all" not in out
    code, out, _ = run("build", "in", "--out", "out", cwd=tmp_path)
    assert code == 0 and "try --all" in out


def test_config_warnings_are_said_once(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "seeds" / "07-hugging-face-outage-short.txt", tmp_path / "in" / "good.txt")
    (tmp_path / "sources.yaml").write_text("title: x\nbogus: 1\nsources: [in]\n")
    code, out, err = run("build", "--all", cwd=tmp_path)
    assert code == 0 and out.count("bogus: unknown key") == 1 and "bogus" not in err


def test_a_broken_config_exits_2_naming_file_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "title: x\nwindow: soon\nlimits: {stories_per_theme: -1}\n"
    )
    code, _, err = run("build", cwd=tmp_path)
    assert code == 2
    assert "sources.yaml:2: window:" in err and "sources.yaml:3: limits.stories_per_theme:" in err


def test_bad_window_options_are_usage_errors(tmp_path: Path) -> None:
    assert (
        run("build", str(ROOT / "seeds"), "--since", "last tuesday", "--out", str(tmp_path))[0] == 2
    )
    assert (
        run("build", str(ROOT / "seeds"), "--all", "--since", "7d", "--out", str(tmp_path))[0] == 2
    )


def test_the_date_window_filters_dated_stories(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    saved = datetime(2026, 11, 20, 12, tzinfo=UTC).timestamp()  # after the window
    for path in seeds.iterdir():
        os.utime(path, (saved, saved))
    code, out, _ = run(
        "build",
        str(seeds),
        "--since",
        "2026-11-12",
        "--until",
        "2026-11-14",
        "--format",
        "json",
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    document = json.loads((tmp_path / "digest.json").read_text(encoding="utf-8"))
    dates = sorted(story["published"] for s in document["sections"] for story in s["stories"])
    # Undated seeds are dated by their file's modification time, outside this window.
    assert dates == ["2026-11-12", "2026-11-14"]
    assert document["period"]["start"].startswith("2026-11-12")


def test_every_command_has_help_with_an_example() -> None:
    code, _, _ = run("--help")
    assert code == 0
    for command in main.commands:
        code, text, _ = run(command, "--help")
        assert code == 0 and "Example" in text, command


def test_python_dash_m_and_quick_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digest", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in result.stdout
    probe = "import sys, digest.cli; print(sorted(m for m in ('jinja2', 'mjml', 'yaml', 'feedparser', 'dateutil') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


@pytest.mark.parametrize("template", ["email.mjml.j2", "email.txt.j2"])
def test_a_broken_template_fails_with_its_name_and_line(tmp_path: Path, template: str) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / template).write_text("ok\n{% if %}\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(f"sources: [{ROOT / 'seeds'}]\ntemplates: tpl\n")
    code, _, err = run("build", "--all", cwd=tmp_path)
    assert code == 1 and f"{template}, line 2" in err
