"""What a rule reports, and what it is given to report it with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One problem a check found, at a JSON path of the configuration."""

    path: tuple
    message: str
    at_key: bool = False  # point at the key rather than its value


@dataclass(frozen=True)
class Context:
    """What every check may consult besides the catalogue."""

    line: Callable[[tuple], int]  # the line an entity starts on, to name both ends of a reference
    base_dir: Path  # the configuration's folder, against which template files resolve

    def where(self, what: str, path: tuple) -> Where:
        """``what`` and the line ``path`` starts on, as a message writes it, looked up only then."""
        return Where(what, self.line, path)


class Where:
    """An entity named as a message names it, "hotfix repository 'app' (line 12)", worked out only when formatted.

    A valid configuration's positions are never needed, so the loader finds
    them only when asked (``LazyMarks``: PyYAML reads the file again); a
    check that named an entity before knowing it had something to report
    would pay for that on every build.
    """

    __slots__ = ("line", "path", "what")

    def __init__(self, what: str, line: Callable[[tuple], int], path: tuple) -> None:
        self.what, self.line, self.path = what, line, path

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __str__(self) -> str:
        return f"{self.what} (line {self.line(self.path)})"
