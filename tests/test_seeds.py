"""Every sample seed gives exactly the stories its hand-written expectation names.

The expectations in tests/golden/seeds/ were written with the seeds, by hand, from what a
careful editor would extract; they are not generated from the program's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from digest.blocks import plain_blocks
from digest.classify import classify
from digest.config import load_config
from digest.models import Cluster, Document
from digest.normalize import normalize
from digest.resources import sample_config

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "seeds"
CONFIG = load_config(sample_config())
EXPECTATIONS = sorted(GOLDEN.glob("*.expected.json"))


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def test_every_seed_has_an_expectation_and_the_seeds_cover_every_theme() -> None:
    seeds = sorted(path.stem for path in (ROOT / "seeds").glob("*.txt"))
    assert seeds == sorted(path.name.removesuffix(".expected.json") for path in EXPECTATIONS)
    assert len(seeds) >= 8
    themes = [
        story["theme"] for path in EXPECTATIONS for story in json.loads(path.read_text())["stories"]
    ]
    assert len(themes) >= 12
    assert {theme.name for theme in CONFIG.themes} | {"other"} <= set(themes)


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda path: path.name.split(".")[0])
def test_seed_gives_its_expected_stories(expectation: Path) -> None:
    spec = json.loads(expectation.read_text(encoding="utf-8"))
    seed = ROOT / "seeds" / expectation.name.replace(".expected.json", ".txt")
    result = normalize(
        Document(
            None, f"seeds/{seed.name}", "text", plain_blocks(seed.read_text(encoding="utf-8"))
        ),
        CONFIG.tz,
    )
    stories = list(result.stories)
    assert [plain(story.title) for story in stories] == [
        plain(want["title"]) for want in spec["stories"]
    ]
    for story, want in zip(stories, spec["stories"], strict=True):
        theme = classify(Cluster(story), CONFIG.themes, CONFIG.fallback).themes[0]
        assert theme in [want["theme"], *want.get("acceptable_themes", [])], story.title
        if want.get("author"):
            assert story.author == want["author"], story.title
        if want.get("published"):
            assert (
                story.published is not None
                and story.published.date().isoformat() == want["published"]
            )
        if want.get("source"):
            assert story.source == want["source"], story.title
    everything = "\n".join(f"{s.title}\n{s.summary}\n" + "\n".join(s.body) for s in stories)
    for phrase in spec["must_not_appear"]:
        assert phrase not in everything
    titles = {plain(story.title) for story in stories}
    for line in spec.get("must_not_be_a_story", []):
        assert plain(line) not in titles
