"""Files and folders -> Documents, through a registry of readers chosen by suffix."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digest.errors import SourceError
from digest.gather.decode import decode
from digest.models import Document, Hints, Skipped

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024

Reader = Callable[[bytes, str, Hints], Document]


def read_text(data: bytes, origin: str, hints: Hints) -> Document:
    """A plain-text article or newsletter, as saved from a browser or a mail client."""
    return Document(
        source=hints.source, origin=origin, format="text", text=decode(data), hints=hints
    )


READERS: dict[str, Reader] = {".txt": read_text, ".text": read_text}


@dataclass(frozen=True, slots=True)
class Gathered:
    """What one source gave: documents to normalize and inputs skipped with a reason."""

    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]


def gather_path(location: str, label: str, source: str | None = None) -> Gathered:
    """Read a file, or every supported file under a folder, in name order."""
    root = Path(location)
    if not root.exists():
        return Gathered((), (Skipped(label, "no such file or folder"),))
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for path, origin in _walk(root, label):
        try:
            documents.append(read_file(path, origin, source))
        except SourceError as exc:
            log.warning("skipped %s: %s", origin, exc.message)
            skipped.append(Skipped(origin, exc.message))
    if root.is_dir() and not documents and not skipped:
        skipped.append(Skipped(label, "folder has no files"))
    return Gathered(tuple(documents), tuple(skipped))


def read_file(path: Path, origin: str, source: str | None = None) -> Document:
    """Read one file with the reader for its suffix; SourceError says why it cannot be used."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(f"unsupported file type {path.suffix or '(no suffix)'}")
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
    return reader(data, origin, Hints(source=source, modified=modified))


def _walk(root: Path, label: str) -> Iterator[tuple[Path, str]]:
    """Files under root (or root itself), each with its origin as reached from the label."""
    if root.is_file():
        yield root, label
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            yield path, f"{label.rstrip('/')}/{relative}"
