"""Reading files: encodings, binary and empty files, missing paths, the registry by suffix."""

from pathlib import Path

import pytest

from digest.errors import SourceError
from digest.gather.decode import decode
from digest.gather.files import gather_path


def test_utf8_bom_and_windows_1252_decode_cleanly() -> None:
    assert decode("caf\u00e9".encode("utf-8-sig")) == "caf\u00e9"
    text = decode("\u201cQuoted\u201d \u2014 it\u2019s done\u2026 caf\u00e9".encode("cp1252"))
    assert text == "\u201cQuoted\u201d \u2014 it\u2019s done\u2026 caf\u00e9"
    assert "\ufffd" not in text and not any(0x80 <= ord(c) <= 0x9F for c in text)


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(SourceError, match="binary"):
        decode(b"\x89PNG\x00\x00\x00\rIHDR")


def test_a_folder_gives_documents_in_name_order_and_skips_bad_files_with_reasons(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.txt").write_text("Second article text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article text.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    gathered = gather_path(str(tmp_path), "saved/")
    assert [doc.origin for doc in gathered.documents] == ["saved/a.txt", "saved/b.txt"]
    reasons = {skip.origin: skip.reason for skip in gathered.skipped}
    assert reasons == {
        "saved/empty.txt": "empty file",
        "saved/image.txt": "binary file (contains NUL bytes), not text",
        "saved/photo.jpg": "unsupported file type .jpg",
    }
    assert gathered.documents[0].hints.modified is not None


def test_a_missing_path_is_skipped_with_a_reason(tmp_path: Path) -> None:
    gathered = gather_path(str(tmp_path / "nope"), "nope")
    assert gathered.documents == () and gathered.skipped[0].reason == "no such file or folder"


def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    gathered = gather_path(str(tmp_path), "in")
    assert gathered.documents == ()
    assert gathered.skipped[0].origin == "in/dangling.txt"
    assert gathered.skipped[0].reason.startswith("cannot read")


def test_a_50_mb_file_is_skipped_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as stream:  # sparse: 50 MB on paper, nothing to read into memory
        stream.truncate(50 * 1024 * 1024)
    gathered = gather_path(str(tmp_path), "in")
    assert gathered.documents == ()
    assert gathered.skipped[0].reason.startswith("file too large (50 MB")
