"""The generated validator (schema_codegen) says "valid" exactly when jsonschema finds no error.

The happy path of ``schema_check.check`` is the generated ``valid(data)``;
only when it says False does jsonschema run, for the messages. So the two
must agree on every value the loader can make and on the Python values a
caller could pass: the reference is ``schema_check``'s own jsonschema
validator (Draft 2020-12 with the bounded ``pattern`` and hashed
``uniqueItems``). The classes tried: each fixture config; every value of a
valid config replaced by hostile values (other JSON types, bool against int,
1.0, NaN and infinity, huge integers, empty, long and control-character
strings, a lone surrogate, non-string keys, dates, bytes, sets, lists with
entries equal only as JSON numbers), keys removed and added; and each
keyword on its own, so that a schema edit using it elsewhere is covered too.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import random
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import schema_check, schema_codegen, schema_runtime, schema_validator
from generator.loader import yaml_source
from generator.loader.marks import Marks

from .buildutil import paths
from .conftest import CONFIGS, ROOT


def _reference(data, validator=None) -> bool:
    validator = validator or schema_check._validator()
    return next(iter(validator.iter_errors(data)), None) is None


def _agree(data) -> None:
    assert schema_validator.valid(data) is _reference(data), _short(data)


def _short(data) -> str:
    text = repr(data)
    return text if len(text) < 400 else text[:400] + "..."


def _fixtures():
    for path in sorted((CONFIGS / "valid").glob("*.yaml")) + sorted((CONFIGS / "invalid").glob("*.yaml")):
        try:
            yield path, yaml_source.load(path)[0]
        except Exception:  # refused while loading (syntax, alias bombs, not UTF-8): never reaches the schema
            continue


FIXTURES = list(_fixtures())


def test_the_committed_validator_is_up_to_date():
    expected = schema_codegen.source(schema_check._inlined(), schema_check.schema_sha256())
    assert schema_codegen.OUTPUT.read_text(encoding="utf-8") == expected, f"stale; run {schema_codegen.COMMAND}"


def test_check_mode_names_the_command_when_stale(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "schema_validator.py"
    stale.write_text(schema_codegen.OUTPUT.read_text() + "# edited by hand\n")
    monkeypatch.setattr(schema_codegen, "OUTPUT", stale)
    assert schema_codegen.main(["--check"]) == 1
    assert schema_codegen.COMMAND in capsys.readouterr().err
    assert schema_codegen.main(["--write"]) == 0 and schema_codegen.main(["--check"]) == 0


@pytest.mark.parametrize("path, data", FIXTURES, ids=[p.name for p, _ in FIXTURES])
def test_every_fixture_gets_jsonschemas_verdict(path, data):
    _agree(data)


def test_the_valid_fixtures_pass_on_the_happy_path():
    valid = [p.name for p, data in FIXTURES if p.parent.name == "valid" and not schema_validator.valid(data)]
    assert valid == []


# Values the loader makes (str, int within 64 bits, finite float, bool, None, list, dict of str keys)
# and values a caller of check() could pass: the verdict must be jsonschema's for both.
HOSTILE = [
    None, True, False, 0, 1, -1, 1.0, 0.5, -0.0, 256, 256.0, 2**63 - 1, -(2**63), 2**64, 10**30,
    math.nan, math.inf, -math.inf,
    "", " ", "x" * 5000, "\n", "\t", "\x00", "\x1b", "\x85", "\u2028", "\ufeff", "\ud800", "é", "\U0001f600",
    [], [None], ["a", "a"], [1, 1.0], [1, True], [0, False], [[1], [1.0]], [{}, {}], [[]],
    {}, {"x": 1}, {1: "a"}, {None: None}, {"a": [1, 1.0]},
    datetime.date(2024, 1, 1), datetime.datetime(2024, 1, 1, 12, 0), b"bytes", {1, 2}, ("tuple",), Decimal("1.5"),
]


def _variants(value) -> list:
    """Values close to ``value``: the near misses a validator's edge cases are made of."""
    if isinstance(value, str):
        return [value + "\n", value + "\n\n", "\x1c" + value, value.upper(), value * 40, value[:-1], value + "é", value + " "]
    if isinstance(value, bool):
        return [int(value), float(value)]
    if isinstance(value, (int, float)):
        return [float(value), value + 1, -value, value == 1]
    if isinstance(value, list):
        return [value + value[:1], value[:1], value[::-1] + [value[0]] if value else [None]]
    if isinstance(value, dict):
        removed = [{k: v for k, v in value.items() if k != key} for key in value]
        return [*removed, {**value, "x": 1}, {**value, 1: "one"}, {**value, "Description": "x"}]
    return []


def _replace(data, path, value):
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    old = parent[path[-1]]
    parent[path[-1]] = value
    return old


def _mutations(name: str, sample: int | None):
    """(path, value): each path of a valid fixture with each hostile value, or ``sample`` of them per path (seeded)."""
    data = yaml_source.load(CONFIGS / "valid" / f"{name}.yaml")[0]
    rng = random.Random(name)
    for path in [p for p in paths(data) if p]:
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        values = _variants(parent[path[-1]]) + HOSTILE
        yield data, path, values if sample is None else rng.sample(values, sample)


@pytest.mark.parametrize("name, sample", [("minimal", None), ("anchors-and-merge", None), ("every-constraint", 8)])
def test_every_value_replaced_by_a_hostile_one_gets_jsonschemas_verdict(name, sample):
    tried = 0
    for data, path, values in _mutations(name, sample):
        for value in values:
            old = _replace(data, path, value)
            try:
                _agree(data)
            finally:
                _replace(data, path, old)
            tried += 1
    assert tried > 100


BASES = [yaml_source.load(CONFIGS / "valid" / f"{name}.yaml")[0] for name in ("every-constraint", "rich", "minimal")]


@st.composite
def mutated(draw):
    """A valid config with up to three values replaced, removed or added: errors that interact."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from([p for p in paths(data) if p]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["vary", "vary", "vary", "delete", "add-key"]))
        if action == "vary":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(_variants(parent[path[-1]]) + HOSTILE)))  # later steps edit it
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "name", "pattern", "Description", "é", 1]))] = copy.deepcopy(draw(st.sampled_from(HOSTILE)))
    return data


@given(mutated())
def test_mutated_configs_get_jsonschemas_verdict(data):
    _agree(data)


# Each keyword alone, and with the type it applies to: a keyword constrains only values of its type.
KEYWORDS = [
    {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "boolean"}, {"type": "null"},
    {"type": "array"}, {"type": "object"}, {"type": ["integer", "string"]}, {"type": ["null", "boolean"]},
    {"minimum": 1}, {"maximum": 256}, {"type": "integer", "minimum": 0, "maximum": 65535}, {"type": "number", "maximum": 0.5},
    {"minLength": 1}, {"maxLength": 3}, {"pattern": "^a$"}, {"pattern": r"^\S+$", "maxLength": 8},
    {"type": "string", "minLength": 1, "maxLength": 4, "pattern": "^[a-z]+(?!\\n)$"},
    {"minItems": 1}, {"maxItems": 1}, {"uniqueItems": True}, {"uniqueItems": False}, {"items": {"type": "string"}, "uniqueItems": True},
    {"items": {"type": "integer"}, "uniqueItems": True}, {"items": False}, {"type": "array", "items": {"enum": [1, "a"]}},
    {"minProperties": 1}, {"maxProperties": 1}, {"required": ["x"]}, {"properties": {"x": {"type": "string"}}},
    {"properties": {"x": {"type": "string"}}, "additionalProperties": False}, {"additionalProperties": False},
    {"additionalProperties": {"type": "integer"}}, {"properties": {"a": True}, "additionalProperties": {"type": "integer"}},
    {"propertyNames": {"maxLength": 1}}, {"propertyNames": {"type": "string", "pattern": "^[a-z]$"}}, {"propertyNames": {"enum": ["a", "x"]}},
    {"enum": ["a", "b"]}, {"enum": [256, 512]}, {"enum": [1, True, None]}, {"enum": [[1], {"a": 1}]}, {"enum": [0.5, "1"]},
    {"const": 1}, {"const": True}, {"const": "a"}, {"const": None}, {"const": [1, "a"]}, {"const": {"x": 1}},
    {"oneOf": [{"required": ["a"]}, {"required": ["x"]}]}, {"oneOf": [{"type": "integer"}, {"type": "number"}]},
    {"oneOf": [{"minimum": 1}, {"maximum": 0}]}, True, False, {}, {"description": "an annotation only", "x-error": "x"},
    # The forms written inline (a string with bounds and a pattern; a branch that only requires keys), in each place.
    {"type": "object", "required": ["x"], "properties": {"x": {"type": "string", "minLength": 1, "maxLength": 2, "pattern": "^[a-z]"}}},
    {"properties": {"x": {"type": "string", "maxLength": 2}}}, {"items": {"type": "string", "minLength": 1}},
    {"additionalProperties": {"type": "string", "pattern": "^a"}},
    {"properties": {"a": {"type": "integer"}}, "additionalProperties": {"type": "string", "maxLength": 1}},
    {"propertyNames": {"type": "string", "minLength": 1, "maxLength": 1}},
    {"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["x", "a"]}, {"required": ["x"]}]},
    {"oneOf": [{"required": ["a"]}, {"type": "string"}]},
    {"properties": {"a\nb": {"type": "string"}, "it's": {"const": "\"\n"}}},  # names that must be escaped in the source
]
VALUES = [*HOSTILE, "a", "x", "ab", "abcde", "a\n", {"a": 1}, {"x": "s"}, {"x": 1, "a": 2}, {"a": 1.0}, [1], ["a"], ["a", "b"],
          ["a", 1], [1, 2, 2.0], [1, "a"], 512, 512.0, 65536, 0.25, {"a": "a", "x": "ab"}, {"a\nb": 1}, {"it's": "\"\n"}, {"a": "b"}]


@pytest.mark.parametrize("schema", KEYWORDS, ids=[json.dumps(s) for s in KEYWORDS])
def test_each_keyword_alone_gets_jsonschemas_verdict(schema):
    valid = schema_codegen.compiled(schema, "0" * 64)
    reference = schema_check.bounded_validator_class()(schema)
    for value in VALUES:
        for data in (value, [value], {"x": value}):
            assert valid(data) is _reference(data, reference), (schema, data)


@pytest.mark.parametrize("schema", [{"type": "string", "format": "email"}, {"not": {"type": "string"}},
                                    {"properties": {"x": {"contains": {"const": 1}}}}, {"$ref": "#/$defs/x"},
                                    {"items": [{"type": "string"}]}, {"type": "decimal"}, {"minLength": -1},
                                    {"pattern": "("}, {"patternProperties": {"^a": {}}}])
def test_a_keyword_the_generator_has_no_code_for_is_refused(schema):
    with pytest.raises(schema_codegen.Unsupported):
        schema_codegen.source(schema, "0" * 64)


@pytest.fixture
def edited_schema(tmp_path, monkeypatch):
    """schema_check reading an edited copy of the schema; its caches cleared before and after."""
    caches = [schema_check._schema_bytes, schema_check.schema, schema_check._inlined, schema_check._generated, schema_check._validator]

    def edit(change) -> None:
        copied = tmp_path / "portfolios.schema.json"
        schema = json.loads(schema_check.SCHEMA_PATH.read_text())
        change(schema)
        copied.write_text(json.dumps(schema, indent=2))
        monkeypatch.setattr(schema_check, "SCHEMA_PATH", copied)
        for cache in caches:
            cache.cache_clear()

    yield edit
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def _with_prefix(prefix: str) -> dict:
    data = copy.deepcopy(BASES[2])
    data["stack_prefix"] = prefix
    return data


def test_an_edited_schema_gets_a_validator_generated_in_memory(edited_schema):
    assert schema_check.check(_with_prefix("abcdef"), Marks(), "c.yaml") == []
    edited_schema(lambda s: s["properties"]["stack_prefix"].update(maxLength=4))
    generated = schema_check._generated()
    assert generated is not None and generated is not schema_validator.valid
    assert [p.code for p in schema_check.check(_with_prefix("abcdef"), Marks(), "c.yaml")] == ["schema/length"]
    assert schema_check.check(_with_prefix("abcd"), Marks(), "c.yaml") == []


def test_an_edited_schema_with_a_keyword_the_generator_lacks_falls_back_to_jsonschema(edited_schema):
    edited_schema(lambda s: s["properties"]["stack_prefix"].update({"not": {"const": "bad"}}))
    assert schema_check._generated() is None
    assert [p.code for p in schema_check.check(_with_prefix("bad"), Marks(), "c.yaml")] == ["schema/not"]
    assert schema_check.check(_with_prefix("good"), Marks(), "c.yaml") == []


def test_a_generated_validator_that_raises_leaves_the_verdict_to_jsonschema(monkeypatch):
    def raises(data):
        raise TypeError("a comparison nobody foresaw")

    monkeypatch.setattr(schema_check, "_generated", lambda: raises)
    assert schema_check.check(BASES[2], Marks(), "c.yaml") == []
    assert [p.code for p in schema_check.check(_with_prefix("UPPER"), Marks(), "c.yaml")] == ["schema/pattern"]


def test_unique_items_sets_and_tuples_have_an_identity():
    """Items no JSON document holds, which jsonschema's path once could not hash (an internal error)."""
    assert schema_runtime.unique([{1}, {2}]) and not schema_runtime.unique([{1}, {1}])
    assert not schema_runtime.unique([(1,), [1.0]]) and schema_runtime.unique([(True,), [1]])


def test_the_generated_module_imports_nothing_heavy():
    code = ("import sys; before = set(sys.modules); import generator.schema_validator\n"
            "print(sorted(m for m in set(sys.modules) - before if not m.startswith('generator')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.replace("'", '"')) == []
