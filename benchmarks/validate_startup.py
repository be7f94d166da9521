"""Time ``python -m generator validate`` as a whole process, as CI and editors run it.

Usage: python benchmarks/validate_startup.py [--runs N] [--config PATH]
Prints min, median and max wall time, beside the interpreter's own start and the
imports validate pays for (PyYAML, the generated validator); jsonschema is
imported only for an invalid config. The target is under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import measure  # noqa: E402  (the same environment as every benchmark: bytecode cached)


def wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=measure.ENV)
    return time.perf_counter() - started


def series(cmd: list[str], runs: int) -> list[float]:
    wall(cmd)  # warm the page cache and __pycache__
    return sorted(wall(cmd) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--config", default="config/portfolios.yaml")
    args = parser.parse_args()
    py = sys.executable
    rows = {
        "python -c pass": series([py, "-c", "pass"], args.runs),
        "import yaml": series([py, "-c", "import yaml"], args.runs),
        "import validator": series([py, "-c", "import generator.schema_validator"], args.runs),
        "validate": series([py, "-m", "generator", "validate", "--config", args.config], args.runs),
    }
    print(f"{'what':<20}{'min':>9}{'median':>9}{'max':>9}   ({args.runs} runs)")
    for name, times in rows.items():
        print(f"{name:<20}{times[0] * 1000:>7.0f}ms{statistics.median(times) * 1000:>7.0f}ms{times[-1] * 1000:>7.0f}ms")
    target = 0.1
    verdict = "within" if statistics.median(rows["validate"]) < target else "OVER"
    print(f"validate median is {verdict} the {target * 1000:.0f} ms target")


if __name__ == "__main__":
    main()
