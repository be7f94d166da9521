"""A configuration that passed every stage (config_loader.py): what the compiler reads.

Apart from the loader, so that the build's twin (twin.py), which compiles
from data it read itself, imports neither the checks nor the schema (~12 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.model import Catalogue
from .loader.marks import Marks


@dataclass(frozen=True)
class LoadedConfig:
    """A configuration that passed every stage: its data, positions and model."""

    file: str
    data: dict
    marks: Marks
    catalogue: Catalogue
