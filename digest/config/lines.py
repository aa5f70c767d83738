"""YAML with line numbers: mappings and sequences that remember where each key was, and the
collector of `file:line: key: message` problems."""

from __future__ import annotations

from typing import Any

import yaml


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of each key."""

    line: int = 0
    lines: dict[str, int]


class Sequence(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0
    lines: list[int]


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (`*name`): nine nested levels of them turn a 440-byte
    file into billions of values, and a configuration or a page's front matter never needs
    them. The error names the line, like any other YAML error."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed here", event.start_mark
            )
        return super().compose_node(parent, index)


def safe_load(text: str) -> Any:
    """YAML of plain data (front matter), without aliases."""
    return yaml.load(text, Loader=NoAliasLoader)


class LineLoader(NoAliasLoader):
    """NoAliasLoader that keeps PyYAML's marks so problems can name their line."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Mapping:
    mapping = Mapping(
        {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    )
    mapping.line = node.start_mark.line + 1
    mapping.lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return mapping


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> Sequence:
    sequence = Sequence(loader.construct_sequence(node, deep=True))
    sequence.line = node.start_mark.line + 1
    sequence.lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class Problems:
    """Collects `file:line: key: message` problems and unknown-key warnings."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, line: int, key: str, message: str) -> None:
        self.errors.append(f"{self.filename}:{line}: {key}: {message}")

    def warn(self, line: int, key: str, message: str) -> None:
        self.warnings.append(f"{self.filename}:{line}: {key}: {message}")
