"""graph: the catalogue as Mermaid or Graphviz DOT."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator graph > catalogue.mmd          # Mermaid, renders in GitHub markdown
  python -m generator graph --format dot | dot -Tsvg > catalogue.svg
"""


def run(args) -> int:
    from .. import graph
    from ..config_loader import load_config

    sys.stdout.write(graph.FORMATS[args.format](load_config(args.config).catalogue))
    return 0
