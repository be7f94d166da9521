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


# A finding about one value of a list the model sorts still points at that value's line.
MISPLACED = [
    (("portfolios", 0, "products"), ["vpc", "aaa-missing"], "aaa-missing"),
    (("portfolios", 0, "principals"), ["admins", "aaa-missing"], "aaa-missing"),
    (("portfolios", 0, "tag_options"), ["env", "aaa-missing"], "aaa-missing"),
    (("portfolios", 0, "share", "accounts"), ["stage", "111111111111"], "111111111111"),
    (("products", 0, "tag_options"), ["env", "aaa-missing"], "aaa-missing"),
    (("hotfix", "developers"), ["devs", "aaa-missing"], "aaa-missing"),
    (("hotfix", "repositories", 0, "approvers"), ["admins", "aaa-missing"], "aaa-missing"),
    (("hotfix", "repositories", 0, "merge_into"), ["main", "hotfix-main"], "hotfix-main"),
]


def test_findings_on_sorted_values_point_at_their_own_line(tmp_path):
    import yaml

    from generator.core.exceptions import ConfigError

    for path, values, marker in MISPLACED:
        data = copy.deepcopy(RICH_DATA)
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = values
        text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=1000)
        config = tmp_path / "templates"
        config.mkdir(exist_ok=True)
        (config / "vpc.yaml").write_text("Parameters: {Environment: {Type: String}, Cidr: {Type: String}}\n")
        (tmp_path / "c.yaml").write_text(text)
        line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip() in (f"- {marker}", f"- '{marker}'"))
        try:
            load_config(tmp_path / "c.yaml")
        except ConfigError as error:
            hits = [p for p in error.problems if marker in p.message]
            assert hits and {p.line for p in hits} == {line}, (path, line, [(p.line, p.message) for p in hits])
        else:
            raise AssertionError(f"{path}: {values} should be refused")
