"""The generated EventBridge rules in a real pattern engine (moto's EventBridge, SQS targets).

Events are built from the AWS sample events: only branch creations (and for
the other rule, deletions) in a configured repository whose name starts
with the prefix may arrive.
"""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from . import gitflow
from .conftest import ROOT

# The AWS pattern's catalogue: its repository is the one the AWS sample events name (tests/events/).
AUTOMATION = gitflow.stack("sc-automation")
RULES = {lid: r["Properties"]["EventPattern"] for lid, r in AUTOMATION["Resources"].items()
         if r["Type"] == "AWS::Events::Rule" and "EventPattern" in r["Properties"]}
EVENTS = ROOT / "tests" / "events"


def entry(name: str, **detail) -> dict:
    e = json.loads((EVENTS / name).read_text())
    e["detail"].update(detail)
    return {"Source": e["source"], "DetailType": e["detail-type"], "Detail": json.dumps(e["detail"]),
            "Resources": e["resources"]}


@pytest.fixture
def arrivals():
    with mock_aws():
        events, sqs = boto3.client("events", "us-east-1"), boto3.client("sqs", "us-east-1")
        queues = {}
        for lid, pattern in RULES.items():
            url = sqs.create_queue(QueueName=lid)["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            events.put_rule(Name=lid, EventPattern=json.dumps(pattern))
            events.put_targets(Rule=lid, Targets=[{"Id": "q", "Arn": arn}])
            queues[lid] = url

        def send(*entries) -> dict[str, list[str]]:
            events.put_events(Entries=list(entries))
            out = {}
            for lid, url in queues.items():
                messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
                out[lid] = sorted(json.loads(m["Body"])["detail"]["referenceName"] for m in messages)
            return out

        yield send


def created_rule() -> str:
    return next(lid for lid in RULES if lid.startswith("BranchCreated"))


def deleted_rule() -> str:
    return next(lid for lid in RULES if lid.startswith("BranchDeleted"))


def test_one_rule_per_repository_and_kind():
    assert len(RULES) == 2 and RULES[created_rule()]["resources"] == [
        "arn:aws:codecommit:us-east-1:111111111111:hotfixpoc-repository"]


def test_only_hotfix_branch_creations_reach_the_creation_rule(arrivals):
    got = arrivals(
        entry("hotfix-branch-created.json"),
        entry("hotfix-branch-with-slash-created.json"),
        entry("hotfix-tag-created.json"),
        entry("other-repository-created.json"),
        entry("feature-branch-created.json"),
        entry("capitalised-prefix-created.json"),
        entry("hotfix-branch-updated.json"),
        entry("hotfix-branch-deleted.json", referenceName="hotfix-removed"),
        entry("codecommit-reference-created.json"),
    )
    assert got[created_rule()] == ["hotfix-login-timeout", "hotfix-team/login"]
    assert got[deleted_rule()] == ["hotfix-removed"]


def test_repository_name_in_detail_must_match_the_arn(arrivals):
    spoof = entry("hotfix-branch-created.json")
    spoof["Resources"] = ["arn:aws:codecommit:us-east-1:111111111111:another-repository"]
    assert arrivals(spoof)[created_rule()] == []


def test_rules_have_retries_and_a_dead_letter_queue():
    for lid in RULES:
        (target,) = AUTOMATION["Resources"][lid]["Properties"]["Targets"]
        assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}


def test_invoke_permissions_are_limited_to_their_rule():
    permissions = [r["Properties"] for r in AUTOMATION["Resources"].values() if r["Type"] == "AWS::Lambda::Permission"]
    assert len(permissions) == len(RULES) + 1  # and the reconcile schedule
    for p in permissions:
        assert p["Principal"] == "events.amazonaws.com" and p["SourceAccount"] == {"Ref": "AWS::AccountId"}
        assert p["SourceArn"]["Fn::GetAtt"][1] == "Arn"
