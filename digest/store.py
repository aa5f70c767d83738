"""SQLite state: the issues sent, the stories each carried, per-recipient deliveries.

The one owner of sqlite3. WAL mode, a versioned schema migrated forward on open, and every
write in a transaction: state only advances after the thing it records really happened (an
issue is marked sent after the SMTP server accepted it, never before).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digest.errors import DigestError

SCHEMA_VERSION = 1
_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE issues (
        number INTEGER PRIMARY KEY,
        period_start TEXT,
        period_end TEXT,
        built_at TEXT NOT NULL,
        sent_at TEXT,
        recipients TEXT NOT NULL DEFAULT '',
        message_id TEXT,
        content_hash TEXT NOT NULL
    );
    CREATE TABLE issue_items (
        issue INTEGER NOT NULL REFERENCES issues(number),
        url_key TEXT,
        text_key TEXT NOT NULL
    );
    CREATE INDEX issue_items_url ON issue_items(url_key);
    CREATE INDEX issue_items_text ON issue_items(text_key);
    CREATE TABLE deliveries (
        issue INTEGER NOT NULL REFERENCES issues(number),
        recipient TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        PRIMARY KEY (issue, recipient)
    );
    """,
}


@dataclass(frozen=True, slots=True)
class IssueRecord:
    """One issue as recorded."""

    number: int
    period_start: str | None
    period_end: str | None
    built_at: str
    sent_at: str | None
    recipients: tuple[str, ...]
    message_id: str | None
    content_hash: str


class Store:
    """The state database; open with `Store.open(path)` and use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise DigestError(
                f"cannot open the state database {path}: {exc}", hint="check state: in sources.yaml"
            ) from exc
        store = cls(connection, path)
        store._migrate()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DigestError(
                f"state database {self.path} has schema {version}, newer than this digest ({SCHEMA_VERSION})",
                hint="upgrade digest",
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction() as connection:
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {step}")

    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def last_sent(self) -> IssueRecord | None:
        """The newest issue that was sent to every recipient."""
        row = self.connection.execute(
            "SELECT * FROM issues WHERE sent_at IS NOT NULL ORDER BY number DESC LIMIT 1"
        ).fetchone()
        return _record(row) if row else None

    def issue_by_hash(self, content_hash: str) -> IssueRecord | None:
        row = self.connection.execute(
            "SELECT * FROM issues WHERE content_hash = ? ORDER BY number DESC LIMIT 1",
            (content_hash,),
        ).fetchone()
        return _record(row) if row else None

    def next_number(self) -> int:
        row = self.connection.execute("SELECT COALESCE(MAX(number), 0) FROM issues").fetchone()
        return int(row[0]) + 1

    def seen(self, url_keys: Iterable[str | None], text_keys: Iterable[str]) -> set[str]:
        """Which of these fingerprints an issue that was sent already carried."""
        found: set[str] = set()
        query = (
            "SELECT {column} FROM issue_items JOIN issues ON issues.number = issue_items.issue "
            "WHERE issues.sent_at IS NOT NULL AND {column} = ?"
        )
        for column, keys in (("url_key", url_keys), ("text_key", text_keys)):
            for key in keys:
                if key and self.connection.execute(query.format(column=column), (key,)).fetchone():
                    found.add(key)
        return found

    def sent_keys(self) -> frozenset[str]:
        """Every fingerprint (normalized URL, text hash) of every story of every sent issue."""
        rows = self.connection.execute(
            "SELECT url_key, text_key FROM issue_items JOIN issues ON issues.number = issue_items.issue "
            "WHERE issues.sent_at IS NOT NULL"
        ).fetchall()
        return frozenset(key for row in rows for key in row if key)

    def delivered(self, number: int) -> dict[str, str]:
        """recipient -> status for one issue."""
        rows = self.connection.execute(
            "SELECT recipient, status FROM deliveries WHERE issue = ?", (number,)
        ).fetchall()
        return {recipient: status for recipient, status in rows}

    def record_built(
        self,
        number: int,
        period: tuple[str | None, str | None],
        built_at: datetime,
        content_hash: str,
        items: Iterable[tuple[str | None, str]],
    ) -> None:
        """Remember an issue and its stories; it counts as sent only once marked so."""
        with self.transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO issues (number, period_start, period_end, built_at, content_hash) "
                "VALUES (?, ?, ?, ?, ?)",
                (number, period[0], period[1], built_at.isoformat(), content_hash),
            )
            connection.execute("DELETE FROM issue_items WHERE issue = ?", (number,))
            connection.executemany(
                "INSERT INTO issue_items (issue, url_key, text_key) VALUES (?, ?, ?)",
                [(number, url_key, text_key) for url_key, text_key in items],
            )

    def record_delivery(
        self, number: int, recipient: str, status: str, detail: str, at: datetime
    ) -> None:
        with self.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO deliveries (issue, recipient, status, detail, at) VALUES (?, ?, ?, ?, ?)",
                (number, recipient, status, detail, at.isoformat()),
            )

    def mark_sent(
        self, number: int, recipients: Iterable[str], message_id: str, at: datetime
    ) -> None:
        with self.transaction() as connection:
            connection.execute(
                "UPDATE issues SET sent_at = ?, recipients = ?, message_id = ? WHERE number = ?",
                (at.isoformat(), ",".join(recipients), message_id, number),
            )

    def pending(self) -> IssueRecord | None:
        """An issue recorded but not sent to everyone (a failed or partial send)."""
        row = self.connection.execute(
            "SELECT * FROM issues WHERE sent_at IS NULL ORDER BY number DESC LIMIT 1"
        ).fetchone()
        return _record(row) if row else None


def _record(row: tuple[object, ...]) -> IssueRecord:
    number, start, end, built, sent, recipients, message_id, content_hash = row
    return IssueRecord(
        int(str(number)),
        _text(start),
        _text(end),
        str(built),
        _text(sent),
        tuple(str(recipients).split(",")) if recipients else (),
        _text(message_id),
        str(content_hash),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
