"""The happy path of schema validation: a compiled validator that says "valid" in a millisecond.

jsonschema-rs (a Rust implementation of draft 2020-12) checks the same
inlined schema that jsonschema does. When it says valid, nothing else runs;
otherwise ``schema_check`` runs jsonschema, which reports every error with
its location and message as before. So the answer a user sees always comes
from jsonschema, and the two only need to agree on "valid", which they do by
construction:

- each ``pattern`` is rewritten for jsonschema-rs's ECMA-262 dialect with
  Python's meaning (``regex_dialect``), or, where that cannot be spelled out,
  checked by Python's ``re`` through a custom keyword;
- Rust has no NaN or infinity: where a schema compares or types numbers, a
  custom keyword notes such a value, and an invalid document is searched for
  one (validation stops at the first failure, maybe before the keyword);
  either makes the verdict "cannot tell";
- data jsonschema-rs cannot take (a lone surrogate, a key that is not a
  string) also gives "cannot tell";
- a ``patternProperties`` key is a regex no keyword can stand in for: it is
  translated, and a schema with one that cannot be gets no fast validator.

Without jsonschema-rs (a platform without a wheel) every verdict is "cannot
tell" and jsonschema does all the work, as before.
"""

from __future__ import annotations

import math
import re

from .regex_dialect import translate

PYTHON_PATTERN = "x-python-pattern"
NON_FINITE = "x-non-finite"

# Keywords whose value is a schema, a list of schemas, or a map of names to schemas:
# the only places a rewrite descends into (enum, const, default hold data).
_SCHEMA = {"additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
           "unevaluatedItems", "unevaluatedProperties", "additionalItems"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SCHEMA_MAPS = {"properties", "$defs", "dependentSchemas"}
# Where Python and Rust can differ on NaN and infinity (Rust cannot represent them).
_NUMERIC = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const", "uniqueItems"}


class _NoFastValidator(Exception):
    """The schema has something only jsonschema can check as jsonschema does."""


class _PythonPattern:
    """``pattern`` as jsonschema checks it: ``re.search``."""

    def __init__(self, parent_schema, value, schema_path):
        self._search = re.compile(value).search

    def validate(self, instance):
        if isinstance(instance, str) and not self._search(instance):
            raise ValueError("does not match")


class _NonFinite:
    """Notes NaN and infinity (also inside lists) where the schema constrains numbers."""

    seen = False  # reset before each validation; the CLI validates on one thread

    def __init__(self, parent_schema, value, schema_path):
        pass

    def validate(self, instance):
        if _has_non_finite(instance):
            _NonFinite.seen = True


def _has_non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list):
        return any(_has_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    return False


def rewrite(schema):
    """The schema as jsonschema-rs is given it: patterns in its dialect or left to ``re``."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "pattern" and isinstance(value, str):
            ecma = translate(value)
            if ecma is None:
                out[PYTHON_PATTERN] = value
            else:
                out[key] = ecma
        elif key in _SCHEMA:
            out[key] = rewrite(value)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [rewrite(v) for v in value]
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: rewrite(v) for name, v in value.items()}
        elif key == "patternProperties" and isinstance(value, dict):
            translated = {pattern: translate(pattern) for pattern in value}
            if None in translated.values():
                raise _NoFastValidator(f"patternProperties key {next(p for p, t in translated.items() if t is None)!r}")
            out[key] = {translated[pattern]: rewrite(v) for pattern, v in value.items()}
        else:
            out[key] = value
    types = schema.get("type")
    if _NUMERIC & schema.keys() or "number" in (types if isinstance(types, list) else [types]):
        out[NON_FINITE] = True
    return out


def compiled(schema: dict):
    """A compiled validator for ``schema``, or None without jsonschema-rs."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        fast = rewrite(schema)
    except _NoFastValidator:
        return None
    return jsonschema_rs.Draft202012Validator(fast, keywords={PYTHON_PATTERN: _PythonPattern, NON_FINITE: _NonFinite})


def verdict(validator, data) -> bool | None:
    """True: valid. False: invalid. None: cannot tell, ask jsonschema."""
    if validator is None:
        return None
    _NonFinite.seen = False
    try:
        valid = validator.is_valid(data)
    except Exception:  # data Rust cannot hold (lone surrogates, non-string keys): jsonschema decides
        return None
    if _NonFinite.seen or (not valid and _has_non_finite(data)):
        return None
    return valid
