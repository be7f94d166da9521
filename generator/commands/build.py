"""build: validate, compile, and write output/ atomically (with progress on a terminal)."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator build
  python -m generator build --config config/portfolios.yaml --output output
"""


def run(args) -> int:
    from ..config_loader import load_config

    progress = _progress() if sys.stderr.isatty() else None
    if progress:
        progress(f"validating {args.config}")
    loaded = load_config(args.config)
    # After validation: an invalid config is answered without importing troposphere.
    from ..compiler.build import compile_catalogue
    from ..output_writer import write

    result = compile_catalogue(loaded, progress=progress)
    if progress:
        progress(f"writing {len(result.files)} files")
        progress(None)
    write(args.output, result.files, force=args.force)
    print(f"{loaded.file}: wrote {len(result.files)} files, {len(result.stacks)} stacks to {args.output}/")
    return 0


def _progress():
    """One updating status line on a terminal's stderr; None when output is piped."""
    import time

    started = time.perf_counter()

    def report(message: str | None) -> None:
        if message is None:
            sys.stderr.write("\r\033[K")
        else:
            sys.stderr.write(f"\r\033[K[{time.perf_counter() - started:5.1f}s] {message}")
        sys.stderr.flush()

    return report
