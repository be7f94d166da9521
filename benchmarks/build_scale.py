"""Time ``validate`` and ``build`` as whole processes on synthetic catalogues, with peak memory.

Usage: python benchmarks/build_scale.py [--sizes 100,1000,5000] [--runs 3]
Each size is written by benchmarks/synthetic.py (portfolios of 50, two
versions, a launch constraint, a template rule and tag options per product).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
from synthetic import write  # noqa: E402


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's own peak memory in MB."""
    code, out, elapsed, peak = measure.run(*args)
    if code != 0:
        raise SystemExit(f"generator {' '.join(args)} failed:\n{out}")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'products':>8} {'command':<9} {'median s':>9} {'ms/product':>11} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            config = os.path.join(tmp, f"c{n}.yaml")
            write(n, config)
            for command, extra in (("validate", []), ("build", ["--output", os.path.join(tmp, f"out{n}"), "--force"])):
                samples = [run([command, "--config", config, *extra]) for _ in range(args.runs)]
                wall = statistics.median(s[0] for s in samples)
                peak = max(s[1] for s in samples)
                print(f"{n:>8} {command:<9} {wall:>9.2f} {wall / n * 1000:>11.3f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
