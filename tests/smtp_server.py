"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests: plain, STARTTLS and AUTH,
with a recipient it refuses and an optional delay, collecting what it accepted."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd's port=0 does not work)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the server accepted, and how it misbehaves.

    `refuse` recipients get `refuse_reply` at RCPT. At DATA, a message for a `drop` recipient
    has its connection cut, and one for a `hang` recipient gets no answer for `hang_for`
    seconds. `stall_at` = ("MAIL", 2) stops the server at the second MAIL command (or "RCPT",
    "QUIT"): `stalled` is set, and the server waits for `release` before it answers, so a
    test can kill the client at that exact point of a send.
    """

    refuse: set[str] = field(default_factory=set)
    refuse_reply: str = "550 5.1.1 no such mailbox here"
    delay: float = 0.0
    drop: set[str] = field(default_factory=set)
    hang: set[str] = field(default_factory=set)
    hang_for: float = 30.0
    stall_at: tuple[str, int] | None = None
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    rcpt_seen: int = 0
    seen: dict[str, int] = field(default_factory=dict)

    def per_recipient(self) -> dict[str, int]:
        """How many messages each recipient got."""
        counts: dict[str, int] = {}
        for _, recipients, _ in self.messages:
            for recipient in recipients:
                counts[recipient] = counts.get(recipient, 0) + 1
        return counts

    def _point(self, command: str) -> None:
        self.seen[command] = self.seen.get(command, 0) + 1
        if self.stall_at == (command, self.seen[command]):
            self.stalled.set()
            self.release.wait(30)  # blocks the server thread: the client waits for an answer

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self._point("MAIL")
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.rcpt_seen += 1
        self._point("RCPT")
        if address in self.refuse:
            return self.refuse_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            time.sleep(self.delay)  # blocks the server thread: a slow server, on purpose
        if self.drop & set(envelope.rcpt_tos):
            server.transport.abort()
            return "421 gone"
        if self.hang & set(envelope.rcpt_tos):
            time.sleep(self.hang_for)
            return "451 too late"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self._point("QUIT")
        return "221 Bye"


class Authenticator:
    def __init__(self, username: str, password: str) -> None:
        self.expected = (username.encode(), password.encode())

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and (auth_data.login, auth_data.password) == self.expected
        )
        return AuthResult(success=ok, handled=False)


class EchoingAuthenticator:
    """Refuses every login with a reply that repeats the password it was given, as some
    servers' error messages do: it must never reach digest's output, logs or tracebacks."""

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        password = auth_data.password.decode() if isinstance(auth_data, LoginPassword) else "?"
        return AuthResult(
            success=False, handled=False, message=f"535 5.7.8 bad password {password}"
        )


def start(
    mailbox: Mailbox,
    port: int | None = None,
    tls: ssl.SSLContext | None = None,
    auth: Authenticator | EchoingAuthenticator | None = None,
) -> Controller:
    """Start a server; stop it with .stop()."""
    kwargs: dict[str, Any] = {}
    if tls is not None:
        kwargs.update(tls_context=tls, require_starttls=True)
    if auth is not None:
        kwargs.update(authenticator=auth, auth_required=True, auth_require_tls=tls is not None)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    return controller


def self_signed(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a fresh certificate for 127.0.0.1, and the cert file to trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context, cert_path
