"""`digest explain`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from digest.cli import (
    _check_inputs,
    _configure_logging,
    _current_digest,
    _load,
    common_options,
    main,
    reports_errors,
    window_options,
)


@main.command()
@click.argument("query")
@click.argument("inputs", nargs=-1)
@common_options
@window_options
@reports_errors
def explain(
    query: str,
    inputs: tuple[str, ...],
    config_path: Path | None,
    verbose: bool,
    since: str | None,
    until: str | None,
    everything: bool,
) -> None:
    """Why the story whose title or origin holds QUERY got its section, which items were
    merged into it, and the nearest stories that were not.

    It builds the issue as `digest build` would (same sources, window and INPUTS) and
    writes nothing.

    Example: digest explain "outage" --all
    """
    from digest.explain import explain as explain_story

    _configure_logging(verbose)
    _check_inputs(inputs)
    config, note = _load(config_path, bool(inputs))
    if note:
        click.echo(note, err=True)
    digest, _ = _current_digest(config, inputs, since, until, everything, None)
    text = explain_story(digest, config.themes, query)
    if text is None:
        click.echo(f"Error: no story's title or origin holds {query!r}", err=True)
        sys.exit(1)
    click.echo(text)
