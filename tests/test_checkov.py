"""checkov over every generated template: zero failed checks.

checkov pins packages that clash with current boto3, so it lives in a
virtual environment of its own that .ci/run creates (.venv-checkov, pinned
3.3.30) and exports as CHECKOV. The tests never install it: without it they
skip and say how to get it. It runs with BC_SKIP_MAPPING=TRUE and
--skip-download, so nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.gates.checkov import INSTALL
from generator.output_writer import write

from . import gitflow
from .buildutil import users_own, walk
from .conftest import ROOT

VENV_BINARY = ROOT / ".venv-checkov" / "bin" / "checkov"
# output/ is the user's catalogue (only what holds for any catalogue is asserted of it: their own file:
# templates are theirs to see in `check`); the AWS pattern's catalogue holds every kind of stack the
# build emits. The other fixtures hold Service Catalog resources only, for which checkov has no checks.
BUILDS = ("output", "gitflow")

pytestmark = pytest.mark.slow


def checkov_binary() -> Path | None:
    for candidate in (os.environ.get("CHECKOV"), str(VENV_BINARY), shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Path:
    """Both builds side by side, so that one checkov process (most of its cost is starting) checks them."""
    root = tmp_path_factory.mktemp("checkov")
    shutil.copytree(ROOT / "output", root / "output")
    write(root / "gitflow", gitflow.files())
    return root


@pytest.fixture(scope="module")
def failed(builds) -> dict[str, list[str]]:
    binary = checkov_binary()
    if binary is None:
        pytest.skip(f"checkov is not installed (.ci/run installs it): {INSTALL}")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([str(binary), "--skip-download", "--framework", "cloudformation", "-d", str(builds),
                             "--compact", "--quiet", "-o", "json"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    reports = report if isinstance(report, list) else [report]
    assert sum(r.get("summary", {}).get("passed", 0) for r in reports) > 0, "checkov checked nothing"
    theirs = {"/" + p.relative_to(builds).as_posix() for p in users_own(builds / "output")}
    out = {build: [] for build in BUILDS}
    for r in reports:
        for c in r.get("results", {}).get("failed_checks", []):
            if c["file_path"] not in theirs:
                out[c["file_path"].split("/")[1]].append(f"{c['check_id']} {c['file_path']} {c['resource']}: {c['check_name']}")
    return out


@pytest.mark.parametrize("build", BUILDS)
def test_no_failed_checks(failed, build):
    assert failed[build] == []


def test_every_suppression_gives_a_reason():
    bodies = [body for path, body in gitflow.files().items() if path.endswith(".json")]
    theirs = users_own(ROOT / "output")
    bodies += [p.read_bytes() for p in (ROOT / "output").rglob("*.json") if p not in theirs]
    skips = []
    for body in bodies:
        for node in walk(json.loads(body)):
            if isinstance(node, dict) and isinstance(node.get("checkov"), dict):
                skips += node["checkov"].get("skip", [])
    assert skips, "the templates carry their suppressions"
    assert all(s.get("id", "").startswith("CKV") and len(s.get("comment", "")) > 20 for s in skips), skips
