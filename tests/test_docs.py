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


QUICK_START = (
    "python3 -m venv --without-pip .venv && python3 -m pip --python .venv/bin/python install pip ."
    " && .venv/bin/digest build"
)
TEST_COMMAND = (
    "python3 -m venv --without-pip .venv && python3 -m pip --python .venv/bin/python install pip"
    ' -e ".[test]" && .venv/bin/python -m pytest'
)


def test_the_readme_gives_the_two_commands_each_on_one_line() -> None:
    blocks = [block.split("```")[0].strip() for block in README.split("```sh\n")[1:3]]
    assert blocks == [QUICK_START, TEST_COMMAND]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci.splitlines()


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
        "text",
    ):
        assert f'"{field}"' in README, field
