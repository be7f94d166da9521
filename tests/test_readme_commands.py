"""Every command the README tells a team to run is one that exists, with options that exist (issue 12, item 8).

The live steps cannot run here (no AWS), so each command is held to what can
be known offline: an `sc-toolkit` (or `python -m generator`) command must
parse with the toolkit's own argument parser, options and choices included;
an `aws` command must name a service, an operation (or a waiter of
`aws SERVICE wait`) and parameters that botocore's service models define,
with every required parameter given. The AWS CLI builds its commands from
those same models: the command is the operation's name in hyphenated lower
case and each option a parameter's (AWS CLI User Guide, "Command structure";
botocore.xform_name), `s3api` is the S3 model, and paginated operations take
--max-items, --starting-token and --page-size (AWS CLI User Guide,
"Pagination"). The high-level `aws s3` commands are customizations with no
model, so the README does without them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import subprocess
import sys
from functools import lru_cache

import botocore.session
import pytest
from botocore import xform_name

from generator.cli import build_parser

from .conftest import ROOT

README = (ROOT / "README.md").read_text()
# AWS CLI global options (AWS CLI User Guide, "Command line options"): with a value, and without.
GLOBAL_VALUED = {"--region", "--profile", "--output", "--query", "--endpoint-url", "--color", "--cli-read-timeout",
                 "--cli-connect-timeout", "--ca-bundle"}
GLOBAL_FLAGS = {"--debug", "--no-paginate", "--no-verify-ssl", "--no-sign-request", "--no-cli-pager"}
GENERIC = {"--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton"}
PAGINATION = {"--max-items", "--starting-token", "--page-size"}
CLI_SERVICES = {"s3api": "s3"}  # the CLI's name for a model whose name it uses for its customizations


def code_blocks(text: str) -> list[str]:
    """The fenced blocks, those indented under a list item included."""
    return re.findall(r"^[ \t]*```[a-z]*\n(.*?)^[ \t]*```", text, flags=re.M | re.S)


def inline_commands(text: str) -> list[str]:
    """Commands quoted in the prose (`aws ...`, `sc-toolkit ...`); a usage synopsis (with [optional] parts) is none."""
    prose = re.sub(r"^[ \t]*```[a-z]*\n.*?^[ \t]*```", "", text, flags=re.M | re.S).replace("\n", " ")
    spans = re.findall(r"`((?:aws|sc-toolkit|python -m generator) [^`]+)`", prose)
    return [span for span in spans if "[" not in span]


def commands(text: str) -> list[list[str]]:
    """Every command line of the fenced blocks and the prose, continuation lines joined, split at |, && and ;,
    comments dropped."""
    out = []
    for line in [*(line for block in code_blocks(text) for line in block.replace("\\\n", " ").splitlines()),
                 *inline_commands(text)]:
        lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        try:
            tokens = list(lexer)
        except ValueError:  # not shell (an example's output): no command of ours starts it
            continue
        words: list[str] = []
        for token in [*tokens, ";"]:
            if token in ("|", "||", "&&", ";", "&"):
                if words:
                    out.append(words)
                words = []
            else:
                words.append(token)
    return out


def toolkit_commands(text: str) -> list[list[str]]:
    found = []
    for words in commands(text):
        if words[:1] == ["sc-toolkit"]:
            found.append(words[1:])
        elif words[:3] == ["python", "-m", "generator"]:
            found.append(words[3:])
    return found


def aws_commands(text: str) -> list[list[str]]:
    return [words[1:] for words in commands(text) if words[:1] == ["aws"]]


def toolkit_problem(args: list[str]) -> str:
    """'' when the toolkit's parser takes `args`, else what argparse said."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            build_parser("sc-toolkit").parse_args(args)
        except SystemExit as stop:
            return "" if stop.code == 0 else err.getvalue().strip()
    return ""


@lru_cache(maxsize=1)
def _session():
    return botocore.session.get_session()


def _options(words: list[str]) -> tuple[list[str], dict[str, int]]:
    """The service, operation (and waiter) words, and how often each --option appears; the words after an option are
    its values (a list parameter takes several), global options and their values are dropped."""
    positional, seen, i, values = [], {}, 0, False
    while i < len(words):
        word = words[i]
        name = word.split("=", 1)[0]
        if name in GLOBAL_VALUED:
            i += 1 if "=" in word else 2
            values = False
            continue
        if name in GLOBAL_FLAGS:
            values = False
        elif word.startswith("--"):
            seen[name] = seen.get(name, 0) + 1
            values = True
        elif not values:
            positional.append(word)
        i += 1
    return positional, seen


def aws_problem(words: list[str]) -> str:
    """'' when botocore's models define the command `aws *words`, else what is wrong with it."""
    session = _session()
    positional, seen = _options(words)
    if len(positional) < 2:
        return "no service and operation"
    service = CLI_SERVICES.get(positional[0], positional[0])
    if service not in session.get_available_services() or positional[0] in CLI_SERVICES.values():
        return f"no service {positional[0]!r} in botocore's models"
    model = session.get_service_model(service)
    operations = {xform_name(name, "-"): name for name in model.operation_names}
    if positional[1] == "wait":
        waiters = {xform_name(name, "-"): name for name in session.get_waiter_model(service).waiter_names}
        if len(positional) < 3 or positional[2] not in waiters:
            return f"no waiter {positional[2:3]} for {positional[0]}"
        operation = session.get_waiter_model(service).get_waiter(waiters[positional[2]]).operation
        extra = 3
    else:
        if positional[1] not in operations:
            return f"no operation {positional[1]!r} in {positional[0]}"
        operation = operations[positional[1]]
        extra = 2
    if len(positional) > extra:
        return f"words before the options that are no command: {positional[extra:]}"
    shape = model.operation_model(operation).input_shape
    members = {} if shape is None else shape.members
    allowed = {"--" + xform_name(name, "-"): name for name in members} | dict.fromkeys(GENERIC)
    allowed |= {"--no-" + xform_name(name, "-"): name for name, m in members.items() if m.type_name == "boolean"}
    if _session().get_paginator_model(service)._paginator_config.get(operation):
        allowed |= dict.fromkeys(PAGINATION)
    unknown = sorted(set(seen) - set(allowed))
    if unknown:
        return f"{positional[0]} {positional[1]} has no option {', '.join(unknown)}"
    given = {allowed[o] for o in seen if allowed.get(o)}
    # botocore fills an idempotency token the caller leaves out (botocore.handlers.generate_idempotent_uuid).
    needed = {m for m in (() if shape is None else shape.required_members) if not members[m].metadata.get("idempotencyToken")}
    missing = sorted(needed - given)
    if missing and seen and not seen.keys() & {"--cli-input-json", "--cli-input-yaml"}:  # no option: an operation named
        return f"{positional[0]} {positional[1]} needs {', '.join('--' + xform_name(m, '-') for m in missing)}"
    return ""


def test_the_readme_names_commands_of_both_kinds():
    # What makes the two tests below mean something: the README's live steps are commands they read.
    assert len(toolkit_commands(README)) >= 10 and len(aws_commands(README)) >= 15


@pytest.mark.parametrize("args", toolkit_commands(README), ids=" ".join)
def test_every_toolkit_command_parses(args):
    assert toolkit_problem(args) == ""


@pytest.mark.parametrize("words", aws_commands(README), ids=" ".join)
def test_every_aws_command_is_in_the_service_models(words):
    assert aws_problem(words) == ""


@pytest.mark.parametrize(("words", "problem"), [
    (["servicecatalog", "describe-records", "--id", "x"], "no operation 'describe-records'"),
    (["servicecatalog", "describe-record", "--accept-language", "en"], "needs --id"),
    (["servicecatalog", "describe-record", "--id", "x", "--record", "y"], "has no option --record"),
    (["cloudformation", "wait", "stack-deleted", "--stack-name", "x"], "no waiter"),
    (["s3", "rb", "s3://bucket"], "no service 's3'"),
    (["codecommit", "list-pull-requests", "extra", "--repository-name", "r"], "no command: ['extra']"),
])
def test_the_aws_check_refuses_what_the_cli_would(words, problem):
    assert problem in aws_problem(words)


@pytest.mark.parametrize(("words"), [
    ["--region", "eu-west-1", "cloudformation", "wait", "stack-delete-complete", "--stack-name", "x"],
    ["servicecatalog", "list-record-history", "--max-items", "5", "--profile=tools"],
    ["s3api", "put-public-access-block", "--bucket", "b", "--public-access-block-configuration", "BlockPublicAcls=true"],
    ["servicecatalog", "terminate-provisioned-product", "--provisioned-product-name", "p"],  # the token is botocore's
    ["servicecatalog", "provision-product"],  # the operation, as prose names it
])
def test_the_aws_check_takes_what_the_cli_takes(words):
    assert aws_problem(words) == ""


def test_the_toolkit_check_refuses_an_option_that_does_not_exist():
    assert "unrecognized arguments: --stack-name" in toolkit_problem(["deploy", "--stack-name", "x"])
    assert "invalid choice" in toolkit_problem(["launch-parameters", "--repository", "r", "--format", "yaml"])


def test_the_reverse_manifest_order_command_prints_the_stacks_last_first():
    """The clean-up step's listing of stacks, run on the committed output/: whatever the catalogue holds."""
    line = next(line.strip() for block in code_blocks(README) for line in block.splitlines()
                if "reversed(" in line and "manifest.json" in line)
    words = shlex.split(line, comments=True)
    assert words[:2] == ["python", "-c"]
    result = subprocess.run([sys.executable, "-c", words[2]], cwd=ROOT, capture_output=True, text=True, check=True)
    stacks = json.loads((ROOT / "output" / "manifest.json").read_text())["stacks"]
    assert [line.split()[-1] for line in result.stdout.splitlines()] == [s["name"] for s in reversed(stacks)]


def test_the_quick_start_is_two_commands_after_what_it_needs():
    """Issue 9: the first block of the Quick start stays exactly the two commands; Python 3.11+ and the virtual
    environment are said in the prose before it."""
    section = README.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    before = section.split("```", 1)[0]
    install = "pip " + "install -e "  # split: no test file names an installer (test_no_test_installs_software)
    assert code_blocks(section)[0].splitlines() == [install + ". && python -m generator build",
                                                    install + "'.[test]' && python -m pytest"]
    assert "Python 3.11 or later" in before and "-m venv .venv && . .venv/bin/activate" in before
