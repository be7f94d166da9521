"""Every command that reads a config reports its problems the way validate does, in every format it offers.

The commands are found from the parser, not listed by hand, so that a new
command is held to this too. A --format that names the command's own output
(graph's mermaid and dot, diff's text) reports config problems as text.
"""

from __future__ import annotations

import argparse
import json

import pytest

from generator.cli import build_parser

from .conftest import CONFIGS, ROOT

BAD = CONFIGS / "invalid" / "misspelled-products.yaml"
EXPECTED = "unknown key 'prodcts'; did you mean 'products'?"
# Positional arguments some commands need besides --config.
POSITIONALS = {"event": [str(ROOT / "tests" / "events" / "hotfix-branch-created.json")], "validate": []}


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def cases():
    for name, sub in sorted(_subparsers().items()):
        options = {opt: a for a in sub._actions for opt in a.option_strings}
        if "--config" not in options:
            continue
        formats = options["--format"].choices if "--format" in options else (None,)
        for fmt in formats:
            yield name, fmt


def required_options(command: str) -> list[str]:
    """Placeholder values for options a command requires (the config is refused before they are used)."""
    sub = _subparsers()[command]
    return [arg for a in sub._actions if a.required and a.option_strings for arg in (a.option_strings[0], "x")]


@pytest.mark.parametrize("command, fmt", list(cases()))
def test_invalid_config_is_reported_not_crashed(cli, tmp_path, command, fmt):
    args = [command, "--config", str(BAD), *POSITIONALS.get(command, []), *required_options(command)]
    if command in ("build",):
        args += ["--output", str(tmp_path / "out")]
    if fmt:
        args += ["--format", fmt]
    code, out, err = cli(*args)
    assert code == 1, (out, err)
    assert "internal error" not in err and "Traceback" not in err
    if fmt == "json":
        assert [p["message"] for p in json.loads(out)] == [EXPECTED] and err == ""
    elif fmt == "github":
        assert out.startswith("::error file=") and EXPECTED in out and err == ""
    else:
        assert out == "" and err == f"{BAD}:21:5: error: {EXPECTED} (at $.portfolios[0].prodcts)\n"
    assert not (tmp_path / "out").exists()


def test_commands_with_a_config_are_found():
    found = {name for name, _ in cases()}
    assert {"validate", "build", "diff", "graph", "event"} <= found
