"""Newsletter emails (.eml) -> Document, with the standard library's email package.

Subjects in RFC 2047 encoded words, quoted-printable and base64 parts are decoded by the
email package. Of a multipart/alternative message one part is read, never both (the HTML one,
which keeps headings and paragraphs; the plain one when there is no HTML), so its stories
come once. The sender is the source and the Date header the date.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime

from digest.blocks import plain_blocks
from digest.errors import SourceError
from digest.gather.markup import html_blocks
from digest.models import Block, Document, Hints

# A header field (RFC 5322: a name of printable characters but the colon, then a colon) or a
# folded continuation of one.
_HEADER_LINE = re.compile(rb"[!-9;-~]+:.*|[ \t]+\S.*")
_MAIL_FIELDS = {b"from", b"date", b"subject", b"message-id", b"mime-version", b"received"}


def looks_like_email(data: bytes) -> bool:
    """Sniff by structure: the file opens with a block of header fields (an mbox `From `
    line may come first) ended by a blank line, and among them the fields every message has."""
    text = data[:65536].replace(b"\r\n", b"\n").lstrip(b"\xef\xbb\xbf\n")
    head, blank, _ = text.partition(b"\n\n")
    lines = head.split(b"\n")
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    if not blank or len(lines) < 2 or not all(_HEADER_LINE.fullmatch(line) for line in lines):
        return False
    names = {line.split(b":", 1)[0].lower() for line in lines if not line[:1].isspace()}
    return len(names & _MAIL_FIELDS) >= 2


def read_email(data: bytes, origin: str, hints: Hints) -> list[Document]:
    """One newsletter email."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise SourceError("not an email: no headers found")
    blocks = _body_blocks(message)
    if blocks is None:
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
    return [Document(found.source, origin, "email", blocks, found)]


def _body_blocks(message: EmailMessage) -> tuple[Block, ...] | None:
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
    if part.get_content_subtype() == "html":
        return html_blocks(content)
    return plain_blocks(content)
