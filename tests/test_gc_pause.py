"""The collector's pause: objects a pause allocated are frozen in a one-shot process, and only there."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from generator import perf

from .conftest import CONFIGS, ROOT

VALID = str(CONFIGS / "valid" / "every-constraint.yaml")

# Run as a program: main() reads sys.argv. Reports what the collector holds permanently at the end.
PROGRAM = """
import contextlib, gc, io, json, sys
from generator.cli import main
sys.argv = ["generator", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main()
print(json.dumps([code, gc.get_freeze_count(), gc.isenabled()]))
"""


def test_the_command_line_freezes_what_its_pauses_allocated(tmp_path):
    for argv in (["validate", "--config", VALID], ["build", "--config", VALID, "--output", str(tmp_path / "out")]):
        result = subprocess.run([sys.executable, "-c", PROGRAM, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
        code, frozen, enabled = json.loads(result.stdout.strip().splitlines()[-1])
        assert code == 0, result.stderr
        assert frozen > 10_000 and enabled  # the loaded configuration and more; the collector runs again


def test_a_library_caller_keeps_the_plain_pause(cli):
    """In-process callers (main(argv), load_config) leave the collector as they found it: nothing frozen."""
    assert not perf._freeze
    before = gc.get_freeze_count()
    code, _, _ = cli("validate", "--config", VALID)
    assert code == 0
    with perf.gc_paused():
        assert not gc.isenabled()
        allocated = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == before and allocated
