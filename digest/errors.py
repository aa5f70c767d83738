"""The DigestError family: a message for the user plus a hint on what to do."""

from __future__ import annotations


class DigestError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message

    def __reduce__(self) -> tuple[type[DigestError], tuple[str, str | None]]:
        # Raised in a build worker, it crosses back to the parent with its hint.
        return type(self), (self.message, self.hint)


class ConfigError(DigestError):
    """sources.yaml (or a flag) is invalid; lists every problem found."""

    exit_code = 2

    def __init__(self, problems: list[str], hint: str | None = None) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems), hint)

    def __reduce__(self) -> tuple[type[ConfigError], tuple[list[str], str | None]]:  # type: ignore[override]
        return type(self), (self.problems, self.hint)


class SettingError(DigestError):
    """A setting the command needs is missing or unusable (no archive folder, an unset
    password variable): a configuration problem, so it exits 2 like ConfigError."""

    exit_code = 2


class InstallError(DigestError):
    """A module digest needs cannot be imported: the installation, not the input, is broken.
    It stops the run, since skipping every page as "unreadable" would hide it."""


class RenderError(DigestError):
    """A template failed to render or compile; names the template and line."""


class SourceError(DigestError):
    """One input could not be read; the pipeline records it as skipped and goes on."""
