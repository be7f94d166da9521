"""Reading YAML: positions, duplicates, aliases and hostile files."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from generator.loader import yaml_source
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


def test_alias_bomb_is_refused_quickly_and_cheaply(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    prev = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    path = write(tmp_path, "\n".join(lines) + "\n")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(LoadProblem) as info:
        load(path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert info.value.code == "yaml/too-large"
    assert elapsed < 5 and peak < 200 * 1024 * 1024  # bounds, not a benchmark: a bomb would blow both


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
    (b"a: 1\n\x00\n", "yaml/syntax"),
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
    monkeypatch.setattr(yaml_source, "MAX_BYTES", 1000)
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
