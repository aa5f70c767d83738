"""The issue as an email message, and its delivery over SMTP. The one owner of smtplib.

The message is multipart/alternative (plain text first, HTML last, so clients that can show
HTML pick it), UTF-8 and quoted-printable, which keeps every line under SMTP's 998-byte limit.
The password is read from the environment variable the configuration names, at send time,
and never appears in a message, a log line or an error.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from digest.config import EmailConfig, SmtpConfig
from digest.errors import DigestError, SettingError
from digest.models import Rendered

log = logging.getLogger(__name__)


class SendError(DigestError):
    """The server could not be reached or refused the message; nothing was recorded as sent."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one recipient."""

    recipient: str
    delivered: bool
    detail: str
    # A 5xx refusal: the server will never take this message for this recipient, so retrying
    # it is pointless; anything else (4xx, a dropped connection, a timeout) is tried again.
    permanent: bool = False


def subject_line(template: str, title: str, number: int, date: datetime, period: str) -> str:
    """The subject from its template: {title}, {number}, {date}, {period}."""
    values = {"title": title, "number": str(number), "date": f"{date:%-d %b %Y}", "period": period}
    # Plain substitution of the four names the configuration allows, never str.format.
    return re.sub(r"{(title|number|date|period)}", lambda m: values[m.group(1)], template)


def build_message(
    rendered: Rendered,
    email: EmailConfig,
    subject: str,
    to: list[str],
    now: datetime,
    message_id: str | None = None,
) -> EmailMessage:
    """One multipart/alternative message ready for SMTP."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = " ".join(subject.split())  # one header line, whatever it was given
    message["From"] = email.sender
    message["To"] = ", ".join(to) if not email.bcc else _display(email.sender)
    message["Date"] = format_datetime(now)
    domain = parseaddr(email.sender)[1].partition("@")[2] or "digest.invalid"
    message["Message-ID"] = message_id or make_msgid(idstring="digest", domain=domain)
    message["List-Id"] = f"<digest.{domain}>"
    if email.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def _display(sender: str) -> str:
    name, address = parseaddr(sender)
    return str(Address(display_name=name, addr_spec=address)) if address else sender


def password(smtp: SmtpConfig) -> str | None:
    """The SMTP password from the environment variable named in the configuration."""
    if not smtp.password_env:
        return None
    value = os.environ.get(smtp.password_env)
    if value is None:
        raise SettingError(
            f"the environment variable {smtp.password_env} is not set",
            hint=f"export {smtp.password_env}=... (email.smtp.password_env names it)",
        )
    return value


def send(
    message: EmailMessage,
    recipients: list[str],
    email: EmailConfig,
    sleep: Callable[[float], None] = time.sleep,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Deliver to each recipient (one message each, or one Bcc message); results per recipient.

    `on_outcome` is called for each recipient the moment the server has answered for it, so
    the caller can record a delivery before the next one starts (a kill in between then costs
    nothing). A connection lost mid-way fails the recipient it was for and those not yet
    tried; they are retried next time. Raises SendError when the server cannot be reached or
    refuses to talk to us at all.
    """
    smtp = email.smtp
    secret = password(smtp)
    try:
        client = _connect(smtp)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(
            f"cannot reach the mail server {smtp.host}:{smtp.port}: {_cause(exc, secret)}",
            hint="check email.smtp in sources.yaml, and that the server is up",
        ) from None  # the chained error could carry what the server echoed
    outcomes: list[Outcome] = []

    def answered(results: list[Outcome]) -> None:
        for outcome in results:
            if secret and secret in outcome.detail:  # a server that echoes what it was sent
                outcome = replace(outcome, detail=outcome.detail.replace(secret, "***"))
            outcomes.append(outcome)
            on_outcome(outcome)

    try:
        _login(client, smtp, secret)
        batches = [recipients] if email.bcc else [[recipient] for recipient in recipients]
        for index, batch in enumerate(batches):
            if index and email.interval:
                sleep(email.interval)
            if not email.bcc:
                del message["To"]
                message["To"] = batch[0]
            try:
                answered(_send_one(client, message, batch, email.sender))
            except (OSError, smtplib.SMTPException) as exc:
                cause = f"connection lost: {_cause(exc, secret)}"
                answered([Outcome(rcpt, False, cause) for rcpt in batch])
                rest = [rcpt for later in batches[index + 1 :] for rcpt in later]
                answered([Outcome(rcpt, False, "not tried: connection lost") for rcpt in rest])
                break
    except BaseException:
        client.close()  # stopped (a deadline, a login refused): no polite QUIT to wait on
        raise
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
    return outcomes


def _connect(smtp: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.security == "starttls":
        client.starttls(context=context)
    return client


def _login(client: smtplib.SMTP, smtp: SmtpConfig, secret: str | None) -> None:
    if not smtp.username:
        return
    try:
        client.login(smtp.username, secret or "")
    except smtplib.SMTPException as exc:
        raise SendError(
            f"the mail server {smtp.host} refused the login for {smtp.username}: {_cause(exc, secret)}",
            hint=f"check email.smtp.username and the password in ${smtp.password_env}",
        ) from None  # a server may echo the password: the chained error must not carry it


def _send_one(
    client: smtplib.SMTP, message: EmailMessage, recipients: list[str], sender: str
) -> list[Outcome]:
    envelope_from = parseaddr(sender)[1]
    try:
        refused = client.send_message(message, from_addr=envelope_from, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        return [
            Outcome(rcpt, False, _reply(code, text), permanent=code >= 500)
            for rcpt, (code, text) in exc.recipients.items()
        ]
    except smtplib.SMTPResponseException as exc:
        return [
            Outcome(rcpt, False, _reply(exc.smtp_code, exc.smtp_error), exc.smtp_code >= 500)
            for rcpt in recipients
        ]
    return [
        Outcome(rcpt, False, _reply(*refused[rcpt]), refused[rcpt][0] >= 500)
        if rcpt in refused
        else Outcome(rcpt, True, "accepted")
        for rcpt in recipients
    ]


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {words}".strip()


def _cause(exc: BaseException, secret: str | None) -> str:
    """An error's words, with the password (should a server echo it) masked."""
    text = str(exc) or type(exc).__name__
    return text.replace(secret, "***") if secret else text
