"""Where each value and key of a loaded document stands in its file."""

from __future__ import annotations

from collections.abc import Callable


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


class LazyMarks(Marks):
    """Marks found only when first asked for: a file with no problem to report never needs them.

    ``find`` returns the document's full ``Marks``; it runs at most once.
    """

    def __init__(self, find: Callable[[], Marks]) -> None:  # no super().__init__: values and keys come from find
        self._find = find

    def __getattr__(self, name: str):  # called only while values and keys are unset
        if name not in ("values", "keys"):
            raise AttributeError(name)
        found = self._find()
        self.values, self.keys = found.values, found.keys
        return getattr(self, name)
