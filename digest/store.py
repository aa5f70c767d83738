"""SQLite state: the issues sent, the stories each carried, per-recipient deliveries.

The one owner of sqlite3. WAL mode, a versioned schema migrated forward on open, and every
write in a transaction: state only advances after the thing it records really happened (an
issue is marked sent after the SMTP server accepted it, never before).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digest.errors import DigestError

SCHEMA_VERSION = 2
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
    # The message as sent: an issue some recipients did not get is finished with exactly it.
    # ... and the date of the oldest story it had no room for (without a full issue page to
    # link to), where the next issue's window starts.
    2: "ALTER TABLE issues ADD COLUMN message TEXT; ALTER TABLE issues ADD COLUMN held_from TEXT",
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
    held_from: str | None = None


class Store:
    """The state database; open with `Store.open(path)` and use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        try:
            if not path.exists():
                _create(path)
        except (OSError, sqlite3.Error) as exc:
            raise DigestError(
                f"cannot create the state database {path}: {exc}",
                hint="check state: in sources.yaml",
            ) from exc
        if path.is_file() and path.stat().st_size == 0:
            # A new database is never an empty file here (see _create), so an empty state file
            # is damage (a full disk, a bad copy): SQLite would take it for a new database and
            # everything would be sent again.
            raise DigestError(
                f"the state database {path} is empty (0 bytes): refusing to start over",
                hint="restore it from a backup, or delete it to start afresh (every story "
                "in the window will then be sent again)",
            )
        try:
            connection = _connect(path)
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
        # The version is read inside the write transaction, so two processes opening a new
        # state file at once cannot both create the tables.
        with self.transaction() as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise DigestError(
                    f"state database {self.path} has schema {version}, newer than this digest ({SCHEMA_VERSION})",
                    hint="upgrade digest",
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {step}")

    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def last_sent(self) -> IssueRecord | None:
        """The newest issue that was sent to every recipient."""
        row = self.connection.execute(
            f"SELECT {_COLUMNS} FROM issues WHERE sent_at IS NOT NULL ORDER BY number DESC LIMIT 1"
        ).fetchone()
        return _record(row) if row else None

    def issue_by_hash(self, content_hash: str) -> IssueRecord | None:
        row = self.connection.execute(
            f"SELECT {_COLUMNS} FROM issues WHERE content_hash = ? ORDER BY number DESC LIMIT 1",
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
        """Every fingerprint (normalized URL, text hash) of every story of every issue that
        reached anyone: a sent issue, or one delivered to some recipients and still being
        finished for the others (its stories must not travel again in a new issue)."""
        rows = self.connection.execute(
            "SELECT url_key, text_key FROM issue_items JOIN issues ON issues.number = issue_items.issue "
            "WHERE issues.sent_at IS NOT NULL OR EXISTS (SELECT 1 FROM deliveries d "
            "WHERE d.issue = issues.number AND d.status = 'delivered')"
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
        message: str,
        held_from: str | None = None,
    ) -> None:
        """Remember an issue, its stories and its message; it counts as sent only once marked
        so. An earlier unsent record of the same number (nobody got it) is replaced."""
        with self.transaction() as connection:
            connection.execute(
                "DELETE FROM deliveries WHERE issue = ? AND status != 'delivered'", (number,)
            )
            connection.execute(
                "INSERT INTO issues (number, period_start, period_end, built_at, content_hash, message, held_from) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO UPDATE SET "
                "period_start = excluded.period_start, period_end = excluded.period_end, "
                "built_at = excluded.built_at, content_hash = excluded.content_hash, "
                "message = excluded.message, held_from = excluded.held_from",
                (
                    number,
                    period[0],
                    period[1],
                    built_at.isoformat(),
                    content_hash,
                    message,
                    held_from,
                ),
            )
            connection.execute("DELETE FROM issue_items WHERE issue = ?", (number,))
            connection.executemany(
                "INSERT INTO issue_items (issue, url_key, text_key) VALUES (?, ?, ?)",
                [(number, url_key, text_key) for url_key, text_key in items],
            )

    def delivered_to_anyone(self, number: int) -> bool:
        return "delivered" in self.delivered(number).values()

    def complete(self, number: int, recipients: Iterable[str]) -> bool:
        """Whether every recipient got the issue or was refused it for good."""
        statuses = self.delivered(number)
        return all(statuses.get(rcpt) in ("delivered", "refused") for rcpt in recipients)

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
        """The newest issue recorded but not sent to everyone (a failed or partial send)."""
        row = self.connection.execute(
            f"SELECT {_COLUMNS} FROM issues WHERE sent_at IS NULL ORDER BY number DESC LIMIT 1"
        ).fetchone()
        return _record(row) if row else None

    def unfinished(self) -> list[tuple[IssueRecord, str]]:
        """Issues delivered to some recipients but not all, oldest first, with the message
        that went out: they are finished before any new issue is built."""
        rows = self.connection.execute(
            f"SELECT {_COLUMNS}, message FROM issues WHERE sent_at IS NULL AND message IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM deliveries d WHERE d.issue = issues.number "
            "AND d.status = 'delivered') ORDER BY number"
        ).fetchall()
        return [(_record(row[:-1]), str(row[-1])) for row in rows]


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


def _create(path: Path) -> None:
    """A new state database, made whole beside its place and then linked into it, so that
    the path never holds a half-made (empty) file and two processes cannot both create it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        store = Store(_connect(draft), draft)
        store._migrate()
        store.connection.close()
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(draft, path)
    finally:
        for leftover in (draft, Path(f"{draft}-wal"), Path(f"{draft}-shm")):
            leftover.unlink(missing_ok=True)


_COLUMNS = (
    "number, period_start, period_end, built_at, sent_at, recipients, message_id, content_hash,"
    " held_from"
)


def _record(row: tuple[object, ...]) -> IssueRecord:
    number, start, end, built, sent, recipients, message_id, content_hash, held_from = row
    return IssueRecord(
        int(str(number)),
        _text(start),
        _text(end),
        str(built),
        _text(sent),
        tuple(str(recipients).split(",")) if recipients else (),
        _text(message_id),
        str(content_hash),
        _text(held_from),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
