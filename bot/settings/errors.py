"""Rule-file problems with their place in the file: `file:line:col: key.path: message`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ConfigError", "ConfigIssue", "format_path"]


def format_path(path: Sequence[str | int]) -> str:
    """`("defaults", "automod", "rules", 0)` -> `defaults.automod.rules.0`."""
    return ".".join(str(p) for p in path) or "(file)"


@dataclass(frozen=True, slots=True)
class ConfigIssue:
    """One problem: where (1-based line and column) and what was expected."""

    file: str
    line: int
    col: int
    path: tuple[str | int, ...]
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {format_path(self.path)}: {prefix}{self.message}"


class ConfigError(Exception):
    """The rule file cannot be used; `issues` lists every problem found."""

    def __init__(self, issues: Sequence[ConfigIssue]) -> None:
        self.issues = tuple(sorted(issues, key=lambda i: (i.line, i.col, str(i.path), i.message)))
        super().__init__("\n".join(str(i) for i in self.issues))
