from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config" / "portfolios.yaml"
CONFIGS = Path(__file__).resolve().parent / "configs"

# "ci" runs the property tests at the depth the hardening issue asks for;
# "dev" keeps a local run quick. CI sets HYPOTHESIS_PROFILE=ci in .ci/run.
settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@functools.cache
def benchmark_catalogues():
    """benchmarks/synthetic.py, the benchmarks' catalogues, loaded without putting benchmarks/ on sys.path."""
    spec = importlib.util.spec_from_file_location("benchmark_catalogues", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: a new process, so exit codes and streams are real."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def cli(capsys):
    """The CLI in-process: same entry point, much faster than a subprocess."""
    from generator.cli import main

    def invoke(*args: str):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def pytest_collection_finish(session):
    """The day-one edit's inner suite starts now, beside this one, when this run includes it (tests/own_catalogue.py)."""
    if not session.config.option.collectonly and any(item.path.name == "test_own_catalogue.py" for item in session.items):
        from . import own_catalogue

        own_catalogue.start()


def pytest_sessionfinish(session):
    if "tests.own_catalogue" in sys.modules:
        sys.modules["tests.own_catalogue"].stop()
