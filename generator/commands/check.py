"""check: the gates over a catalogue's templates, for the user's CI.

cfn-lint over every template (built stacks, built-in products and the
user's own ``file:`` templates), the least-privilege and sufficiency gates,
and checkov when it is installed. By default it builds in memory from
``--config`` (nothing is written); ``--output DIR`` checks a folder that
``build`` wrote instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..core.exceptions import ToolkitError

EPILOG = """example:
  sc-toolkit check                                  # build in memory from config/portfolios.yaml, run every gate
  sc-toolkit check --output output --format sarif > check.sarif
  sc-toolkit check --gate least-privilege --gate sufficiency --format github
  sc-toolkit check --require checkov                # fail when checkov is not installed

Exit codes: 0 no errors or warnings (notices do not count), 1 findings or an invalid config, 2 usage.
checkov is optional: python -m venv .venv-checkov && .venv-checkov/bin/pip install checkov==3.3.30,
then CHECKOV=.venv-checkov/bin/checkov (or put checkov on PATH).
"""

APP_FILES = ("buildspec.yml",)


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file of a build's output, read as diff and deploy read it: links, pipes and devices refused by name."""
    from ..previous_output import read_file

    if not os.path.lexists(folder / "manifest.json"):
        raise ToolkitError(f"{folder} holds no manifest.json: it is not a build output (run build, or leave out --output)")
    return {p.relative_to(folder).as_posix(): read_file(p, "output file")
            for p in sorted(folder.rglob("*")) if p.is_symlink() or not p.is_dir()}


def read_app(folder: Path) -> dict[str, bytes]:
    """What the pipelines deploy and run: infra/* by artifact path, and the buildspec (read as output/ is)."""
    from ..previous_output import read_file

    if not folder.is_dir():
        return {}
    out = {f"infra/{p.name}": read_file(p, "application file")
           for p in sorted((folder / "infra").glob("*")) if p.is_symlink() or not p.is_dir()}
    out.update({name: read_file(folder / name, "application file") for name in APP_FILES if os.path.lexists(folder / name)})
    return out


def _sources(loaded) -> dict[str, str]:
    """products/<product>/<version>.<ext> -> the user's template file it was copied from."""
    from ..compiler.products import artifact_path

    base = Path(loaded.file).parent
    return {artifact_path(p, v): os.path.relpath(base / v.template.value)
            for p in loaded.catalogue.products for v in p.versions if v.template.kind == "file"}


def run(args) -> int:
    from .. import gates
    from ..gates.context import Context
    from ..gates.report import FORMATS, failed

    sources: dict[str, str] = {}
    if args.output:
        folder = Path(args.output)
        files, base = read_folder(folder), folder.as_posix()
    else:
        from ..config_loader import load_config

        loaded = load_config(args.config)
        from ..compiler.build import compile_catalogue

        files, base = compile_catalogue(loaded).files, "output"
        sources = _sources(loaded)
    tools = {"require": tuple(args.require or ())}
    if args.checkov:
        tools["checkov"] = args.checkov
    ctx = Context(files, read_app(Path(args.app)), tools)
    findings = gates.run(ctx, tuple(args.gate or gates.DEFAULT))
    # The application's templates are the user's too: a finding names the file under --app, not under output/.
    sources.update({name: os.path.relpath(Path(args.app) / name) for name in ctx.extra})
    from dataclasses import replace  # here: every command's start imports this module

    findings = [replace(f, file=os.path.relpath(sources[f.file], base)) if f.file in sources else f for f in findings]
    sys.stdout.write(FORMATS[args.format](findings, base))
    return 1 if failed(findings) else 0
