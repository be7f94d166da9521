"""checkov over every generated template: zero failed checks.

checkov pins packages that clash with current boto3, so it runs from a
virtual environment of its own, made here on first use (.venv-checkov, about
a minute), with BC_SKIP_MAPPING=TRUE and --skip-download: no network beyond
the package index. CHECKOV=/path/to/checkov uses an existing install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .buildutil import walk
from .conftest import ROOT

CHECKOV_VERSION = "3.3.30"
VENV = ROOT / ".venv-checkov"
# The fixtures hold Service Catalog resources only, for which checkov has no checks;
# output/ holds every kind of stack the build emits.
FOLDERS = [ROOT / "output"]

pytestmark = pytest.mark.slow


def checkov_binary() -> Path:
    if os.environ.get("CHECKOV"):
        return Path(os.environ["CHECKOV"])
    binary = VENV / "bin" / "checkov"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", f"checkov=={CHECKOV_VERSION}"], check=True)
    return binary


@pytest.fixture(scope="module")
def reports():
    binary = checkov_binary()
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
