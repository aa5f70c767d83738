"""The `email:`, `schedule:` and `archive:` sections of sources.yaml, used by send, run,
schedule and archive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from digest.config.lines import Mapping, Problems


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """How to reach the mail server; the password is read from `password_env` at send time."""

    host: str
    port: int = 587
    security: str = "starttls"  # starttls, ssl or none
    username: str | None = None
    password_env: str | None = None
    timeout: float = 30.0
    ca_file: str | None = None  # trust this CA bundle too (a private or self-signed server)


@dataclass(frozen=True, slots=True)
class EmailConfig:
    """Who sends the digest to whom, and how."""

    sender: str
    to: tuple[str, ...]
    smtp: SmtpConfig
    subject: str = "{title}: issue {number}, {date}"
    unsubscribe_url: str | None = None
    bcc: bool = False
    interval: float = 0.0  # seconds between two messages: the rate limit


_ADDRESS = re.compile(r"^(?:[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+|.*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>)$")
_SECURITY = ("starttls", "ssl", "none")


def email_section(data: Mapping, problems: Problems) -> EmailConfig | None:
    raw = data.get("email")
    if raw is None:
        return None
    line = data.lines.get("email", data.line)
    if not isinstance(raw, Mapping):
        problems.error(line, "email", "expected a mapping with from, to and smtp")
        return None
    sender = raw.get("from")
    if not isinstance(sender, str) or not _ADDRESS.match(sender.strip()):
        problems.error(
            raw.lines.get("from", line),
            "email.from",
            "expected an address like 'Team <digest@example.com>'",
        )
    to = raw.get("to")
    if isinstance(to, str):
        to = [to]
    if (
        not isinstance(to, list)
        or not to
        or not all(isinstance(a, str) and _ADDRESS.match(a.strip()) for a in to)
    ):
        problems.error(raw.lines.get("to", line), "email.to", "expected a list of email addresses")
        to = []
    subject = raw.get("subject", EmailConfig.__dataclass_fields__["subject"].default)
    if not isinstance(subject, str):
        problems.error(raw.lines.get("subject", line), "email.subject", "expected a string")
        subject = "{title}"
    # Placeholders are exactly {title}, {number}, {date} and {period}: the subject is filled by
    # plain substitution, never str.format (whose {title:>300000000} and {title.__class__}
    # would build a huge string or reach into objects).
    unknown = sorted(set(re.findall(r"{([^{}]*)}", subject)) - set(SUBJECT_FIELDS))
    if unknown:
        problems.error(
            raw.lines.get("subject", line),
            "email.subject",
            f"unknown placeholder {{{unknown[0]}}} (use {{title}}, {{number}}, {{date}}, {{period}})",
        )
    if not one_line(subject) or len(subject) > 500:
        problems.error(
            raw.lines.get("subject", line),
            "email.subject",
            "expected one line of at most 500 characters",
        )
        subject = "{title}"
    interval = raw.get("interval", 0)
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval < 0:
        problems.error(
            raw.lines.get("interval", line),
            "email.interval",
            "expected seconds between messages, >= 0",
        )
        interval = 0
    smtp = _smtp(raw, line, problems)
    if smtp is None or not isinstance(sender, str) or problems.errors:
        return None
    return EmailConfig(
        sender=sender.strip(),
        to=tuple(a.strip() for a in to),
        smtp=smtp,
        subject=subject,
        unsubscribe_url=str(raw["unsubscribe_url"]) if raw.get("unsubscribe_url") else None,
        bcc=bool(raw.get("bcc", False)),
        interval=float(interval),
    )


def _smtp(raw: Mapping, line: int, problems: Problems) -> SmtpConfig | None:
    smtp = raw.get("smtp")
    if not isinstance(smtp, Mapping):
        problems.error(
            raw.lines.get("smtp", line),
            "email.smtp",
            "expected a mapping with host, port, security",
        )
        return None
    where = smtp.lines
    host = smtp.get("host")
    if not isinstance(host, str) or not host.strip():
        problems.error(where.get("host", smtp.line), "email.smtp.host", "expected a host name")
        return None
    port = smtp.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        problems.error(where.get("port", smtp.line), "email.smtp.port", "expected a port number")
        port = 587
    security = smtp.get("security", "starttls")
    if security not in _SECURITY:
        problems.error(
            where.get("security", smtp.line),
            "email.smtp.security",
            "expected starttls, ssl or none",
        )
    if "password" in smtp:
        problems.error(
            where["password"],
            "email.smtp.password",
            "passwords never go in the file: set password_env to the name of an environment variable",
        )
    password_env = smtp.get("password_env")
    if password_env is not None and (
        not isinstance(password_env, str) or not re.fullmatch(r"[A-Za-z_]\w*", password_env)
    ):
        problems.error(
            where.get("password_env", smtp.line),
            "email.smtp.password_env",
            "expected an environment variable name",
        )
        password_env = None
    username = smtp.get("username")
    plaintext_ok = smtp.get("allow_plaintext_auth", False) is True
    if username and security == "none" and not plaintext_ok and not _is_loopback(host.strip()):
        problems.error(
            where.get("username", smtp.line),
            "email.smtp.username",
            "a login over security: none sends the password unencrypted to "
            f"{host.strip()}: use starttls or ssl (or set allow_plaintext_auth: true)",
        )
    return SmtpConfig(
        host=host.strip(),
        port=port,
        security=str(security),
        username=str(username) if username else None,
        password_env=password_env,
        timeout=_timeout(smtp, problems),
        ca_file=str(smtp["ca_file"]) if smtp.get("ca_file") else None,
    )


def _is_loopback(host: str) -> bool:
    """Whether the host is this machine (a local relay), where plain AUTH exposes nothing."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _timeout(smtp: Mapping, problems: Problems) -> float:
    value = smtp.get("timeout", 30)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 600:
        problems.error(
            smtp.lines.get("timeout", smtp.line),
            "email.smtp.timeout",
            "expected seconds to wait for the server, more than 0 and at most 600",
        )
        return 30.0
    return float(value)


def one_line(text: str) -> bool:
    """No line breaks or other control characters (they would split a mail header)."""
    return text.isprintable()


SUBJECT_FIELDS = ("title", "number", "date", "period")


def schedule_section(data: Mapping, problems: Problems) -> str | None:
    value = data.get("schedule")
    if value is None:
        return None
    from digest.schedule import ScheduleError, cron_expression

    try:
        cron_expression(str(value))
    except ScheduleError as exc:
        problems.error(data.lines.get("schedule", data.line), "schedule", str(exc))
        return None
    return str(value)


def archive_section(
    data: Mapping, root: Path, problems: Problems
) -> tuple[Path | None, str | None]:
    raw = data.get("archive")
    if raw is None:
        return None, None
    if not isinstance(raw, Mapping):
        problems.error(
            data.lines.get("archive", data.line),
            "archive",
            "expected a mapping like {dir: site/, base_url: ...}",
        )
        return None, None
    folder = raw.get("dir")
    url = raw.get("base_url")
    return (root / str(folder) if folder else None), (str(url) if url else None)
