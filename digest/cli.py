"""Command line: parse options, load config, call one function, echo the result.

The only module that imports click. Heavy modules are imported inside the commands so that
`digest --help` stays quick.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from digest.config import Config, SourceConfig
    from digest.models import Digest

log = logging.getLogger("digest")

F = TypeVar("F", bound=Callable[..., Any])
FORMAT_CHOICES = ("html", "txt", "md", "json")
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")


def common_options(function: F) -> F:
    """--config and --verbose, shared by every command."""
    function = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="DIGEST_CONFIG",
        help="Configuration file (default: ./sources.yaml).",
    )(function)
    function = click.option(
        "-v", "--verbose", is_flag=True, help="Log progress and show tracebacks."
    )(function)
    return function


def window_options(function: F) -> F:
    """--since, --until and --all: the date window of an issue."""
    function = click.option(
        "--since", help="Start: a date (2026-11-14), or a duration back from now (7d, 2w, 24h)."
    )(function)
    function = click.option("--until", help="End: a date or duration (default: now).")(function)
    function = click.option(
        "--all", "everything", is_flag=True, help="No date window: every story."
    )(function)
    return function


def reports_errors(function: F) -> F:
    """Turn a DigestError into a clean message and exit code (1, or 2 for configuration)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from digest.errors import DigestError

        try:
            return function(*args, **kwargs)
        except DigestError as exc:
            if kwargs.get("verbose"):
                log.exception("failed")
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digest")
def main() -> None:
    """Turn saved articles and newsletters into a themed email digest.

    Example: digest build seeds/ --all --out out/
    """


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
    help="Output format; repeat for several (default: all).",
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

    With no INPUTS it reads the sources in sources.yaml. INPUTS (files or folders of saved
    articles) replace the configured sources for this run.

    Example: digest build ~/saved --since 7d --format html --format json --out out/
    """
    from digest.output import FORMATS, write_outputs
    from digest.pipeline import BuildRequest, build_digest
    from digest.render import render

    _configure_logging(verbose)
    config, note = _load(config_path, bool(inputs))
    if note:
        click.echo(note, err=True)
    sources = _input_sources(inputs) if inputs else None
    if sources is None and not config.sources:
        raise click.UsageError(
            f"no sources: add sources: to {config.path} or pass files and folders"
        )
    now = datetime.now(config.tz)
    period = _period(config, now, since, until, everything)
    digest = build_digest(BuildRequest(config, period, now, sources, title))
    rendered = render(digest, config.templates_dir)
    target = out_dir if out_dir is not None else config.output_dir
    written = write_outputs(rendered, target, formats or FORMATS)
    click.echo(summary(digest))
    click.echo("Wrote " + ", ".join(str(path) for path in written))
    if strict and (digest.skipped or digest.warnings):
        click.echo("Error: --strict: inputs were skipped or the config has warnings", err=True)
        sys.exit(1)


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _load(config_path: Path | None, have_inputs: bool) -> tuple[Config, str | None]:
    """The config to use, and a note when a fallback was taken."""
    from digest.config import find_config, load_config
    from digest.resources import sample_config

    if config_path is not None:
        if not config_path.is_file():
            raise click.BadParameter(f"{config_path} does not exist", param_hint="--config")
        return load_config(config_path), None
    found = find_config(Path.cwd())
    if found is not None:
        return load_config(found), None
    if have_inputs:
        return load_config(None), None
    sample = sample_config()
    config = load_config(sample)
    # The bundled sample writes into the current folder, never into the installed package.
    from dataclasses import replace

    config = replace(config, output_dir=Path.cwd() / "out")
    return config, f"No sources.yaml here: building the bundled sample digest ({sample})."


def _input_sources(inputs: tuple[str, ...]) -> tuple[SourceConfig, ...]:
    from digest.config import SourceConfig

    sources = []
    for value in inputs:
        is_feed = value.startswith(("http://", "https://")) or value.lower().endswith(
            _FEED_SUFFIXES
        )
        location = (
            value
            if value.startswith(("http://", "https://"))
            else str(Path(value).expanduser().resolve())
        )
        sources.append(
            SourceConfig(kind="feed" if is_feed else "path", location=location, label=value)
        )
    return tuple(sources)


def _period(
    config: Config, now: datetime, since: str | None, until: str | None, everything: bool
) -> Any:
    from digest.window import resolve_period

    if everything and (since or until):
        raise click.UsageError("--all cannot be combined with --since or --until")
    try:
        return resolve_period(now, config.tz, config.window, since, until, everything)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from exc


def summary(digest: Digest) -> str:
    """A few lines: what was built, stories per theme, what was skipped and why."""
    from digest.render import period_label

    entries = digest.entries
    lines = [
        f'Built "{digest.title}" ({period_label(digest.period)}): '
        f"{len(entries)} {'story' if len(entries) == 1 else 'stories'} in {len(digest.sections)} sections"
    ]
    width = max((len(section.theme.title) for section in digest.sections), default=0)
    for section in digest.sections:
        hidden = len(section.entries) - len(section.shown)
        extra = f" ({hidden} more in the JSON only)" if hidden else ""
        lines.append(f"  {section.theme.title:<{width}}  {len(section.entries)}{extra}")
    if not entries:
        lines.append("  No stories in this window: try --all or a wider --since.")
    if digest.skipped:
        lines.append(
            f"Skipped {len(digest.skipped)} {'input' if len(digest.skipped) == 1 else 'inputs'}:"
        )
        lines.extend(f"  {skip.origin}: {skip.reason}" for skip in digest.skipped)
    lines.extend(f"Warning: {warning}" for warning in digest.warnings)
    return "\n".join(lines)
