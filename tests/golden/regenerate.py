"""Compare (or with --write, rewrite) the golden builds of the fixture configs.

    python tests/golden/regenerate.py          # exit 1 and list what differs
    python tests/golden/regenerate.py --write  # rewrite tests/golden/* and output/

Each fixture in ``FIXTURES`` builds into ``tests/golden/<name>/``; the
shipped config builds into ``output/``, which is committed so that reviewers
see generated templates beside the config change that caused them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.compiler.build import compile_catalogue  # noqa: E402
from generator.config_loader import load_config  # noqa: E402
from generator.output_writer import write  # noqa: E402

FIXTURES = ("minimal", "every-constraint", "sharded", "anchors-and-merge")


def targets() -> dict[Path, Path]:
    """Output folder -> config it is built from."""
    out = {ROOT / "output": ROOT / "config" / "portfolios.yaml"}
    for name in FIXTURES:
        out[ROOT / "tests" / "golden" / name] = ROOT / "tests" / "configs" / "valid" / f"{name}.yaml"
    return out


def build(config: Path) -> dict[str, bytes]:
    # Relative to the repository root, as a user runs it: paths end up in messages only.
    return compile_catalogue(load_config(config.relative_to(ROOT))).files


def differences(folder: Path, files: dict[str, bytes]) -> list[str]:
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()
    diff = [f"missing {name}" for name in sorted(set(files) - present)]
    diff += [f"extra {name}" for name in sorted(present - set(files))]
    diff += [f"differs {name}" for name in sorted(set(files) & present) if (folder / name).read_bytes() != files[name]]
    return diff


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the golden folders")
    args = parser.parse_args()
    import os

    os.chdir(ROOT)
    stale = 0
    for folder, config in targets().items():
        files = build(config)
        if args.write:
            write(folder, files, force=True)
            print(f"wrote {folder.relative_to(ROOT)} ({len(files)} files)")
            continue
        diff = differences(folder, files)
        stale += bool(diff)
        for line in diff:
            print(f"{folder.relative_to(ROOT)}: {line}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
