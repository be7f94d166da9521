"""Where each value and key of a loaded document stands in its file."""

from __future__ import annotations


class Marks:
    """Line and column (1-based) of values and of mapping keys, by JSON path."""

    def __init__(self) -> None:
        self.values: dict[tuple, tuple[int, int]] = {}
        self.keys: dict[tuple, tuple[int, int]] = {}

    def locate(self, path: tuple, key: bool = False) -> tuple[int, int]:
        """The position of ``path``; of its key when ``key``; else the nearest ancestor's."""
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def line(self, path: tuple) -> int:
        return self.locate(path, key=True)[0]
