"""The schema's own work stays proportional to the file: no keyword that hangs `validate` on a small config.

The class: a JSON Schema keyword whose cost grows faster than its input.
Two members were found: a ``pattern`` whose regex backtracks (the e-mail
patterns took 15 s on a 20 KB value: quadratic, hours on a 1 MB config)
applied to a string far longer than its own ``maxLength``, and
``uniqueItems``, which jsonschema checks by comparing every pair when the
items cannot be sorted (a list with one mapping and 40,000 strings: 90 s).

The mechanism: every pattern has a ``maxLength`` and a pattern never runs on
a string over it (the length is the error then), in jsonschema's keyword and
in the generated validator that runs first (schema_codegen), and unique items
are found by hashing. Work is counted (the characters each regex is run on,
the comparisons made), never timed.
"""

from __future__ import annotations

import copy
import json
import re

import jsonschema._utils
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import schema_check, schema_codegen, schema_runtime, schema_validator
from generator.config_loader import load_config
from generator.loader.marks import Marks

from .conftest import CONFIGS
from .test_schema_strings import NODES, _resolved, sample

RICH = load_config(CONFIGS / "valid" / "rich.yaml").data
LONG = 100_000


def _nodes_with(keyword):
    def walk(node):
        if isinstance(node, dict):
            if keyword in node:
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
    return list(walk(_resolved()))


def test_every_pattern_has_a_length_bound():
    unbounded = sorted({n["pattern"][:60] for n in _nodes_with("pattern") if not isinstance(n.get("maxLength"), int)})
    assert unbounded == [], "a pattern without maxLength runs on strings of any length"


def _set(data, path, value):
    """A copy of ``data`` with the first string at schema path ``path`` replaced ('*' any item or key, '<key>' a key)."""
    data = copy.deepcopy(data)

    def replace(node, rest) -> bool:
        head, rest = rest[0], rest[1:]
        if head == "<key>" and isinstance(node, dict) and node:
            old = next(iter(node))
            node[value] = node.pop(old)
            return True
        keys = (range(len(node)) if isinstance(node, list) else list(node)) if head == "*" else [head]
        for key in keys:
            if isinstance(node, dict) and key not in node:
                continue
            if not rest:
                if isinstance(node[key], str):
                    node[key] = value
                    return True
            elif isinstance(node[key], (dict, list)) and replace(node[key], rest):
                return True
        return False

    assert replace(data, path), path
    return data


def _adversarial(seed: str) -> str:
    # What made the e-mail patterns backtrack: many candidate split points, then a character that fails at the end.
    return (seed + "@" + "." * LONG + "@\x00")[:LONG]


def _spy_on_generated(namespace: dict, seen: list, monkeypatch) -> None:
    """Count the characters each of a generated validator's patterns is run on."""
    for value in namespace.values():
        if isinstance(value, schema_runtime.Pattern):
            search = re.compile(value.pattern).search
            monkeypatch.setattr(value, "search", lambda text, search=search: seen.append(len(text)) or search(text))


@pytest.mark.parametrize("path, node", NODES, ids=["/".join(p) for p, _ in NODES])
def test_no_pattern_runs_on_a_string_longer_than_its_bound(path, node, monkeypatch):
    seen = []
    real = schema_check._search

    def spy(pattern, text):
        seen.append(len(text))
        return real(pattern, text)

    monkeypatch.setattr(schema_check, "_search", spy)
    assert schema_check._generated() is schema_validator.valid, "the committed validator is stale: see test_schema_codegen"
    _spy_on_generated(vars(schema_validator), seen, monkeypatch)
    data = _set(RICH, path, _adversarial(sample(path)))
    problems = schema_check.check(data, Marks(), "c.yaml")
    assert problems, f"a {LONG:,}-character value at {'/'.join(path)} passed"
    assert max(seen, default=0) <= max(n.get("maxLength", 0) for n in _nodes_with("pattern")), \
        f"a pattern ran on {max(seen):,} characters"
    if "maxLength" in node:
        assert any("characters long" in p.message for p in problems), [p.message for p in problems]


def _cannot_compare(*args):
    raise AssertionError("uniqueItems compared items pairwise")


def test_unique_items_never_compares_every_pair(monkeypatch):
    monkeypatch.setattr(jsonschema._utils, "uniq", _cannot_compare)
    monkeypatch.setattr(jsonschema._keywords, "uniq", _cannot_compare, raising=False)
    data = copy.deepcopy(RICH)
    # The list jsonschema cannot sort (a mapping among strings) and so compared pair by pair.
    data["portfolios"][0]["tag_options"] = [{}] + [f"k{i}" for i in range(50_000)] + ["k7"]
    problems = schema_check.check(data, Marks(), "c.yaml")
    assert any(p.code == "schema/duplicate" for p in problems), [p.message for p in problems][:3]


JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, -1.0, 2.5]) | st.text("ab", max_size=2),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("ab", max_size=2), inner, max_size=3),
                    max_leaves=6)


@settings(max_examples=200)  # cheap to check at 200: at CI's 2,000 these three added 40 s
@given(st.lists(JSON, max_size=6))
def test_unique_items_agrees_with_json_schema_equality(items):
    """Same verdict as jsonschema's own comparison: 1 and 1.0 are equal, true and 1 are not, mappings by content."""
    expected = jsonschema._utils.uniq(items)
    ours = schema_runtime.unique(items)
    assert ours == expected, json.dumps(items)


def test_the_generated_validator_checks_the_bound_before_the_pattern(monkeypatch):
    """The same bound in any schema the generator is given, not only the shipped one: maxLength is tested first."""
    seen = []
    node = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 64, "pattern": r"^(\w+\s?)*$"},
                                             "key": {"maxLength": 64, "pattern": r"^(\w+\s?)*$"}}}
    valid = schema_codegen.compiled(node, "0" * 64)
    _spy_on_generated(valid.__globals__, seen, monkeypatch)
    for name in ("name", "key"):
        assert valid({name: "a" * 40}) is True
        assert valid({name: "a" * LONG + "!"}) is False
    assert seen and max(seen) <= 64, seen
