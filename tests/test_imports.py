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

HEAVY = {"troposphere", "jsonschema", "orjson", "boto3", "botocore", "cfnlint", "yaml"}

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


# A catalogue without built-in products or a hotfix section builds without the
# pipeline modules and the troposphere modules only they use; troposphere's own
# import of troposphere.serverless is skipped (compiler/troposphere_speed.py).
PIPELINE_ONLY = {"generator.compiler.automation", "generator.compiler.guardrails", "generator.compiler.launch_roles",
                 "generator.compiler.tools_prerequisites", "generator.compiler.workload_prerequisites",
                 "generator.compiler.bundles", "generator.compiler.builtin.parts", "troposphere.serverless",
                 "troposphere.s3", "troposphere.awslambda", "troposphere.codepipeline", "troposphere.iam"}

FULL_NAMES = PROBE.replace("{m.split('.')[0] for m in sys.modules}", "sys.modules")


@pytest.mark.parametrize("config, absent", [
    ("every-constraint.yaml", PIPELINE_ONLY),
    ("pipelines.yaml", set()),  # built-in products and a hotfix section: every module, and the build still succeeds
])
def test_build_imports_the_pipeline_modules_only_for_a_catalogue_with_pipelines(config, absent, tmp_path):
    argv = ["build", "--config", str(CONFIGS / "valid" / config), "--output", str(tmp_path / "out")]
    result = subprocess.run([sys.executable, "-c", FULL_NAMES, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    exit_code, loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert exit_code == 0
    assert not absent & set(loaded), f"{config} imported {sorted(absent & set(loaded))}"
    if not absent:
        assert PIPELINE_ONLY - {"troposphere.serverless", "troposphere.s3", "troposphere.awslambda"} <= set(loaded)


# dataclass() writes a class without a docstring one from inspect.signature, at
# import: ~0.5 ms a class, 10 ms for the model alone. Every dataclass that
# validate and build import has a docstring of its own.
AUTO_DOCS = """
import contextlib, dataclasses, io, json, sys
from generator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps([code, sorted(f"{name}.{cls.__name__}" for name, module in list(sys.modules.items())
                               if name.startswith("generator") for cls in vars(module).values()
                               if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name
                               and (cls.__doc__ or "").startswith(cls.__name__ + "("))]))
"""


@pytest.mark.parametrize("command", ["validate", "build"])
def test_the_dataclasses_validate_and_build_import_have_docstrings(command, tmp_path):
    argv = [command, "--config", str(CONFIGS / "valid" / "pipelines.yaml")] + (["--output", str(tmp_path / "out")] if command == "build" else [])
    result = subprocess.run([sys.executable, "-c", AUTO_DOCS, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    exit_code, undocumented = json.loads(result.stdout.strip().splitlines()[-1])
    assert exit_code == 0
    assert undocumented == []
