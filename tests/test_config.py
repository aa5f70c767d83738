import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import ConfigError
from digest.resources import sample_config


def test_the_shipped_sources_yaml_is_valid_and_has_the_default_themes() -> None:
    config = load_config(sample_config())
    assert [theme.name for theme in config.themes] == [
        "competition",
        "outages",
        "governance",
        "launches",
        "money",
    ]
    assert config.window == timedelta(days=7)
    assert config.sources[0].take_all and config.sources[0].location.endswith("seeds")
    assert config.fallback.name == "other"


def test_paths_are_relative_to_the_config_file(
    write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    config = load_config(
        write_config("sources:\n  - path: articles/\n    name: Saved\noutput: build\n")
    )
    assert config.sources[0].location == str(tmp_path / "articles")
    assert config.sources[0].label == "articles/" and config.sources[0].name == "Saved"
    assert config.output_dir == tmp_path / "build"


def test_every_problem_is_reported_at_once_with_file_line_and_key(
    write_config: Callable[[str], Path],
) -> None:
    path = write_config(
        "title: Weekly\n"
        "window: fortnight\n"
        "timezone: Mars/Olympus\n"
        "sources:\n"
        "  - path: a/\n"
        "  - feed: ftp://example.com/feed\n"
        "limits: {stories_per_theme: 0}\n"
        "themes:\n"
        "  money:\n"
        "    keywords: []\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    assert (
        "sources.yaml:2: window: expected a duration like 7d, 2w, 24h or 'all', got 'fortnight'"
        in problems
    )
    assert any(p.startswith("sources.yaml:3: timezone:") for p in problems)
    assert any(p.startswith("sources.yaml:6: sources[1].feed:") for p in problems)
    assert any(p.startswith("sources.yaml:7: limits.stories_per_theme:") for p in problems)
    assert any(p.startswith("sources.yaml:10: themes.money.keywords:") for p in problems)
    assert caught.value.exit_code == 2


def test_broken_yaml_names_the_line(write_config: Callable[[str], Path]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config("title: x\nsources: [a, b\n"))
    assert caught.value.problems[0].startswith("sources.yaml:3:")


def test_unknown_keys_are_warnings_not_errors(
    write_config: Callable[[str], Path], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        config = load_config(
            write_config("title: x\ncolour: blue\nsources:\n  - path: a\n    depth: 2\n")
        )
    assert "sources.yaml:2: colour: unknown key, ignored" in config.warnings
    assert "sources.yaml:5: sources[0].depth: unknown key, ignored" in config.warnings
    assert "colour" in caplog.text


def test_themes_can_be_added_renamed_and_dropped(write_config: Callable[[str], Path]) -> None:
    config = load_config(
        write_config(
            "themes:\n  chips:\n    title: Silicon\n    keywords: [wafer, foundry]\nfallback:\n  title: Misc\n"
        )
    )
    assert [(theme.name, theme.title) for theme in config.all_themes] == [
        ("chips", "Silicon"),
        ("other", "Misc"),
    ]


def test_without_a_themes_key_the_default_themes_apply(write_config: Callable[[str], Path]) -> None:
    assert len(load_config(write_config("title: Just a title\n")).themes) == 5


def test_date_order_decides_ambiguous_numeric_dates(write_config: Callable[[str], Path]) -> None:
    assert load_config(write_config("date_order: day-first\n")).dayfirst is True
    assert load_config(write_config("title: x\n")).dayfirst is False
    with pytest.raises(ConfigError, match="date_order: expected month-first or day-first"):
        load_config(write_config("date_order: sideways\n"))


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8)
)


def test_yaml_aliases_are_refused_with_their_line(write_config: Callable[[str], Path]) -> None:
    with pytest.raises(ConfigError, match=r"sources.yaml:3: not valid YAML: aliases"):
        load_config(write_config("title: x\n" + ALIAS_BOMB))


def test_an_alias_bomb_in_front_matter_costs_the_header_not_the_article(tmp_path: Path) -> None:
    from digest.gather.markdown import read_markdown
    from digest.models import Hints

    text = "---\ntitle: Bomb\n" + ALIAS_BOMB + "---\n\n# Data Hall Outage\n\nThe operator said.\n"
    documents = read_markdown(text.encode(), "bomb.md", Hints())
    assert len(documents) == 1 and "The operator said." in documents[0].text
