"""The email in a real browser (Debian's Chromium via Playwright): no sideways scrolling at
375 px, every story title visible, a dark background in dark mode. Screenshots at 375 and
600 px in light and dark mode are written to test-artifacts/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import load_config
from digest.pipeline import BuildRequest, build_digest
from digest.render import render
from digest.resources import sample_config
from digest.window import resolve_period
from tests.conftest import FIXED_NOW

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def email_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = load_config(sample_config())
    period = resolve_period(FIXED_NOW, config.tz, config.window)
    digest = build_digest(BuildRequest(config, period, FIXED_NOW))
    path = tmp_path_factory.mktemp("email") / "email.html"
    path.write_text(render(digest).html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 600])
def test_email_renders_at_phone_and_desktop_width(
    browser, email_file: Path, width: int, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(email_file.as_uri())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"email-{width}-{scheme}.png"), full_page=True)
    if width == 375:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"scrolls sideways by {overflow}px"
    titles = page.locator("h3")
    assert titles.count() > 0
    for index in range(titles.count()):
        title = titles.nth(index)
        assert title.is_visible()
        box = title.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    if scheme == "dark":
        color = page.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(v) for v in re.findall(r"\d+", color)[:3])
        assert (0.2126 * red + 0.7152 * green + 0.0722 * blue) < 60, color
    page.close()
