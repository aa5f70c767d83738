"""Files and folders -> Documents, through a registry of readers chosen by suffix."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digest.errors import InstallError, SourceError
from digest.gather.decode import decode
from digest.gather.eml import looks_like_email, read_email
from digest.gather.feeds import looks_like_feed, read_feed
from digest.gather.html import read_html
from digest.gather.markdown import read_markdown
from digest.gather.plaintext import text_blocks
from digest.models import Document, Hints, Skipped

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024

Reader = Callable[[bytes, str, Hints], list[Document]]


def read_text(data: bytes, origin: str, hints: Hints) -> list[Document]:
    """A plain-text article or newsletter, as saved from a browser or a mail client."""
    return [Document(hints.source, origin, "text", text_blocks(decode(data)), hints)]


def read_feed_file(data: bytes, origin: str, hints: Hints) -> list[Document]:
    """An RSS, Atom or JSON Feed file: one document per entry."""
    fetched = hints.modified or datetime.now(UTC)
    return list(read_feed(data, origin, hints.source, fetched).documents)


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".eml": read_email,
    ".xml": read_feed_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".rdf": read_feed_file,
    ".json": read_feed_file,
}


def sniff(data: bytes) -> Reader | None:
    """The reader a file's content calls for, whatever its name says; None when unsure."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if looks_like_feed(data):
        return read_feed_file
    if looks_like_email(data):  # before HTML: a message's HTML part may start in its first 2 KB
        return read_email
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return read_html
    if head.startswith((b"---\n", b"---\r\n")):
        return read_markdown
    return None


@dataclass(frozen=True, slots=True)
class Gathered:
    """What one source gave: documents to normalize and inputs skipped with a reason."""

    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]


def gather_path(location: str, label: str, source: str | None = None) -> Gathered:
    """Read a file, or every supported file under a folder, in name order."""
    paths, skipped = list_path(location, label)
    documents: list[Document] = []
    for path, origin in paths:
        gathered = read_input(path, origin, source)
        documents.extend(gathered.documents)
        skipped.extend(gathered.skipped)
    return Gathered(tuple(documents), tuple(skipped))


def list_path(location: str, label: str) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """The files to read under a source's location, each with its origin, in name order,
    and what cannot be read at all; listing is cheap, so the build can hand the reading
    to its workers."""
    root = Path(location)
    if not root.exists():
        return [], [Skipped(printable(label), "no such file or folder")]
    paths: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []
    for path, origin, problem in _walk(root, label):
        if problem:
            skipped.append(Skipped(origin, problem))
        else:
            paths.append((path, origin))
    if root.is_dir() and not paths and not skipped:
        skipped.append(Skipped(printable(label), "folder has no files"))
    return paths, skipped


def read_input(path: Path, origin: str, source: str | None = None) -> Gathered:
    """One file's documents, or the reason it gives none; an InstallError stops the run."""
    try:
        return Gathered(tuple(read_file(path, origin, source)), ())
    except SourceError as exc:
        log.info("skipped %s: %s", origin, exc.message)
        return Gathered((), (Skipped(origin, exc.message),))


def gather_url(
    url: str, label: str, source: str | None = None, deadline: float | None = None
) -> Gathered:
    """Fetch a feed over HTTP(S) and read its entries; a failure is one skipped input."""
    from digest.gather.fetch import fetch

    try:
        data = fetch(url, deadline)
        fetched = datetime.now(UTC)
        return Gathered(tuple(read_feed(data, label, source, fetched).documents), ())
    except SourceError as exc:
        log.info("skipped %s: %s", label, exc.message)
        return Gathered((), (Skipped(label, exc.message),))
    except Exception as exc:  # a parser's failure on hostile bytes is this feed's problem only
        log.debug("feed %s failed", label, exc_info=True)
        return Gathered((), (Skipped(label, f"unreadable feed: {_describe(exc)}"),))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return f"{type(exc).__name__}: {exc}"


def read_file(path: Path, origin: str, source: str | None = None) -> list[Document]:
    """Read one file with the reader its content or suffix calls for; SourceError says why
    it cannot be used."""
    try:
        stat = path.stat()
        if stat.st_size > MAX_BYTES:
            raise SourceError(
                f"file too large ({stat.st_size // 1_048_576} MB; the limit is 20 MB)"
            )
        if stat.st_size == 0:
            raise SourceError("empty file")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
    # Content beats the name (a feed saved as .txt, a page saved without a suffix), except
    # that a feed file is read as a feed, so a broken one is reported as a broken feed.
    suffix = path.suffix.lower()
    reader = READERS[suffix] if suffix in _FEED_SUFFIXES else sniff(data) or READERS.get(suffix)
    if reader is None:
        if path.suffix.lower() in _TEXT_LIKE and _looks_like_text(data):
            reader = read_text
        else:
            raise SourceError(f"unsupported file type {path.suffix or '(no suffix)'}")
    try:
        return reader(data, origin, Hints(source=source, modified=modified))
    except SourceError:
        raise
    except ImportError as exc:
        kind = reader.__name__.removeprefix("read_").removesuffix("_file")
        raise InstallError(
            f"digest is not fully installed: the {kind} reader cannot import what it needs"
            f" ({type(exc).__name__}: {exc})",
            hint="reinstall digest so that pip installs its dependencies: pip install .",
        ) from exc
    except Exception as exc:
        # Parsers of HTML, mail and XML raise many kinds of errors on hostile input; whatever
        # the kind, the file is skipped with the parser's own words and the run goes on.
        raise SourceError(
            f"unreadable {reader.__name__.removeprefix('read_').removesuffix('_file')}: {_describe(exc)}"
        ) from exc


_TEXT_LIKE = {"", ".log", ".asc"}
_FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".json"}


def _looks_like_text(data: bytes) -> bool:
    """No suffix we know, but readable text (no NUL bytes, mostly printable)."""
    sample = data[:4096]
    if b"\x00" in sample or not sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
            return False
    printable = sum(1 for byte in sample if byte >= 32 or byte in (9, 10, 13))
    return printable >= 0.95 * len(sample)


def _walk(root: Path, label: str) -> Iterator[tuple[Path, str, str | None]]:
    """Files under root (or root itself), each with its origin as reached from the label, and
    why it must not be read (None when it may).

    A symbolic link that leads out of the source folder is not followed (a saved-articles
    folder is no reason to read /etc/passwd); links within it are.
    """
    label = printable(label)
    if root.is_file():
        yield root, label, None
        return
    inside = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            origin = f"{label.rstrip('/')}/{printable(path.relative_to(root).as_posix())}"
            problem = None
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                problem = "a symbolic link out of the source folder: not followed"
            yield path, origin, problem


def printable(name: str) -> str:
    """A file name as it can be shown and written anywhere: bytes that are not UTF-8 as \\xff,
    control characters (a newline in a name) as escapes."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
