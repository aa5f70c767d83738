"""build_digest end to end on files written by the test, with a fixed clock."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import SourceConfig, load_config
from digest.pipeline import BuildRequest, build_digest
from digest.resources import sample_config
from digest.window import resolve_period

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
BODY = (
    "The operator said a cooling failure took two data halls offline for most of the night, "
    "and the outage hit checkout pages for several large retailers before service was restored."
)


def write(folder: Path, name: str, text: str, mtime: datetime = NOW - timedelta(hours=1)) -> None:
    """Undated stories are filed under their file's modification time, so it is set from the
    test's clock rather than left at whatever today is."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime.timestamp(), mtime.timestamp()))


def build(
    folder: Path,
    label: str = "in",
    take_all: bool = False,
    everything: bool = False,
    now: datetime = NOW,
):
    config = load_config(sample_config())
    source = SourceConfig("path", str(folder), label, take_all=take_all)
    period = resolve_period(now, UTC, config.window, everything=everything)
    return build_digest(BuildRequest(config, period, now, (source,)))


def test_window_keeps_recent_and_undated_stories(tmp_path: Path) -> None:
    write(
        tmp_path, "new.txt", f"Data Hall Outage Hits Retailers\n\nPublished: 2026-11-19\n\n{BODY}\n"
    )
    write(
        tmp_path,
        "old.txt",
        f"Older Data Hall Outage Story\n\nPublished: 2026-09-01\n\n{BODY} Old.\n",
    )
    write(tmp_path, "undated.txt", f"Undated Data Hall Outage Story\n\n{BODY} Undated.\n")
    titles = sorted(entry.cluster.lead.title for entry in build(tmp_path).entries)
    assert titles == ["Data Hall Outage Hits Retailers", "Undated Data Hall Outage Story"]
    assert len(build(tmp_path, everything=True).entries) == 3


def test_a_take_all_source_ignores_the_window_so_samples_never_expire(tmp_path: Path) -> None:
    write(tmp_path, "old.txt", f"Older Data Hall Outage Story\n\nPublished: 2026-09-01\n\n{BODY}\n")
    assert build(tmp_path).entries == ()
    next_year = NOW + timedelta(days=365)
    assert len(build(tmp_path, take_all=True, now=next_year).entries) == 1
    config = load_config(sample_config())
    period = resolve_period(next_year, UTC, config.window)
    digest = build_digest(BuildRequest(config, period, next_year))
    assert len(digest.entries) >= 12


def test_exact_duplicates_in_two_files_become_one_story_with_two_items(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f"Data Hall Outage Hits Retailers\n\n{BODY}\n")
    write(tmp_path, "b.txt", f"Data hall outage hits retailers (copy)\n\n{BODY}\n")
    entries = build(tmp_path).entries
    assert len(entries) == 1
    assert [item.origin for item in entries[0].cluster.items] == ["in/a.txt", "in/b.txt"]
    assert entries[0].themes[0] == "outages"


def test_unusable_inputs_are_skipped_and_the_rest_is_built(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", f"Data Hall Outage Hits Retailers\n\n{BODY}\n")
    write(tmp_path, "form.txt", "Get the newsletter\n\nEnter your email\n\nSubscribe\n")
    (tmp_path / "bytes.txt").write_bytes(b"\x00\x01binary")
    digest = build(tmp_path)
    assert len(digest.entries) == 1
    reasons = {skip.origin: skip.reason for skip in digest.skipped}
    assert set(reasons) == {"in/form.txt", "in/bytes.txt"}
    assert "furniture" in reasons["in/form.txt"]


def test_day_first_configuration_reads_numeric_dates_day_first(tmp_path: Path) -> None:
    write(
        tmp_path / "in",
        "a.txt",
        f"Data Hall Outage Hits Retailers\n\nPublished: 03/11/2026\n\n{BODY}\n",
    )
    (tmp_path / "sources.yaml").write_text("date_order: day-first\nsources: [in]\n")
    from digest.config import load_config as load

    config = load(tmp_path / "sources.yaml")
    period = resolve_period(NOW, UTC, None, everything=True)
    (entry,) = build_digest(BuildRequest(config, period, NOW)).entries
    assert entry.cluster.lead.published is not None and entry.cluster.lead.published.month == 11
