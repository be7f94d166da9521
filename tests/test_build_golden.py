"""Every fixture compiled and compared with its committed golden build, output/ included.

When a change to the compiler is intended, run ``python tests/golden/regenerate.py --write``
and review the diff of the golden files like any other change.
"""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("regenerate", ROOT / "tests" / "golden" / "regenerate.py")
regenerate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(regenerate)

TARGETS = regenerate.targets()


@pytest.mark.parametrize("folder", sorted(TARGETS), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_golden_build_is_current(folder, monkeypatch):
    monkeypatch.chdir(ROOT)
    diff = regenerate.differences(folder, regenerate.build(TARGETS[folder]))
    assert diff == [], "stale; run python tests/golden/regenerate.py --write and review the diff"


def test_staleness_is_detected(tmp_path):
    files = {"a.json": b"1\n", "b/c.json": b"2\n"}
    (tmp_path / "b").mkdir()
    (tmp_path / "a.json").write_bytes(b"1\n")
    (tmp_path / "b" / "c.json").write_bytes(b"changed\n")
    (tmp_path / "old.json").write_bytes(b"")
    assert regenerate.differences(tmp_path, files) == ["extra old.json", "differs b/c.json"]
    assert regenerate.differences(tmp_path / "none", files) == ["missing a.json", "missing b/c.json"]
