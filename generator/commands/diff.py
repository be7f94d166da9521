"""diff: what a build would change compared with the previous output."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator diff                     # compare a fresh build with output/
  python -m generator diff --against /tmp/main-output --format json

Exit codes: 0 nothing would change, 3 something would, 1 invalid config.
"""


def run(args) -> int:
    import json
    from pathlib import Path

    from ..config_loader import load_config

    loaded = load_config(args.config)
    from .. import plan
    from ..compiler.build import compile_catalogue

    result = plan.plan(Path(args.against), compile_catalogue(loaded).files)
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write(plan.text(result))
    return 3 if result["changed"] else 0
