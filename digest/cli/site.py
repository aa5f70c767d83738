"""`digest archive` and `digest preview`: the issue on the web."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from digest.cli import (
    _check_inputs,
    _configure_logging,
    _current_digest,
    _input_sources,
    _load,
    common_options,
    main,
    problems,
    reports_errors,
    window_options,
)


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

    _configure_logging(verbose)
    _check_inputs(inputs)
    config, note = _load(config_path, bool(inputs))
    if note:
        click.echo(note, err=True)
    if out_dir is None and config.archive_dir is None:
        from digest.errors import SettingError

        raise SettingError(
            "no archive folder", hint="set archive: {dir: site/} in sources.yaml or pass --out"
        )
    digest, _ = _current_digest(config, inputs, since, until, everything)
    archived = write_archive(config, digest, out_dir)
    for line in problems(digest):
        click.echo(line)
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
    _check_inputs(inputs)
    config_file = config_path
    if config_file is None:
        from digest.config import find_config

        config_file = find_config(Path.cwd())

    def build() -> tuple[Any, tuple[str, ...]]:
        from digest.archive import issue_url
        from digest.render import forget_templates, render

        forget_templates()
        config, _ = _load(config_file, bool(inputs))
        digest, _ = _current_digest(config, inputs, since, until, everything)
        rendered = render(digest, config.templates_dir, issue_url(config, digest))
        return rendered, tuple(problems(digest))

    known: list[Path] = []

    def watched() -> list[Path]:
        from digest.errors import DigestError
        from digest.resources import templates_dir

        paths = [templates_dir()] + ([config_file] if config_file else [])
        try:
            config, _ = _load(config_file, bool(inputs))
        except DigestError:
            # A config that does not load (the build shows why): keep watching it and what it
            # named last time, so that fixing it brings the preview back.
            return paths + known
        if config.path and config.path not in paths:
            paths.append(config.path)
        if config.templates_dir:
            paths.append(config.templates_dir)
        sources = _input_sources(inputs) if inputs else config.sources
        paths.extend(Path(source.location) for source in sources if "://" not in source.location)
        known[:] = paths
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
