"""A configuration's document: read by the block reader when it can, by PyYAML otherwise.

Both answer alike (block_yaml.py says how); this module is what the rest
of the toolkit calls. A document the block reader takes never imports
PyYAML (about 14 ms), unless a problem later asks where a value stands:
positions are found then, by PyYAML, from the same text (``LazyMarks``).
"""

from __future__ import annotations

import os

from . import block_yaml
from .marks import LazyMarks, Marks
from .problem import LoadProblem
from .source import decode, read_bytes


def load(path: str | os.PathLike) -> tuple[dict, Marks, list[LoadProblem]]:
    """Read ``path``: plain data, the position of every value, duplicate keys (see ``yaml_source.load``)."""
    return load_text(decode(read_bytes(path)))


def load_text(text: str) -> tuple[dict, Marks, list[LoadProblem]]:
    """``load`` of a file's decoded text."""
    data = block_yaml.read(text)
    if data is not None:
        return data, lazy_marks(text), []
    from . import yaml_source

    return yaml_source.load_text(text)


def lazy_marks(text: str) -> LazyMarks:
    """The positions of ``text``'s values and keys, found by PyYAML when first asked for."""

    def find() -> Marks:
        from . import yaml_source

        return yaml_source.marks_of(text)

    return LazyMarks(find)
