"""What users copy: the pre-commit hook, the CI examples, the generated reference, --help examples, progress."""

from __future__ import annotations

import os
import pty
import re
import shlex
import subprocess
import sys
import tomllib

import pytest
import yaml

from generator.cli import build_parser

from .conftest import CONFIG, ROOT

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_reference_is_up_to_date():
    from generator import reference

    assert reference.OUTPUT.read_text() == reference.render(), "run python -m generator reference --write"


def test_reference_covers_every_property_of_the_schema():
    from generator import reference
    from generator.schema_check import schema

    text = reference.OUTPUT.read_text()
    keys = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema())
    assert [k for k in sorted(keys) if f"| `{k}` |" not in text] == []


def test_reference_check_fails_when_stale(cli, monkeypatch, tmp_path):
    from generator import reference

    stale = tmp_path / "ref.md"
    stale.write_text("old\n")
    monkeypatch.setattr(reference, "OUTPUT", stale)
    code, _, err = cli("reference", "--check")
    assert code == 1 and "out of date" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_an_example(command):
    result = subprocess.run([sys.executable, "-m", "generator", command, "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "example:" in result.stdout


def test_pre_commit_hook_runs_a_command_that_exists(tmp_path):
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["validate-catalogue"]
    assert hook["language"] == "python"
    assert re.search(hook["files"], "config/portfolios.yaml") and not re.search(hook["files"], "config/other.yaml")
    argv = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[argv[0]] == "generator.program:main"  # the build's twin forked early, then cli.run
    # Run it as pre-commit would: the entry followed by the staged file names.
    result = subprocess.run([sys.executable, "-m", "generator", *argv[1:], str(CONFIG)], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    bad = ROOT / "tests" / "configs" / "invalid" / "bad-region.yaml"
    result = subprocess.run([sys.executable, "-m", "generator", *argv[1:], str(CONFIG), str(bad)], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "bad-region.yaml:3:9" in result.stderr


def commands_in(lines) -> list[list[str]]:
    """Simple commands of shell lines, split at ; && || | and redirections, quotes respected."""
    out = []
    for line in lines:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        skip_next = False
        for token in list(lexer) + [";"]:
            if skip_next:
                skip_next = False
            elif token in {";", "&&", "||", "|", "(", ")"}:
                if words:
                    out.append(words)
                words = []
            elif token in {">", ">>", "<", "2>", "&>"}:
                skip_next = True
            else:
                words.append(token)
    return out


def check_commands(commands):
    seen = set()
    for words in commands:
        if words[:3] == ["python", "-m", "generator"]:
            assert words[3] in COMMANDS, words
            build_parser().parse_args(words[3:])  # the flags exist too
            seen.add(words[3])
        if words[0] == "cfn-lint":
            seen.add("cfn-lint")
    return seen


def test_github_workflow_is_valid_and_calls_real_commands():
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    # YAML 1.1 reads the key "on" as true; GitHub reads it as "on".
    assert workflow.get("on", workflow.get(True))["pull_request"]
    runs = [line for step in workflow["jobs"]["check"]["steps"] if "run" in step for line in step["run"].splitlines()]
    assert check_commands(commands_in(runs)) == {"validate", "diff", "build", "check"}


def test_codebuild_buildspec_is_valid_and_calls_real_commands():
    spec = yaml.safe_load((ROOT / "examples" / "ci" / "buildspec.yml").read_text())
    assert spec["version"] == 0.2
    lines = spec["phases"]["install"]["commands"] + spec["phases"]["build"]["commands"]
    assert check_commands(commands_in(lines)) == {"validate", "diff", "build", "check"}


def run_on_a_terminal(args) -> str:
    """Run the CLI with stderr on a pseudo-terminal; return what the terminal showed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    proc.wait()
    os.close(leader)
    return shown.decode("utf-8", "replace")


def test_build_reports_progress_on_a_terminal_only(tmp_path):
    shown = run_on_a_terminal(["build", "--output", str(tmp_path / "a")])
    assert "compiling" in shown and "products" in shown
    piped = subprocess.run([sys.executable, "-m", "generator", "build", "--output", str(tmp_path / "b")], cwd=ROOT,
                           capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""
