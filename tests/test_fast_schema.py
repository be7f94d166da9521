"""The compiled validator (jsonschema-rs) and jsonschema agree, so the fast path changes no verdict.

The fast verdict is True (valid), False (invalid) or None (cannot tell). The
property: True implies jsonschema finds no error, False implies it finds
one. Patterns are the usual place two regex dialects part, so every pattern
in the live schema is checked on its own too: when package owners edit the
schema, these tests check the new patterns without being told.
"""

from __future__ import annotations

import copy
import functools
import re
import subprocess
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import fast_schema, regex_dialect, schema_check
from generator.loader import yaml_source

from .buildutil import paths
from .conftest import CONFIGS, ROOT

jsonschema_rs = pytest.importorskip("jsonschema_rs")

BASES = [yaml_source.load(CONFIGS / "valid" / f"{name}.yaml")[0] for name in ("every-constraint", "minimal", "anchors-and-merge")]


def _patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


PATTERNS = sorted(set(_patterns(schema_check.schema())))

# Characters where Python's re and ECMA-262 part ways, and the usual suspects:
# line ends, C0 and C1 controls, every Unicode space, a BOM, non-ASCII
# letters and digits, an astral character, and the regex metacharacters.
EDGES = ("\n\r\t\x0b\x0c\x00\x1c\x1d\x1e\x1f\x7f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u205f\u3000\ufeff"
         "é߀٣²ǅ\u0301_-./:@+=,*?^$[](){}\\|~#' \"aZ09\U0001f600")


def _alphabet(pattern: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(set(EDGES) | set(pattern)))


def _texts(pattern: str) -> st.SearchStrategy[str]:
    """Random strings, and strings that match, as they are and with one edge character put in."""
    random = st.text(alphabet=_alphabet(pattern), max_size=40)
    try:
        matching = st.from_regex(pattern)
        matching.validate()
    except Exception:  # a construct hypothesis cannot generate from (lookbehind): random strings only
        return random
    damaged = st.tuples(matching, st.integers(0, 80), st.sampled_from(EDGES)).map(
        lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:])
    return st.one_of(random, matching, damaged)


@functools.cache
def _rust(pattern: str):
    return jsonschema_rs.Draft202012Validator({"pattern": pattern})


def test_python_space_set_is_what_re_means_by_backslash_s():
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    spaces = {ord(ch) for ch in re.findall(r"\s", every)}
    assert spaces == {i for lo, hi in regex_dialect.PYTHON_SPACE for i in range(lo, hi + 1)}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_schema_pattern_is_translated_or_left_to_re(pattern):
    ecma = regex_dialect.translate(pattern)
    if ecma is not None:
        _rust(ecma)  # compiles


TRANSLATED = [p for p in PATTERNS if regex_dialect.translate(p) is not None]  # the others are checked by re itself


@given(data=st.data())
def test_translated_schema_patterns_match_what_re_matches(data):
    pattern = data.draw(st.sampled_from(TRANSLATED))
    ecma = regex_dialect.translate(pattern)
    text = data.draw(_texts(pattern))
    assert _rust(ecma).is_valid(text) == bool(re.search(pattern, text)), (pattern, ecma, text)


CONSTRUCTS = [
    r"^a$", r"^a\Z", r"\Aa", r"^[^\s]+$", r"^\S+$", r"^[\s]$", r"^[^\S]$", r"^.+$", r"^a.*?b$", r"^(?:ab|cd)+$",
    r"^[a-z]{2,3}(?=-)", r"(?<![/.])$", r"^(?!.*\.\.)[^@]+$", r"^x{0,2}?y", r"^[\x00-\x1f]", r"[^\x00-\x1f\x7f]*$",
    r"^é+$", "^\U0001f600$", r"^[\u2000-\u200a]$", r"^a|b$", r"^(a(b)?)+$", r"^[-a]$", r"^[a\-z]$", r"^[]a]$",
    r"^a$(?![\s\S])", r"a[\s\S]b", r"a[^\s\S]", r"[\S\sx]",
]


@given(pattern=st.sampled_from(CONSTRUCTS), text=st.text(alphabet=st.sampled_from(sorted(set(EDGES) | set("abxy-"))), max_size=12))
@example(pattern=r"^a$", text="a\n")
@example(pattern=r"^a$", text="a\n\n")
@example(pattern=r"^\S+$", text="a\x1f")
def test_constructs_translate_to_the_same_meaning(pattern, text):
    ecma = regex_dialect.translate(pattern)
    assert ecma is not None, pattern
    assert _rust(ecma).is_valid(text) == bool(re.search(pattern, text)), (pattern, ecma, text)


@pytest.mark.parametrize("pattern", [r"^\w+$", r"^\d$", r"\bword", r"(?i)^abc$", r"(a)\1", r"(?m)^a$", r"(?s)^.$", "(?>a)", "a++"])
def test_constructs_whose_meaning_differs_are_left_to_re(pattern):
    assert regex_dialect.translate(pattern) is None


def _slow_errors(data) -> bool:
    return any(True for _ in schema_check._validator().iter_errors(data))


def _agree(data) -> None:
    verdict = fast_schema.verdict(schema_check._fast(), data)
    if verdict is True:
        assert not _slow_errors(data), "fast says valid, jsonschema finds an error"
    elif verdict is False:
        assert _slow_errors(data), "fast says invalid, jsonschema finds none"


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80), st.floats(),
    st.sampled_from([2**63, 2**64, -(2**63) - 1, 10**30, 1.0, 80.0, 0.5, float("nan"), float("inf"), -0.0]),
    st.text(alphabet=st.sampled_from(EDGES), max_size=12),
)


def _variants(value) -> st.SearchStrategy:
    """A string damaged the ways dialects disagree on; anything else replaced."""
    if isinstance(value, str):
        return st.one_of(
            st.sampled_from([value + "\n", value + "\n\n", value + "\x1f", "\x1c" + value, value + "\ufeff", value + "\x85",
                             value.upper(), value + "é", value + "\U0001f600", value.replace("-", "\u2010"), value + " ", ""]),
            st.tuples(st.integers(0, len(value)), st.sampled_from(EDGES)).map(lambda t: value[:t[0]] + t[1] + value[t[0]:]),
            SCALARS)
    return SCALARS


@st.composite
def mutated(draw):
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        all_paths = [p for p in paths(data) if p]
        path = draw(st.sampled_from(all_paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["vary", "vary", "vary", "delete", "add-key"]))
        if action == "vary":
            parent[path[-1]] = draw(_variants(parent[path[-1]]))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "name", "pattern", "Description", "é"]))] = draw(SCALARS)
    return data


@given(mutated())
def test_fast_and_slow_verdicts_agree(data):
    _agree(data)


@pytest.mark.parametrize("base", range(len(BASES)))
def test_the_fixtures_are_valid_on_the_fast_path(base):
    assert fast_schema.verdict(schema_check._fast(), BASES[base]) is True


def test_data_rust_cannot_hold_is_left_to_jsonschema():
    data = copy.deepcopy(BASES[0])
    data["region"] = "us-east-1\ud800"  # a lone surrogate: YAML's "\ud800" escape makes one
    assert fast_schema.verdict(schema_check._fast(), data) is None


def test_nan_where_numbers_are_compared_is_left_to_jsonschema():
    schema = {"type": "object", "properties": {"n": {"maximum": 5}, "m": {"type": "number"}}}
    validator = fast_schema.compiled(schema)
    assert fast_schema.verdict(validator, {"n": float("inf")}) is None  # Rust ignores it, Python says too large
    assert fast_schema.verdict(validator, {"m": float("nan")}) is None  # Rust says not a number, Python says it is
    assert fast_schema.verdict(validator, {"n": 4}) is True and fast_schema.verdict(validator, {"n": 6}) is False


def test_a_schema_keyword_named_like_a_property_is_not_rewritten():
    schema = {"type": "object", "properties": {"pattern": {"const": "^a$"}}, "default": {"pattern": "x"}}
    rewritten = fast_schema.rewrite(schema)
    assert rewritten["properties"]["pattern"] == {"const": "^a$", fast_schema.NON_FINITE: True}
    assert rewritten["default"] == {"pattern": "x"}


def test_pattern_properties_are_translated_or_the_schema_gets_no_fast_validator():
    translatable = {"type": "object", "patternProperties": {"^a$": {"type": "string"}}}
    assert fast_schema.verdict(fast_schema.compiled(translatable), {"a\n": 1}) is False  # Python's '$' matches before '\n'
    assert fast_schema.verdict(fast_schema.compiled(translatable), {"a\n\n": 1}) is True
    assert fast_schema.compiled({"type": "object", "patternProperties": {r"^\w+$": {"type": "string"}}}) is None


def test_without_jsonschema_rs_jsonschema_does_everything():
    code = (
        "import sys; sys.modules['jsonschema_rs'] = None\n"  # what an interpreter without the wheel sees
        "from generator.config_loader import load_config\n"
        "from generator.core.exceptions import ConfigError\n"
        f"load_config({str(CONFIGS / 'valid' / 'minimal.yaml')!r})\n"
        "try:\n"
        f"    load_config({str(CONFIGS / 'invalid' / 'misspelled-products.yaml')!r})\n"
        "except ConfigError as e:\n"
        "    print(sorted({p.code for p in e.problems}))\n"
        "print('jsonschema' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["['schema/unknown-key']", "True"]
