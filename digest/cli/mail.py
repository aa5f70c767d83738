"""`digest send`, `digest run` and `digest schedule`: the email and cron side."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from digest.cli import (
    _configure_logging,
    _finish,
    _load_required,
    _send_request,
    common_options,
    log,
    main,
    reports_errors,
)


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
    _finish(result, dry_run)


@main.command(name="run")
@common_options
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append the log to this file.",
)
@click.option("--dry-run", is_flag=True, help="Build and write the .eml; send and record nothing.")
@click.option(
    "--deadline",
    type=click.IntRange(min=10),
    default=1800,
    show_default=True,
    help="Stop the run after this many seconds, wherever it is.",
)
@reports_errors
def run_command(
    config_path: Path | None, verbose: bool, log_file: Path | None, dry_run: bool, deadline: int
) -> None:
    """What cron calls: build the issue of everything new since the last one, send it, record it.

    Holds a lock beside the state file: a run that starts while another is running exits at
    once (status 0) and sends nothing. Nothing new means no email.
    Exit status: 0 sent, nothing new, or another run busy; 1 the build or the send failed
    (nothing recorded as sent; the next run tries the same stories); 2 bad configuration.

    Example: digest run --config /srv/digest/sources.yaml --log-file /var/log/digest.log
    """
    from digest.delivery import send_issue
    from digest.schedule import Busy, RunTimeout
    from digest.schedule import deadline as run_deadline

    _configure_logging(verbose, log_file)
    request = _send_request(config_path, None, None, False, dry_run=dry_run)
    try:
        with run_deadline(deadline):
            result = send_issue(request)  # under the state folder's lock, shared with send
    except RunTimeout as exc:
        log.error("%s", exc)
        click.echo(f"Error: {exc}; what was delivered is recorded, the next run goes on.", err=True)
        sys.exit(1)
    except Busy as exc:
        log.info("%s; exiting", exc.message)
        click.echo(f"{exc.message}; nothing done.")
        return
    log.info("%s", result.message.replace("\n", " | "))
    _finish(result, dry_run)


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
