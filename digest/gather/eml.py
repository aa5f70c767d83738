"""Newsletter emails (.eml) -> Document, with the standard library's email package.

Subjects in RFC 2047 encoded words, quoted-printable and base64 parts are decoded by the
email package. Of a multipart/alternative message one part is read, never both (the HTML one,
which keeps headings and paragraphs; the plain one when there is no HTML), so its stories
come once. The sender is the source and the Date header the date.
"""

from __future__ import annotations

import email
import email.policy
from datetime import UTC
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime

from digest.errors import SourceError
from digest.gather.markup import html_to_text
from digest.models import Document, Hints

_HEADER_START = (
    b"from:",
    b"received:",
    b"return-path:",
    b"mime-version:",
    b"delivered-to:",
    b"message-id:",
    b"date:",
    b"subject:",
    b"to:",
)


def looks_like_email(data: bytes) -> bool:
    """Sniff: the file starts with mail headers."""
    head = data[:1024].lstrip().lower()
    return head.startswith(_HEADER_START) and b"\n\n" in data[:65536].replace(b"\r\n", b"\n")


def read_email(data: bytes, origin: str, hints: Hints) -> list[Document]:
    """One newsletter email."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise SourceError("not an email: no headers found")
    text = _body_text(message)
    if text is None:
        raise SourceError("email has no text or HTML part")
    name, address = parseaddr(str(message.get("From", "")))
    published = None
    if message.get("Date"):
        try:
            published = parsedate_to_datetime(str(message["Date"]))
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
        except (TypeError, ValueError):
            published = None
    subject = str(message.get("Subject", "")).strip() or None
    found = Hints(
        title=subject,
        author=None,
        published=published,
        url=None,
        source=name or address or hints.source,
        modified=hints.modified,
    )
    return [Document(found.source, origin, "email", text, found)]


def _body_text(message: EmailMessage) -> str | None:
    part = message.get_body(preferencelist=("html", "plain"))
    if part is None:
        return None
    try:
        content = part.get_content()
    except (LookupError, ValueError) as exc:  # an unknown charset or broken transfer encoding
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise SourceError(f"email body cannot be decoded: {exc}") from exc
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return None
    return html_to_text(content) if part.get_content_subtype() == "html" else content
