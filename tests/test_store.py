"""The state database: schema version, migration on open, and what counts as sent."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.store import SCHEMA_VERSION, Store

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_a_new_database_is_created_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    with Store.open(tmp_path / "state" / "state.db") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.next_number() == 1 and store.last_sent() is None


def test_a_newer_schema_is_refused_rather_than_damaged(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DigestError, match="newer than this digest"):
        Store.open(path)


def test_stories_count_as_sent_only_once_the_issue_is_marked_sent(tmp_path: Path) -> None:
    with Store.open(tmp_path / "state.db") as store:
        store.record_built(
            1,
            ("2026-11-14", "2026-11-21"),
            NOW,
            "hash-1",
            [("https://a.example/x", "t1"), (None, "t2")],
            "Subject: issue 1\n\nbody\n",
        )
        assert store.sent_keys() == frozenset() and store.pending() is not None
        store.record_delivery(1, "ana@example.com", "delivered", "250 OK", NOW)
        store.mark_sent(1, ["ana@example.com"], "<id@example.com>", NOW)
        assert store.sent_keys() == {"https://a.example/x", "t1", "t2"}
        last = store.last_sent()
        assert last is not None and last.number == 1 and last.recipients == ("ana@example.com",)
        assert store.issue_by_hash("hash-1") == last and store.next_number() == 2


def test_a_version_1_state_file_is_migrated_and_keeps_its_issues(tmp_path: Path) -> None:
    from digest.store import _MIGRATIONS

    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        db.executescript(_MIGRATIONS[1])
        db.execute(
            "INSERT INTO issues (number, built_at, sent_at, recipients, content_hash) "
            "VALUES (1, '2026-11-14T09:00:00', '2026-11-14T09:01:00', 'ana@example.com', 'h')"
        )
        db.execute("INSERT INTO issue_items (issue, url_key, text_key) VALUES (1, NULL, 't1')")
        db.execute("PRAGMA user_version = 1")
    with Store.open(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 2
        assert store.sent_keys() == {"t1"} and store.next_number() == 2
        assert store.unfinished() == []
