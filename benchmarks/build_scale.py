"""Time ``validate`` and ``build`` as whole processes at scale, with peak memory; optionally beside a baseline and CDK.

Usage:
    python benchmarks/build_scale.py [--sizes 1000,5000] [--cdk-sizes 1000,5000,10000] [--runs 5]
                                     [--baseline DIR] [--cdk-python PATH] [--cdk-runs 3]

Every process runs as on a user's machine after the first run: with its
bytecode cached (a warm-up run writes it) and the files in the page cache.

Two catalogues (benchmarks/synthetic.py): "synthetic" (two versions, a
launch constraint, a template rule and tag options per product) and "cdk",
the one AWS CDK's aws-servicecatalog module is compared on (one version from
a URL and a launch constraint per product; one principal and two tag options
per portfolio). Every figure is the median of --runs fresh processes; ms per
product is that median over the product count, so a flat column means a cost
that grows linearly.

--baseline DIR times another checkout of the toolkit (say, the commit before
a change: ``git archive HEAD~1 | tar -x -C DIR``) in the same run, each of
its samples taken right after ours, so that both see the same machine load.

The first row is ``validate`` of the shipped config/portfolios.yaml (the
issue's < 0.1 s target), paired with the baseline like the others.

CDK's synth of the same catalogue runs when aws-cdk-lib is importable here,
or with --cdk-python (or $CDK_PYTHON) naming an interpreter that has it:
    python -m venv ~/.venv-cdk && ~/.venv-cdk/bin/pip install aws-cdk-lib constructs
    python benchmarks/build_scale.py --cdk-python ~/.venv-cdk/bin/python
It needs node on PATH; aws-cdk-lib is not a dependency of the toolkit.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure
from synthetic import write

HERE = Path(__file__).resolve().parent
# `python -c pass`, reporting its peak memory as measure.sample expects.
WRAPPER_FREE_START = measure.WRAPPER.split("sys.argv =")[0]


def _sample(argv: list[str], cwd: Path) -> measure.Sample:
    s = measure.sample(argv, cwd)
    if s.code != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed in {cwd}:\n{s.output[-2000:]}")
    return s


def _cdk_python(arg: str | None) -> str | None:
    if arg or os.environ.get("CDK_PYTHON"):
        return arg or os.environ["CDK_PYTHON"]
    return sys.executable if importlib.util.find_spec("aws_cdk") else None


def _row(shape, n, command, samples, extra="") -> float:
    wall = statistics.median(s.wall for s in samples)
    cpu = statistics.median(s.cpu for s in samples)
    per_product = f"{wall / n * 1000:>10.3f}" if n else f"{'':>10}"
    print(f"{shape:<9} {n or '':>6} {command:<9} {wall:>8.3f} {cpu:>7.3f} {per_product} {max(s.peak_mb for s in samples):>8.0f}{extra}",
          flush=True)
    return wall


def _paired(shape: str, n: int, command: str, argv: list[str], trees: list[tuple[str, Path]], runs: int) -> float:
    """Our median wall time for ``argv``, its row printed, each sample beside the baseline's when there is one."""
    samples: dict[str, list] = {label: [] for label, _ in trees}
    for _, tree in trees:  # warm: bytecode written, files in the page cache
        _sample(argv, tree)
    for _ in range(runs):
        for label, tree in trees:  # interleaved: both trees see the same load
            samples[label].append(_sample(argv, tree))
    note = ""
    if len(trees) > 1:
        base = samples["baseline"]
        ours = statistics.median(s.wall for s in samples[""])
        base_wall = statistics.median(s.wall for s in base)
        note = (f"   {base_wall:8.3f} {statistics.median(s.cpu for s in base):7.3f} {max(s.peak_mb for s in base):6.0f}"
                f" {base_wall / ours:6.1f}x")
    return _row(shape, n, command, samples[""], note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="synthetic catalogue sizes")
    parser.add_argument("--cdk-sizes", default="1000,5000,10000", help="CDK-comparison catalogue sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout of the toolkit, timed pair by pair with this one")
    parser.add_argument("--cdk-python", help="interpreter with aws-cdk-lib (default: this one if it has it, or $CDK_PYTHON)")
    parser.add_argument("--cdk-runs", type=int, default=3)
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter to run the toolkit with (default: this one); for a user's figures, the "
                        "virtual environment the README's Quick start makes")
    parser.add_argument("--workdir", help="where configs and outputs go (default: a temporary folder); on a machine "
                        "whose /tmp creates files slowly, a folder on the repository's disk")
    args = parser.parse_args()
    measure.PYTHON = args.python
    cdk = _cdk_python(args.cdk_python)
    trees = [("", measure.ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    print(f"{'catalogue':<9} {'products':>6} {'command':<9} {'median s':>8} {'cpu s':>7} {'ms/product':>10} {'peak MB':>8}"
          + ("   baseline: median s, cpu s, peak MB, speed-up" if args.baseline else ""))
    work = [("synthetic", int(s)) for s in args.sizes.split(",") if s] + [("cdk", int(s)) for s in args.cdk_sizes.split(",") if s]
    # The floor under every row: the interpreter starting with its site-packages (and their .pth files) and stopping.
    _row("python", 0, "-c pass", [_sample([args.python, "-c", WRAPPER_FREE_START], measure.ROOT) for _ in range(args.runs * 3)])
    shipped = measure.generator_argv("validate", "--config", str(measure.ROOT / "config" / "portfolios.yaml"))
    _paired("shipped", 0, "validate", shipped, trees, args.runs * 3)  # short runs: more of them for a steady median
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for shape, n in work:
            config = os.path.join(tmp, f"{shape}{n}.yaml")
            write(n, config, shape=shape)
            for command, extra in (("validate", []), ("build", ["--output", os.path.join(tmp, "out"), "--force"])):
                argv = measure.generator_argv(command, "--config", config, *extra)
                ours = _paired(shape, n, command, argv, trees, args.runs)
                if command == "build" and shape == "cdk" and cdk:
                    out = os.path.join(tmp, "cdk.out")
                    cdk_samples = [_sample([cdk, str(HERE / "cdk_app.py"), str(n), out], measure.ROOT) for _ in range(args.cdk_runs)]
                    cdk_wall = statistics.median(s.wall for s in cdk_samples)
                    _row(shape, n, "cdk synth", cdk_samples, f"   CDK takes {cdk_wall / ours:.0f}x the build's time")
    if not cdk:
        print("CDK not compared: aws-cdk-lib is not importable here; see --cdk-python.")


if __name__ == "__main__":
    main()
