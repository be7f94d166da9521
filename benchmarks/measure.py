"""Run ``python -m generator ...`` as a process and measure its wall time and its own peak memory.

Peak memory is the child's VmHWM from /proc, read as it exits (ru_maxrss
would also count the pages a forked child shares with a large parent
before exec), plus the peak of the build's own twin process
(generator/twin.py) if it had one: an upper bound, as the pages the two
share are counted twice.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

WRAPPER = """
import atexit, resource, runpy, sys
def report():
    try:
        with open('/proc/self/status') as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith('VmHWM:'))
    except (OSError, StopIteration):
        kb = -1
    # A build's twin (generator/twin.py), reaped by now: its peak is added, pages it shares with this process twice.
    kb += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write('\\n@@peak-kb %d\\n' % kb)
atexit.register(report)
sys.argv = ['generator'] + sys.argv[1:]
runpy.run_module('generator', run_name='__main__', alter_sys=True)
"""


def run(*args: str, cwd: Path = ROOT, timeout: float = 600) -> tuple[int, str, float, float]:
    """Exit code, combined output (without the measurement line), wall seconds, peak MB."""
    return run_command(generator_argv(*args), cwd=cwd, timeout=timeout)


def run_command(argv: list[str], cwd: Path = ROOT, timeout: float = 3600) -> tuple[int, str, float, float]:
    """``run`` for any command that writes '@@peak-kb N' last on stderr (benchmarks/cdk_app.py does)."""
    s = sample(argv, cwd, timeout)
    return s.code, s.output, s.wall, s.peak_mb


class Sample(NamedTuple):
    code: int
    output: str  # stdout and stderr, without the measurement line
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children: less moved by other load than wall time
    peak_mb: float


# As a user's shell runs it: with bytecode cached after the first run. A
# PYTHONDONTWRITEBYTECODE in this environment would make every sample compile
# every module again (about 60 ms for a build), which no user pays twice.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def sample(argv: list[str], cwd: Path = ROOT, timeout: float = 3600) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=ENV)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err, _, tail = result.stderr.rpartition("\n@@peak-kb ")
    peak_mb = int(tail.split()[0]) / 1024 if tail.strip() else float("nan")
    return Sample(result.returncode, result.stdout + err, elapsed, cpu, peak_mb)


PYTHON = sys.executable  # the interpreter the toolkit runs under; build_scale.py --python changes it


def generator_argv(*args: str) -> list[str]:
    """``python -m generator ARGS`` under the peak-memory wrapper; run it with the checkout as cwd."""
    return [PYTHON, "-c", WRAPPER, *args]
