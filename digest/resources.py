"""Where the bundled templates, sample config and sample seeds live.

In a checkout they are the top-level `templates/`, `sources.yaml` and `seeds/`; an installed
wheel carries copies inside the package (see pyproject.toml's force-include).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def templates_dir() -> Path:
    """The project's own templates folder."""
    installed = PACKAGE_DIR / "templates"
    return installed if installed.is_dir() else CHECKOUT_DIR / "templates"


def sample_config() -> Path:
    """The bundled default sources.yaml (its themes are the default themes)."""
    installed = PACKAGE_DIR / "sample" / "sources.yaml"
    return installed if installed.is_file() else CHECKOUT_DIR / "sources.yaml"
