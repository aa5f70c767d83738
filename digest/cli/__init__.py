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
FORMAT_CHOICES = ("html", "txt", "md", "json", "eml")
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


def _write_eml(config: Config, digest: Digest, rendered: Any, target: Path, now: datetime) -> Path:
    """The message `send` would send, as digest.eml; reads the state but never changes it."""
    from digest.delivery import email_config
    from digest.mailer import build_message, subject_line
    from digest.output import write_atomic
    from digest.render import period_label
    from digest.store import Store

    email = email_config(config)
    number = 1
    if config.state_path.exists():
        with Store.open(config.state_path) as store:
            number = store.next_number()
    subject = subject_line(email.subject, digest.title, number, now, period_label(digest.period))
    message = build_message(rendered, email, subject, list(email.to), now)
    path = target / "digest.eml"
    write_atomic(path, message.as_string())
    return path


def _configure_logging(verbose: bool, log_file: Path | None = None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO if verbose or log_file else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
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


def _check_inputs(inputs: tuple[str, ...]) -> None:
    """A path named on the command line that is not there is a typo, not a source to skip:
    refuse it (exit 2) before anything is built or any output overwritten."""
    for value in inputs:
        if value.startswith(("http://", "https://")):
            continue
        if not Path(value).expanduser().exists():
            raise click.BadParameter(
                f"{click.format_filename(value)!r}: no such file or folder", param_hint="INPUTS"
            )


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


def _current_digest(
    config: Config,
    inputs: tuple[str, ...],
    since: str | None,
    until: str | None,
    everything: bool,
    title: str | None = None,
) -> tuple[Digest, datetime]:
    """The digest of INPUTS (or the configured sources) for the window, and when it was built."""
    from digest.pipeline import BuildRequest, build_digest

    sources = _input_sources(inputs) if inputs else None
    now = datetime.now(config.tz)
    period = _period(config, now, since, until, everything)
    return build_digest(BuildRequest(config, period, now, sources, title)), now


def _finish(result: Any, dry_run: bool) -> None:
    """Echo a send or run result; exit 1 when a recipient did not get the issue."""
    click.echo(result.message)
    for note in result.notes:
        click.echo(note)
    if result.outcomes and not result.sent and not dry_run:
        sys.exit(1)


def summary(digest: Digest) -> str:
    """A few lines: what was built, stories per theme, what was skipped and why."""
    from digest.render import period_label

    entries = digest.entries
    lines = [
        f'Built "{digest.title}" ({period_label(digest.period)}): '
        f"{len(entries)} {'story' if len(entries) == 1 else 'stories'} in {len(digest.sections)}"
        f" {'section' if len(digest.sections) == 1 else 'sections'}"
    ]
    width = max((len(section.theme.title) for section in digest.sections), default=0)
    for section in digest.sections:
        hidden = len(section.entries) - len(section.shown)
        extra = f" ({hidden} more in the JSON only)" if hidden else ""
        lines.append(f"  {section.theme.title:<{width}}  {len(section.entries)}{extra}")
    if not entries and digest.period.start is None:
        lines.append("  No stories in the inputs.")
    elif not entries:
        lines.append("  No stories in this window: try --all or a wider --since.")
    lines.extend(problems(digest))
    return "\n".join(lines)


def problems(digest: Digest) -> list[str]:
    """What every command that builds says once: the inputs skipped and why, and warnings."""
    lines = []
    if digest.skipped:
        lines.append(
            f"Skipped {len(digest.skipped)} {'input' if len(digest.skipped) == 1 else 'inputs'}:"
        )
        lines.extend(f"  {skip.origin}: {skip.reason}" for skip in digest.skipped)
    lines.extend(f"Warning: {warning}" for warning in digest.warnings)
    return lines


def _send_request(
    config_path: Path | None, since: str | None, until: str | None, everything: bool, **kwargs: Any
) -> Any:
    from digest.delivery import SendRequest

    config, _ = _load_required(config_path)
    if everything and (since or until):
        raise click.UsageError("--all cannot be combined with --since or --until")
    now = datetime.now(config.tz)
    return SendRequest(config, now, since, until, everything, **kwargs)


def _load_required(config_path: Path | None) -> tuple[Config, None]:
    """send, run and schedule never fall back to the bundled sample: they need a real config."""
    from digest.config import find_config, load_config

    if config_path is not None:
        if not config_path.is_file():
            raise click.BadParameter(f"{config_path} does not exist", param_hint="--config")
        return load_config(config_path), None
    found = find_config(Path.cwd())
    if found is None:
        raise click.UsageError("no sources.yaml here: pass --config PATH")
    return load_config(found), None


# The commands live in modules of their own; importing them registers them on `main`.
from digest.cli import build, explain, mail, site  # noqa: E402, F401

__all__ = ["main"]
