"""Random damage to the shipped config: the validator answers, it never crashes.

Every outcome must be either a valid catalogue or a ConfigError whose
problems all have a file, a line and a column.
"""

from __future__ import annotations

import copy
import os
import tempfile

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.config_loader import load_config
from generator.core.exceptions import ConfigError

from .buildutil import paths
from .gitflow import GITFLOW

RAW = GITFLOW.read_bytes()
DATA = yaml.safe_load(RAW)
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3),
                   st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


ALL_PATHS = [p for p in paths(DATA) if p]


def parent_of(data, path):
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def check(content: bytes) -> None:
    fd, name = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        try:
            loaded = load_config(name)
        except ConfigError as error:
            assert error.problems, "a ConfigError without problems"
            for p in error.problems:
                assert p.file == name and p.line >= 1 and p.column >= 1 and p.message and p.code
        else:
            assert loaded.catalogue.products
    finally:
        os.unlink(name)


@st.composite
def structural_mutation(draw):
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        try:
            parent = parent_of(data, path)
            key = path[-1]
            parent[key]  # the path may be gone after an earlier mutation
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["delete", "retype", "rename", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(VALUES)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(key)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return yaml.safe_dump(data, sort_keys=False).encode()


@given(structural_mutation())
def test_structural_mutations_give_valid_or_located_errors(content):
    check(content)


@given(st.integers(0, len(RAW)))
def test_cut_at_any_byte(cut):
    check(RAW[:cut])


@given(st.integers(0, RAW.count(b"\n") - 1))
def test_duplicated_line(index):
    lines = RAW.split(b"\n")
    lines.insert(index, lines[index])
    check(b"\n".join(lines))


@given(st.integers(0, len(RAW) - 1), st.binary(min_size=1, max_size=4))
def test_random_bytes_spliced_in(at, junk):
    check(RAW[:at] + junk + RAW[at:])
