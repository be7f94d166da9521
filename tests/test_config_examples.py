"""Folders of example configs: every valid one passes, every invalid one fails where it says.

The first line of each invalid file reads ``# line N: fragment``: the
validator must report a problem on line N whose message contains fragment.
"""

from __future__ import annotations

import re

import pytest

from generator.config_loader import load_config
from generator.core.exceptions import ConfigError

from .conftest import CONFIG, CONFIGS

VALID = sorted((CONFIGS / "valid").glob("*.yaml")) + [CONFIG]
INVALID = sorted((CONFIGS / "invalid").glob("*.yaml"))
EXPECT = re.compile(rb"^# line (\d+): (.+)$")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_config_loads(path):
    loaded = load_config(path)
    assert loaded.catalogue.portfolios and loaded.catalogue.products


def test_there_are_enough_invalid_examples():
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_config_reports_line_and_message(path):
    match = EXPECT.match(path.read_bytes().split(b"\n", 1)[0])
    assert match, f"{path.name}: first line must be '# line N: fragment'"
    line, fragment = int(match.group(1)), match.group(2).decode()
    with pytest.raises(ConfigError) as info:
        load_config(path)
    problems = info.value.problems
    assert problems, "a ConfigError must carry located problems"
    hits = [p for p in problems if fragment in p.message]
    assert hits, f"no message contains {fragment!r}: {[p.message for p in problems]}"
    assert line in {p.line for p in hits}, f"{fragment!r} reported on {[p.line for p in hits]}, expected line {line}"
    assert all(p.file == str(path) and p.line >= 1 and p.column >= 1 for p in problems)
    assert list(problems) == sorted(problems), "problems are sorted by position"
