"""Reading YAML: positions, duplicates, aliases and hostile files."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loader import source, yaml_source
from generator.loader.yaml_source import LoadProblem, load


def write(tmp_path, text, name="c.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_values_and_keys_carry_their_positions(tmp_path):
    data, marks, dups = load(write(tmp_path, "a:\n  b: [1, 2]\n  c: x\n"))
    assert data == {"a": {"b": [1, 2], "c": "x"}} and dups == []
    assert marks.locate(("a", "b", 1)) == (2, 10)
    assert marks.locate(("a", "c"), key=True) == (3, 3)
    assert marks.locate(("a", "c")) == (3, 6)
    assert marks.locate(("a", "missing", 3)) == (2, 3)  # nearest ancestor


def test_every_duplicate_key_is_reported_and_the_first_kept(tmp_path):
    data, _, dups = load(write(tmp_path, "a: 1\nb: 2\na: 3\nb: 4\n"))
    assert data == {"a": 1, "b": 2}
    assert [(d.line, d.message) for d in dups] == [
        (3, "duplicate key 'a' (first defined at line 1)"), (4, "duplicate key 'b' (first defined at line 2)")]


def test_duplicate_keys_inside_lists_of_mappings(tmp_path):
    _, _, dups = load(write(tmp_path, "x:\n  - name: a\n    name: b\n"))
    assert [(d.line, d.column) for d in dups] == [(3, 5)]


def test_merge_keys_explicit_wins(tmp_path):
    data, _, _ = load(write(tmp_path, "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n"))
    assert data["other"] == {"x": 1, "y": 3}


def test_aliases_are_expanded(tmp_path):
    data, _, _ = load(write(tmp_path, "a: &x [1, 2]\nb: *x\n"))
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_alias_bomb_is_refused_with_bounded_work_and_memory(tmp_path, monkeypatch):
    # 9 levels of 9 aliases each would expand to 9**10 values; the work is counted, not timed.
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    prev = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    path = write(tmp_path, "\n".join(lines) + "\n")
    monkeypatch.setattr(yaml_source, "MAX_NODES", 5_000)  # the bound scales with the limit; a small one keeps this quick
    tracemalloc.start()
    outcome, calls = _load_counting(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert outcome == "yaml/too-large"
    assert calls < 40 * 5_000, f"{calls:,} calls for a budget of 5,000 values"
    assert peak < 50 * 1024 * 1024  # an expanded bomb would need gigabytes


def test_recursive_alias_is_refused(tmp_path):
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, "a: &a [*a]\n"))
    assert info.value.code in {"yaml/too-deep", "yaml/syntax"}


def test_deep_nesting_is_refused(tmp_path):
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, "x: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert info.value.code == "yaml/too-deep"


@pytest.mark.parametrize("content, code", [
    (b"", "yaml/empty"),
    (b"# only a comment\n", "yaml/empty"),
    (b"- a\n", "yaml/root"),
    (b"just text\n", "yaml/root"),
    (b"a: [\n", "yaml/syntax"),
    (b"a: 1\n\x00\n", "yaml/character"),
    (b"a: caf\xe9\n", "load/encoding"),
    (b"\xff\xfea\x00:\x00", "load/encoding"),
    (b"a: !!python/object:os.system x\n", "yaml/tag"),
    (b"a: !custom x\n", "yaml/tag"),
    (b"? [a, b]\n: c\n", "yaml/key"),
    (b"a: 1\n---\nb: 2\n", "yaml/syntax"),
])
def test_bad_files_give_one_located_problem(tmp_path, content, code):
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, content))
    assert info.value.code == code
    assert info.value.line >= 1 and info.value.column >= 1


def test_encoding_error_position(tmp_path):
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, b"a: 1\nb: caf\xe9\n"))
    assert (info.value.line, info.value.column) == (2, 7)


def test_utf8_bom_is_accepted(tmp_path):
    data, _, _ = load(write(tmp_path, b"\xef\xbb\xbfa: 1\n"))
    assert data == {"a": 1}


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(LoadProblem, match="no such file"):
        load(tmp_path / "nope.yaml")
    with pytest.raises(LoadProblem, match="is a directory"):
        load(tmp_path)


def test_oversized_file_is_refused_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, "a: " + "x" * 2000 + "\n"))
    assert info.value.code == "load/too-large"


def test_timestamps_stay_strings_and_keys_become_strings(tmp_path):
    data, _, _ = load(write(tmp_path, "d: 2024-01-01\n1: one\ntrue: yes\n"))
    assert data == {"d": "2024-01-01", "1": "one", "true": True}


def test_extreme_flow_nesting_is_refused_without_crashing(tmp_path):
    # libyaml's composer recurses in C: before guard_depth this file crashed
    # the interpreter (SIGSEGV). A subprocess, so a regression fails the test
    # instead of killing the test run.
    import subprocess
    import sys

    from .conftest import ROOT

    path = write(tmp_path, "x: " + "[" * 200_000 + "]" * 200_000 + "\n")
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--config", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "nests deeper than 64 levels" in result.stderr


def test_extreme_block_nesting_on_one_line_is_refused(tmp_path):
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, "x:\n  " + "- " * 100_000 + "1\n"))
    assert info.value.code == "yaml/too-deep" and info.value.line == 2


def test_brackets_inside_strings_are_not_nesting(tmp_path):
    data, _, _ = load(write(tmp_path, 'x: "' + "[" * 1000 + '"\n'))
    assert data == {"x": "[" * 1000}


# Merge keys: work the alias limit did not see. Each document is about 1 KB;
# before the merge budget, the first ran for hours.
def _doubling(empty: bool, levels: int = 40) -> str:
    lines = ["a0: &a0 {}" if empty else "a0: &a0 {k0: 0, k1: 1, k2: 2}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


MERGE_BOMBS = {
    "doubling-over-empty-mappings": _doubling(True),
    "doubling-over-small-mappings": _doubling(False),
    "wide-merge-lists": "a: &a {}\n" + "".join(f"b{i}: &b{i} {{<<: [{', '.join([f'*b{i - 1}' if i else '*a'] * 30)}]}}\n" for i in range(8)),
    "merge-of-a-merge-in-lists": "a: &a {<<: {}}\n" + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else '{<<: *a}'] * 6)}]\n" for i in range(12)),
    "single-merges-nested-deep": "a0: &a0 {}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}, x: {{<<: [*a{i - 1}, *a{i - 1}]}}}}\n"
                                                       for i in range(1, 40)),
}


class _Work:
    """Every function call (Python and C) made while loading: the work, counted, not timed."""

    def __init__(self):
        self.calls = 0

    def __call__(self, frame, event, arg):
        if event in ("call", "c_call"):
            self.calls += 1


def _load_counting(path):
    import sys

    work = _Work()
    sys.setprofile(work)
    try:
        load(path)
        outcome = "loaded"
    except LoadProblem as problem:
        outcome = problem.code
    finally:
        sys.setprofile(None)
    return outcome, work.calls


@pytest.mark.parametrize("name", sorted(MERGE_BOMBS))
def test_merge_key_bombs_are_refused_with_bounded_work(tmp_path, monkeypatch, name):
    assert len(MERGE_BOMBS[name]) < 2048
    monkeypatch.setattr(yaml_source, "MAX_NODES", 5_000)  # the bound scales with the limit; a small one keeps this quick
    outcome, calls = _load_counting(write(tmp_path, MERGE_BOMBS[name]))
    assert outcome == "yaml/too-large"
    assert calls < 40 * 5_000, f"{calls:,} calls for a budget of 5,000 values"


def test_the_merge_budget_message_names_merge_keys(tmp_path):
    with pytest.raises(LoadProblem, match="aliases or merge keys that multiply"):
        load(write(tmp_path, _doubling(True)))


@st.composite
def _alias_documents(draw):
    """Small documents of anchors, aliases, merges, sequences and mappings, each built from earlier ones."""
    lines = ["n0: &n0 {}"]
    for i in range(1, draw(st.integers(2, 25))):
        earlier = [f"*n{j}" for j in range(i)]
        refs = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=6))
        kind = draw(st.sampled_from(["merge", "merge-one", "list", "map"]))
        body = {"merge": f"{{<<: [{', '.join(refs)}], k{i}: {i}}}", "merge-one": f"{{<<: {refs[0]}}}",
                "list": f"[{', '.join(refs)}]", "map": "{" + ", ".join(f"m{j}: {r}" for j, r in enumerate(refs)) + "}"}[kind]
        lines.append(f"n{i}: &n{i} {body}")
    return "\n".join(lines) + "\n"


@given(_alias_documents())
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_alias_and_merge_document_loads_or_is_refused_within_the_budget(tmp_path_factory, document):
    # Merge sources that are lists are refused (yaml/merge): either way, the work stays linear in the budget.
    path = tmp_path_factory.mktemp("doc") / "c.yaml"
    path.write_text(document)
    saved = yaml_source.MAX_NODES
    yaml_source.MAX_NODES = 2_000
    try:
        outcome, calls = _load_counting(path)
    finally:
        yaml_source.MAX_NODES = saved
    assert outcome in {"loaded", "yaml/too-large", "yaml/merge", "yaml/too-deep"}
    assert calls < 40 * 2_000, f"{calls:,} calls for a budget of 2,000 values"


@pytest.mark.parametrize("literal, fragment", [
    ("1" + "0" * 5000, "a whole number 5,001 characters long"),
    ("0x" + "f" * 20000, "a whole number 20,002 characters long"),
    ("9" * 30, "a whole number beyond 64 bits"),
    ("-0b" + "1" * 70, "a whole number beyond 64 bits"),
    (".inf", "not finite"),
    ("-.inf", "not finite"),
    (".nan", "not finite"),
    ("1.0e+999", "not finite"),  # YAML 1.1 floats need a dot and a signed exponent
])
def test_numbers_python_cannot_convert_or_json_cannot_write(tmp_path, literal, fragment):
    with pytest.raises(LoadProblem, match=fragment) as info:
        load(write(tmp_path, f"version: 1\nport: {literal}\n"))
    assert (info.value.code, info.value.line, info.value.column) == ("yaml/number", 2, 7)


def test_a_huge_number_as_a_key_is_refused_too(tmp_path):
    with pytest.raises(LoadProblem, match="characters long"):
        load(write(tmp_path, "? 1" + "0" * 5000 + "\n: x\n"))  # an explicit key: plain ones stop at 1,024 characters


def test_ordinary_numbers_load(tmp_path):
    data, _, _ = load(write(tmp_path, f"a: {2**63 - 1}\nb: -{2**63 - 1}\nc: 0x1F\nd: 1_000\ne: 2.5\nf: 1.0e+10\n"))
    assert data == {"a": 2**63 - 1, "b": -(2**63 - 1), "c": 31, "d": 1000, "e": 2.5, "f": 1e10}


@pytest.mark.parametrize("before", ["", "é", "日本", "🙂🙂"])  # 0 to 8 bytes of UTF-8 before it on its line
def test_a_refused_character_is_located_by_characters_not_bytes(tmp_path, before):
    # libyaml reports a UTF-8 byte offset; the column counts characters, as every other message's does.
    with pytest.raises(LoadProblem) as info:
        load(write(tmp_path, f"a: 1\nname: {before}\x01x\n"))
    assert (info.value.code, info.value.line, info.value.column) == ("yaml/character", 2, 7 + len(before))
    assert "U+0001" in info.value.message
