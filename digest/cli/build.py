"""`digest build`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from digest.cli import (
    FORMAT_CHOICES,
    _check_inputs,
    _configure_logging,
    _current_digest,
    _load,
    _write_eml,
    common_options,
    main,
    reports_errors,
    summary,
    window_options,
)


@main.command()
@click.argument("inputs", nargs=-1)
@common_options
@window_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/ beside the config).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMAT_CHOICES),
    help="Output format; repeat for several (default: html, txt, md and json).",
)
@click.option("--title", help="Digest title (default: the config's title).")
@click.option(
    "--strict", is_flag=True, help="Exit 1 when any input was skipped or the config has warnings."
)
@reports_errors
def build(
    inputs: tuple[str, ...],
    config_path: Path | None,
    verbose: bool,
    since: str | None,
    until: str | None,
    everything: bool,
    out_dir: Path | None,
    formats: tuple[str, ...],
    title: str | None,
    strict: bool,
) -> None:
    """Build the digest: gather, clean, group by theme, write HTML, text, Markdown and JSON.

    With no INPUTS it reads the sources in sources.yaml. INPUTS replace the configured
    sources for this run: files or folders of saved articles (.txt, .md, .html, .eml), feed
    files (.xml, .rss, .atom, .rdf, .json) and feed URLs (http:// or https://).

    Example: digest build ~/saved --since 7d --format html --format json --out out/
    """
    from digest.archive import issue_url
    from digest.output import FORMATS, write_outputs
    from digest.render import render

    _configure_logging(verbose)
    _check_inputs(inputs)
    config, note = _load(config_path, bool(inputs))
    if note:
        click.echo(note, err=True)
    if not inputs and not config.sources:
        raise click.UsageError(
            f"no sources: add sources: to {config.path} or pass files and folders"
        )
    digest, now = _current_digest(config, inputs, since, until, everything, title)
    rendered = render(digest, config.templates_dir, issue_url(config, digest))
    target = out_dir if out_dir is not None else config.output_dir
    written = write_outputs(rendered, target, tuple(f for f in formats or FORMATS if f != "eml"))
    if "eml" in formats:
        written.append(_write_eml(config, digest, rendered, target, now))
    click.echo(summary(digest))
    click.echo("Wrote " + ", ".join(str(path) for path in written))
    if strict and (digest.skipped or digest.warnings):
        click.echo("Error: --strict: inputs were skipped or the config has warnings", err=True)
        sys.exit(1)
