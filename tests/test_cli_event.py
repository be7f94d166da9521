"""``python -m generator event``: one JSON object for any event it understands, exit 1 otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli
from .gitflow import GITFLOW

EVENTS = Path(__file__).resolve().parent / "events"
UNDERSTOOD = sorted(p for p in EVENTS.glob("*.json") if not p.name.startswith("malformed-"))


@pytest.mark.parametrize("path", UNDERSTOOD, ids=lambda p: p.stem)
def test_understood_events_print_one_json_object(cli, path):
    code, out, err = cli("event", str(path))
    assert code == 0, err
    decision = json.loads(out)
    assert decision["action"] in {"provision", "terminate", "ignore", "open_pull_requests", "fail_job", "reconcile"}
    assert isinstance(decision["reason"], str) and decision["reason"]


def test_provision_carries_every_field_the_issue_names(cli):
    # The AWS pattern's catalogue: its repository is the one the sample events name.
    decision = json.loads(cli("event", str(EVENTS / "hotfix-branch-created.json"), "--config", str(GITFLOW))[1])
    assert {"repository", "branch", "provisioned_product_name", "product", "portfolio", "idempotency_token",
            "version", "parameters"} <= set(decision)
    assert isinstance(decision["parameters"], dict)


@pytest.mark.parametrize("path", sorted(EVENTS.glob("malformed-*.json")), ids=lambda p: p.stem)
def test_malformed_events_exit_1_with_one_line(path):
    result = run_cli("event", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"", b"not json", b"[[[[", b"\xff\xfe", b"[" * 100000 + b"]" * 100000,
                                     b'{"detail": {"commitId": ' + b"9" * 5000 + b"}}"],
                         ids=["empty", "text", "truncated", "utf16-bom", "deep", "integer-python-cannot-convert"])
def test_unreadable_events_exit_1(tmp_path, content):
    path = tmp_path / "e.json"
    path.write_bytes(content)
    result = run_cli("event", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr and result.stderr.startswith("error: ")


def test_event_from_stdin():
    import subprocess
    import sys

    from .conftest import ROOT

    body = (EVENTS / "hotfix-branch-deleted.json").read_bytes()
    result = subprocess.run([sys.executable, "-m", "generator", "event", "-", "--config", str(GITFLOW)], input=body, cwd=ROOT,
                            capture_output=True)
    assert result.returncode == 0 and json.loads(result.stdout)["action"] == "terminate"


def test_event_with_an_invalid_config_is_exit_1(cli):
    from .conftest import CONFIGS

    code, _, err = cli("event", str(EVENTS / "hotfix-branch-created.json"), "--config", str(CONFIGS / "invalid" / "bad-region.yaml"))
    assert code == 1 and "bad-region.yaml:3:9" in err


def test_an_oversized_event_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as fh:
        fh.write(b'{"detail": "' + b"x" * (7 * 1024 * 1024) + b'"}')
    result = run_cli("event", str(path))
    assert result.returncode == 1 and "larger than 6,291,456 bytes" in result.stderr
