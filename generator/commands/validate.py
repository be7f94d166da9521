"""validate: check a configuration, report every problem with its position."""

from __future__ import annotations

import sys

from ..core.exceptions import ConfigError

EPILOG = """example:
  python -m generator validate
  python -m generator validate --config config/portfolios.yaml --format github
"""


def run(args) -> int:
    from ..config_loader import load_config

    paths = args.files or [args.config]
    problems = []
    for path in paths:  # several files (pre-commit passes them): report all, fail if any fails
        try:
            loaded = load_config(path)
        except ConfigError as error:
            if not error.problems:
                raise
            problems += error.problems
            continue
        if args.format == "text":
            from ..printable import printable

            cat = loaded.catalogue
            print(f"{printable(loaded.file)}: valid ({len(cat.portfolios)} portfolios, {len(cat.products)} products)")
    if problems:
        raise ConfigError(f"{len(problems)} problem(s)", tuple(problems))
    if args.format == "json":
        sys.stdout.write("[]\n")
    return 0
