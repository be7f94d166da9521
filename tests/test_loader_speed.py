"""The loader's quicker paths answer as the slower ones they replace."""

from __future__ import annotations

from typing import ClassVar

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from generator.loader import depth, yaml_source
from generator.loader.problem import MAX_DEPTH, Loader

from .conftest import CONFIGS, ROOT

# Scalars that look like YAML 1.1's implicit types, and anything else.
LOOKALIKES = st.sampled_from(["", "~", "null", "Null", "yes", "No", "on", "OFF", "true", "0", "-1", "+1", "0x1F", "0o17", "017",
                              "1_000", "1:20", "1.5", ".5", "-.inf", ".NaN", "1e3", "1.0e+3", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
                              "<<", "=", "!x", "&a", "*a", "123abc", "y", "n"])
SCALARS = st.one_of(LOOKALIKES, st.text(max_size=12), LOOKALIKES.map(lambda s: s + " "), LOOKALIKES.map(lambda s: " " + s))


@given(SCALARS, st.booleans(), st.booleans())
def test_same_tag_as_pyyaml(value, plain, quoted):
    fast = yaml_source._ComposingLoader("")
    slow = Loader("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            assert fast.resolve(kind, value, (plain, quoted)) == slow.resolve(kind, value, (plain, quoted))
    finally:
        fast.dispose()
        slow.dispose()


def test_a_loader_with_path_resolvers_is_kept_as_it_is():
    class WithPaths(Loader):
        yaml_path_resolvers: ClassVar[dict] = {("x",): "tag:x"}

    assert yaml_source._fast_loader(WithPaths) is WithPaths


def _deep_suspect_before(text: str) -> bool:
    """guard_depth's pre-check as it was: every bracket walked, the long pattern searched."""
    level = deepest = 0
    for match in depth._BRACKETS.finditer(text):
        level = level + 1 if match.group() in "[{" else max(level - 1, 0)
        deepest = max(deepest, level)
    return deepest > MAX_DEPTH or bool(depth._INLINE_BLOCKS.search(text))


def _deep_suspect_now(text: str) -> bool:
    return depth._flow_bound(text) > MAX_DEPTH or bool(depth._TWO_INLINE_BLOCKS.search(text) and depth._INLINE_BLOCKS.search(text))


PIECES = st.sampled_from(["- ", "-\t", "? ", "-", "?", " ", "\t", "\n", "[", "]", "{", "}", "a", "- - - - ", "[[[[[[[[", "]]]]"])


@given(st.lists(PIECES, max_size=120).map("".join))
@example("[" * 65)
@example("[]" * 65)  # many brackets, shallow
@example("- " * 16)
@example("- " * 15 + "a")
def test_depth_pre_check_suspects_the_same_documents(text):
    assert _deep_suspect_now(text) == _deep_suspect_before(text)


# The walk without positions (yaml_source._plain) gives the walk with positions'
# data for every document it takes, and declines every document that walk
# reports a problem in (a duplicate key, a refused value, too many values).
KEYS = st.sampled_from(["a", "b", "c", "<<", "1", "true", "null", "~", "'a'", '"b"', "[x]", "{y: 1}", "2001-12-14", "0x1F", "? z"])
LEAVES = st.one_of(LOOKALIKES, st.sampled_from(["*m", "*s", "'q'", '"1"', "!!str 1", "!!binary aGk=", "!x y", "99" * 41, "1e400"]))
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(st.tuples(KEYS, inner), max_size=4).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"),
), max_leaves=16)
DOCUMENTS = VALUES.map(lambda body: "{m: &m {a: 1, b: [2, c]}, s: &s [x, {y: 2}], d: " + body + "}")


def _outcomes(text: str):
    """(full walk's data and duplicates, or its problem) and (the plain walk's data, or None when it declines)."""
    try:
        full = yaml_source._converted(yaml_source.compose(text))
        expected = repr((full.data, [p.message for p in full.duplicates]))  # repr: True, 1 and 1.0 stay apart
    except yaml_source.LoadProblem as problem:
        expected = problem.code
    try:
        plain = repr((yaml_source._plain(yaml_source.compose(text)), []))
    except yaml_source._NotPlain:
        plain = None
    return expected, plain


@given(DOCUMENTS, st.sampled_from([200_000, 30, 8]))
@example("{m: &m {a: 1, b: [2, c]}, s: &s [x, {y: 2}], d: {<<: *m, c: 3}}", 200_000)
@example("{m: &m {a: 1, b: [2, c]}, s: &s [x, {y: 2}], d: {a: 1, a: 2}}", 200_000)
@example("{m: &m {a: 1, b: [2, c]}, s: &s [x, {y: 2}], d: [*s, *s, *m]}", 12)
def test_the_walk_without_positions_gives_the_same_data_or_declines(text, max_nodes):
    saved, yaml_source.MAX_NODES = yaml_source.MAX_NODES, max_nodes
    try:
        try:
            expected, plain = _outcomes(text)
        except yaml_source.LoadProblem:  # not YAML: compose refuses it on both paths
            return
    finally:
        yaml_source.MAX_NODES = saved
    assert plain is None or plain == expected


def test_the_walk_without_positions_nests_as_deep_as_the_walk_with_them():
    # Five levels of block mappings pass the depth guard's cheap bound (it counts brackets), so the walks meet the limit.
    seen = set()
    for brackets in range(MAX_DEPTH - 8, MAX_DEPTH - 2):
        for inner in ("[]", "{}", "x", "{a: b}", "[x]"):
            text = "".join("  " * i + "a:\n" for i in range(5)) + "  " * 5 + "a: " + "[" * brackets + inner + "]" * brackets
            expected, plain = _outcomes(text)
            assert plain is None or plain == expected, (brackets, inner)
            seen.add(expected if expected == "yaml/too-deep" else "converted")
    assert seen == {"yaml/too-deep", "converted"}


FILES = sorted((CONFIGS / "valid").glob("*.yaml")) + sorted((CONFIGS / "invalid").glob("*.yaml")) + [ROOT / "config" / "portfolios.yaml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_load_answers_as_the_walk_with_positions(path):
    """Same data, same positions (found later, from the text), same duplicates or the same problem."""
    try:
        full = yaml_source._converted(yaml_source.compose(yaml_source.decode(yaml_source.read_bytes(path))))
    except yaml_source.LoadProblem as problem:
        with pytest.raises(yaml_source.LoadProblem) as raised:
            yaml_source.load(path)
        assert (raised.value.code, raised.value.message, raised.value.line, raised.value.column) == \
            (problem.code, problem.message, problem.line, problem.column)
        return
    data, marks, duplicates = yaml_source.load(path)
    assert repr(data) == repr(full.data)
    assert [(d.message, d.line, d.column) for d in duplicates] == [(d.message, d.line, d.column) for d in full.duplicates]
    assert marks.values == full.marks.values and marks.keys == full.marks.keys
    assert marks.locate(("products", 0, "name")) == full.marks.locate(("products", 0, "name"))


def _tree(node, seen=None):
    """A node graph as nested tuples: class, tag, position and value (aliases as the nodes they name)."""
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.start_mark.line, node.start_mark.column, node.value)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, node.start_mark.line, node.start_mark.column, tuple(_tree(n) for n in node.value))
    return ("mapping", node.tag, node.start_mark.line, node.start_mark.column, tuple((_tree(k), _tree(v)) for k, v in node.value))


def _compose(loader_class, text):
    loader = loader_class(text)
    try:
        return _tree(loader.get_single_node())
    except yaml.YAMLError as exc:
        return type(exc).__name__
    finally:
        loader.dispose()


@given(DOCUMENTS)
def test_the_quicker_loader_composes_the_same_nodes(text):
    """Same tags (resolve), same graph (descend_resolver and ascend_resolver do nothing without path resolvers)."""
    assert _compose(yaml_source._ComposingLoader, text) == _compose(Loader, text)
