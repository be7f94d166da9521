"""Least privilege, checked by the gate in the product over every policy of every build.

The rules (generator/gates/least_privilege.py): no "*" action or service
wildcard, "*" resources only for the actions AWS grants only on "*" (each
with its reason in generator/gates/resourceless.py and in the role's
metadata), everyone only in denials, account trust narrowed to role names,
iam:PassRole limited by resource and service; and, from issue 10, no IAM
privilege escalation and no trust in CodeBuild roles.
"""

from __future__ import annotations

import pytest

from generator import gates
from generator.gates import least_privilege, resourceless
from generator.gates.context import Context

from . import gitflow
from .buildutil import build_file
from .conftest import CONFIGS
from .policies import allow, app_files, folder_files, role, statements, synthetic

ESTABLISHED = ("LP-ACTION", "LP-STAR", "LP-EVERYONE", "LP-ROOT-TRUST", "LP-PASSROLE", "LP-REASON")
NEW = ("LP-ESCALATION", "LP-TRUST-BUILD")
BUILDS = {"output": lambda: Context(folder_files(), app_files()),
          **{p.name: (lambda p=p: Context(build_file(p))) for p in sorted((CONFIGS / "valid").glob("*.yaml"))}}


def _generated(ctx, findings):
    """The toolkit's own templates: a user's file: product template is the user's to see in `check`."""
    cat = ctx.model.catalogue
    own = {f"products/{p.name}/{v.name}" for p in cat.products for v in p.versions if v.template.kind == "file"} if cat else set()
    return [f for f in findings if f.file.rsplit(".", 1)[0] not in own]


def findings(name, codes):
    ctx = BUILDS[name]()
    return [f.text() for f in _generated(ctx, gates.run(ctx, ("least-privilege",))) if f.code in codes]


def test_policies_were_found():
    # The walk finds every kind of policy in the AWS pattern's catalogue, which has them all.
    found = statements(gitflow.files())
    assert {f.kind for f in found} == {"trust", "identity", "resource", "key"} and len(found) > 50


@pytest.mark.parametrize("name", BUILDS)
def test_no_wildcards_and_no_star_without_a_reason(name):
    assert findings(name, ESTABLISHED) == []


@pytest.mark.parametrize("name", BUILDS)
def test_no_escalation_and_no_trust_in_build_roles(name):
    assert findings(name, NEW) == []


def test_allowlist_reasons_are_written():
    assert all(len(reason) > 20 for reason in resourceless.STAR_ONLY.values())
    assert all(len(reason) > 20 for _, reason in resourceless.STAR_WITH_CONDITION.values())


@pytest.mark.parametrize(("stmt", "code"), [
    ({"Effect": "Allow", "Action": ["s3:GetObject", "ecs:*"], "Resource": ["arn:aws:s3:::b/*"]}, "LP-ACTION"),
    ({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}, "LP-STAR"),
    ({"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": ["arn:aws:iam::1:role/x"]}, "LP-PASSROLE"),
    ({"Effect": "Allow", "Action": ["iam:DeleteRolePermissionsBoundary"], "Resource": ["arn:aws:iam::1:role/x"]}, "LP-ESCALATION"),
])
def test_each_rule_catches_what_it_forbids(stmt, code):
    assert [f.code for f in least_privilege.statement_findings("t", "R", "identity", stmt, 1)] == [code]


def test_an_action_aws_grants_only_on_star_passes_on_star():
    assert least_privilege.statement_findings("t", "R", "identity", allow("ecr:GetAuthorizationToken", "*"), 1) == []
    tagged = allow("s3:GetObject", "*", {"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}})
    assert least_privilege.statement_findings("t", "R", "identity", tagged, 1) == []


BOUNDARY = {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111111111111:policy/sc-pl-boundary"}}


@pytest.mark.parametrize("action", ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"])
def test_a_launch_role_that_can_write_roles_must_require_the_boundary(action):
    # Issue 10, fault 12. IAM User Guide, "Permissions boundaries for IAM entities" (delegating with the
    # iam:PermissionsBoundary condition key): without it a launch role grants itself more through its roles.
    fixed = allow(action, "arn:aws:iam::111111111111:role/sc-pl-*", BOUNDARY)
    assert least_privilege.statement_findings("t", "LaunchRole", "identity", fixed, 1) == []
    reverted = allow(action, "arn:aws:iam::111111111111:role/sc-pl-*")
    found = least_privilege.statement_findings("t", "LaunchRole", "identity", reverted, 1)
    assert [(f.code, f.action, f.resource) for f in found] == [("LP-ESCALATION", action, "LaunchRole")]


def _trust_build(pattern: str):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
             "Action": "sts:AssumeRole", "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::111111111111:role/{pattern}"}}}]}
    return synthetic({
        "tools": {"Resources": {
            "PipelineRole": role("sc-pl-abc-pipeline", [allow("sts:AssumeRole", "arn:aws:iam::222222222222:role/app-deploy")],
                                 "codepipeline.amazonaws.com"),
            "BuildRole": role("sc-pl-abc-build", [allow("logs:PutLogEvents", "arn:aws:logs:us-east-1:111111111111:log-group:x:*")],
                              "codebuild.amazonaws.com")}},
        "workload": {"Resources": {"DeployRole": role("app-deploy", [allow("cloudformation:DescribeStacks", "*")], trust=trust)}},
    }, {"workload": "222222222222"})


def test_a_deploy_role_must_not_trust_the_build_roles():
    # Issue 10, fault 9: trust "sc-pl-*" admits the CodeBuild roles that run developer-written buildspecs.
    assert [f for f in gates.run(_trust_build("sc-pl-*-pipeline"), ("least-privilege",)) if f.code == "LP-TRUST-BUILD"] == []
    found = [f for f in gates.run(_trust_build("sc-pl-*"), ("least-privilege",)) if f.code == "LP-TRUST-BUILD"]
    assert [(f.resource, f.arn) for f in found] == [("DeployRole", "arn:aws:iam::111111111111:role/sc-pl-abc-build")]
