"""The loader's quicker paths answer as the slower ones they replace."""

from __future__ import annotations

from typing import ClassVar

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from generator.loader import depth, yaml_source
from generator.loader.problem import MAX_DEPTH, Loader

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
