"""Issue 10's faults, reverted in the real generated templates: each gate must name exactly the fault.

tests/test_gates_sufficiency.py proves the same rules on small hand-written builds; here each test takes a
whole build (tests/configs/valid/pipelines.yaml compiled, with ``examples/app``), undoes one fix of issue 10's list in memory, runs the gate that
holds it and expects the precise finding: the role, the action, the resource and nothing else. Each names the
AWS source of the behaviour it checks. Runtime items (7, 11, the pull-request title of 13) are held by
tests/test_execute_pull_requests.py and tests/test_names_properties.py; item 2 (reserved concurrency) by
tests/test_deploy_readiness_runtime.py, since no template says what an account's concurrency quota is; item 8
by test_codecommit_repositories_use_the_aws_managed_key: with the customer key on a repository every generated
role still passes (they hold the key for their artifacts and queues), and the principals that would fail are the
developers' git clients, which no template defines.
"""

from __future__ import annotations

import json

import pytest

from generator.gates import deployers, least_privilege, pipelines, service_policies, trusts
from generator.gates.context import Context

from .buildutil import build_file, manifest
from .conftest import CONFIGS
from .policies import app_files

CONFIG = CONFIGS / "valid" / "pipelines.yaml"  # prefix acme, two repositories with their applications, a QA account
HOTFIX = "products/hotfix-pipeline/v1.json"


@pytest.fixture(scope="module")
def shipped():
    return build_file(CONFIG), app_files()


def path(shipped, kind: str) -> str:
    return next(s["template"] for s in manifest(shipped[0])["stacks"] if s["kind"] == kind)


def lid_of(shipped, kind: str, predicate) -> str:
    template = json.loads(shipped[0][path(shipped, kind)])
    return next(lid for lid, res in sorted(template["Resources"].items()) if predicate(lid, res))


def role_named(suffix: str):
    return lambda lid, res: res["Type"] == "AWS::IAM::Role" and res["Properties"].get("RoleName", "").endswith(suffix)


def mutated(shipped, where: str, change) -> Context:
    files, app = shipped
    template = json.loads(files[where])
    change(template)
    return Context({**files, where: json.dumps(template).encode()}, app)


def run(module, ctx) -> list:
    return [f for f in module.run(ctx) if f.severity == "error"]


def statements(resource: dict):
    for policy in resource["Properties"].get("Policies", []):
        yield from policy["PolicyDocument"]["Statement"]


def with_statements(shipped, kind: str, role_suffix: str, action: str, edit) -> tuple[Context, str]:
    """The build with ``edit(statement)`` applied to every statement of the role that names ``action``."""
    lid = lid_of(shipped, kind, role_named(role_suffix))

    def change(t):
        for s in statements(t["Resources"][lid]):
            if action in s["Action"]:
                edit(s)

    return mutated(shipped, path(shipped, kind), change), lid


def drop_action(resource: dict, action: str, where=lambda s: True) -> None:
    for policy in resource["Properties"]["Policies"]:
        doc = policy["PolicyDocument"]
        for s in doc["Statement"]:
            if where(s):
                s["Action"] = [a for a in s["Action"] if a != action]
        doc["Statement"] = [s for s in doc["Statement"] if s["Action"]]


def test_the_build_is_clean_under_every_gate_these_tests_use(shipped):
    ctx = Context(*shipped)
    for module in (deployers, pipelines, service_policies, trusts, least_privilege):
        assert run(module, ctx) == [], module.__name__


def test_1_a_key_policy_without_the_ecr_grant_statements(shipped):
    # ECR User Guide, "Encryption at rest"; AWS::ECR::Repository create handler: kms:CreateGrant,
    # kms:RetireGrant, kms:DescribeKey (cfn-lint 1.58.0 registry schema).
    def change(t):
        for res in t["Resources"].values():
            if res["Type"] == "AWS::KMS::Key":
                key = res["Properties"]["KeyPolicy"]
                key["Statement"] = [s for s in key["Statement"] if "ecr." not in json.dumps(s.get("Condition", {}))]

    found = run(service_policies, mutated(shipped, path(shipped, "tools-prerequisites"), change))
    repositories = {lid for lid, res in json.loads(shipped[0][path(shipped, "tools-prerequisites")])["Resources"].items()
                    if res["Type"] == "AWS::ECR::Repository"}
    assert len(repositories) == 2
    assert {(f.code, f.resource, f.action) for f in found} == {
        ("SUF-SERVICE", r, a) for r in repositories for a in ("kms:CreateGrant", "kms:RetireGrant")}
    assert all("key policy does not allow it" in f.message for f in found)


def test_a_key_whose_policy_would_lock_its_creator_out(shipped):
    # AWS KMS API Reference, CreateKey: unless the lockout safety check is bypassed, the key policy must allow the
    # creating principal to call PutKeyPolicy on the key.
    def change(t):
        for res in t["Resources"].values():
            if res["Type"] == "AWS::KMS::Key":
                for s in res["Properties"]["KeyPolicy"]["Statement"]:
                    s["Action"] = [a for a in s["Action"] if a != "kms:PutKeyPolicy"]

    found = run(service_policies, mutated(shipped, path(shipped, "tools-prerequisites"), change))
    assert {(f.code, f.action) for f in found} == {("SUF-SERVICE", "kms:PutKeyPolicy")}


def test_3_a_pipeline_named_past_its_20_character_artifact_folder(shipped):
    # CodePipeline User Guide, artifact store: the folder is the first 20 characters of the pipeline's name.
    # Reverted: the name and the grants use the slug with a suffix, as before the fix.
    def change(t):
        t["Resources"]["Pipeline"]["Properties"]["Name"] = {"Fn::Sub": "${PipelineSlug}-pipeline"}
        for lid in ("PipelineRole", "BuildRole"):
            for s in statements(t["Resources"][lid]):
                text = json.dumps(s["Resource"]).replace("${PipelineSlug}/*", "${PipelineSlug}-pipeline/*")
                s["Resource"] = json.loads(text)

    found = run(pipelines, mutated(shipped, HOTFIX, change))
    assert found and {f.code for f in found} == {"SUF-PIPE"}
    assert {(f.role.rsplit("-", 1)[-1], f.action) for f in found} == {
        ("pipeline", "s3:PutObject"), ("build", "s3:GetObject"), ("build", "s3:GetObjectVersion"), ("build", "s3:PutObject")}
    assert all(len(f.arn.split("/")[1]) == 20 for f in found)  # the folder CodePipeline writes: 20 characters


@pytest.mark.parametrize(("action", "resource"), [
    # AWS::Events::Rule delete and read handlers; AWS::IAM::Role delete and read handlers (cfn-lint 1.58.0).
    ("events:ListTargetsByRule", "TriggerRule"),
    ("iam:ListRolePolicies", "BuildRole"),
    ("iam:ListAttachedRolePolicies", "PipelineRole"),
    ("logs:ListTagsForResource", "BuildLogs"),
])
def test_4_a_launch_role_that_cannot_terminate_what_it_created(shipped, action, resource):
    where = path(shipped, "launch-roles")
    lid = lid_of(shipped, "launch-roles", role_named("HotfixLaunch"))

    def change(t):
        drop_action(t["Resources"][lid], action)

    found = run(deployers, mutated(shipped, where, change))
    assert found and {(f.file, f.action, f.role.rsplit("/", 1)[-1]) for f in found} == {(HOTFIX, action, "AcmeHotfixLaunch")}
    assert resource in {f.resource for f in found}


@pytest.mark.parametrize(("action", "arn_end", "where"), [
    # ECS Developer Guide, tag on create: RegisterTaskDefinition with tags needs ecs:TagResource on the task definition.
    ("ecs:TagResource", ":1", lambda s: "task-definition" in json.dumps(s["Resource"])),
    # AWS::ECS::Cluster create handler; ECS Developer Guide, service-linked role.
    ("iam:CreateServiceLinkedRole", "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS", lambda s: True),
    # AWS::ECS::TaskDefinition read handler.
    ("ecs:DescribeTaskDefinition", "*", lambda s: True),
])
def test_5_the_workload_cloudformation_role_missing_a_handler_permission(shipped, action, arn_end, where):
    workload = path(shipped, "workload-prerequisites")
    lid = lid_of(shipped, "workload-prerequisites", role_named("payments-cfn-exec"))

    def change(t):
        drop_action(t["Resources"][lid], action, where)

    found = run(deployers, mutated(shipped, workload, change))
    assert found and {(f.file, f.action) for f in found} == {("infra/service.yaml", action)}
    assert {f.role.rsplit("/", 1)[-1] for f in found} == {"acme-payments-cfn-exec"}
    assert len({f.role for f in found}) >= 2  # every workload account the pipelines deploy to
    assert all(f.arn.endswith(arn_end) for f in found)


def test_6_a_build_role_without_describe_images(shipped):
    # examples/app/buildspec.yml runs `aws ecr describe-images` (ECR API Reference, DescribeImages).
    def change(t):
        drop_action(t["Resources"]["BuildRole"], "ecr:DescribeImages")

    found = run(pipelines, mutated(shipped, HOTFIX, change))
    assert found and {(f.action, f.role.rsplit("-", 1)[-1]) for f in found} == {("ecr:DescribeImages", "build")}
    assert {f.arn.rsplit("/", 1)[-1] for f in found} == {"payments", "ledger"}  # each repository's own image repository


def test_an_artifact_store_without_its_key_cannot_feed_another_account(shipped):
    # CodePipeline API Reference, ArtifactStore.encryptionKey: without it "the default key for Amazon S3 is used";
    # AWS KMS Developer Guide, AWS managed keys: their policies admit only their own account. The workload
    # accounts' deploy roles could no longer read the template they deploy.
    def change(t):
        del t["Resources"]["Pipeline"]["Properties"]["ArtifactStore"]["EncryptionKey"]

    found = run(pipelines, mutated(shipped, HOTFIX, change))
    assert found and {(f.action, f.role.rsplit("-", 1)[-1]) for f in found} == {("kms:Decrypt", "deploy")}
    assert all("AWS managed key for S3" in f.message for f in found)


def test_9_a_workload_deploy_role_that_trusts_every_pipeline_product_role(shipped):
    # Issue 10 item 9: trusting {prefix}-pl-* admits the build roles, which run developer-written buildspecs.
    workload = path(shipped, "workload-prerequisites")
    lid = lid_of(shipped, "workload-prerequisites", role_named("payments-deploy"))

    def change(t):
        for s in t["Resources"][lid]["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            pattern = s["Condition"]["ArnLike"]["aws:PrincipalArn"]
            s["Condition"]["ArnLike"]["aws:PrincipalArn"] = pattern.replace("-*-pipeline", "-*")

    found = run(least_privilege, mutated(shipped, workload, change))
    assert {(f.code, f.resource) for f in found} == {("LP-TRUST-BUILD", lid)}
    assert all(f.arn.endswith("-build") for f in found)


def test_10_a_lifecycle_role_that_may_terminate_any_provisioned_product(shipped):
    # Service Catalog Administrator Guide, "Example access policies for provisioned product management": without
    # servicecatalog:roleLevel (or userLevel) the role may terminate every product of the account, main pipelines too.
    ctx, lid = with_statements(shipped, "automation", "-lifecycle", "servicecatalog:TerminateProvisionedProduct",
                               lambda s: s.pop("Condition"))
    found = run(least_privilege, ctx)
    assert {(f.code, f.resource) for f in found} == {("LP-STAR", lid)}
    assert next(f.action for f in found if f.code == "LP-STAR") == "servicecatalog:TerminateProvisionedProduct"


def test_12_a_launch_role_that_creates_roles_without_the_boundary(shipped):
    # IAM User Guide, "Permissions boundaries for IAM entities": iam:PermissionsBoundary on the role-writing actions.
    ctx, _ = with_statements(shipped, "launch-roles", "HotfixLaunch", "iam:CreateRole", lambda s: s.pop("Condition"))
    found = run(least_privilege, ctx)
    assert {(f.code, f.action) for f in found} == {("LP-ESCALATION", a) for a in (
        "iam:AttachRolePolicy", "iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy")}


def test_12_a_product_role_without_the_boundary_cannot_be_created(shipped):
    # The other side: with the boundary required, a product role that does not carry it is refused.
    def change(t):
        del t["Resources"]["PipelineRole"]["Properties"]["PermissionsBoundary"]

    found = run(deployers, mutated(shipped, HOTFIX, change))
    assert found and {f.resource for f in found} == {"PipelineRole"}
    assert {f.action for f in found} >= {"iam:CreateRole", "iam:PutRolePolicy"}
    assert all("condition cannot be proven" in f.message for f in found)


def test_13_task_definitions_registered_anywhere(shipped):
    # Service Authorization Reference, Amazon ECS: RegisterTaskDefinition takes task-definition, so "*" is wider
    # than AWS requires.
    ctx, lid = with_statements(shipped, "workload-prerequisites", "payments-cfn-exec", "ecs:RegisterTaskDefinition",
                               lambda s: s.update(Resource=["*"]))
    found = run(least_privilege, ctx)
    assert {(f.code, f.resource) for f in found} == {("LP-STAR", lid), ("LP-REASON", lid)}
    assert "ecs:RegisterTaskDefinition" in next(f.action for f in found if f.code == "LP-STAR")


def test_13_key_actions_written_as_wildcards(shipped):
    # Issue 10 item 13: kms:GenerateDataKey* also grants GenerateDataKeyPair and its variants.
    ctx, _ = with_statements(shipped, "automation", "-lifecycle", "kms:GenerateDataKey", lambda s: s.update(
        Action=["kms:GenerateDataKey*" if a == "kms:GenerateDataKey" else a for a in s["Action"]]))
    found = run(least_privilege, ctx)
    assert {(f.code, f.action) for f in found} == {("LP-ACTION", "kms:GenerateDataKey*")}


def test_the_lambda_roles_hold_no_action_their_code_does_not_need(shipped):
    """The other direction of sufficiency, for the roles whose every call the gate reads from the code: an action
    granted but never needed is a grant nobody reviews (the pull-request role kept kms:Encrypt on the catalogue's key
    for a customer managed CodeCommit key the repositories no longer use)."""
    from .sar_requests import requests_of

    needed = {(caller, action) for caller, action, _ in requests_of(*shipped)}
    automation = json.loads(shipped[0][path(shipped, "automation")])
    account = manifest(shipped[0])["stacks"][0]["account_id"]
    extra = set()
    for lid, res in automation["Resources"].items():
        if res["Type"] == "AWS::IAM::Role" and "lambda.amazonaws.com" in json.dumps(res["Properties"]["AssumeRolePolicyDocument"]):
            arn = f"arn:aws:iam::{account}:role/{res['Properties']['RoleName']}"
            extra |= {(lid, a) for s in statements(res) if s["Effect"] == "Allow" for a in s["Action"] if (arn, a) not in needed}
    assert extra == set()


# --- Trust: the service that acts through a role must be able to assume it ------------------------------------

def _trust(shipped, kind_or_path: str, lid_match, edit) -> tuple[Context, str]:
    where = kind_or_path if "/" in kind_or_path else path(shipped, kind_or_path)
    template = json.loads(shipped[0][where])
    lid = next(lid for lid, res in sorted(template["Resources"].items()) if lid_match(lid, res))

    def change(t):
        for s in t["Resources"][lid]["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            edit(s)

    return mutated(shipped, where, change), lid


@pytest.mark.parametrize(("kind", "match", "edit", "service"), [
    # Service Catalog Administrator Guide, launch constraints: the launch role trusts servicecatalog.amazonaws.com.
    ("launch-roles", role_named("HotfixLaunch"), lambda s: s.update(Principal={"Service": "cloudformation.amazonaws.com"}),
     "servicecatalog.amazonaws.com"),
    # Service Catalog does not publish that it sends aws:SourceAccount: requiring it (not ...IfExists) may refuse
    # every launch (issue 10 item 13 asked for the key; the toolkit keeps it optional for this reason).
    ("launch-roles", role_named("HotfixLaunch"),
     lambda s: s.update(Condition={"StringEquals": s["Condition"]["StringEqualsIfExists"]}), "servicecatalog.amazonaws.com"),
    # CodePipeline User Guide, service role: trusted by codepipeline.amazonaws.com; its aws:SourceArn is the pipeline.
    (HOTFIX, lambda lid, res: lid == "PipelineRole", lambda s: s.update(
        Condition={"ArnEquals": {"aws:SourceArn": "arn:aws:codepipeline:eu-west-1:111111111111:another"}}),
     "codepipeline.amazonaws.com"),
    # AWS Lambda Developer Guide, execution role: trusted by lambda.amazonaws.com.
    ("automation", role_named("-lifecycle"), lambda s: s.update(Principal={"Service": "events.amazonaws.com"}),
     "lambda.amazonaws.com"),
    # CodePipeline User Guide, CloudFormation action: the stack's service role trusts cloudformation.amazonaws.com.
    ("workload-prerequisites", role_named("payments-cfn-exec"), lambda s: s.update(Principal={"Service": "ecs.amazonaws.com"}),
     "cloudformation.amazonaws.com"),
])
def test_a_role_whose_trust_does_not_admit_the_service_that_assumes_it(shipped, kind, match, edit, service):
    ctx, lid = _trust(shipped, kind, match, edit)
    found = run(trusts, ctx)
    assert found and {(f.code, f.resource) for f in found} == {("SUF-TRUST", lid)}
    assert all(f.message.startswith(f"{service} cannot assume") for f in found)


@pytest.mark.parametrize(("kind", "match"), [
    ("launch-roles", role_named("HotfixLaunch")),
    (HOTFIX, lambda lid, res: lid == "PipelineRole"),
    (HOTFIX, lambda lid, res: lid == "BuildRole"),
    (HOTFIX, lambda lid, res: lid == "TriggerRole"),
    ("automation", role_named("-lifecycle")),
    ("workload-prerequisites", role_named("payments-cfn-exec")),
    ("workload-prerequisites", role_named("payments-task-exec")),
])
def test_a_role_a_service_may_assume_for_any_account(shipped, kind, match):
    # IAM User Guide, "The confused deputy problem" / "Cross-service confused deputy prevention": a service
    # principal's trust is limited to the role's own account by aws:SourceAccount.
    ctx, lid = _trust(shipped, kind, match, lambda s: s.pop("Condition"))
    found = run(least_privilege, ctx)
    assert found and {(f.code, f.resource) for f in found} == {("LP-TRUST-DEPUTY", lid)}
    assert run(trusts, ctx) == []  # still sufficient: the service can assume it, too widely


@pytest.mark.parametrize("condition", [
    {"StringNotEquals": {"aws:SourceAccount": "999999999999"}},  # refuses one account, admits every other
    {"StringEqualsIfExists": {"aws:SourceAccount": ["111111111111", "222222222222"]}},  # a sibling account too
    {"StringLikeIfExists": {"aws:SourceAccount": "1*"}},  # a wildcard that also matches other accounts
], ids=["not-equals-one", "a-sibling-listed", "wildcard"])
def test_a_trust_that_admits_the_service_for_some_other_account(shipped, condition):
    # The check is about every other account, not one probe: each of these admits at least one (IAM User Guide,
    # "Cross-service confused deputy prevention"; the role's account is 111111111111 in this fixture).
    ctx, lid = _trust(shipped, HOTFIX, lambda lid, res: lid == "PipelineRole", lambda s: s.update(Condition=condition))
    found = run(least_privilege, ctx)
    assert {(f.code, f.resource) for f in found} == {("LP-TRUST-DEPUTY", lid)}
