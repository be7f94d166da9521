"""Each command imports only what it uses: read from sys.modules after a real run, in a fresh interpreter.

What a command leaves unimported is behaviour (startup time follows from
it); the time itself is measured by benchmarks/validate_startup.py, never here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import CONFIGS, ROOT

HEAVY = {"troposphere", "jsonschema", "jsonschema_rs", "orjson", "boto3", "botocore", "cfnlint", "yaml"}

PROBE = """
import contextlib, io, json, sys
from generator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules})]))
"""

VALID = str(CONFIGS / "valid" / "every-constraint.yaml")
INVALID = str(CONFIGS / "invalid" / "misspelled-products.yaml")
EVENT = str(ROOT / "tests" / "events" / "hotfix-branch-created.json")

# command line -> (exit code, heavy modules it must not import)
CASES = {
    "validate": (["validate", "--config", VALID], 0, {"troposphere", "jsonschema", "orjson", "boto3", "botocore"}),
    "validate-invalid": (["validate", "--config", INVALID], 1, {"troposphere", "orjson", "boto3", "botocore"}),
    "build-invalid": (["build", "--config", INVALID, "--output", "{tmp}/out"], 1, {"troposphere", "orjson", "boto3", "botocore"}),
    "build": (["build", "--config", VALID, "--output", "{tmp}/out"], 0, {"jsonschema", "boto3", "botocore", "cfnlint"}),
    "graph": (["graph", "--config", VALID], 0, {"troposphere", "jsonschema", "orjson", "boto3", "botocore"}),
    "event": (["event", "--config", str(ROOT / "config" / "portfolios.yaml"), EVENT], 0,
              {"troposphere", "jsonschema", "orjson", "boto3", "botocore"}),
    "reference": (["reference"], 0, HEAVY),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_command_imports_only_what_it_uses(case, tmp_path):
    argv, code, absent = CASES[case]
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    exit_code, loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert exit_code == code
    assert not absent & set(loaded), f"{case} imported {sorted(absent & set(loaded))}"
