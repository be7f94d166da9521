"""Reordering any list whose order means nothing, or any mapping, changes no byte of the build.

The lists are found by walking the JSON Schema, not by hand, so a list added
to the schema is shuffled too; the few whose order means something are
listed below with the reason. The rich fixture must hold every other list
with at least two entries, or the test could not see it reordered.
"""

from __future__ import annotations

import copy
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config_loader import load_config
from generator.core.parse import canonical, catalogue_from_dict
from generator.schema_check import _inline, schema

from .buildutil import build_data
from .conftest import CONFIGS

RICH = CONFIGS / "valid" / "rich.yaml"

# Lists whose order means something, by schema path ("*" is any index or key).
ORDERED = {
    # Assertions of a template rule: the order a user reads their messages in.
    ("portfolios", "*", "constraints", "*", "template", "rules", "*", "assertions"),
}
# Lists a valid config cannot hold (validation refuses every entry), so the fixture cannot either.
UNREACHABLE = {
    ("portfolios", "*", "share", "organizational_units"),
}


def _resolved() -> dict:
    full = schema()
    return _inline(full, full.get("$defs", {}))


def schema_arrays(node=None, path=()) -> set[tuple]:
    """Every path at which the schema takes a list."""
    node = _resolved() if node is None else node
    found = set()
    if not isinstance(node, dict):
        return found
    if node.get("type") == "array":
        found.add(path)
        found |= schema_arrays(node.get("items"), path + ("*",))
    for key, child in node.get("properties", {}).items():
        found |= schema_arrays(child, path + (key,))
    if isinstance(node.get("additionalProperties"), dict):
        found |= schema_arrays(node["additionalProperties"], path + ("*",))
    return found


def _pattern(path: tuple, arrays: set[tuple]) -> tuple:
    """A data path as a schema path: list indices and free mapping keys become '*'."""
    out: tuple = ()
    for part in path:
        out += ("*",) if isinstance(part, int) or any(a[:len(out) + 1] == out + ("*",) for a in arrays) else (part,)
    return out


def _lists(data, arrays, path=()):
    """(schema path, list) for every list in the data that the schema declares."""
    if isinstance(data, list):
        pattern = _pattern(path, arrays)
        if pattern in arrays:
            yield pattern, data
        for i, item in enumerate(data):
            yield from _lists(item, arrays, path + (i,))
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _lists(value, arrays, path + (key,))


def shuffled(data: dict, rnd: random.Random, arrays: set[tuple]) -> dict:
    data = copy.deepcopy(data)

    def mix(node, path=()):
        if isinstance(node, list):
            if _pattern(path, arrays) in arrays and _pattern(path, arrays) not in ORDERED:
                rnd.shuffle(node)
            for i, item in enumerate(node):
                mix(item, path + (i,))
        elif isinstance(node, dict):
            items = list(node.items())
            rnd.shuffle(items)  # mapping order is YAML order too
            node.clear()
            node.update(items)
            for key, value in items:
                mix(value, path + (key,))

    mix(data)
    return data


ARRAYS = schema_arrays()
RICH_DATA = load_config(RICH).data
RICH_FILES = build_data(RICH_DATA, str(RICH))


def test_the_schema_walk_finds_the_lists():
    assert {("portfolios",), ("products", "*", "versions"), ("portfolios", "*", "constraints", "*", "notifications"),
            ("portfolios", "*", "constraints", "*", "stack_set", "regions")} <= ARRAYS
    assert ORDERED | UNREACHABLE <= ARRAYS, "an exception names a list the schema no longer has"


def test_the_rich_fixture_reorders_every_list():
    longest: dict[tuple, int] = {}
    for pattern, items in _lists(RICH_DATA, ARRAYS):
        longest[pattern] = max(longest.get(pattern, 0), len(items))
    thin = sorted(a for a in ARRAYS - ORDERED - UNREACHABLE if longest.get(a, 0) < 2)
    assert thin == [], "give these lists two entries or more in tests/configs/valid/rich.yaml"


@settings(max_examples=15)
@given(st.randoms(use_true_random=False))
def test_reordering_every_list_and_mapping_changes_no_byte(rnd):
    assert build_data(shuffled(RICH_DATA, rnd, ARRAYS), str(RICH)) == RICH_FILES


@settings(max_examples=50)
@given(st.randoms(use_true_random=False))
def test_the_model_and_the_compiled_form_are_canonical(rnd):
    data = shuffled(RICH_DATA, rnd, ARRAYS)
    assert canonical(data) == canonical(RICH_DATA)
    assert catalogue_from_dict(data) == catalogue_from_dict(RICH_DATA) == catalogue_from_dict(canonical(data))
