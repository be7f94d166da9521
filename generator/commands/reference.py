"""reference: docs/config-reference.md from the JSON Schema."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator reference --write    # rewrite docs/config-reference.md
  python -m generator reference --check    # exit 1 if it is out of date (CI)
"""


def run(args) -> int:
    from .. import reference
    from ..core.exceptions import InputError

    text = reference.render()
    if args.write:
        reference.OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        reference.OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {reference.OUTPUT}")
    elif args.check:
        current = reference.OUTPUT.read_text(encoding="utf-8") if reference.OUTPUT.exists() else ""
        if current != text:
            raise InputError(f"{reference.OUTPUT} is out of date: run python -m generator reference --write")
        print(f"{reference.OUTPUT} is up to date")
    else:
        sys.stdout.write(text)
    return 0
