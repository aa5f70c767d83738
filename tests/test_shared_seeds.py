"""The real seed documents in ../shared/seeds give exactly what EXPECTED.json says.

Skipped when ../shared is not beside the checkout. Runs the same check as
`python3 ../shared/tools/check_seeds.py`, against a real `digest build` subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CHECK = SHARED / "tools" / "check_seeds.py"

pytestmark = pytest.mark.skipif(
    not CHECK.is_file(), reason="../shared/tools/check_seeds.py is not present"
)


def test_real_seed_documents_give_the_expected_stories_themes_and_no_boilerplate() -> None:
    result = subprocess.run(
        [sys.executable, str(CHECK)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seeds: all as expected" in result.stdout
