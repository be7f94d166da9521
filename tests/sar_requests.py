"""Every request the sufficiency gate checks, recorded on its way to the evaluator (which still decides it)."""

from __future__ import annotations

from generator import gates
from generator.gates import access, deployers, requirements
from generator.gates.context import Context

from .buildutil import build_file
from .conftest import CONFIGS
from .policies import app_files, folder_files

FIXTURES = sorted((CONFIGS / "valid").glob("*.yaml"))


def requests_of(files: dict[str, bytes], app: dict[str, bytes] | None = None) -> set[tuple[str, str, str]]:
    """(caller, action, ARN) of every permission the gate needs over one build."""
    seen: set[tuple[str, str, str]] = set()
    real = access.check

    def spy(principal, req, *args, **kwargs):
        seen.add((req.principal, req.action, req.resource))
        return real(principal, req, *args, **kwargs)

    requirements.check, deployers.check = spy, spy
    try:
        gates.run(Context(files, app_files() if app is None else app), ("sufficiency",))
    finally:
        requirements.check, deployers.check = real, real
    return seen


def every_request() -> set[tuple[str, str]]:
    """(action, ARN) over the shipped output and every fixture config."""
    out = requests_of(folder_files())
    for config in FIXTURES:
        out |= requests_of(build_file(config))
    return {(action, arn) for _, action, arn in out}
