"""build: validate, compile, and write output/ atomically (with progress on a terminal)."""

from __future__ import annotations

import os
import sys

EPILOG = """example:
  python -m generator build
  python -m generator build --config config/portfolios.yaml --output output
  python -m generator build --allow-version-change main-pipeline@v2   # v2 was never deployed

A version's template never changes once published (Service Catalog would not
read it again): build refuses a config that would change one compared with the
previous output's manifest; add a new version instead.
"""


def run(args) -> int:
    from .. import twin as twins
    from ..perf import processes

    # First of all, before the imports it can overlap: a large file is read by a twin (twin.py).
    # (A build parked by an interrupted swap cannot hold the file the twin read: one path, one file.)
    twin = twins.take(args.config, args.jobs) or twins.start(args.config, args.jobs or processes(), asked=args.jobs is not None)
    try:
        return _build(args, twin)
    finally:
        if twin is not None:
            twin.close()


def _build(args, twin) -> int:
    from ..config_loader import load_config
    from ..output_writer import recover
    from ..printable import printable

    # First, whatever the config: a build parked by an interrupted swap is put back, so that
    # the version guard below compares against it and an invalid config leaves output/ whole.
    for note in recover(args.output):
        print(f"note: {printable(note)}", file=sys.stderr)
    progress = _progress() if sys.stderr.isatty() else None
    if progress:
        progress(f"validating {printable(args.config)}")
    early = None
    if twin is not None:  # while the twin reads the file: the compiler imported, the previous manifest read
        from ..compiler import versions

        early = _previous(versions, args.output)
    loaded = load_config(args.config, twin=twin)
    # Otherwise after validation: an invalid config is answered without importing troposphere.
    from ..compiler import versions
    from ..compiler.build import compile_catalogue
    from ..output_writer import write

    allowed = versions.allowed(args.allow_version_change)
    previous, error = early or _previous(versions, args.output)
    if error is not None:
        if not args.force:
            raise error
        print(f"note: {printable(str(error))}; replaced anyway (--force): published versions were not compared",
              file=sys.stderr)
    result = compile_catalogue(loaded, progress=progress, twin=twin)
    versions.guard(previous, result.manifest, allowed)
    if progress:
        progress(f"writing {len(result.files)} files")
        progress(None)
    report = write(args.output, result.files, force=args.force, keep=_inputs(loaded))
    for note in report.notes:
        print(f"note: {printable(note)}", file=sys.stderr)
    # --output is relative to the current folder, not to the config: say where
    # the files went in full, so that 'build --config elsewhere/...' surprises nobody.
    print(f"{printable(loaded.file)}: wrote {len(result.files)} files, {len(result.stacks)} stacks to "
          f"{printable(report.folder)}{os.sep}")
    return 0


def _previous(versions, output: str) -> tuple:
    """(the previous build's manifest or None, None), or (None, the BuildError that reading it raised)."""
    from ..core.exceptions import BuildError

    try:
        return versions.previous_manifest(output), None
    except BuildError as error:
        return None, error


def _inputs(loaded) -> tuple[str, ...]:
    """The config and every template file it names: what no --output may replace."""
    base = os.path.dirname(os.path.realpath(loaded.file))  # where the compiler reads them (compiler/build.py)
    return (loaded.file, *(os.path.join(base, v.template.value) for p in loaded.catalogue.products
                           for v in p.versions if v.template.kind == "file"))


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
