"""JSON Schema validation that reports every error with a human message."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .loader.marks import Marks
from .problems import Problem, json_path
from .schema_runtime import unique as unique_items

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "config" / "portfolios.schema.json"

_TYPE_NAMES = {
    "object": "a mapping", "array": "a list", "string": "a string", "integer": "a whole number",
    "number": "a number", "boolean": "true or false", "null": "nothing",
}


@lru_cache(maxsize=1)
def _schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(_schema_bytes().decode("utf-8"))


def schema_sha256() -> str:
    """The schema file's sha256, which the generated validator records (schema_codegen)."""
    try:  # the C implementation hashlib itself falls back to, without importing OpenSSL (~3 ms)
        from _sha2 import sha256  # Python 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # Python 3.11
        except ImportError:
            from hashlib import sha256
    return sha256(_schema_bytes()).hexdigest()


def _inline(node, defs: dict):
    """The schema with every local $ref replaced by its target.

    The schema has no recursion, so this terminates; it spares jsonschema a
    reference lookup per value, which is most of its time on a large file.
    """
    if isinstance(node, dict):
        if "$ref" in node and node["$ref"].startswith("#/$defs/"):
            target = _inline(defs[node["$ref"][len("#/$defs/"):]], defs)
            rest = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
            merged = {**target, **rest}  # the referring description wins ...
            if "description" in target:  # ... but messages about format use the target's
                merged["x-format"] = target.get("x-format", target["description"])
            return merged
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _search(pattern: str, text: str) -> bool:
    return _regex(pattern).search(text) is not None


# Two keywords whose cost jsonschema lets grow faster than the file (tests/test_schema_work.py):
# a pattern runs even on a string far over its maxLength, where a backtracking
# regex is quadratic (hours for a 1 MB value), and uniqueItems compares every pair
# of items when they cannot be sorted (a mapping among strings). Here a pattern
# never runs past its bound, every pattern has one, and items are hashed.
def _pattern(validator, pattern, instance, subschema):
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "string"):
        return
    if len(instance) > subschema.get("maxLength", len(instance)):
        return  # maxLength reports the value; its pattern would be work without a verdict
    if not _search(pattern, instance):
        yield ValidationError(f"{_short(instance)} does not match {pattern!r}")


def _unique_items(validator, unique, instance, subschema):
    from jsonschema.exceptions import ValidationError

    if unique and validator.is_type(instance, "array") and not unique_items(instance):
        yield ValidationError("list has the same entry more than once")


@lru_cache(maxsize=1)
def _inlined() -> dict:
    full = schema()
    return _inline(full, full.get("$defs", {}))


@lru_cache(maxsize=1)
def _generated():
    """``valid(data)`` generated from the schema (schema_codegen), or None where only jsonschema can tell.

    The committed module is used only for the schema it was generated from:
    a schema edited since gets its validator generated here, in memory.
    """
    digest = schema_sha256()
    try:
        from . import schema_validator
    except ImportError:  # deleted, or a copy of the package without it: generated here instead
        schema_validator = None
    if schema_validator is not None and schema_validator.SCHEMA_SHA256 == digest:
        return schema_validator.valid
    from . import schema_codegen

    try:
        return schema_codegen.compiled(_inlined(), digest)
    except schema_codegen.Unsupported:
        return None


def _valid_fast(data) -> bool:
    """True: valid. False: invalid, or the generated validator cannot tell; jsonschema then decides."""
    valid = _generated()
    if valid is None:
        return False
    try:
        return valid(data) is True
    except Exception:  # a value nobody foresaw (a type whose comparison raises): jsonschema reports it
        return False


@lru_cache(maxsize=1)
def bounded_validator_class():
    """Draft 2020-12 with the bounded ``pattern`` and hashed ``uniqueItems`` above: the verdicts the happy path must give."""
    # Imported here: jsonschema is the slowest import on the validate path and
    # only an invalid config (see check) needs it.
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern, "uniqueItems": _unique_items})


@lru_cache(maxsize=1)
def _validator():
    return bounded_validator_class()(_inlined())


def _type_of(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "nothing (null)"
    return {dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unsafe_character(value: str) -> str:
    """The first character that no pattern of the schema admits in a name (see generator/printable.py), described."""
    from .printable import unsafe

    for i, ch in enumerate(value):
        if unsafe(ch):
            name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "a control character")
            return f"{name} (U+{ord(ch):04X}) at character {i + 1}"
    return ""


_CONTROL_NAMES = {"\n": "a line feed", "\r": "a carriage return", "\t": "a tab", "\x1b": "an escape (ESC)", "\x00": "a NUL"}


def _best(error):
    from jsonschema.exceptions import best_match

    while error.context and "x-error" not in error.schema:
        error = best_match(error.context)
    return error


def _expected(s: dict) -> str:
    desc = s.get("x-format", s.get("description", "")).rstrip(".")
    first = desc.split(" ", 1)[0]
    if first == first.capitalize():  # "A mapping" -> "a mapping"; a name such as "CodeCommit" or "ECR" keeps its case
        desc = desc[:1].lower() + desc[1:]
    return f"expected {desc}" if desc else ""


def _messages(error) -> list[tuple[str, str, tuple, bool]]:
    """(code, message, path, point-at-key) for one jsonschema error."""
    path = tuple(error.absolute_path)
    kind = error.validator
    s = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if kind in ("oneOf", "anyOf") and "x-error" in s:
        return [("schema/one-of", s["x-error"], path, False)]
    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(s.get("properties", {}))
        out = []
        for key in sorted(set(value) - set(known)):
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            msg = f"unknown key '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else (f"; expected one of: {', '.join(known)}" if known else ""))
            out.append(("schema/unknown-key", msg, path + (key,), True))
        return out
    if kind == "required":
        # One error per missing key; its message names the key. Older
        # jsonschema releases named all of them: take the first still missing.
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        keys = [k for k in missing if repr(k) in error.message][:1] or missing[:1]
        # Point at the key that holds the incomplete mapping, not its first entry.
        return [("schema/required", f"missing required key '{k}'", path, True) for k in keys]
    if kind == "type":
        want = error.validator_value
        want_text = " or ".join(_TYPE_NAMES.get(t, t) for t in (want if isinstance(want, list) else [want]))
        return [("schema/type", f"expected {want_text}, got {_type_of(value)} {_short(value)}", path, False)]
    if kind == "propertyNames":
        return [("schema/key-name", f"key {_short(value)} is not allowed here: {s.get('description', 'invalid name')}", path + (value,), True)]
    if kind == "pattern" and isinstance(value, str) and (bad := _unsafe_character(value)):
        return [("schema/pattern", f"invalid value {_short(value)}: it holds {bad}; names and text in this file may not "
                                   f"hold control, format or line-separator characters", path, False)]
    if kind == "pattern":
        what = _expected(s) or f"must match {error.validator_value}"
        return [("schema/pattern", f"invalid value {_short(value)}: {what}", path, False)]
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        return [("schema/enum", f"{_short(value)} is not allowed; expected {' or '.join(_short(o) for o in options)}", path, False)]
    if kind in ("maxLength", "minLength"):
        bound = "at most" if kind == "maxLength" else "at least"
        # Over its bound a value is not matched against its pattern (_pattern): say what the pattern wants instead.
        what = f"; {_expected(s)}" if "pattern" in s and _expected(s) else ""
        return [("schema/length", f"{len(value):,} characters long; must be {bound} {error.validator_value}{what}", path, False)]
    if kind in ("maxItems", "minItems"):
        bound = "at most" if kind == "maxItems" else "at least"
        return [("schema/count", f"{len(value)} entries; must have {bound} {error.validator_value}", path, False)]
    if kind in ("maxProperties", "minProperties"):
        bound = "at most" if kind == "maxProperties" else "at least"
        return [("schema/count", f"{len(value)} keys; must have {bound} {error.validator_value}", path, False)]
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return [("schema/range", f"{_short(value)} is out of range; must be {bound} {error.validator_value}", path, False)]
    if kind == "uniqueItems":
        return [("schema/duplicate", "list has the same entry more than once", path, False)]
    return [(f"schema/{kind}", error.message, path, False)]


def check(data, marks: Marks, file: str) -> list[Problem]:
    if _valid_fast(data):  # valid: no error to locate, jsonschema not even imported
        return []
    problems: dict[Problem, None] = {}  # ordered, and a problem reported twice is shown once
    for raw in _validator().iter_errors(data):
        error = _best(raw)
        for code, message, path, at_key in _messages(error):
            line, column = marks.locate(path, key=at_key)
            problems[Problem(file, line, column, code, message, json_path(path))] = None
    return list(problems)
