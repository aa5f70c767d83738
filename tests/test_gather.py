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


BODY = (
    "The operator said a cooling failure took two data halls offline for most of the night, "
    "and the outage hit checkout pages for several large retailers before service was restored."
)


def test_odd_file_names_are_shown_escaped_and_every_output_is_written(tmp_path: Path) -> None:
    import json
    import os

    from click.testing import CliRunner

    from digest.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff.txt")).write_text(f"Data Hall Outage\n\n{BODY}\n")
    (folder / "new\nline.txt").write_text(f"Another Data Hall Outage Story\n\n{BODY} Again.\n")
    (folder / "empty\rname.txt").write_bytes(b"")
    result = CliRunner().invoke(
        main,
        ["build", "--all", "--out", str(tmp_path / "out"), str(folder)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "empty\\rname.txt: empty file" in result.output and "\r" not in result.output
    document = json.loads((tmp_path / "out" / "digest.json").read_text(encoding="utf-8"))
    origins = {
        item["origin"].rsplit("/", 1)[1]
        for s in document["sections"]
        for st in s["stories"]
        for item in st["items"]
    }
    assert origins == {"bad\\xff.txt", "new\\nline.txt"}
    for name in ("digest.html", "digest.txt", "digest.md"):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(f"Secret Outage Report\n\n{BODY}\n")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "story.txt").write_text(f"Data Hall Outage\n\n{BODY}\n")
    (folder / "inside.txt").symlink_to(folder / "sub" / "story.txt")
    (folder / "leak.txt").symlink_to(outside)
    gathered = gather_path(str(folder), "in")
    assert sorted(d.origin for d in gathered.documents) == ["in/inside.txt", "in/sub/story.txt"]
    assert [(s.origin, s.reason) for s in gathered.skipped] == [
        ("in/leak.txt", "a symbolic link out of the source folder: not followed")
    ]


def test_a_deeply_nested_json_feed_is_a_skip_and_the_rest_is_read(tmp_path: Path) -> None:

    from digest.config import SourceConfig
    from digest.pipeline import gather, normalize_all

    deep = tmp_path / "deep.json"
    deep.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": '
        + "[" * 200_000
        + "]" * 200_000
        + "}"
    )
    (tmp_path / "good.txt").write_text(f"Data Hall Outage\n\n{BODY}\n")
    inputs, skipped = gather(
        (
            SourceConfig("feed", str(deep), "deep.json"),
            SourceConfig("path", str(tmp_path / "good.txt"), "good.txt"),
        )
    )
    found = normalize_all(inputs, "UTC", ())
    assert [story.origin for story in found.stories] == ["good.txt"]
    assert [(s.origin, s.reason) for s in skipped + found.skipped] == [
        ("deep.json", "unreadable feed: nested too deeply to read")
    ]


def test_workers_read_and_normalize_files_as_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are read in the build's worker processes: the same stories and skips, in the
    same order, as a serial build."""
    from digest import pipeline
    from digest.config import SourceConfig

    for number in range(6):
        (tmp_path / f"{number}.txt").write_text(f"Data Hall Outage {number}\n\n{BODY}\n")
    (tmp_path / "3.txt").write_bytes(b"")
    (tmp_path / "4.pdf").write_bytes(b"%PDF-1.4")
    inputs, _ = pipeline.gather((SourceConfig("path", str(tmp_path), "in"),))

    def run() -> tuple[list[str], list[tuple[str, str]]]:
        found = pipeline.normalize_all(inputs, "UTC", ())
        return [s.title for s in found.stories], [(s.origin, s.reason) for s in found.skipped]

    serial = run()
    monkeypatch.setattr(pipeline, "_PARALLEL_FROM", 2)
    assert run() == serial
    assert serial == (
        [f"Data Hall Outage {n}" for n in (0, 1, 2, 4, 5)],
        [("in/3.txt", "empty file"), ("in/4.pdf", "unsupported file type .pdf")],
    )


def test_an_install_error_keeps_its_hint_across_processes() -> None:
    import pickle

    from digest.errors import InstallError

    error = pickle.loads(pickle.dumps(InstallError("no mjml", hint="pip install .")))
    assert isinstance(error, InstallError)
    assert (error.message, error.hint) == ("no mjml", "pip install .")
