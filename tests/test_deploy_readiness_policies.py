"""Key, bucket, trust and boundary policies read against what the services document (issue 10).

Each test names its source. Built from the AWS pattern's catalogue (tests/configs/valid/gitflow.yaml) and
tests/configs/valid/pipelines.yaml (another prefix, two repositories, a QA account), so that they hold for
any catalogue with pipelines.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase

import pytest
import yaml

from generator.compiler import iam
from generator.compiler.builtin import parts

from .allow import ACCOUNT, allows, resolve, statements
from .buildutil import build_file, manifest, resources, templates, walk
from .conftest import CONFIGS, ROOT
from .gitflow import GITFLOW

PATHS = [GITFLOW, CONFIGS / "valid" / "pipelines.yaml"]


@pytest.fixture(scope="module", params=PATHS, ids=lambda p: p.name)
def build(request):
    files = build_file(request.param)
    m = manifest(files)
    by_kind: dict[str, list[dict]] = {}
    ts = {f"stacks/{n}.template.json": t for n, t in templates(files).items()}
    for s in m["stacks"]:
        by_kind.setdefault(s["kind"], []).append(ts[s["template"]])
    products = {p: json.loads(b) for p, b in files.items() if p.startswith("products/") and p.endswith(".json")}
    return {"kinds": by_kind, "products": products, "prefix": m["stack_prefix"], "region": m["region"]}


def one(build, kind: str) -> dict:
    return build["kinds"][kind][0]


def key_statements(build) -> list[dict]:
    (key,) = resources(one(build, "tools-prerequisites"), "AWS::KMS::Key").values()
    return key["Properties"]["KeyPolicy"]["Statement"]


def role(template: dict, lid: str) -> dict:
    return template["Resources"][lid]


def test_ecr_may_create_and_retire_grants_on_the_key(build):
    # ECR user guide, "Encryption at rest": creating a repository with a customer managed key, ECR calls
    # DescribeKey and CreateGrant; the AWS::ECR::Repository create handler lists kms:CreateGrant,
    # kms:RetireGrant and kms:DescribeKey (issue 10 item 1). Allowed only through ECR, for AWS resources.
    via = f"ecr.{build['region']}.amazonaws.com"
    granted = {}
    for s in key_statements(build):
        if s["Effect"] == "Allow" and s.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService") == via:
            for a in s["Action"]:
                granted[a] = s["Condition"]
    assert {"kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"} <= set(granted)
    assert granted["kms:CreateGrant"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
    assert all(c["StringEquals"]["kms:CallerAccount"] == ACCOUNT for c in granted.values())


def test_codecommit_repositories_use_the_aws_managed_key(build):
    # CodeCommit user guide, "AWS KMS and encryption for CodeCommit repositories": with a customer managed key
    # every user needs KMS permissions on it (issue 10 item 8). The toolkit uses the AWS managed key instead,
    # and no key statement is left that only CodeCommit would use.
    for r in resources(one(build, "tools-prerequisites"), "AWS::CodeCommit::Repository").values():
        assert "KmsKeyId" not in r["Properties"]
    assert not [s for s in key_statements(build) if "codecommit" in json.dumps(s.get("Condition", {}))]


def test_key_actions_are_spelled_out(build):
    # Issue 10 item 13: no kms:GenerateDataKey* or kms:ReEncrypt* anywhere.
    for t in [*(t for ts in build["kinds"].values() for t in ts), *build["products"].values()]:
        for node in walk(t):
            if isinstance(node, str) and node.startswith("kms:"):
                assert "*" not in node, node


def test_pipeline_and_build_roles_reach_only_their_own_artifact_folder(build):
    # CodePipeline user guide, "Artifacts" / "Manage the CodePipeline service role": artifacts go under the
    # first 20 characters of the pipeline's name; the pipeline's name is its slug, which core.naming keeps
    # to 20 characters (issue 10 item 3, the naming half held by tests of core.naming).
    bucket = f"{build['prefix']}-artifacts-{ACCOUNT}-{build['region']}"
    slug, other = f"{build['prefix']}-pl-0123456789ab", f"{build['prefix']}-pl-ba9876543210"
    values = {"AWS::Region": build["region"], "PipelineSlug": slug}
    for template in build["products"].values():
        assert template["Resources"]["Pipeline"]["Properties"]["Name"] == {"Ref": "PipelineSlug"}
        for lid, actions in (("PipelineRole", parts.BUCKET_ACTIONS["pipeline"]), ("BuildRole", parts.BUCKET_ACTIONS["build"])):
            stmts = statements(role(template, lid))
            for action in actions[0]:
                assert allows(stmts, action, f"arn:aws:s3:::{bucket}/{slug}/SourceOutp/abc", values), (lid, action)
                assert not allows(stmts, action, f"arn:aws:s3:::{bucket}/{other}/SourceOutp/abc", values), (lid, action)
                assert not allows(stmts, action, f"arn:aws:s3:::{bucket}/{slug}", values), (lid, action)
            for action in actions[1]:  # the bucket-level reads the documented service-role policies list
                own = (("aws:ResourceAccount", ACCOUNT),)
                assert allows(stmts, action, f"arn:aws:s3:::{bucket}", values, own), (lid, action)
                assert not allows(stmts, action, f"arn:aws:s3:::{bucket}", values, (("aws:ResourceAccount", "999999999999"),))


def test_the_build_role_may_do_what_the_example_buildspec_does(build):
    # examples/app/buildspec.yml: `aws ecr get-login-password`, `aws ecr describe-images` (issue 10 item 6:
    # without ecr:DescribeImages the check always fails and the IMMUTABLE repository refuses a second push),
    # `docker push` (ECR user guide, "Pushing a Docker image").
    commands = " ".join(c for phase in yaml.safe_load((ROOT / "examples/app/buildspec.yml").read_text())["phases"].values()
                        for c in phase["commands"])
    cli = {"get-login-password": "ecr:GetAuthorizationToken", "describe-images": "ecr:DescribeImages"}
    called = set(re.findall(r"\baws ecr ([a-z-]+)", commands))
    assert called == set(cli)
    needed = {cli[c] for c in called} | (set(parts.ECR_PUSH) if "docker push" in commands else set())
    repo = f"arn:aws:ecr:{build['region']}:{ACCOUNT}:repository/hotfixpoc"
    for template in build["products"].values():
        stmts = statements(role(template, "BuildRole"))
        for action in needed:
            assert allows(stmts, action, "*" if action in iam.STAR_ONLY else repo,
                          {"AWS::Region": build["region"]}), action


def test_workload_deploy_roles_trust_only_pipeline_roles(build):
    # Issue 10 item 9: build roles run developers' buildspecs in privileged mode; they must not reach production.
    prefix = build["prefix"]
    for t in build["kinds"]["workload-prerequisites"][:1]:
        for r in resources(t, "AWS::IAM::Role").values():
            if not r["Properties"]["RoleName"].endswith("-deploy"):
                continue
            (trust,) = r["Properties"]["AssumeRolePolicyDocument"]["Statement"]
            pattern = trust["Condition"]["ArnLike"]["aws:PrincipalArn"]
            assert fnmatchcase(f"arn:aws:iam::{ACCOUNT}:role/{prefix}-pl-0123456789ab-pipeline", pattern)
            for other in ("build", "trigger"):
                assert not fnmatchcase(f"arn:aws:iam::{ACCOUNT}:role/{prefix}-pl-0123456789ab-{other}", pattern)
            assert not fnmatchcase(f"arn:aws:iam::{ACCOUNT}:role/{prefix}-automation-lifecycle", pattern)


def test_every_role_of_a_builtin_product_carries_the_boundary(build):
    # Issue 10 item 12: a launch role that creates roles could otherwise grant itself anything through them.
    arn = {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/{build['prefix']}-pipeline-boundary"}
    for name, template in build["products"].items():
        for lid, r in resources(template, "AWS::IAM::Role").items():
            assert r["Properties"].get("PermissionsBoundary") == arn, (name, lid)
    (boundary,) = resources(one(build, "launch-roles"), "AWS::IAM::ManagedPolicy").values()
    assert boundary["Properties"]["ManagedPolicyName"] == f"{build['prefix']}-pipeline-boundary"


def test_launch_roles_change_role_permissions_only_under_the_boundary(build):
    # IAM user guide, "Permissions boundaries for IAM entities": iam:PermissionsBoundary on every action that
    # changes what a role may do; removing the boundary or editing the policy is denied.
    changes = {"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
               "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"}
    boundary = f"arn:aws:iam::{ACCOUNT}:policy/{build['prefix']}-pipeline-boundary"
    for r in resources(one(build, "launch-roles"), "AWS::IAM::Role").values():
        stmts = statements(r)
        for s in stmts:
            if s["Effect"] == "Allow" and changes & set(s["Action"]):
                assert set(s["Action"]) <= changes
                assert resolve(s["Condition"]["StringEquals"]["iam:PermissionsBoundary"]) == boundary
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/{build['prefix']}-pl-0123456789ab-build"
        assert not allows(stmts, "iam:DeleteRolePermissionsBoundary", role_arn)
        for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"):
            assert not allows(stmts, action, boundary)
        trust = r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
        # Issue 10 item 13: confused-deputy guard (IfExists: Service Catalog does not document the key).
        assert trust["Condition"] == {"StringEqualsIfExists": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_the_boundary_admits_everything_the_pipeline_roles_are_granted(build):
    # A role's effective permissions are its policy AND its boundary: an action the boundary lacks fails at run time.
    (boundary,) = resources(one(build, "launch-roles"), "AWS::IAM::ManagedPolicy").values()
    allowed = {a for s in boundary["Properties"]["PolicyDocument"]["Statement"] for a in s["Action"]}
    for name, template in build["products"].items():
        for lid, r in resources(template, "AWS::IAM::Role").items():
            granted = {a for s in statements(r) if s["Effect"] == "Allow" for a in s["Action"]}
            assert granted <= allowed, (name, lid, sorted(granted - allowed))


def _execution_roles(build) -> list[dict]:
    workload = build["kinds"]["workload-prerequisites"][0]
    return [r for r in resources(workload, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith("-cfn-exec")]


def test_the_service_linked_role_grant_is_limited_to_ecs(build):
    # Issue 10 item 5: a fresh account's first ECS cluster creates ECS's service-linked role (the
    # AWS::ECS::Cluster create handler lists iam:CreateServiceLinkedRole; ECS developer guide, "Using
    # service-linked roles for Amazon ECS"): that role only, for ECS only (iam:AWSServiceName).
    for r in _execution_roles(build):
        (slr,) = [s for s in statements(r) if "iam:CreateServiceLinkedRole" in s["Action"]]
        assert slr["Condition"] == {"StringEquals": {"iam:AWSServiceName": "ecs.amazonaws.com"}}
        assert slr["Resource"] == ["arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*"]


def test_task_definitions_are_registered_and_tagged_only_in_the_applications_family(build):
    # Service Authorization Reference, Amazon ECS: RegisterTaskDefinition takes task-definition*, and
    # registering with tags needs ecs:TagResource on it (issue 10 items 5 and 13).
    family = f"arn:aws:ecs:{build['region']}:{ACCOUNT}:task-definition"
    values = {"AWS::Region": build["region"]}
    for r in _execution_roles(build):
        stmts = statements(r)
        app = r["Properties"]["RoleName"][len(build["prefix"]) + 1:-len("-cfn-exec")]
        for action in ("ecs:RegisterTaskDefinition", "ecs:TagResource"):
            assert allows(stmts, action, f"{family}/{app}:7", values), action
            assert not allows(stmts, action, f"{family}/other:1", values), action
        assert not allows(stmts, "ecs:RegisterTaskDefinition", "*", values)
