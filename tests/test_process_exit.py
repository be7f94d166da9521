"""The program ends with os._exit (perf.exit_process): what a normal exit would do must still happen."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import CONFIGS, ROOT, benchmark_catalogues

VALID = str(CONFIGS / "valid" / "every-constraint.yaml")
INVALID = str(CONFIGS / "invalid" / "misspelled-products.yaml")

# As benchmarks/measure.py runs the program: an atexit callback registered before it, then runpy.
PROGRAM = """
import atexit, runpy, sys
atexit.register(lambda: sys.stderr.write("@@atexit ran\\n"))
sys.argv = ["generator", *sys.argv[1:]]
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


# Buffered, as in a user's shell: PYTHONUNBUFFERED (set on some CI machines) would hide a missing flush.
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _program(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROGRAM, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=BUFFERED)


def test_exit_code_atexit_callbacks_and_buffered_output_survive_the_quick_exit():
    ok = _program("validate", "--config", VALID)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.endswith("@@atexit ran\n")
    assert ok.stdout == f"{VALID}: valid (1 portfolios, 4 products)\n"  # stdout to a pipe is buffered: flushed before os._exit
    bad = _program("validate", "--config", INVALID, "--format", "json")
    assert bad.returncode == 1
    assert bad.stderr.endswith("@@atexit ran\n")
    assert json.loads(bad.stdout)  # the whole JSON report, not lost in the buffer



def test_a_reader_that_goes_away_gets_the_sigpipe_status_and_no_internal_error(tmp_path):
    """`... | head`: the output is larger than a pipe holds; the reader closes after a few bytes."""
    config = tmp_path / "large.yaml"
    benchmark_catalogues().write(400, str(config), shape="cdk")  # its graph: about 140 KB, over a pipe's 64 KB
    # Buffered, as in a user's shell (unbuffered, CPython drops what a pipe does not take at once, and says nothing).
    process = subprocess.Popen([sys.executable, "-m", "generator", "graph", "--config", str(config)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BUFFERED)
    assert process.stdout.read(10)
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141, err
    assert "internal error" not in err and "Traceback" not in err


def test_a_command_started_with_its_output_closed_exits_as_usual(tmp_path):
    """`build >&-`: Python then has no sys.stdout (None); what would have been printed goes nowhere, the exit code stays."""
    for argv, code in ((["validate", "--config", VALID], 0), (["validate", "--config", INVALID], 1),
                       (["build", "--config", VALID, "--output", str(tmp_path / "out")], 0),
                       (["graph", "--config", VALID], 0), (["validate", "--config", INVALID, "--format", "json"], 1)):
        for closed in (">&-", ">&- 2>&-"):
            result = subprocess.run(["sh", "-c", f'exec "$@" {closed}', "sh", sys.executable, "-m", "generator", *argv],
                                    cwd=ROOT, capture_output=True, text=True, timeout=60, env=BUFFERED)
            assert result.returncode == code, (argv, closed, result.stderr)
            assert "Traceback" not in result.stderr
