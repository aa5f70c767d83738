"""Smoke build from a plain (non-editable) install: one input of every kind gives its stories
and nothing is skipped.

Usage: python .ci/smoke.py PATH/TO/venv/bin/digest
Run from a folder outside the checkout, so that only the installed package is imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = {
    "text": ROOT / "seeds" / "01-amd-mi450-orders.txt",
    "markdown": ROOT / "tests" / "fixtures" / "inputs" / "tidal-turbines.md",
    "web page": ROOT / "tests" / "fixtures" / "inputs" / "ferry-page.html",
    "email with an HTML part": ROOT / "tests" / "fixtures" / "inputs" / "quay-letter.eml",
    "RSS": ROOT / "tests" / "fixtures" / "feeds" / "harbour.rss",
    "Atom": ROOT / "tests" / "fixtures" / "feeds" / "depot.atom",
    "JSON Feed": ROOT / "tests" / "fixtures" / "feeds" / "lab-notes.json",
}


def main(digest: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        where = subprocess.run(
            [str(Path(digest).with_name("python")), "-c", "import digest; print(digest.__file__)"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if where.startswith(str(ROOT)):
            print(f"smoke: digest is imported from the checkout ({where}), not the install")
            return 1
        paths = [str(path) for path in INPUTS.values()]
        result = subprocess.run(
            [digest, "build", "--all", "--format", "json", "--out", "out", *paths],
            cwd=folder,
            capture_output=True,
            text=True,
        )
        print(result.stdout, result.stderr, sep="", end="")
        if result.returncode != 0:
            print(f"smoke: digest build exited {result.returncode}")
            return 1
        document = json.loads((Path(folder) / "out" / "digest.json").read_text("utf-8"))
    origins = [
        item["origin"]
        for section in document["sections"]
        for story in section["stories"]
        for item in story["items"]
    ]
    failures = [f"skipped {skip['origin']}: {skip['reason']}" for skip in document["skipped"]]
    for kind, path in INPUTS.items():
        count = sum(1 for origin in origins if origin.split("#")[0] == str(path))
        print(f"smoke: {kind:<24} {count} items  ({path.name})")
        if count == 0:
            failures.append(f"no story from the {kind} input {path}")
    for failure in failures:
        print(f"smoke: FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
