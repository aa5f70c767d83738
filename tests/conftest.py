"""Shared fixtures: story factory, a config on tmp_path, paths to the corpora."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from digest.models import Story

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXED_NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


@pytest.fixture
def make_story() -> Callable[..., Story]:
    """Build a Story with sensible defaults; override any field by keyword."""

    def factory(**overrides: Any) -> Story:
        fields: dict[str, Any] = {
            "key": "k1",
            "origin": "seeds/a.txt",
            "title": "A story",
            "summary": "Something happened.",
            "body": ("Something happened, and it mattered to the people involved.",),
        }
        fields.update(overrides)
        return Story(**fields)

    return factory


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write a sources.yaml into tmp_path and return its path."""

    def writer(text: str) -> Path:
        path = tmp_path / "sources.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return writer
