"""`send` and `run`: build the current issue, deliver it once, record what was delivered.

The order is what keeps cron runs honest. `send` and `run` hold one lock (the state folder's)
for the whole of it. The issue, its stories and its message are recorded before sending (so a
crash loses nothing); each recipient's delivery is committed the moment the server accepts it
(so a kill between two recipients costs nobody a second copy); the issue counts as sent once
every recipient got it or was refused for good (5xx). An issue that some recipients did not
get is finished first, with the same message, to them alone, before anything new is built;
its stories count as sent for every later issue, so nobody gets them twice. An issue nobody
got is built again with whatever is new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from email import message_from_string
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from digest.archive import issue_url, write_archive
from digest.config import Config, EmailConfig
from digest.errors import ConfigError
from digest.identity import digest_keys, issue_hash
from digest.mailer import Outcome, SendError, build_message, password, send, subject_line
from digest.models import Digest, Period
from digest.output import write_atomic
from digest.pipeline import BuildRequest, build_digest
from digest.render import period_label, render
from digest.schedule import run_lock
from digest.store import IssueRecord, Store
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
    notes: tuple[str, ...] = ()  # inputs skipped and configuration warnings, said once


def email_config(config: Config) -> EmailConfig:
    if config.email is None:
        where = config.path.name if config.path else "sources.yaml"
        raise ConfigError(
            [f"{where}: email: missing; send and run need email.from, email.to and email.smtp"]
        )
    return config.email


def send_issue(request: SendRequest) -> SendResult:
    """Build the current issue and deliver it (or write it, for a dry run)."""
    if request.to or request.dry_run:
        with Store.open(request.config.state_path) as store:
            return _issue(request, store, [])
    with run_lock(request.config.state_path), Store.open(request.config.state_path) as store:
        finished = [
            _finish_issue(request, store, record, text) for record, text in store.unfinished()
        ]
        return _issue(request, store, finished)


def _finish_issue(request: SendRequest, store: Store, record: IssueRecord, text: str) -> SendResult:
    """Send an issue that reached only some recipients to the rest, with the same message."""
    email = email_config(request.config)
    message = message_from_string(text, policy=SMTP)
    assert isinstance(message, EmailMessage)
    outcomes = _send_recorded(store, record.number, message, email, request.now)
    subject = str(message["Subject"])
    return _report(
        outcomes,
        record.number,
        subject,
        test_copy=False,
        all_done=store.complete(record.number, email.to),
    )


def _issue(request: SendRequest, store: Store, finished: list[SendResult]) -> SendResult:
    config = request.config
    email = email_config(config)
    if not request.dry_run:
        password(email.smtp)  # an unset variable is a configuration error, found before any work
    period = _period(request, store)
    seen = frozenset() if request.force or request.to else store.sent_keys()
    digest = build_digest(BuildRequest(config, period, request.now, seen=seen))
    result = _deliver_digest(request, store, finished, digest)
    notes = [f"Skipped {skip.origin}: {skip.reason}" for skip in digest.skipped]
    return replace(result, notes=(*notes, *(f"Warning: {w}" for w in digest.warnings)))


def _deliver_digest(
    request: SendRequest, store: Store, finished: list[SendResult], digest: Digest
) -> SendResult:
    config = request.config
    email = email_config(config)
    if not digest.entries:
        last = store.last_sent()
        since = f" since issue {last.number} ({last.sent_at[:10]})" if last and last.sent_at else ""
        return _with(finished, SendResult(f"Nothing new to send{since}: no issue sent."))
    content_hash = issue_hash(digest)
    previous = store.issue_by_hash(content_hash)
    if previous and previous.sent_at and not request.force and request.to is None:
        return _with(
            finished,
            SendResult(
                f"Issue {previous.number} was already sent on {previous.sent_at[:10]}; not sending it again.",
                number=previous.number,
            ),
        )
    pending = store.pending()
    if pending and not store.delivered_to_anyone(pending.number):
        number = pending.number  # nobody got it: this build takes its place
    else:
        number = store.next_number()
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
    linked = config.archive_dir is not None and issue_url(config, digest) is not None
    if config.archive_dir is not None:
        write_archive(config, digest)  # the email's "full issue" link works from the first minute
    # A story counts as delivered only if a reader can reach it: the email carries it, or the
    # email links to the full issue page just written. The others wait for the next issue,
    # whose window reaches back to the oldest of them.
    carried = digest if linked else _carried(digest, rendered.carried)
    held = [
        e.cluster.lead.dated for e in digest.entries if e.cluster.lead.key not in rendered.carried
    ]
    dated = [moment for moment in held if moment is not None]
    held_from = _iso(min(dated)) if dated and not linked else None
    span = (_iso(digest.period.start), _iso(digest.period.end))
    store.record_built(
        number,
        span,
        request.now,
        content_hash,
        digest_keys(carried),
        message.as_string(),
        held_from,
    )
    outcomes = _send_recorded(store, number, message, email, request.now)
    done = store.complete(number, email.to)
    return _with(finished, _report(outcomes, number, subject, test_copy=False, all_done=done))


def _send_recorded(
    store: Store, number: int, message: EmailMessage, email: EmailConfig, now: datetime
) -> list[Outcome]:
    """Send to the recipients that have neither got the issue nor been refused for good,
    committing each answer as it comes; mark the issue sent once nobody is left."""
    statuses = store.delivered(number)
    remaining = [rcpt for rcpt in email.to if statuses.get(rcpt) not in ("delivered", "refused")]

    def record(outcome: Outcome) -> None:
        status = "delivered" if outcome.delivered else "refused" if outcome.permanent else "failed"
        store.record_delivery(number, outcome.recipient, status, outcome.detail, now)

    outcomes = send(message, remaining, email, on_outcome=record) if remaining else []
    if store.complete(number, email.to):
        store.mark_sent(number, email.to, str(message["Message-ID"]), now)
    return outcomes


def _with(finished: list[SendResult], result: SendResult) -> SendResult:
    """This run's result, after what finishing earlier issues did."""
    if not finished:
        return result
    lines = [r.message for r in finished] + [result.message]
    outcomes = tuple(o for r in [*finished, result] for o in r.outcomes)
    return SendResult(
        "\n".join(lines),
        sent=result.sent or any(r.sent for r in finished),
        number=result.number,
        outcomes=outcomes,
        eml_path=result.eml_path,
    )


def _report(
    outcomes: list[Outcome], number: int, subject: str, test_copy: bool, all_done: bool = True
) -> SendResult:
    failed = [outcome for outcome in outcomes if not outcome.delivered]
    lines = [f'{"Test copy of issue" if test_copy else "Issue"} {number}: "{subject}"']
    lines.extend(
        f"  {o.recipient}: {'sent' if o.delivered else 'refused: ' + o.detail}" for o in outcomes
    )
    if any(not o.permanent for o in failed) and not test_copy:
        lines.append("Not all recipients got it; the next send retries only those.")
    if any(o.permanent for o in failed) and not test_copy:
        lines.append("The server refused some recipients for good (5xx): they are not retried.")
    return SendResult(
        "\n".join(lines), sent=not failed and all_done, number=number, outcomes=tuple(outcomes)
    )


def _period(request: SendRequest, store: Store) -> Period:
    config = request.config
    since = request.since
    # A test copy shows the issue of the configured window, whatever was sent before.
    if since is None and not request.everything and not request.to:
        last = store.last_sent()
        if last and last.sent_at:
            since = "last"
    if since == "last":
        last = store.last_sent()
        since = last.sent_at if last and last.sent_at else None
        if last and last.held_from and since:
            # Stories that issue had no room for come in this one.
            since = min(since, last.held_from, key=datetime.fromisoformat)
    return resolve_period(
        request.now, config.tz, config.window, since, request.until, request.everything
    )


def _carried(digest: Digest, keys: frozenset[str]) -> Digest:
    """The digest as far as the email carries it."""
    sections = tuple(
        replace(section, entries=tuple(e for e in section.entries if e.cluster.lead.key in keys))
        for section in digest.sections
    )
    return replace(digest, sections=sections)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["SendError", "SendRequest", "SendResult", "email_config", "send_issue"]
