"""What a generated validator (schema_codegen) calls at run time: JSON's types and equality, and patterns.

JSON has one number type and a boolean apart from it: 1 == 1.0, but true is
not 1 (Python says True == 1). ``equal`` is that equality as jsonschema's
``enum`` and ``const`` apply it; ``unique`` is ``uniqueItems`` by hashing
(``schema_check`` replaces jsonschema's pairwise comparison with it, and the
generated validator calls the same function, so both give one verdict).
``integer`` and ``number`` are jsonschema's Draft 2020-12 type tests.
Standard library only, and cheap to import: ``validate`` imports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence


def integer(x) -> bool:
    """Draft 6 and later: a whole number, 1.0 included; true and false are not numbers."""
    if x.__class__ is int:
        return True
    return (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())


def number(x) -> bool:
    if x.__class__ is int or x.__class__ is float:
        return True
    if isinstance(x, bool):
        return False
    from numbers import Number  # Decimal, Fraction: no YAML the loader reads makes one

    return isinstance(x, Number)


class Pattern:
    """``re.search`` of one pattern, compiled on first use: most runs need a few of the schema's patterns (~0.1 ms each)."""

    __slots__ = ("pattern", "search")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.search = self._first

    def _first(self, text: str):
        self.search = re.compile(self.pattern).search
        return self.search(text)


def _unboxed(value):
    """True and False as values no number equals."""
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


_TRUE, _FALSE = object(), object()


def equal(one, two) -> bool:
    """``enum`` and ``const``: strings by ==, sequences and mappings by content, numbers apart from booleans."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(key in two and equal(value, two[key]) for key, value in one.items())
    return _unboxed(one) == _unboxed(two)


def any_equal(value, options) -> bool:
    return any(equal(option, value) for option in options)


def identity(value):
    """A hashable stand-in with JSON Schema's equality: 1 == 1.0, true != 1, mappings by content."""
    if isinstance(value, bool) or value is None:
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, (list, tuple)):
        return ("list", tuple(identity(v) for v in value))
    if isinstance(value, dict):
        return ("dict", frozenset((k, identity(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):  # no YAML the loader reads makes one; Python's set equality then
        return ("set", frozenset(value))
    return ("string", value)


def unique(items: list) -> bool:
    identities = [identity(v) for v in items]
    return len(set(identities)) == len(identities)
