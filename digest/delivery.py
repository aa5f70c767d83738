"""`send` and `run`: build the current issue, deliver it once, record what was delivered.

The order is what keeps cron runs honest: the stories of an issue are recorded before
sending (so a crash loses nothing), the issue counts as sent only after the server accepted
it for every recipient, and stories of sent issues never come back. A failed or partial send
leaves the issue pending: the next run sends the same stories, and only to recipients that
did not get them.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digest.archive import issue_url, write_archive
from digest.config import Config, EmailConfig
from digest.errors import ConfigError
from digest.identity import normalize_url
from digest.mailer import Outcome, SendError, build_message, send, subject_line
from digest.models import Digest, Period, Story
from digest.output import write_atomic
from digest.pipeline import BuildRequest, build_digest
from digest.render import period_label, render
from digest.store import Store
from digest.window import resolve_period

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendRequest:
    """What `send`/`run` was asked to do."""

    config: Config
    now: datetime
    since: str | None = None
    until: str | None = None
    everything: bool = False
    to: str | None = None  # a test copy to this address only; records nothing
    dry_run: bool = False
    force: bool = False
    out_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened, for the command to report."""

    message: str
    sent: bool = False
    number: int | None = None
    outcomes: tuple[Outcome, ...] = ()
    eml_path: Path | None = None


def email_config(config: Config) -> EmailConfig:
    if config.email is None:
        where = config.path.name if config.path else "sources.yaml"
        raise ConfigError(
            [f"{where}: email: missing; send and run need email.from, email.to and email.smtp"]
        )
    return config.email


def send_issue(request: SendRequest) -> SendResult:
    """Build the current issue and deliver it (or write it, for a dry run)."""
    config = request.config
    email = email_config(config)
    with Store.open(config.state_path) as store:
        period = _period(request, store)
        # A test copy (--to) shows the current issue whatever was sent before: it records
        # nothing, so it needs no --force.
        seen = frozenset() if request.force or request.to else store.sent_keys()
        digest = build_digest(BuildRequest(config, period, request.now, seen=seen))
        if not digest.entries:
            last = store.last_sent()
            since = (
                f" since issue {last.number} ({last.sent_at[:10]})" if last and last.sent_at else ""
            )
            return SendResult(f"Nothing new to send{since}: no issue sent.")
        content_hash = _content_hash(digest)
        previous = store.issue_by_hash(content_hash)
        if previous and previous.sent_at and not request.force and request.to is None:
            return SendResult(
                f"Issue {previous.number} was already sent on {previous.sent_at[:10]}; not sending it again.",
                number=previous.number,
            )
        pending = store.pending()
        if previous and not (previous.sent_at and request.force):
            number = previous.number  # the same stories as an issue begun before: finish it
        elif pending and pending.content_hash == content_hash:
            number = pending.number
        else:
            number = store.next_number()  # new stories, or --force sending old ones anew
        rendered = render(digest, config.templates_dir, issue_url(config, digest))
        subject = subject_line(
            email.subject, digest.title, number, request.now, period_label(digest.period)
        )
        recipients = [request.to] if request.to else list(email.to)
        message = build_message(rendered, email, subject, recipients, request.now)
        if request.dry_run:
            path = (request.out_dir or config.output_dir) / "digest.eml"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, message.as_string())
            return SendResult(
                f'Dry run: issue {number}, {len(digest.entries)} stories, "{subject}" would go to '
                f"{', '.join(recipients)}; wrote {path}",
                number=number,
                eml_path=path,
            )
        if request.to:
            outcomes = send(message, recipients, email)
            return _report(outcomes, number, subject, test_copy=True)
        return _deliver(
            store, config, digest, number, content_hash, message, subject, email, request.now
        )


def _deliver(
    store: Store,
    config: Config,
    digest: Digest,
    number: int,
    content_hash: str,
    message: object,
    subject: str,
    email: EmailConfig,
    now: datetime,
) -> SendResult:
    from email.message import EmailMessage

    assert isinstance(message, EmailMessage)
    period = (_iso(digest.period.start), _iso(digest.period.end))
    store.record_built(number, period, now, content_hash, _fingerprints(digest))
    done = {rcpt for rcpt, status in store.delivered(number).items() if status == "delivered"}
    remaining = [rcpt for rcpt in email.to if rcpt not in done]
    outcomes = send(message, remaining, email)  # SendError leaves the issue pending
    for outcome in outcomes:
        store.record_delivery(
            number,
            outcome.recipient,
            "delivered" if outcome.delivered else "failed",
            outcome.detail,
            now,
        )
    delivered = done | {outcome.recipient for outcome in outcomes if outcome.delivered}
    if delivered >= set(email.to):
        store.mark_sent(number, email.to, str(message["Message-ID"]), now)
        if config.archive_dir is not None:
            write_archive(config, digest)  # the email's "full issue" link points here
    return _report(outcomes, number, subject, test_copy=False, all_done=delivered >= set(email.to))


def _report(
    outcomes: list[Outcome], number: int, subject: str, test_copy: bool, all_done: bool = True
) -> SendResult:
    failed = [outcome for outcome in outcomes if not outcome.delivered]
    lines = [f'{"Test copy of issue" if test_copy else "Issue"} {number}: "{subject}"']
    lines.extend(
        f"  {o.recipient}: {'sent' if o.delivered else 'refused: ' + o.detail}" for o in outcomes
    )
    if failed and not test_copy:
        lines.append("Not all recipients got it; the next send retries only those.")
    return SendResult(
        "\n".join(lines), sent=not failed and all_done, number=number, outcomes=tuple(outcomes)
    )


def _period(request: SendRequest, store: Store) -> Period:
    config = request.config
    since = request.since
    if since is None and not request.everything:
        last = store.last_sent()
        if last and last.sent_at:
            since = "last"
    if since == "last":
        last = store.last_sent()
        since = last.sent_at if last and last.sent_at else None
    return resolve_period(
        request.now, config.tz, config.window, since, request.until, request.everything
    )


def story_keys(story: Story) -> tuple[str | None, str]:
    """The fingerprints the state keeps: normalized URL and a hash of the normalized text."""
    return (normalize_url(story.url) if story.url else None), story.fingerprint


def _fingerprints(digest: Digest) -> list[tuple[str | None, str]]:
    return [story_keys(story) for entry in digest.entries for story in entry.cluster.items]


def _content_hash(digest: Digest) -> str:
    keys = sorted(f"{url}|{text}" for url, text in _fingerprints(digest))
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["SendError", "SendRequest", "SendResult", "email_config", "send_issue"]
