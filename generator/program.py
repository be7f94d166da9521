"""The program (``python -m generator``, ``sc-toolkit``): a large build's twin forked first, then the CLI.

The twin (twin.py) reads the configuration while this process imports; the
sooner it starts, the less this process waits for it. Importing the CLI and
building its parser take about 11 ms, so ``twin.early`` reads a plain
``build`` command line itself, before them; ``commands/build.py`` keeps that
twin only if argparse read the same.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["build"]:  # any other command goes straight to the CLI
        from . import twin

        twin.early(sys.argv[1:])
    from .cli import run

    run()
