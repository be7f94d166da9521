"""The gate's tables against the Service Authorization Reference: every permission the sufficiency gate needs is
asked on the kind of resource AWS authorises that action on.

A need on the wrong ARN is a gate that can be green while AWS refuses the call: a role granted an action on its
log group passes the gate, but AWS authorises ``logs:DescribeIndexPolicies`` only on "*" (it has no resource type),
so the log group's read handler is denied. Source: the Service Authorization Reference, "Actions defined by ..."
tables of each service (Resource types column, "*" for none), as committed in tests/sar/resource_types.json
(tests/sar/extract.py says how it was taken).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from generator.gates.resourceless import STAR_ONLY

from .sar_requests import every_request

TABLE = json.loads((Path(__file__).parent / "sar" / "resource_types.json").read_text())["actions"]


@cache
def _format(arn_format: str) -> re.Pattern:
    """An ARN format of the reference (``arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}``)."""
    parts = re.split(r"(\$\{[^}]*\})", arn_format)
    return re.compile("".join(".+" if p.startswith("${") else re.escape(p) for p in parts))


def _entry(action: str) -> dict | None:
    return next((v for k, v in TABLE.items() if k.lower() == action.lower()), None)


def wrong(action: str, arn: str) -> str | None:
    entry = _entry(action)
    if entry is None:
        return f"{action} is not in tests/sar/resource_types.json (python tests/sar/extract.py)"
    if arn == "*":
        return f"{action} takes {entry['arns']}, yet the gate asks for it on '*'" if entry["required"] else None
    if not entry["arns"]:
        return f"{action} has no resource type, so AWS authorises it only on '*', yet the gate asks for it on {arn}"
    if not any(_format(f).fullmatch(arn) for f in entry["arns"]):
        return f"{action} on {arn}, which is none of its resource types {entry['arns']}"
    return None


def test_every_need_of_the_gate_is_on_a_resource_type_aws_authorises_the_action_on():
    problems = sorted({p for action, arn in every_request() if (p := wrong(action, arn))})
    assert problems == []


@pytest.mark.parametrize("action", sorted(STAR_ONLY))
def test_the_star_only_table_lists_only_actions_without_a_required_resource_type(action):
    entry = _entry(action)
    assert entry is not None and not entry["required"], (action, entry)


def test_the_check_catches_a_need_on_the_wrong_resource_type():
    log_group = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/codebuild/sc-pl-x-build"
    assert "only on '*'" in wrong("logs:DescribeIndexPolicies", log_group)
    assert wrong("logs:ListTagsForResource", log_group) is None
    assert "none of its resource types" in wrong("ecr:PutImage", log_group)
    assert "yet the gate asks for it on '*'" in wrong("ecr:PutImage", "*")
