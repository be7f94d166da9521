"""Time importing each Lambda's handler from its unpacked bundle, beyond boto3's own import.

Usage: python benchmarks/lambda_cold_start.py [--runs N]
Each sample is a fresh interpreter (-S: no site, like the Lambda runtime's
clean path) that imports boto3, then the handler, and reports both times.
The target is under 50 ms for the handler beyond boto3.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROBE = """
import sys, time, json
sys.path[:] = [BUNDLE, SITE] + [p for p in sys.path if 'site-packages' not in p]
t0 = time.perf_counter(); import boto3; t1 = time.perf_counter()
import handler; t2 = time.perf_counter()
print(json.dumps({"boto3": t1 - t0, "handler": t2 - t1}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from generator.compiler.build import compile_catalogue
    from generator.config_loader import load_config

    files = compile_catalogue(load_config(ROOT / "config" / "portfolios.yaml")).files
    site = str(Path(boto3.__file__).parent.parent)
    print(f"{'function':<18}{'boto3 ms':>10}{'handler ms':>12}   (median of {args.runs} fresh interpreters)")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(p for p in files if p.startswith("lambdas/")):
            folder = Path(tmp) / Path(path).stem
            folder.mkdir()
            (folder / "b.zip").write_bytes(files[path])
            zipfile.ZipFile(folder / "b.zip").extractall(folder)
            code = f"BUNDLE = {str(folder)!r}\nSITE = {site!r}\n" + PROBE
            samples = [json.loads(subprocess.run([sys.executable, "-S", "-c", code], cwd=folder, check=True,
                                                 capture_output=True, text=True).stdout) for _ in range(args.runs)]
            boto = statistics.median(s["boto3"] for s in samples) * 1000
            own = statistics.median(s["handler"] for s in samples) * 1000
            name = Path(path).stem.rsplit("-", 1)[0]
            print(f"{name:<18}{boto:>10.1f}{own:>12.1f}   {'within' if own < 50 else 'OVER'} the 50 ms target")


if __name__ == "__main__":
    main()
