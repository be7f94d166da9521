"""Terminal and annotation injection: whatever a config or an event holds, every output is one record per item.

The class: text from a config (keys, names, descriptions), an event (branch
names) or the command line (file names) that holds a newline, a carriage
return, an escape sequence (ESC, CSI, OSC, C1 controls), a bidi override, a
line separator or a lone surrogate, printed by any command in any format.
The properties: text and GitHub formats print exactly one line per problem,
JSON parses back to exactly the problems, and no output holds an unsafe
character (Unicode categories Cc, Cf, Cs, Zl, Zp) except the newlines that
end records.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import formatters, graph
from generator.printable import json_text, printable
from generator.problems import Problem, json_path

from .conftest import CONFIGS
from .gitflow import GITFLOW

NASTY = [
    "\n", "\r", "\r\n", "\x1b[2J", "\x1b]0;title\x07", "\x9b31m", "\x1bP", "\x00", "\x7f", "\x85", "\x1c", "\x0b", "\x0c",
    "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\u2029", "\ud800", "\U000e0001",
    "::error file=x,line=1::forged", "\n::warning::forged", "\nconfig.yaml:1:1: error: forged", "##[error]forged",
    "%0A", "%", "'", '"', "\\", "<script>", "#quot;", "`", "|",
]
HOSTILE = st.lists(st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=()), max_size=5)),
                   max_size=6).map("".join)


def unsafe(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} and ch != "\n"]


def lines(text: str) -> list[str]:
    """Lines as every reader splits them (str.splitlines splits on \\x1c, \\x85, \\u2028 and more)."""
    return text.splitlines()


@given(HOSTILE)
def test_printable_is_one_safe_line_and_leaves_safe_text_alone(text):
    out = printable(text)
    assert unsafe(out) == [] and "\n" not in out and len(lines(out)) <= 1
    if text.isprintable():
        assert out == text


@given(HOSTILE)
def test_json_text_is_the_same_value_without_unsafe_characters(text):
    out = json_text({"branch": text, "list": [text]}, indent=2, sort_keys=True)
    assert unsafe(out) == []
    assert json.loads(out) == {"branch": text, "list": [text]}


PROBLEMS = st.lists(st.builds(Problem, HOSTILE, st.integers(1, 10**6), st.integers(1, 500), HOSTILE, HOSTILE,
                              HOSTILE.map(lambda key: json_path(("portfolios", 0, key)))), min_size=1, max_size=5)


@example([Problem(":", 1, 1, "c", "m")])  # the colon after the name makes '::'
@given(PROBLEMS)
def test_every_format_prints_one_record_per_problem_and_no_control_character(problems):
    text = formatters.text(problems)
    assert len(lines(text)) == len(problems) and unsafe(text) == []
    assert all(re.match(r"^.*:\d+:\d+: error: ", line) for line in lines(text))
    assert not any(line.lstrip().startswith(("::", "##[")) for line in lines(text)), "a line the GitHub runner would obey"
    annotations = formatters.github(problems)
    assert len(lines(annotations)) == len(problems) and unsafe(annotations) == []
    assert all(line.startswith("::error file=") for line in lines(annotations))
    as_json = formatters.as_json(problems)
    assert unsafe(as_json) == [] and json.loads(as_json) == [p.as_dict() for p in problems]


EVIL_KEY = "x\x1b[2J\n::error file=config.yaml,line=1::forged\r\u202e"


def test_a_hostile_key_and_file_name_through_validate_in_every_format(tmp_path, cli):
    # A file name with a newline, as pre-commit would pass it from a pull request.
    path = tmp_path / "evil\n::error::name.yaml"
    data = yaml.safe_load(GITFLOW.read_text())
    data["portfolios"][0][EVIL_KEY] = "value"
    data[EVIL_KEY] = {EVIL_KEY: 1}
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, _, err = cli("validate", "--config", str(path))
    assert code == 1 and len(lines(err)) == 2 and unsafe(err) == []
    assert all(line.startswith(printable(str(path)) + ":") for line in lines(err))
    code, out, _ = cli("validate", "--config", str(path), "--format", "github")
    assert code == 1 and len(lines(out)) == 2 and unsafe(out) == [] and all(line.startswith("::error ") for line in lines(out))
    code, out, _ = cli("validate", "--config", str(path), "--format", "json")
    assert code == 1 and unsafe(out) == [] and {p["message"].split(";")[0] for p in json.loads(out)} == {f"unknown key '{EVIL_KEY}'"}


EVERY = CONFIGS / "valid" / "every-constraint.yaml"


@given(HOSTILE)
def test_graph_labels_stay_inside_their_quotes(name):
    from dataclasses import replace

    from generator.config_loader import load_config

    from .test_graph import MERMAID_EDGE, MERMAID_NODE

    cat = _CATALOGUE.get() or _CATALOGUE.set(load_config(EVERY).catalogue)
    evil = replace(cat, portfolios=tuple(replace(p, display_name=name) for p in cat.portfolios),
                   products=tuple(replace(p, display_name=name + "x") for p in cat.products))
    mermaid = graph.mermaid(evil)
    assert unsafe(mermaid) == []
    assert all(MERMAID_NODE.match(line) or MERMAID_EDGE.match(line) for line in lines(mermaid)[1:])
    dot = graph.dot(evil)
    assert unsafe(dot) == []
    assert all(re.match(r'^    [a-z]{3}_[0-9a-f]{10}( -> [a-z]{3}_[0-9a-f]{10})? \[label="([^"\\]|\\.)*"(, shape=\w+)?\];$', line)
               for line in lines(dot)[3:-1])


class _Once:
    value = None

    def get(self):
        return self.value

    def set(self, value):
        self.value = value
        return value


_CATALOGUE = _Once()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (.ci/run installs it for CI)")
def test_graphviz_reads_hostile_labels_as_text():
    from dataclasses import replace

    from generator.config_loader import load_config

    cat = load_config(EVERY).catalogue
    evil = replace(cat, portfolios=tuple(replace(p, display_name="".join(NASTY)) for p in cat.portfolios))
    result = subprocess.run(["dot", "-Tsvg"], input=graph.dot(evil), capture_output=True, text=True)
    assert result.returncode == 0 and "\x1b" not in result.stdout, result.stderr


def test_event_output_shows_a_hostile_branch_name_without_obeying_it(tmp_path, cli):
    from .test_cli_event import EVENTS

    event = json.loads((EVENTS / "hotfix-branch-created.json").read_text())
    path = tmp_path / "event.json"
    # Git refuses control characters in branch names (the decision says so, quoting it); bidi controls it accepts.
    for branch, field in (("hotfix-\x1b]0;pwned\x07\x9b2J", "reason"), ("hotfix-\u202e\u2066\u2028x", "branch")):
        event["detail"]["referenceName"] = branch
        path.write_text(json.dumps(event))
        code, out, err = cli("event", str(path), "--config", str(GITFLOW))
        assert code == 0, err
        assert unsafe(out) == [] and branch in json.loads(out)[field]


def test_error_messages_are_one_line(tmp_path, cli):
    # An event that is not JSON: the message quotes the path, which holds a newline and an escape.
    path = tmp_path / "e\n\x1b[2J.json"
    path.write_text("not json")
    code, _, err = cli("event", str(path))
    assert code == 1 and len(lines(err)) == 1 and unsafe(err) == [] and err.startswith("error: ")


# --- text from templates and from AWS: check's findings, deploy's progress, status -------------------------------
# The same class reaches the commands that print what cfn-lint or a gate read in a user's template
# (a policy's action, a resource name) and what AWS answers (a stack event's ResourceStatusReason, a
# branch name, a provisioned product's tags, a dead letter's error): each is one record, shown not obeyed.

def _finding(file, resource, code, message, role):
    from generator.gates.finding import Finding

    return Finding(file, resource, "least-privilege", code, message, role=role, arn=message)


FINDINGS = st.lists(st.builds(_finding, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE), min_size=1, max_size=4)


@settings(max_examples=200)  # cheap to check at 200: at CI's 2,000 these three added 40 s
@given(FINDINGS, HOSTILE)
def test_every_check_format_prints_one_record_per_finding_and_no_control_character(findings, base):
    from generator.gates.report import FORMATS

    text = FORMATS["text"](findings, base)
    assert len(lines(text)) == len(findings) + 1 and unsafe(text) == [], text  # and the summary line
    assert not any(line.lstrip().startswith(("::", "##[")) for line in lines(text)), "a line the GitHub runner would obey"
    annotations = FORMATS["github"](findings, base)
    assert len(lines(annotations)) == len(findings) and unsafe(annotations) == []
    assert all(line.startswith("::error ") for line in lines(annotations))
    for fmt in ("json", "sarif"):
        out = FORMATS[fmt](findings, base)
        assert unsafe(out) == [] and json.loads(out)


EVENT_REASONS = [
    "x\n::error file=forged.py,line=1::forged\x1b[2J\x1b]0;title\x07",
    # What CloudFormation writes, with brackets that rich would read as markup and swallow or choke on.
    "Properties validation failed for resource Bucket with message: [#/BucketName: failed validation constraint for keyword [pattern]]",
    "closing [/x] tag, [link=https://example.com]a link[/link], [bold red blink]loud",
]


@pytest.mark.parametrize("reason", EVENT_REASONS)
def test_deploy_shows_a_stack_events_reason_as_text_on_a_terminal_and_in_logs(reason):
    import io

    from rich.console import Console

    from generator.deploy import progress

    event = {"EventId": "1", "LogicalResourceId": "Bucket\n::error::x", "ResourceStatus": "CREATE_FAILED",
             "ResourceStatusReason": reason}
    live = progress.Live(io.StringIO())
    screen = io.StringIO()
    live.console = Console(file=screen, force_terminal=True, width=400)
    with live.stack("sc-products", 1) as watch:
        watch.events([event])
    shown = printable(reason)
    assert shown in screen.getvalue(), screen.getvalue()
    plain = io.StringIO()
    with progress.Plain(plain).stack("sc-products", 1) as watch:
        watch.events([event])
    progress.Plain(plain).line("  " + reason)
    assert len(lines(plain.getvalue())) == 2 and unsafe(plain.getvalue()) == [] and shown in plain.getvalue()


@settings(max_examples=200)  # cheap to check at 200: at CI's 2,000 these three added 40 s
@given(HOSTILE, HOSTILE, HOSTILE)
def test_status_prints_what_aws_answers_one_line_per_record(branch, tag, error):
    from generator.deploy import hotfix_status, stackset_status, status
    from generator.deploy.stackset_status import StackSetReport

    hotfix = {"repositories": [{"name": "repo", "branches": [
                  {"branch": branch, "commit": "abc1234" + tag, "pipeline": "sc-x" + tag, "status": "AVAILABLE" + error},
                  {"branch": branch, "commit": tag, "pipeline": None, "status": None}]}],
              "orphans": [{"pipeline": tag, "branch": branch, "repository": "repo"}],
              "broken": [{"pipeline": tag, "status": error, "repository": tag, "branch": branch}],
              "dead_letters": {"queue": "q", "messages": 1, "peek": [f"a message {branch}: {error}"], "absent": False},
              "repairs": 2}
    report = status.StackReport("id", "sc-" + tag, "tools", "111111111111", "eu-west-1", deployed=True, status=error,
                                template="differs", deployed_sha256="0" * 64, output_sha256="1" * 64, parameters=[tag],
                                drift=error, drifted=[{"resource": tag, "type": error, "status": error, "differences": 1}])
    stack_set = StackSetReport(name="sc-" + tag, account="tools", region="eu-west-1", deployed=True, template="differs",
                               deployed_sha256=error, output_sha256="1" * 64, instances={error: 1}, behind=[branch],
                               missing=[tag])
    for records in (hotfix_status.text(hotfix), status.text(report), stackset_status.text(stack_set)):
        out = "\n".join(records) + "\n"
        assert len(lines(out)) == len(records) and unsafe(out) == [], records
