"""The guarantees the generated templates make, each test named for one of them, on the AWS pattern's catalogue."""

from __future__ import annotations

import json

import pytest

from generator.core.naming import FUNCTIONS

from . import gitflow
from .buildutil import resources, walk
from .conftest import ROOT
from .policies import actions, templates
from .policies import statements as statements_of
from .rules import violations

HOTFIX_PORTFOLIO = gitflow.stack("sc-portfolio-hotfix-pipeline")
GUARDRAILS = gitflow.stack("sc-guardrails")
AUTOMATION = gitflow.stack("sc-automation")
TOOLS = gitflow.stack("sc-tools-prerequisites")
ALL = templates(gitflow.files())


def statements():
    return statements_of(gitflow.files())
CMK = [{"Fn::ImportValue": "sc:tools:key-arn"}, {"Fn::GetAtt": ["PipelineKey", "Arn"]}]


def deny_statements(sid: str) -> dict:
    policy = GUARDRAILS["Resources"]["DeveloperGuardrail"]["Properties"]
    return next(s for s in policy["PolicyDocument"]["Statement"] if s.get("Sid") == sid)


def test_only_the_lifecycle_lambdas_role_is_a_principal_of_the_hotfix_portfolio():
    principals = [r["Properties"]["PrincipalARN"] for r in
                  resources(HOTFIX_PORTFOLIO, "AWS::ServiceCatalog::PortfolioPrincipalAssociation").values()]
    assert principals == [{"Fn::ImportValue": "sc:automation:lifecycle-role-arn"}]
    assert AUTOMATION["Outputs"]["LifecycleRoleArn"]["Value"] == {"Fn::GetAtt": ["BranchLifecycleRole", "Arn"]}


def test_only_the_lifecycle_lambdas_role_may_provision_products():
    granted = {f.file + ":" + f.resource for f in statements() if f.statement.get("Effect") == "Allow"
               and "servicecatalog:ProvisionProduct" in actions(f.statement)}
    assert granted == {"stacks/sc-automation.template.json:BranchLifecycleRole"}


def test_developers_cannot_launch_the_hotfix_product():
    deny = deny_statements("OnlyTheAutomationLaunchesHotfixPipelines")
    assert deny["Effect"] == "Deny" and deny["Action"] == ["servicecatalog:ProvisionProduct"]
    assert deny["Resource"][0]["Fn::Sub"][1] == {"Id": {"Fn::ImportValue": "sc:product:hotfix-pipeline"}}
    assert GUARDRAILS["Resources"]["DeveloperGuardrail"]["Properties"]["Roles"] == ["Developers"]


def test_developers_cannot_invoke_the_pull_request_lambda():
    deny = deny_statements("NoInvokingThePullRequestLambda")
    assert "lambda:InvokeFunction" in deny["Action"]
    assert deny["Resource"][0]["Fn::Sub"].endswith(":function:sc-pull-requests")


def test_developers_cannot_approve_production_but_approvers_can():
    deny = deny_statements("OnlyApproversApprove")
    assert deny["Action"] == ["codepipeline:PutApprovalResult"]
    assert deny["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": ["arn:aws:iam::111111111111:role/ReleaseManagers"]}}
    approver = GUARDRAILS["Resources"]["ApproverPolicy"]["Properties"]
    assert approver["Roles"] == ["ReleaseManagers"]
    assert approver["PolicyDocument"]["Statement"][0]["Action"] == ["codepipeline:PutApprovalResult"]


def test_only_hotfix_pipelines_may_invoke_the_pull_request_lambda():
    granted = {f.file + ":" + f.resource for f in statements() if f.statement.get("Effect") == "Allow"
               and "lambda:InvokeFunction" in actions(f.statement) and f.resource != "PipelineBoundary"}  # limits, grants nothing
    assert granted == {"products/hotfix-pipeline/v1.json:PipelineRole", "stacks/sc-automation.template.json:ReconcilerRole"}
    reconciler = next(f for f in statements() if f.resource == "ReconcilerRole" and "lambda:InvokeFunction" in actions(f.statement))
    assert reconciler.statement["Resource"][0]["Fn::Sub"].endswith(":function:sc-branch-lifecycle")


def template_rules() -> dict:
    (c,) = resources(HOTFIX_PORTFOLIO, "AWS::ServiceCatalog::LaunchTemplateConstraint").values()
    return json.loads(c["Properties"]["Rules"])


GOOD = {"RepositoryName": "hotfixpoc-repository", "ApplicationName": "hotfixpoc", "EcrRepositoryName": "hotfixpoc",
        "StageAccountId": "222222222222", "ProdAccountId": "333333333333"}


def test_the_template_constraint_admits_the_configured_repository():
    assert violations(template_rules(), GOOD) == []


@pytest.mark.parametrize("change", [{"RepositoryName": "another-repository"}, {"ApplicationName": "payroll"},
                                    {"EcrRepositoryName": "payroll"}, {"ProdAccountId": "999999999999"},
                                    {"StageAccountId": "333333333333"}])
def test_the_template_constraint_rejects_other_repositories_and_applications(change):
    assert violations(template_rules(), {**GOOD, **change})


def test_only_branches_with_the_prefix_get_a_pipeline():
    # The published template accepts any valid branch name (it must not change when a repository with
    # another prefix is added); the prefix is the lifecycle Lambda's to check, the portfolio's only principal.
    from generator.config_loader import load_config
    from generator.core.parse import canonical, catalogue_from_dict
    from generator.hotfix.decide import decide

    cat = catalogue_from_dict(canonical(load_config(gitflow.GITFLOW).data))
    event = json.loads((ROOT / "tests" / "events" / "hotfix-branch-created.json").read_text())
    assert decide(event, cat).action == "provision"
    for bad in ("feature/hotfix-x", "Hotfix-x", "main", "hotfix-"):
        event["detail"]["referenceName"] = bad
        assert decide(event, cat).action == "ignore", bad


STORES = {"AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::ECR::Repository", "AWS::CodeCommit::Repository",
          "AWS::Logs::LogGroup", "AWS::CodeBuild::Project"}


def encryption_key(kind: str, props: dict):
    if kind == "AWS::S3::Bucket":
        return props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"].get("KMSMasterKeyID")
    return {"AWS::SQS::Queue": props.get("KmsMasterKeyId"), "AWS::SNS::Topic": props.get("KmsMasterKeyId"),
            "AWS::ECR::Repository": props.get("EncryptionConfiguration", {}).get("KmsKey"),
            "AWS::CodeCommit::Repository": props.get("KmsKeyId"), "AWS::Logs::LogGroup": props.get("KmsKeyId"),
            "AWS::CodeBuild::Project": props.get("EncryptionKey")}[kind]


def test_everything_that_stores_data_uses_the_customer_managed_key():
    unencrypted = []
    for name, t in ALL.items():
        for lid, res in t.get("Resources", {}).items():
            if res["Type"] in STORES and encryption_key(res["Type"], res["Properties"]) not in CMK:
                unencrypted.append(f"{name}:{lid}")
    # S3 server access log delivery writes only to SSE-S3 buckets (checkov skip with that reason); CodeCommit
    # repositories use the AWS managed key, or every git client would need the pipeline key
    # (tools_prerequisites.py, docs/security.md).
    tools = "stacks/sc-tools-prerequisites.template.json"
    repos = {f"{tools}:{lid}" for lid in resources(TOOLS, "AWS::CodeCommit::Repository")}
    assert sorted(unencrypted) == sorted({f"{tools}:AccessLogBucket"} | repos)


def test_every_bucket_blocks_public_access_and_insecure_transport():
    for name, t in ALL.items():
        buckets = resources(t, "AWS::S3::Bucket")
        policies = {p["Properties"]["Bucket"]["Ref"]: p for p in resources(t, "AWS::S3::BucketPolicy").values()}
        for lid, b in buckets.items():
            assert all(b["Properties"]["PublicAccessBlockConfiguration"].values()), f"{name}:{lid}"
            deny = policies[lid]["Properties"]["PolicyDocument"]["Statement"][0]
            assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_every_log_group_has_a_retention_period():
    groups = [(n, lid, r) for n, t in ALL.items() for lid, r in resources(t, "AWS::Logs::LogGroup").items()]
    assert groups and all(r["Properties"].get("RetentionInDays") for _, _, r in groups)


def test_every_lambda_has_a_dead_letter_queue():
    # Reserved concurrency is a config option: tests/test_deploy_readiness_runtime.py.
    # The fixture's repositories are on CodeCommit: the three asynchronously invoked functions, no webhook endpoint
    # (which answers its provider and has no dead-letter queue: tests/test_webhooks.py).
    functions = resources(AUTOMATION, "AWS::Lambda::Function")
    assert len(functions) == len(FUNCTIONS)
    for lid, f in functions.items():
        assert f["Properties"]["DeadLetterConfig"]["TargetArn"] == {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}, lid


def test_the_key_rotates_and_workload_roles_only_decrypt():
    key = TOOLS["Resources"]["PipelineKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    (workload,) = [s for s in key["KeyPolicy"]["Statement"] if s.get("Sid") == "WorkloadRolesDecryptOnly"]
    assert workload["Action"] == ["kms:Decrypt", "kms:DescribeKey"]
    assert all(":role/" in p for p in workload["Principal"]["AWS"])


def test_no_template_holds_a_hard_coded_secret():
    for name, t in ALL.items():
        for node in walk(t):
            if isinstance(node, str):
                assert "AKIA" not in node and "aws_secret_access_key" not in node.lower(), name
