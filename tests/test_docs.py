"""The README documents every command and every option, and its quick-start commands are the
ones CI runs."""

from pathlib import Path

import click

from digest.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in main.commands.items():
        assert f"digest {name}" in README, name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_ci_runs_the_readme_test_command() -> None:
    command = 'python3 -m pip install -e ".[test]" && python3 -m pytest'
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_json_contract_lists_every_story_field() -> None:
    for field in (
        "schema_version",
        "period",
        "generated_at",
        "sections",
        "skipped",
        "warnings",
        "summary",
        "published",
        "themes",
        "reasons",
        "shown",
        "items",
        "origin",
    ):
        assert f'"{field}"' in README, field
