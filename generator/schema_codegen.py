"""The schema's happy path, written as Python source: one function per subschema, True when the value is valid.

jsonschema interprets the schema: for every value it looks keywords up,
dispatches, and builds error objects lazily. For a valid file none of that
is needed, so this module turns the inlined schema (``schema_check._inlined``)
into straight-line Python, as fastjsonschema does: type tests, length tests,
set lookups, and ``re`` searches compiled on first use. The answer is only
"valid" or "not valid"; on "not valid" ``schema_check`` runs jsonschema,
which reports every error as before.

The verdict must be jsonschema's (``schema_check._validator``): Draft 2020-12
with the project's bounded ``pattern`` and hashed ``uniqueItems``. So each
keyword below is written to that validator's semantics (a keyword applies
only to values of its type; ``integer`` takes 1.0 and refuses true; enum,
const and uniqueItems use ``schema_runtime``), and a keyword this module has
no code for makes it refuse (``Unsupported``): the caller then falls back to
jsonschema rather than pass what it never checked.

``generator/schema_validator.py`` is this module's output for
``config/portfolios.schema.json``, committed so that no process pays for
generating it; ``python -m generator.schema_codegen --write`` rewrites it and
a test fails when it is stale. It records the schema file's sha256:
``schema_check`` uses it only for that schema, and otherwise generates the
source in memory (``compiled``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "schema_validator.py"
COMMAND = "python -m generator.schema_codegen --write"

# Keywords that change no verdict (jsonschema ignores x-* and reads none of these).
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "default", "examples", "x-error", "x-format"})

# The keywords there is code for, by the type of value they apply to (the first line: any value).
# Anything else is refused.
KEYWORDS = frozenset({
    "type", "enum", "const", "oneOf",
    "minLength", "maxLength", "pattern",
    "minimum", "maximum",
    "minItems", "maxItems", "items", "uniqueItems",
    "minProperties", "maxProperties", "required", "properties", "additionalProperties", "propertyNames",
})

# What ``is_type`` means in jsonschema's Draft 2020-12 type checker, for a value named x.
_TYPE_TESTS = {
    "string": "isinstance(x, str)",
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
    "boolean": "isinstance(x, bool)",
    "null": "x is None",
    "integer": "_integer(x)",
    "number": "_number(x)",
}
# The types a keyword's guard stands for: once "integer" holds, "number" keywords need no guard.
_IMPLIES = {"integer": {"integer", "number"}}

# Names the generated module takes from schema_runtime, and the code that calls each.
_RUNTIME = {"Pattern": "_Pattern(", "any_equal": "_any_equal(", "integer": "_integer(", "number": "_number(", "unique": "_unique("}  # isort's order


class Unsupported(Exception):
    """The schema holds something this generator has no code for: jsonschema must check it."""


def _literal(value) -> str:
    """A JSON value as a Python literal (repr of what json.loads returns is one)."""
    return repr(value)


def _set_literal(values) -> str:
    """A frozenset's literal in one order: repr of a set follows the hashes, which differ between processes."""
    members = sorted({_literal(v) for v in values})
    return f"frozenset(({', '.join(members)},))" if members else "frozenset()"


class _Writer:
    def __init__(self) -> None:
        self.functions: dict[str, str] = {}  # the subschema's canonical text -> its function's name
        self.blocks: list[str] = []
        self.constants: dict[str, str] = {}  # literal -> name
        self.patterns: dict[str, str] = {}  # pattern -> name

    def constant(self, literal: str, prefix: str) -> str:
        if literal not in self.constants:
            self.constants[literal] = f"_{prefix}{len(self.constants)}"
        return self.constants[literal]

    def pattern(self, pattern: str, where: str) -> str:
        if not isinstance(pattern, str):
            raise Unsupported(f"{where}: pattern is not a string")
        try:
            re.compile(pattern)
        except re.error as e:
            raise Unsupported(f"{where}: pattern {pattern!r} does not compile: {e}") from None
        if pattern not in self.patterns:
            self.patterns[pattern] = f"_p{len(self.patterns)}"
        return self.patterns[pattern]

    def function(self, node, where: str) -> str:
        """The name of a function that says whether a value is valid against ``node``."""
        if isinstance(node, bool):
            key = json.dumps(node)
        elif isinstance(node, dict):
            key = json.dumps({k: v for k, v in node.items() if k not in ANNOTATIONS}, sort_keys=True)
        else:
            raise Unsupported(f"{where}: a schema must be an object or a boolean")
        if key in self.functions:
            return self.functions[key]
        name = self.functions[key] = f"_v{len(self.functions)}"
        slot = len(self.blocks)
        self.blocks.append("")  # children are written after their parent, in the order met
        self.blocks[slot] = self._body(name, node, where)
        return name

    def _body(self, name: str, node, where: str) -> str:
        head = [f"def {name}(x):", f"    # {json.dumps(where or '/')[1:-1]}"]  # escaped: a key may hold a line end
        if _trivial(node):
            return "\n".join([*head, "    return True"])
        if node is False:
            return "\n".join([*head, "    return False"])
        unknown = sorted(set(node) - ANNOTATIONS - KEYWORDS)
        if unknown:
            raise Unsupported(f"{where or '/'}: keyword {unknown[0]!r} has no generated code")
        lines: list[str] = []
        types = node.get("type")
        known: set[str] | None = None  # the types x may have past the type test (None: any)
        if types is not None:
            names = types if isinstance(types, list) else [types]
            if not names or any(t not in _TYPE_TESTS for t in names):
                raise Unsupported(f"{where}: type {types!r}")
            test = " or ".join(_TYPE_TESTS[t] for t in names)
            lines.append(f"if not ({test}):" if len(names) > 1 else f"if not {test}:")
            lines.append("    return False")
            known = set().union(*(_IMPLIES.get(t, {t}) for t in names))
        for kind in ("string", "number", "array", "object"):
            body = getattr(self, f"_{kind}")(node, where)
            if not body or (known is not None and kind not in known):
                continue  # no keyword of this type, or x cannot be of it
            if known == {kind} or (kind == "number" and known is not None and known <= {"integer", "number"}):
                lines += body
            else:
                lines.append(f"if {_TYPE_TESTS[kind]}:")
                lines += ["    " + line for line in body]
        lines += self._any(node, where, known)
        return "\n".join([*head, *("    " + line for line in lines), "    return True"])

    def _string(self, node: dict, where: str) -> list[str]:
        # The bounds first: a string over its maxLength never reaches a (maybe backtracking) pattern.
        out = _lengths(node, "minLength", "maxLength", where)
        if "pattern" in node:
            out += [f"if {self.pattern(node['pattern'], where)}.search(x) is None:", "    return False"]
        return out

    def _number(self, node: dict, where: str) -> list[str]:
        out = []
        for key, op in (("minimum", "<"), ("maximum", ">")):
            if key in node:
                bound = node[key]
                if isinstance(bound, bool) or not isinstance(bound, (int, float)):
                    raise Unsupported(f"{where}: {key} {bound!r}")
                out += [f"if x {op} {_literal(bound)}:", "    return False"]
        return out

    def _array(self, node: dict, where: str) -> list[str]:
        out = _lengths(node, "minItems", "maxItems", where)
        items = node.get("items", True)
        if items is not True:
            out += self._each(items, where + "/items", "x")
        unique = node.get("uniqueItems", False)
        if not isinstance(unique, bool):
            raise Unsupported(f"{where}: uniqueItems {unique!r}")
        if unique:
            # Past an items schema of type string every item is a str, and strings are equal only by ==.
            if isinstance(items, dict) and items.get("type") == "string":
                out += ["if len(set(x)) != len(x):", "    return False"]
            else:
                out += ["if not _unique(x):", "    return False"]
        return out

    def _object(self, node: dict, where: str) -> list[str]:
        out = _lengths(node, "minProperties", "maxProperties", where)
        required = node.get("required", [])
        if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
            raise Unsupported(f"{where}: required {required!r}")
        required = list(dict.fromkeys(required))
        if required:
            out += [f"if {' or '.join(f'{_literal(k)} not in x' for k in required)}:", "    return False"]
        properties = node.get("properties", {})
        if not isinstance(properties, dict):
            raise Unsupported(f"{where}: properties {properties!r}")
        extra = node.get("additionalProperties", True)
        known = self.constant(_set_literal(properties), "k") if properties else None
        if extra is False:
            out += [f"if not {known}.issuperset(x):" if known else "if x:", "    return False"]
        for key, child in properties.items():
            if _trivial(child):
                continue  # valid whatever it holds: nothing to call
            lines = self._one(child, f"{where}/properties/{key}", f"x[{_literal(key)}]")
            out += lines if key in required else [f"if {_literal(key)} in x:", *("    " + line for line in lines)]
        if "propertyNames" in node:
            out += self._each(node["propertyNames"], where + "/propertyNames", "x")
        if extra is not True and extra is not False:
            if known:
                test = self._inline(extra, where) or f"{self.function(extra, where + '/additionalProperties')}(v)"
                out += ["for k, v in x.items():", f"    if k not in {known} and not ({test}):", "        return False"]
            else:
                out += self._each(extra, where + "/additionalProperties", "x.values()")
        return out

    def _inline(self, node, where: str) -> str | None:
        """For a string with bounds and a pattern only (most values), its test as an expression on v: no call."""
        if not isinstance(node, dict) or node.get("type") != "string" or set(node) - ANNOTATIONS - _STRING_LEAF:
            return None
        # The bounds first, as in _string: the "and" stops before the pattern.
        tests = ["isinstance(v, str)"]
        low = f"{_count(node, 'minLength', where)} <= " if "minLength" in node else ""
        high = f" <= {_count(node, 'maxLength', where)}" if "maxLength" in node else ""
        if low or high:
            tests.append(f"{low}len(v){high}")
        if "pattern" in node:
            tests.append(f"{self.pattern(node['pattern'], where)}.search(v) is not None")
        return " and ".join(tests)

    def _one(self, node, where: str, value: str) -> list[str]:
        """Lines that return False unless ``value`` is valid against ``node``."""
        inline = self._inline(node, where)
        if inline:
            return [f"v = {value}", f"if not ({inline}):", "    return False"]
        return [f"if not {self.function(node, where)}({value}):", "    return False"]

    def _each(self, node, where: str, values: str) -> list[str]:
        """Lines that return False unless every one of ``values`` is valid against ``node``."""
        inline = self._inline(node, where)
        if inline:
            return [f"for v in {values}:", f"    if not ({inline}):", "        return False"]
        return [f"if not all(map({self.function(node, where)}, {values})):", "    return False"]

    @staticmethod
    def _required_only(node, known: set[str] | None) -> str | None:
        """A branch such as {"required": ["launch"]} (one of several keys) as an expression on x: no call."""
        if not isinstance(node, dict) or set(node) - ANNOTATIONS != {"required"} or not isinstance(node["required"], list):
            return None
        keys = list(dict.fromkeys(node["required"]))
        if not keys or not all(isinstance(k, str) for k in keys):
            return None
        present = " and ".join(f"{_literal(k)} in x" for k in keys)
        return f"({present})" if known == {"object"} else f"(not isinstance(x, dict) or {present})"

    def _any(self, node: dict, where: str, known: set[str] | None) -> list[str]:
        out = []
        for key in ("enum", "const"):
            if key not in node:
                continue
            options = node[key] if key == "enum" else [node[key]]
            if not isinstance(options, list):
                raise Unsupported(f"{where}: enum {options!r}")
            values = self.constant(_literal(tuple(options)), "e")
            plain = all(type(v) in (str, int, float, type(None)) for v in options)
            if plain:  # for these classes on both sides, set membership is JSON equality
                members = self.constant(_set_literal(options), "s")
                out += [f"if not (x in {members} if x.__class__ in _PLAIN else _any_equal(x, {values})):", "    return False"]
            else:
                out += [f"if not _any_equal(x, {values}):", "    return False"]
        if "oneOf" in node:
            branches = node["oneOf"]
            if not isinstance(branches, list) or not branches:
                raise Unsupported(f"{where}: oneOf {branches!r}")
            calls = [self._required_only(b, known) or f"{self.function(b, f'{where}/oneOf/{i}')}(x)" for i, b in enumerate(branches)]
            out += [f"if ({' + '.join(calls)}) != 1:", "    return False"]
        return out


_STRING_LEAF = frozenset({"type", "minLength", "maxLength", "pattern"})


def _trivial(node) -> bool:
    return node is True or (isinstance(node, dict) and not set(node) - ANNOTATIONS)


def _lengths(node: dict, low: str, high: str, where: str) -> list[str]:
    out = []
    if low in node:
        out += [f"if len(x) < {_count(node, low, where)}:", "    return False"]
    if high in node:
        out += [f"if len(x) > {_count(node, high, where)}:", "    return False"]
    return out


def _count(node: dict, key: str, where: str) -> int:
    value = node[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Unsupported(f"{where}: {key} {value!r}")
    return value


def source(schema: dict, sha256: str) -> str:
    """The module's text: ``valid(x)`` for ``schema``, and the sha256 of the file it was read from."""
    writer = _Writer()
    root = writer.function(schema, "")
    body = "\n\n\n".join(writer.blocks)
    patterns = [f"{name} = _Pattern({_literal(p)})" for p, name in writer.patterns.items()]
    used = "\n".join([body, *patterns])
    imports = [f"from generator.schema_runtime import {name} as _{name}" for name, call in _RUNTIME.items() if call in used]
    return "\n".join([
        f"# Generated from config/portfolios.schema.json by `{COMMAND}`; do not edit.",
        '"""Says whether a configuration is valid against the schema: the happy path of schema_check (see schema_codegen)."""',
        "",
        *imports,
        "",
        "# Classes whose set membership is JSON equality (bool is not one).",
        "_PLAIN = (str, int, float, type(None))",
        "",
        f"SCHEMA_SHA256 = {sha256!r}",
        "",
        *(f"{name} = {literal}" for literal, name in writer.constants.items()),
        "",
        *patterns,
        "",
        "",
        "def valid(x):",
        f"    return {root}(x)",
        "",
        "",
        body,
        "",
    ])


def compiled(schema: dict, sha256: str):
    """``valid`` for ``schema``, generated and run in memory (a schema the committed module was not made from)."""
    namespace: dict = {"__name__": "generator.schema_validator_in_memory"}
    exec(compile(source(schema, sha256), "<generated schema validator>", "exec"), namespace)
    return namespace["valid"]


def main(argv: list[str]) -> int:
    from .schema_check import _inlined, schema_sha256

    text = source(_inlined(), schema_sha256())
    if argv == ["--write"]:
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT}")
        return 0
    if argv == ["--check"]:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    print(f"usage: python -m generator.schema_codegen --write | --check\n{__doc__.splitlines()[0]}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
