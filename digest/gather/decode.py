"""Bytes -> text: UTF-8 first, then a charset detector; the one owner of charset-normalizer."""

from __future__ import annotations

import codecs

from digest.errors import SourceError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Detectors often name a Latin-1 family for text that is really Windows-1252; 1252 is a
# superset that maps 0x80-0x9F to curly quotes and dashes instead of C1 control characters.
_PREFER_1252 = {"latin_1", "iso8859_1", "iso8859_15", "ascii", "cp1250", "cp1252"}


def decode(data: bytes) -> str:
    """Decode file bytes to text; raise SourceError for binary or undecodable bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 files need it

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise SourceError("undecodable bytes: not UTF-8 and no text encoding fits")
    encoding = best.encoding
    if encoding in _PREFER_1252:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    return data.decode(encoding, errors="replace")
