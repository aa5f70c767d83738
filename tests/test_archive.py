"""digest archive: an index, one page per issue (the full issue) and an Atom feed."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
from click.testing import CliRunner

from digest.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_archive_writes_index_pages_and_a_readable_atom_feed(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "sources.yaml").write_text(
        "title: Test Weekly\nsources:\n  - path: seeds/\n    window: all\n"
        "limits: {stories_per_theme: 1}\n"
        'archive: {dir: site/, base_url: "https://example.com/digest/"}\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(
        main, ["archive", "--config", str(tmp_path / "sources.yaml")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    pages = list((site / "issues").glob("*.html"))
    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    assert page.count("<h3") == 18  # the full issue, though the email shows one per theme
    assert 'href="../index.html"' in page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="issues/{pages[0].name}"' in index
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 1
    assert feed.entries[0].link == f"https://example.com/digest/issues/{pages[0].name}"
    build = runner.invoke(
        main,
        [
            "build",
            "--config",
            str(tmp_path / "sources.yaml"),
            "--format",
            "html",
            "--out",
            str(tmp_path / "o"),
        ],
        catch_exceptions=False,
    )
    assert build.exit_code == 0
    html = (tmp_path / "o" / "digest.html").read_text(encoding="utf-8")
    assert (
        f"https://example.com/digest/issues/{pages[0].name}" in html
        and "more stories in the full issue" in html
    )


def test_no_archive_folder_is_a_configuration_error(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "sources.yaml").write_text(
        "title: Test Weekly\nsources:\n  - path: seeds/\n    window: all\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["archive", "--config", str(tmp_path / "sources.yaml")], catch_exceptions=False
    )
    assert result.exit_code == 2 and "no archive folder" in result.output
    assert not (tmp_path / "site").exists()


def test_two_issues_on_one_day_get_a_page_each(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "sources.yaml").write_text(
        "title: Test Weekly\nsources:\n  - path: seeds/\n    window: all\n"
        'archive: {dir: site/, base_url: "https://example.com/digest/"}\n',
        encoding="utf-8",
    )
    args = ["archive", "--config", str(tmp_path / "sources.yaml")]
    assert CliRunner().invoke(main, args, catch_exceptions=False).exit_code == 0
    first = sorted((tmp_path / "site" / "issues").glob("*.html"))
    assert CliRunner().invoke(main, args, catch_exceptions=False).exit_code == 0
    assert sorted((tmp_path / "site" / "issues").glob("*.html")) == first  # same issue, same page
    (tmp_path / "seeds" / "99-new.txt").write_text(
        "Harbour Cranes Halted By Software Fault\n\nA software fault in the crane control system "
        "halted container traffic at the port for six hours, the operator said, before engineers "
        "rolled back an update and the cranes resumed work in the evening.\n",
        encoding="utf-8",
    )
    assert CliRunner().invoke(main, args, catch_exceptions=False).exit_code == 0
    pages = sorted((tmp_path / "site" / "issues").glob("*.html"))
    assert len(pages) == 2 and first[0] in pages
    assert "Harbour Cranes" not in first[0].read_text(encoding="utf-8")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert all(f"issues/{page.name}" in index for page in pages)
    assert len(feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes()).entries) == 2
