"""Run ``python -m generator ...`` as a process and measure its wall time and its own peak memory.

Peak memory is the child's VmHWM from /proc, read as it exits: ru_maxrss
would also count the pages a forked child shares with a large parent
before exec.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRAPPER = """
import atexit, runpy, sys
def report():
    try:
        with open('/proc/self/status') as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith('VmHWM:'))
    except (OSError, StopIteration):
        kb = -1
    sys.stderr.write('\\n@@peak-kb %d\\n' % kb)
atexit.register(report)
sys.argv = ['generator'] + sys.argv[1:]
runpy.run_module('generator', run_name='__main__', alter_sys=True)
"""


def run(*args: str, cwd: Path = ROOT, timeout: float = 600) -> tuple[int, str, float, float]:
    """Exit code, combined output (without the measurement line), wall seconds, peak MB."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    err, _, tail = result.stderr.rpartition("\n@@peak-kb ")
    peak_mb = int(tail.split()[0]) / 1024 if tail.strip() else float("nan")
    return result.returncode, result.stdout + err, elapsed, peak_mb
