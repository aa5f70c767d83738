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
    from digest.archive import issue_url

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


@main.command(name="send")
@common_options
@click.option(
    "--since",
    help="Start of the window: a date, a duration (7d) or 'last' (since the last sent issue).",
)
@click.option("--until", help="End of the window (default: now).")
@click.option("--all", "everything", is_flag=True, help="No date window.")
@click.option(
    "--to", "to", metavar="ADDRESS", help="Send a test copy to this address only; records nothing."
)
@click.option(
    "--dry-run", is_flag=True, help="Write the .eml and say what would be sent; send nothing."
)
@click.option("--force", is_flag=True, help="Send even stories and issues that were sent before.")
@reports_errors
def send_command(
    config_path: Path | None,
    verbose: bool,
    since: str | None,
    until: str | None,
    everything: bool,
    to: str | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Build the current issue and email it to the configured recipients.

    An issue is sent once: stories that went out in an earlier issue are left out, and a
    second send with nothing new sends nothing. A failed send records nothing as sent.

    Example: digest send --dry-run
    """
    from digest.delivery import send_issue

    _configure_logging(verbose)
    result = send_issue(
        _send_request(config_path, since, until, everything, to=to, dry_run=dry_run, force=force)
    )
    click.echo(result.message)
    if result.outcomes and not result.sent and not dry_run:
        sys.exit(1)


@main.command(name="run")
@common_options
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append the log to this file.",
)
@click.option("--dry-run", is_flag=True, help="Build and write the .eml; send and record nothing.")
@reports_errors
def run_command(
    config_path: Path | None, verbose: bool, log_file: Path | None, dry_run: bool
) -> None:
    """What cron calls: build the issue of everything new since the last one, send it, record it.

    Holds a lock beside the state file: a run that starts while another is running exits at
    once (status 0) and sends nothing. Nothing new means no email.
    Exit status: 0 sent, nothing new, or another run busy; 1 the build or the send failed
    (nothing recorded as sent; the next run tries the same stories); 2 bad configuration.

    Example: digest run --config /srv/digest/sources.yaml --log-file /var/log/digest.log
    """
    from digest.delivery import send_issue
    from digest.schedule import Busy, run_lock

    _configure_logging(verbose, log_file)
    request = _send_request(config_path, None, None, False, dry_run=dry_run)
    try:
        with run_lock(request.config.state_path):
            result = send_issue(request)
    except Busy as exc:
        log.warning("%s; exiting", exc.message)
        click.echo(f"{exc.message}; nothing done.")
        return
    log.info("%s", result.message.replace("\n", " | "))
    click.echo(result.message)
    if result.outcomes and not result.sent and not dry_run:
        sys.exit(1)


@main.command(name="schedule")
@common_options
@click.option(
    "--install", is_flag=True, help="Add the line to your crontab (replacing an earlier one)."
)
@click.option("--remove", is_flag=True, help="Take the line out of your crontab.")
@click.option("--next", "next_count", type=int, metavar="N", help="Print the next N run times.")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Log file for the cron job (default: digest.log beside the config).",
)
@click.option(
    "--crontab-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DIGEST_CRONTAB_FILE",
    hidden=True,
)
@reports_errors
def schedule_command(
    config_path: Path | None,
    verbose: bool,
    install: bool,
    remove: bool,
    next_count: int | None,
    log_file: Path | None,
    crontab_file: Path | None,
) -> None:
    """Print the crontab line that runs the digest on the configured schedule.

    `schedule:` in sources.yaml is a cron expression or a form like "monday 08:00"; the
    configured timezone becomes CRON_TZ.

    Example: digest schedule --install
    """
    from digest import schedule

    _configure_logging(verbose)
    config, _ = _load_required(config_path)
    if remove:
        changed = schedule.remove(crontab_file)
        click.echo(
            "Removed the digest line from the crontab."
            if changed
            else "No digest line in the crontab."
        )
        return
    if not config.schedule:
        raise click.UsageError(f'no schedule: in {config.path}; add e.g. schedule: "monday 08:00"')
    assert config.path is not None
    log_path = (log_file or config.path.parent / "digest.log").resolve()
    lines = schedule.crontab_lines(
        config.schedule, config.timezone, config.path.resolve(), log_path
    )
    if next_count:
        for moment in schedule.next_runs(
            config.schedule, config.tz, datetime.now(config.tz), next_count
        ):
            click.echo(moment.strftime("%a %Y-%m-%d %H:%M %Z"))
        return
    if install:
        changed = schedule.install(lines, crontab_file)
        click.echo(("Installed:" if changed else "Already installed:") + "\n" + "\n".join(lines))
        return
    click.echo("\n".join(lines))


@main.command(name="archive")
@click.argument("inputs", nargs=-1)
@common_options
@window_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive folder (default: archive.dir).",
)
@reports_errors
def archive_command(
    inputs: tuple[str, ...],
    config_path: Path | None,
    verbose: bool,
    since: str | None,
    until: str | None,
    everything: bool,
    out_dir: Path | None,
) -> None:
    """Write this issue to the web archive: its page, the index of issues and an Atom feed.

    Example: digest archive --out site/
    """
    from digest.archive import write_archive
    from digest.pipeline import BuildRequest, build_digest

    _configure_logging(verbose)
    config, note = _load(config_path, bool(inputs))
    if note:
        click.echo(note, err=True)
    sources = _input_sources(inputs) if inputs else None
    now = datetime.now(config.tz)
    digest = build_digest(
        BuildRequest(config, _period(config, now, since, until, everything), now, sources)
    )
    archived = write_archive(config, digest, out_dir)
    click.echo(f"Wrote {archived.page}, {archived.index} and {archived.feed}")


@main.command(name="preview")
@click.argument("inputs", nargs=-1)
@common_options
@window_options
@click.option(
    "--port",
    type=int,
    default=8025,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your browser.")
@reports_errors
def preview_command(
    inputs: tuple[str, ...],
    config_path: Path | None,
    verbose: bool,
    since: str | None,
    until: str | None,
    everything: bool,
    port: int,
    open_browser: bool,
) -> None:
    """Serve a live preview of the email on 127.0.0.1: phone and desktop widths, dark mode,
    plain text, HTML source, size and warnings; rebuilt when an input, the config or a
    template changes.

    Example: digest preview --port 8025 --open
    """
    from digest.preview import Preview

    _configure_logging(verbose)
    config_file = config_path
    if config_file is None:
        from digest.config import find_config

        config_file = find_config(Path.cwd())

    def build() -> tuple[Any, int]:
        from digest.archive import issue_url
        from digest.pipeline import BuildRequest, build_digest
        from digest.render import forget_templates, render

        forget_templates()
        config, _ = _load(config_file, bool(inputs))
        now = datetime.now(config.tz)
        sources = _input_sources(inputs) if inputs else None
        digest = build_digest(
            BuildRequest(config, _period(config, now, since, until, everything), now, sources)
        )
        rendered = render(digest, config.templates_dir, issue_url(config, digest))
        shown = rendered.html.count("<h3")
        return rendered, max(0, len(digest.entries) - shown)

    def watched() -> list[Path]:
        from digest.resources import templates_dir

        config, _ = _load(config_file, bool(inputs))
        paths = [templates_dir()]
        if config.path:
            paths.append(config.path)
        if config.templates_dir:
            paths.append(config.templates_dir)
        sources = _input_sources(inputs) if inputs else config.sources
        paths.extend(Path(source.location) for source in sources if "://" not in source.location)
        return paths

    preview = Preview(build, watched, port)
    url = f"http://127.0.0.1:{preview.port}/"
    click.echo(f"Previewing at {url} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        preview.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
