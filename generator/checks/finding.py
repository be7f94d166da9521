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
