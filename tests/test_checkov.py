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

from .buildutil import walk
from .conftest import ROOT

VENV_BINARY = ROOT / ".venv-checkov" / "bin" / "checkov"
# The fixtures hold Service Catalog resources only, for which checkov has no checks;
# output/ holds every kind of stack the build emits.
FOLDERS = [ROOT / "output"]

pytestmark = pytest.mark.slow


def checkov_binary() -> Path | None:
    for candidate in (os.environ.get("CHECKOV"), str(VENV_BINARY), shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def reports():
    binary = checkov_binary()
    if binary is None:
        pytest.skip(f"checkov is not installed (.ci/run installs it): {INSTALL}")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONWARNINGS": "ignore"}
    out = {}
    for folder in FOLDERS:
        result = subprocess.run([str(binary), "--skip-download", "--framework", "cloudformation", "-d", str(folder),
                                 "--compact", "--quiet", "-o", "json"], env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode in (0, 1), result.stderr[-2000:]
        report = json.loads(result.stdout) if result.stdout.strip() else {}
        out[folder.name] = report if isinstance(report, list) else [report]
    return out


@pytest.mark.parametrize("folder", [f.name for f in FOLDERS])
def test_no_failed_checks(reports, folder):
    failed = [f"{c['check_id']} {c['file_path']} {c['resource']}: {c['check_name']}"
              for r in reports[folder] for c in r.get("results", {}).get("failed_checks", [])]
    assert failed == []
    assert sum(r.get("summary", {}).get("passed", 0) for r in reports[folder]) > 0, "checkov checked nothing"


def test_every_suppression_gives_a_reason():
    skips = []
    for path in (ROOT / "output").rglob("*.json"):
        for node in walk(json.loads(path.read_text())):
            if isinstance(node, dict) and isinstance(node.get("checkov"), dict):
                skips += node["checkov"].get("skip", [])
    assert skips, "the templates carry their suppressions"
    assert all(s.get("id", "").startswith("CKV") and len(s.get("comment", "")) > 20 for s in skips), skips
