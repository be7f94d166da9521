"""Same config, same bytes: across runs, hash seeds and the order of the YAML's lists."""

from __future__ import annotations

import copy
import os
import random
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config_loader import load_config

from .buildutil import build_data, build_file
from .conftest import CONFIG, CONFIGS, ROOT

EVERY = CONFIGS / "valid" / "every-constraint.yaml"


def test_two_builds_are_byte_identical():
    assert build_file(CONFIG) == build_file(CONFIG)


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_builds_under_different_hash_seeds_are_identical(tmp_path):
    trees = []
    for seed in ("0", "1", "4242"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(EVERY), "--output", str(out)],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        trees.append(_tree(out))
    assert trees[0] == trees[1] == trees[2]
    assert all(body.endswith(b"\n") for name, body in trees[0].items() if name.endswith(".json"))


def shuffled(data: dict, rnd: random.Random) -> dict:
    """The same catalogue with every list the user could reorder in another order."""
    data = copy.deepcopy(data)

    def mix(items):
        rnd.shuffle(items)
        return items

    for key in ("principals", "portfolios", "products", "tag_options"):
        if key in data:
            mix(data[key])
    for option in data.get("tag_options", ()):
        mix(option["values"])
    for pf in data.get("portfolios", ()):
        for key in ("products", "principals", "tag_options", "constraints"):
            if key in pf:
                mix(pf[key])
        for key in ("accounts",):
            if key in pf.get("share", {}):
                mix(pf["share"][key])
    for product in data.get("products", ()):
        mix(product["versions"])
    for repo in data.get("hotfix", {}).get("repositories", ()):
        for key in ("merge_into", "approvers", "approval_notifications"):
            if key in repo:
                mix(repo[key])
    if "hotfix" in data:
        mix(data["hotfix"]["repositories"])
    # Mapping order is YAML order too.
    return dict(rnd.sample(sorted(data.items()), len(data)))


SHIPPED_DATA = load_config(CONFIG).data
EVERY_DATA = load_config(EVERY).data
SHIPPED_FILES = build_data(SHIPPED_DATA, str(CONFIG))
EVERY_FILES = build_data(EVERY_DATA, str(EVERY))


@settings(max_examples=25)
@given(st.randoms(use_true_random=False))
def test_reordering_the_yaml_changes_no_byte(rnd):
    assert build_data(shuffled(SHIPPED_DATA, rnd), str(CONFIG)) == SHIPPED_FILES
    assert build_data(shuffled(EVERY_DATA, rnd), str(EVERY)) == EVERY_FILES
