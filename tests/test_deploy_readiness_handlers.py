"""Roles that CloudFormation acts through hold every handler permission of what they deploy.

Source: the registry schemas cfn-lint 1.58.0 bundles (cfnlint/data/schemas/resources/*.json, indexed by
providers/us-east-1.json), ``handlers.<create|read|update|delete|list>.permissions`` of each type in the
templates the role deploys: the launch roles over the built-in product templates (issue 10 item 4: without
the read and delete permissions, terminating a hotfix pipeline leaves its product in ERROR), the workload
accounts' CloudFormation execution role over examples/app/infra/service.yaml (item 5). A permission a role
does not get is in generator.compiler.handler_actions.NOT_GRANTED with its reason.
"""

from __future__ import annotations

import json
import os
from functools import cache

import cfnlint
import pytest
from cfnlint.decode import decode_str

from generator.compiler import handler_actions, iam
from generator.compiler.builtin import launch_policy

from .allow import ACCOUNT, allows, statements
from .buildutil import build_file, manifest, resources, templates
from .conftest import CONFIG, CONFIGS, ROOT

SCHEMAS = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
SERVICE = ROOT / "examples" / "app" / "infra" / "service.yaml"
# Every config with built-in pipelines; the other fixtures have none (no launch roles, no workload roles).
CONFIGS_WITH_PIPELINES = [CONFIG, CONFIGS / "valid" / "pipelines.yaml"]


@cache
def handler_permissions(type_name: str) -> frozenset[str]:
    with open(os.path.join(SCHEMAS, "providers", "us-east-1.json")) as f:
        digest = json.load(f)[type_name]
    with open(os.path.join(SCHEMAS, "resources", f"{digest}.json")) as f:
        schema = json.load(f)
    return frozenset(p for h in schema.get("handlers", {}).values() for p in h.get("permissions", []))


def test_the_schemas_are_the_pinned_ones_with_handlers():
    from importlib.metadata import version

    assert version("cfn-lint") == "1.58.0"
    assert "events:ListTargetsByRule" in handler_permissions("AWS::Events::Rule")  # the issue's own example


# The ARN each type's resources get (Service Authorization Reference, resource types of each service),
# for a pipeline slug and, in a workload account, the example application; and, keyed by (type, service),
# the resource of another service a type's permission acts on (the role it is given).
def pipeline_arns(prefix: str = "sc") -> dict:
    slug = f"{prefix}-pl-0123456789ab"
    return {
        "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{slug}-pipeline",
        "AWS::Logs::LogGroup": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/codebuild/{slug}-build",
        "AWS::CodePipeline::Pipeline": f"arn:aws:codepipeline:us-east-1:{ACCOUNT}:{slug}",
        "AWS::Events::Rule": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{slug}-trigger",
        "AWS::CodeBuild::Project": f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/{slug}-build",
        ("AWS::CodePipeline::Pipeline", "iam"): f"arn:aws:iam::{ACCOUNT}:role/{slug}-pipeline",
        ("AWS::Events::Rule", "iam"): f"arn:aws:iam::{ACCOUNT}:role/{slug}-trigger",
    }


PIPELINE_ARNS = pipeline_arns()
APP_ARNS = {
    "AWS::ECS::Cluster": f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/hotfixpoc",
    "AWS::ECS::Service": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/hotfixpoc/hotfixpoc",
    "AWS::ECS::TaskDefinition": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/hotfixpoc:7",
    "AWS::EC2::SecurityGroup": f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/sg-0123456789abcdef0",
    "AWS::Logs::LogGroup": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/ecs/hotfixpoc",
    ("AWS::ECS::TaskDefinition", "iam"): f"arn:aws:iam::{ACCOUNT}:role/sc-hotfixpoc-task-exec",
    ("AWS::ECS::Cluster", "iam"): f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
}


def target(type_name: str, action: str, arns: dict) -> str:
    if action in iam.STAR_ONLY:
        return "*"
    return arns.get((type_name, action.split(":")[0]), arns[type_name])


def missing(stmts: list[dict], types: set[str], own: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for t in sorted(types):
        needed = handler_permissions(t) - set(handler_actions.NOT_GRANTED.get(t, {}))
        gaps = sorted(a for a in needed if not allows(stmts, a, target(t, a, own)))
        if gaps:
            out[t] = gaps
    return out


def _builtin_templates(path) -> dict[str, dict]:
    return {p: json.loads(b) for p, b in build_file(path).items() if p.startswith("products/") and p.endswith(".json")}


def stacks_of_kind(files, kind: str) -> list[dict]:
    ts = {f"stacks/{name}.template.json": t for name, t in templates(files).items()}
    return [ts[s["template"]] for s in manifest(files)["stacks"] if s["kind"] == kind]


@pytest.mark.parametrize("path", CONFIGS_WITH_PIPELINES, ids=lambda p: p.name)
def test_launch_roles_hold_every_handler_permission_of_the_builtin_templates(path):
    files = build_file(path)
    (launch_stack,) = stacks_of_kind(files, "launch-roles")
    roles = resources(launch_stack, "AWS::IAM::Role")
    products = _builtin_templates(path)
    assert roles and products
    own = pipeline_arns(manifest(files)["stack_prefix"])
    types = {r["Type"] for t in products.values() for r in t["Resources"].values()}
    assert types == {t for t in own if isinstance(t, str)}
    for lid, role in roles.items():
        assert missing(statements(role), types, own) == {}, lid
        # CodeBuild projects publish no handlers: the CodeBuild API calls of the resource instead.
        assert handler_permissions("AWS::CodeBuild::Project") == frozenset()
        for action in launch_policy.PROJECT:
            assert allows(statements(role), action, own["AWS::CodeBuild::Project"]), (lid, action)


def test_the_execution_role_holds_every_handler_permission_of_the_example_service():
    template, _ = decode_str(SERVICE.read_text())
    types = {r["Type"] for r in template["Resources"].values()}
    assert types == {t for t in APP_ARNS if isinstance(t, str)}
    workload = templates(build_file(CONFIG))["sc-workload-prerequisites"]
    (role,) = [r for r in resources(workload, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith("-cfn-exec")]
    values = {"AWS::AccountId": ACCOUNT}
    assert missing(statements(role), types, APP_ARNS) == {}, values


@pytest.mark.parametrize("fault, type_name, action", [
    ("item 4: terminating leaves the product in ERROR", "AWS::Events::Rule", "events:ListTargetsByRule"),
    ("item 4", "AWS::IAM::Role", "iam:ListRolePolicies"),
    ("item 4", "AWS::IAM::Role", "iam:ListAttachedRolePolicies"),
    ("item 4", "AWS::Logs::LogGroup", "logs:ListTagsForResource"),
    ("item 4", "AWS::Events::Rule", "events:ListTagsForResource"),
])
def test_the_check_catches_each_reverted_launch_role_fix(fault, type_name, action):
    role = next(iter(resources(templates(build_file(CONFIG))["sc-launch-roles"], "AWS::IAM::Role").values()))
    stmts = [dict(s, Action=[a for a in s["Action"] if a != action]) for s in statements(role)]
    assert action in missing(stmts, {type_name}, PIPELINE_ARNS).get(type_name, []), fault


@pytest.mark.parametrize("action", ["ecs:TagResource", "iam:CreateServiceLinkedRole", "ecs:RegisterTaskDefinition"])
def test_the_check_catches_each_reverted_execution_role_fix(action):
    # Issue 10 item 5: tag-on-create needs ecs:TagResource on the task definition; a fresh account's first
    # cluster creates the ECS service-linked role.
    workload = templates(build_file(CONFIG))["sc-workload-prerequisites"]
    (role,) = [r for r in resources(workload, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith("-cfn-exec")]
    stmts = [dict(s, Action=[a for a in s["Action"] if a != action]) for s in statements(role)]
    assert missing(stmts, {t for t in APP_ARNS if isinstance(t, str)}, APP_ARNS)


def _exec_role(files) -> dict:
    workload = templates(files)["sc-workload-prerequisites"]
    (role,) = [r for r in resources(workload, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith("-cfn-exec")]
    return role


def test_every_permission_not_granted_is_a_handler_permission_with_a_reason_and_really_not_granted():
    files = build_file(CONFIG)
    launch = next(iter(resources(templates(files)["sc-launch-roles"], "AWS::IAM::Role").values()))
    for type_name, reasons in handler_actions.NOT_GRANTED.items():
        assert set(reasons) <= handler_permissions(type_name), type_name  # stale entries go when cfn-lint moves
        assert all(len(r) > 30 for r in reasons.values())
        for role, arns in ((launch, PIPELINE_ARNS), (_exec_role(files), APP_ARNS)):
            if type_name in arns:
                for action in reasons:
                    assert not allows(statements(role), action, target(type_name, action, arns)), (type_name, action)


def test_the_service_linked_role_grant_is_limited_to_ecs():
    workload = templates(build_file(CONFIG))["sc-workload-prerequisites"]
    (role,) = [r for r in resources(workload, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith("-cfn-exec")]
    (slr,) = [s for s in statements(role) if "iam:CreateServiceLinkedRole" in s["Action"]]
    assert slr["Condition"] == {"StringEquals": {"iam:AWSServiceName": "ecs.amazonaws.com"}}
    assert slr["Resource"] == ["arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*"]


def test_task_definitions_are_registered_only_in_the_applications_family():
    # Service Authorization Reference, Amazon ECS: RegisterTaskDefinition takes task-definition* (issue 10 item 13).
    workload = templates(build_file(CONFIG))["sc-workload-prerequisites"]
    (role,) = [r for r in resources(workload, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith("-cfn-exec")]
    stmts = statements(role)
    assert allows(stmts, "ecs:RegisterTaskDefinition", APP_ARNS["AWS::ECS::TaskDefinition"])
    assert not allows(stmts, "ecs:RegisterTaskDefinition", f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/payroll:1")
    assert not allows(stmts, "ecs:RegisterTaskDefinition", "*")
