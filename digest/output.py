"""Writing the rendered digest to the output folder, each file atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from digest.errors import DigestError
from digest.models import Rendered

FORMATS = ("html", "txt", "md", "json")
FILE_NAMES = {"html": "digest.html", "txt": "digest.txt", "md": "digest.md", "json": "digest.json"}


def write_outputs(rendered: Rendered, out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    """Write each requested format; a reader never sees a half-written file."""
    contents: dict[str, str | tuple[str, ...]] = {
        "html": rendered.html,
        "txt": rendered.text,
        "md": rendered.markdown,
        "json": rendered.json_parts,
    }
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DigestError(
            f"cannot create output folder {out_dir}: {exc.strerror}", hint="pass --out DIR"
        ) from exc
    written = []
    for name in formats:
        target = out_dir / FILE_NAMES[name]
        write_atomic(target, contents[name])
        written.append(target)
    return written


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(target: Path, text: str | Iterable[str]) -> None:
    """Write to a temporary file beside the target, then rename it into place. `text` may
    come in pieces, written one after another (a large JSON is never joined in memory)."""
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.writelines([text] if isinstance(text, str) else text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise DigestError(f"cannot write {target}: {exc.strerror}") from exc
