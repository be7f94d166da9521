"""The sufficiency gate: every role the toolkit generates can do its job.

Two kinds of test. Over real builds (the committed output, every fixture
config, and the AWS pattern's catalogue as a team edits it) it must report nothing. Mutation tests take a correct, minimal policy written here,
revert one fix in memory and expect the precise finding: each names the
AWS source of the behaviour it checks.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from generator import gates
from generator.gates import handlers, pipelines
from generator.gates.context import Context
from generator.gates.lambda_calls import analyse, bundle_sources, entry_point
from generator.gates.resourceless import STAR_ONLY

from . import gitflow
from .buildutil import build_file
from .conftest import CONFIGS, ROOT
from .policies import STAGE, TOOLS, allow, app_files, edit_template, folder_files, role, synthetic

FIXTURES = sorted((CONFIGS / "valid").glob("*.yaml"))


def sufficiency(ctx) -> list:
    return gates.run(ctx, ("sufficiency",))


def errors(findings, code: str | None = None) -> list:
    return [f for f in findings if f.severity == "error" and (code is None or f.code == code)]


def test_the_shipped_output_reports_nothing():
    assert [f.text() for f in errors(sufficiency(Context(folder_files(), app_files())))] == []


@pytest.mark.parametrize("config", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_build_reports_nothing(config):
    assert [f.text() for f in errors(sufficiency(Context(build_file(config), app_files())))] == []


def edited_gitflow_config() -> dict:
    """The AWS pattern's catalogue as a team edits it: a QA account and a second repository with its own prefix and application."""
    import copy

    import yaml

    data = yaml.safe_load(gitflow.GITFLOW.read_text())
    data["accounts"]["qa"] = {"id": "444444444444"}
    first = data["hotfix"]["repositories"][0]
    second = copy.deepcopy(first)
    second.update({"name": "payments-service", "create": False, "branch_prefix": "fix/"})
    second["parameters"] = {**first["parameters"], "application_name": "payments", "ecr_repository": "team/payments"}
    data["hotfix"]["repositories"].append(second)
    return data


def test_an_edited_catalogue_reports_nothing():
    from .buildutil import build_data

    assert [f.text() for f in errors(sufficiency(Context(build_data(edited_gitflow_config()), app_files())))] == []


def test_the_gate_sees_every_role_the_pattern_deploys_through():
    model = Context(gitflow.files(), app_files()).model
    vias = {d.via for d in model.deployments}
    assert vias == {"Service Catalog launch constraint", "CodePipeline CloudFormation action"}
    assert all(model.role(d.role_arn) for d in model.deployments), "every deploying role is one the build defines"
    assert not model.problems


# --- Roles that CloudFormation acts through ------------------------------------------------------------

def _handler_grants(type_name: str, arn_pattern: str, skip=()) -> list[dict]:
    """Every handler permission of a type: on '*' where AWS takes only '*', on the pattern otherwise."""
    actions = {a for acts in handlers.permissions(type_name).values() for a in acts
               if a not in skip and a not in handlers.NOT_IAM_ACTIONS and a.split(":")[0] == arn_pattern.split(":")[2]}
    star = sorted(a for a in actions if a in STAR_ONLY)
    own = sorted(a for a in actions if a not in STAR_ONLY)
    return [s for s in (allow(own, arn_pattern) if own else None, allow(star, "*") if star else None) if s]


def _launch_build(launch_statements: list[dict]) -> Context:
    """A launch role, a portfolio whose launch constraint names it, a product, and the product's template."""
    product = {"Resources": {
        "TriggerRule": {"Type": "AWS::Events::Rule", "Properties": {
            "Name": "sc-pl-0123456789abcd-trigger", "ScheduleExpression": "rate(1 day)", "State": "ENABLED"}},
        "BuildRole": role("sc-pl-0123456789abcd-build", [allow("logs:PutLogEvents", "*")], "codebuild.amazonaws.com",
                          PermissionsBoundary="arn:aws:iam::111111111111:policy/sc-pl-boundary"),
    }}
    stacks = {
        "launch": {"Resources": {"LaunchRole": role("LaunchRole", launch_statements, "servicecatalog.amazonaws.com")}},
        "products": {"Parameters": {"ProductTemplateBaseUrl": {"Type": "String"}}, "Resources": {"Product": {
            "Type": "AWS::ServiceCatalog::CloudFormationProduct", "Properties": {"Name": "p", "ProvisioningArtifactParameters": [
                {"Name": "v1", "Info": {"LoadTemplateFromURL": {"Fn::Sub": "${ProductTemplateBaseUrl}/products/p/v1.json"}}}]}}}},
        "portfolio": {"Resources": {"Launch": {"Type": "AWS::ServiceCatalog::LaunchRoleConstraint", "Properties": {
            "LocalRoleName": "LaunchRole", "PortfolioId": "port-1", "ProductId": {"Fn::ImportValue": "product-id"}}}}},
    }
    stacks["products"]["Outputs"] = {"Id": {"Value": {"Ref": "Product"}, "Export": {"Name": "product-id"}}}
    ctx = synthetic(stacks)
    ctx.files["products/p/v1.json"] = json.dumps(product).encode()
    return ctx


def _launch_statements(drop: str = "", boundary: bool = True) -> list[dict]:
    role_arn = "arn:aws:iam::111111111111:role/sc-pl-*"
    condition = {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111111111111:policy/sc-pl-boundary"}}
    statements = [
        # Service Catalog Administrator Guide, "Step 6: Add a launch constraint to assign an IAM role".
        allow(["cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
               "cloudformation:DescribeStacks", "cloudformation:SetStackPolicy", "cloudformation:UpdateStack"],
              "arn:aws:cloudformation:us-east-1:111111111111:stack/SC-*"),
        allow(["cloudformation:GetTemplateSummary", "cloudformation:ValidateTemplate"], "*"),
        allow("s3:GetObject", "*", {"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}}),
        *_handler_grants("AWS::Events::Rule", "arn:aws:events:us-east-1:111111111111:rule/sc-pl-*", skip=("iam:PassRole",)),
    ]
    gated = ("iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary")
    iam_grants = _handler_grants("AWS::IAM::Role", role_arn, skip=(*gated, "iam:DeleteRolePermissionsBoundary",
                                                                   "iam:AttachRolePolicy", "iam:DetachRolePolicy"))
    statements += iam_grants + [allow(list(gated), role_arn, condition if boundary else None)]
    for s in statements:
        s["Action"] = [a for a in s["Action"] if a != drop]
    return [s for s in statements if s["Action"]]


def test_a_launch_role_with_every_handler_permission_passes():
    assert errors(sufficiency(_launch_build(_launch_statements()))) == []


@pytest.mark.parametrize(("dropped", "resource"), [
    # Issue 10, fault 4: terminating a provisioned pipeline. AWS::Events::Rule delete and read handlers,
    # AWS::IAM::Role delete and read handlers (cfn-lint 1.58.0 registry schemas).
    ("events:ListTargetsByRule", "TriggerRule"),
    ("iam:ListRolePolicies", "BuildRole"),
    ("iam:ListAttachedRolePolicies", "BuildRole"),
    ("events:DeleteRule", "TriggerRule"),
])
def test_a_launch_role_missing_a_delete_or_read_permission_is_found(dropped, resource):
    found = errors(sufficiency(_launch_build(_launch_statements(drop=dropped))), "SUF-CFN")
    assert {(f.action, f.resource, f.role.rsplit("/", 1)[-1]) for f in found} == {(dropped, resource, "LaunchRole")}
    assert all("handler permissions" in f.need and f.arn.startswith("arn:aws:") for f in found)


def test_a_launch_role_needs_what_service_catalog_itself_calls():
    # Service Catalog Administrator Guide, launch constraints: the stack actions and reading the template.
    found = errors(sufficiency(_launch_build(_launch_statements(drop="cloudformation:SetStackPolicy"))), "SUF-CFN")
    assert [(f.action, f.arn.split(":")[5].split("/")[0]) for f in found] == [("cloudformation:SetStackPolicy", "stack")]


def test_a_boundary_the_launch_role_requires_must_be_on_the_roles_it_creates():
    # Issue 10, fault 12 (sufficiency side): with iam:PermissionsBoundary in the launch role's condition,
    # a product role without the boundary cannot be created (IAM User Guide, permissions boundaries).
    ctx = _launch_build(_launch_statements())
    product = json.loads(ctx.files["products/p/v1.json"])
    del product["Resources"]["BuildRole"]["Properties"]["PermissionsBoundary"]
    ctx.files["products/p/v1.json"] = json.dumps(product).encode()
    found = errors(sufficiency(Context(ctx.files)), "SUF-CFN")
    assert {f.action for f in found} == {"iam:CreateRole", "iam:PutRolePolicy"}
    assert all("condition cannot be proven" in f.message for f in found)


def _pipeline_build(pipeline_name: str, grant_folder: str, build_statements=None, source_key: bool = False,
                    pipeline_extra=(), with_deploy: bool = False, exec_statements=None) -> Context:
    """One pipeline: CodeCommit source, CodeBuild build, optionally a CloudFormation deploy to the stage account."""
    repo = "arn:aws:codecommit:us-east-1:111111111111:app-repo"
    bucket = "arn:aws:s3:::arts"
    tools = {"Resources": {
        "Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {
            "Name": pipeline_name, "RoleArn": {"Fn::GetAtt": ["PipelineRole", "Arn"]},
            "ArtifactStore": {"Type": "S3", "Location": "arts"},
            "Stages": [
                {"Name": "Source", "Actions": [{"Name": "Source", "ActionTypeId": {"Category": "Source", "Owner": "AWS",
                                                "Provider": "CodeCommit", "Version": "1"},
                                                "Configuration": {"RepositoryName": "app-repo", "BranchName": "main"},
                                                "OutputArtifacts": [{"Name": "SourceOutput"}]}]},
                {"Name": "Build", "Actions": [{"Name": "Build", "ActionTypeId": {"Category": "Build", "Owner": "AWS",
                                               "Provider": "CodeBuild", "Version": "1"},
                                               "Configuration": {"ProjectName": {"Ref": "Project"}},
                                               "InputArtifacts": [{"Name": "SourceOutput"}],
                                               "OutputArtifacts": [{"Name": "BuildOutput"}]}]},
            ]}},
        "PipelineRole": role("sc-pl-pipeline", [
            # CodePipeline User Guide, service role permissions for CodeCommit and CodeBuild actions.
            allow(list(pipelines.CODECOMMIT_SOURCE), repo),
            allow(list(pipelines.CODEBUILD), "arn:aws:codebuild:us-east-1:111111111111:project/sc-pl-build"),
            allow(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], f"{bucket}/{grant_folder}/*"),
            *pipeline_extra], "codepipeline.amazonaws.com"),
        "Project": {"Type": "AWS::CodeBuild::Project", "Properties": {
            "Name": "sc-pl-build", "ServiceRole": {"Fn::GetAtt": ["BuildRole", "Arn"]},
            "Environment": {"EnvironmentVariables": [
                {"Name": "ECR_REPOSITORY_URI", "Value": "111111111111.dkr.ecr.us-east-1.amazonaws.com/app"}]}}},
        "BuildRole": role("sc-pl-build", build_statements if build_statements is not None else _build_statements(grant_folder),
                          "codebuild.amazonaws.com"),
    }}
    if source_key:
        tools["Resources"]["Key"] = {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [
            # AWS KMS API Reference, CreateKey: the policy must let its creator call PutKeyPolicy (lockout safety check).
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Resource": "*",
             "Action": ["kms:PutKeyPolicy"]},
            # AWS CodeCommit User Guide, "AWS KMS and encryption": use through CodeCommit by the account's principals.
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Resource": "*",
             "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
             "Condition": {"StringEquals": {"kms:ViaService": "codecommit.us-east-1.amazonaws.com"}}}]}}}
        tools["Resources"]["Repo"] = {"Type": "AWS::CodeCommit::Repository", "Properties": {
            "RepositoryName": "app-repo", "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}}
    stacks, accounts, extra = {"tools": tools}, {}, {"buildspec.yml": (ROOT / "examples/app/buildspec.yml").read_bytes()}
    if with_deploy:
        deploy = f"arn:aws:iam::{STAGE}:role/app-deploy"
        tools["Resources"]["Pipeline"]["Properties"]["Stages"].append({"Name": "Deploy", "Actions": [{
            "Name": "Deploy", "RoleArn": deploy, "ActionTypeId": {"Category": "Deploy", "Owner": "AWS", "Provider": "CloudFormation",
                                                                  "Version": "1"},
            "Configuration": {"ActionMode": "CHANGE_SET_REPLACE", "StackName": "app", "ChangeSetName": "cs",
                              "TemplatePath": "BuildOutput::infra/service.yaml",
                              "RoleArn": f"arn:aws:iam::{STAGE}:role/app-cfn-exec"}}]})
        stacks["workload"] = {"Resources": {"ExecRole": role("app-cfn-exec", exec_statements, "cloudformation.amazonaws.com")}}
        accounts["workload"] = STAGE
        extra["infra/service.yaml"] = SERVICE.encode()
    return synthetic(stacks, accounts, extra)


def _build_statements(folder: str, drop: str = "") -> list[dict]:
    statements = [
        # CodeBuild User Guide, service role: its log streams, its artifacts.
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], "arn:aws:logs:us-east-1:111111111111:log-group:/aws/codebuild/sc-pl-build:*"),
        allow(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], f"arn:aws:s3:::arts/{folder}/*"),
        allow("ecr:GetAuthorizationToken", "*"),
        # ECR User Guide, pushing an image; the example buildspec also asks describe-images.
        allow([*pipelines.DOCKER_PUSH, "ecr:DescribeImages"], "arn:aws:ecr:us-east-1:111111111111:repository/app"),
    ]
    for s in statements:
        s["Action"] = [a for a in s["Action"] if a != drop]
    return [s for s in statements if s["Action"]]


SHORT = "sc-pl-0123456789abcd"  # 20 characters: the whole name is CodePipeline's artifact folder


def test_a_pipeline_whose_grants_cover_its_artifact_folder_passes():
    assert errors(sufficiency(_pipeline_build(SHORT, SHORT))) == []


def test_a_pipeline_name_longer_than_20_characters_misses_its_artifact_folder():
    # Issue 10, fault 3. CodePipeline User Guide, artifact store: the folder is the first 20 characters of the
    # pipeline name, so a grant on the whole name's folder misses every artifact.
    long_name = SHORT + "-hotfix-login-fix"
    found = errors(sufficiency(_pipeline_build(long_name, long_name)), "SUF-PIPE")
    assert {(f.action, f.role.rsplit("/", 1)[-1]) for f in found} == {
        ("s3:PutObject", "sc-pl-pipeline"), ("s3:GetObject", "sc-pl-build"), ("s3:GetObjectVersion", "sc-pl-build"),
        ("s3:PutObject", "sc-pl-build")}
    assert all(f"arn:aws:s3:::arts/{long_name[:20]}/" in f.arn for f in found)


def test_a_build_role_without_describe_images_is_found():
    # Issue 10, fault 6: examples/app/buildspec.yml runs `aws ecr describe-images` (ECR API, DescribeImages).
    assert "ecr:DescribeImages" in pipelines.buildspec_calls((ROOT / "examples/app/buildspec.yml").read_text())
    ctx = _pipeline_build(SHORT, SHORT, build_statements=_build_statements(SHORT, drop="ecr:DescribeImages"))
    found = errors(sufficiency(ctx), "SUF-PIPE")
    assert [(f.action, f.arn) for f in found] == [("ecr:DescribeImages", "arn:aws:ecr:us-east-1:111111111111:repository/app")]


def test_a_repository_encrypted_with_the_customer_key_needs_the_key_for_its_readers():
    # Issue 10, fault 8. CodeCommit User Guide, "AWS KMS and encryption": users of a repository encrypted with a
    # customer managed key need kms:Decrypt on it (through CodeCommit).
    key_grant = allow("kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/*")
    assert errors(sufficiency(_pipeline_build(SHORT, SHORT, source_key=True, pipeline_extra=[key_grant]))) == []
    found = errors(sufficiency(_pipeline_build(SHORT, SHORT, source_key=True)), "SUF-PIPE")
    assert [(f.action, f.role.rsplit("/", 1)[-1]) for f in found] == [("kms:Decrypt", "sc-pl-pipeline")]
    assert "encrypted with" in found[0].message


SERVICE = """
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties: {ClusterName: app}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      ContainerDefinitions: [{Name: app, Image: nginx}]
"""


def _exec_statements(drop: str = "") -> list[dict]:
    region_account = "us-east-1:222222222222"
    cluster = _handler_grants("AWS::ECS::Cluster", f"arn:aws:ecs:{region_account}:cluster/app",
                              skip=("iam:CreateServiceLinkedRole", "kms:DescribeKey"))
    task = _handler_grants("AWS::ECS::TaskDefinition", f"arn:aws:ecs:{region_account}:task-definition/app:*",
                           skip=("iam:GetRole", "iam:PassRole"))
    linked = allow("iam:CreateServiceLinkedRole", "arn:aws:iam::222222222222:role/aws-service-role/ecs.amazonaws.com/*",
                   {"StringEquals": {"iam:AWSServiceName": "ecs.amazonaws.com"}})
    out = []
    for s in [*cluster, *task, linked]:
        if drop in s["Action"] and (drop != "ecs:TagResource" or "task-definition" in s["Resource"][0]):
            s = {**s, "Action": [a for a in s["Action"] if a != drop]}
        if s["Action"]:
            out.append(s)
    return out


def _exec_findings(ctx) -> list:
    return [f for f in errors(sufficiency(ctx), "SUF-CFN") if f.role.endswith("app-cfn-exec")]


def test_an_execution_role_with_every_handler_permission_passes():
    assert _exec_findings(_pipeline_build(SHORT, SHORT, with_deploy=True, exec_statements=_exec_statements())) == []


@pytest.mark.parametrize(("dropped", "arn_part"), [
    # Issue 10, fault 5. AWS::ECS::TaskDefinition create handler: ecs:TagResource (ECS Developer Guide, tag on
    # create); AWS::ECS::Cluster create handler: iam:CreateServiceLinkedRole for the ECS service-linked role.
    ("ecs:TagResource", "task-definition/app:1"),
    ("iam:CreateServiceLinkedRole", "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
    ("ecs:DescribeClusters", "cluster/app"),
])
def test_an_execution_role_missing_a_handler_permission_is_found(dropped, arn_part):
    found = _exec_findings(_pipeline_build(SHORT, SHORT, with_deploy=True, exec_statements=_exec_statements(dropped)))
    assert found and {f.action for f in found} == {dropped} and all(f.arn.endswith(arn_part) for f in found)


# --- Key and resource policies a service must get past --------------------------------------------------

def _ecr_key_build(with_grant_statement: bool) -> Context:
    root = "arn:aws:iam::111111111111:root"
    statements = [{"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": root}, "Resource": "*",
                   "Action": ["kms:DescribeKey", "kms:PutKeyPolicy"]}]
    if with_grant_statement:
        # ECR User Guide, "Encryption at rest": ECR creates grants on the key when it creates the repository
        # (AWS::ECR::Repository create handler: kms:CreateGrant, kms:RetireGrant, kms:DescribeKey).
        via = {"kms:ViaService": "ecr.us-east-1.amazonaws.com", "kms:CallerAccount": TOOLS}
        statements += [
            {"Effect": "Allow", "Principal": {"AWS": root}, "Resource": "*", "Action": ["kms:CreateGrant"],
             "Condition": {"StringEquals": via, "Bool": {"kms:GrantIsForAWSResource": "true"}}},
            {"Effect": "Allow", "Principal": {"AWS": root}, "Resource": "*", "Action": ["kms:DescribeKey", "kms:RetireGrant"],
             "Condition": {"StringEquals": via}},
        ]
    return synthetic({"tools": {"Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": statements}}},
        "Images": {"Type": "AWS::ECR::Repository", "Properties": {
            "RepositoryName": "app", "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": ["Key", "Arn"]}}}},
    }}})


def test_a_key_that_lets_ecr_create_its_grants_passes():
    assert errors(sufficiency(_ecr_key_build(True))) == []


def test_a_key_that_does_not_let_ecr_create_grants_is_found():
    # Issue 10, fault 1.
    found = errors(sufficiency(_ecr_key_build(False)), "SUF-SERVICE")
    assert {(f.action, f.resource) for f in found} == {("kms:CreateGrant", "Images"), ("kms:RetireGrant", "Images")}
    assert all("key policy does not allow it" in f.message for f in found)


# --- The Lambdas' calls -------------------------------------------------------------------------------------

def _bundles(files) -> dict[str, tuple]:
    out = {}
    for path in sorted(p for p in files if p.startswith("lambdas/")):
        sources, handler = bundle_sources(files[path])
        out[path] = (sources, entry_point(handler))
    return out


def test_every_call_of_the_lambdas_is_known_and_placed():
    files = gitflow.files()
    for path, (sources, entry) in _bundles(files).items():
        calls, unplaced = analyse(sources, entry)
        assert calls and unplaced == [], path
    assert [f for f in sufficiency(Context(files)) if f.code == "SUF-LAMBDA-CALL"] == []


def test_calls_the_gate_cannot_follow_are_reported_not_skipped():
    # A bound method or getattr hides the operation from a reading of the code: the gate must say it cannot place it,
    # or a role could lack the call's action with the gate green.
    source = {"runner": (
        "def entry(clients, event):\n"
        "    sc = clients.servicecatalog\n"
        "    terminate = sc.terminate_provisioned_product\n"
        "    terminate(ProvisionedProductName='x')\n"
        "    getattr(clients.codecommit, 'delete_branch')(repositoryName='r', branchName='b')\n"
        "    helper(clients.codepipeline)\n"
        "def helper(cp):\n"
        "    getattr(cp, 'put_job_success_' + 'result')(jobId='1')\n")}
    calls, unplaced = analyse(source, ("runner", "entry"))
    assert calls == []
    assert [(line, what.split(" ")[0]) for _, line, what in unplaced] == [
        (3, "terminate_provisioned_product"), (5, "getattr"), (8, "getattr")]


def _without_action(files, role_suffix: str, action: str) -> dict:
    def change(template):
        for res in template["Resources"].values():
            if res["Type"] == "AWS::IAM::Role" and res["Properties"]["RoleName"].endswith(role_suffix):
                for policy in res["Properties"]["Policies"]:
                    for s in policy["PolicyDocument"]["Statement"]:
                        s["Action"] = [a for a in s["Action"] if a != action]
                    policy["PolicyDocument"]["Statement"] = [s for s in policy["PolicyDocument"]["Statement"] if s["Action"]]
    path = next(p for p in files if p.endswith("automation.template.json"))
    return edit_template(files, path, change)


@pytest.mark.parametrize("function", ["branch_lifecycle", "pull_requests", "reconciler"])
def test_each_call_a_lambda_makes_needs_its_action(function):
    # The call's IAM action: the operation under the service's prefix (Service Authorization Reference);
    # every call the bundle's code makes is found by reading it.
    files = gitflow.files()
    path = next(p for p in files if p.startswith(f"lambdas/{function}-"))
    sources, entry = _bundles(files)[path]
    calls, _ = analyse(sources, entry)
    from generator.gates import lambdas
    from generator.gates.lambdas import iam_action

    before = {(f.role, f.action) for f in errors(lambdas.run(Context(files)))}
    for call in calls:
        if (call.service, call.operation) == ("secretsmanager", "GetSecretValue"):
            continue  # the shipped catalogue names no API token, so no secret to need: tests/test_providers_gate.py
        action = iam_action(call.service, call.operation)
        role_suffix = {"branch_lifecycle": "lifecycle", "pull_requests": "pull-requests", "reconciler": "reconciler"}[function]
        found = {(f.role, f.action) for f in errors(lambdas.run(Context(_without_action(files, role_suffix, action))), "SUF-LAMBDA")}
        assert any(r.endswith(role_suffix) and a == action for r, a in found - before), f"{function}: {action}"


def _rezip(body: bytes, module: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == f"generator/hotfix/{module}.py":
                data = change(data.decode()).encode()
            dst.writestr(info, data)
    return out.getvalue()


def test_a_new_call_without_a_table_entry_is_a_finding():
    files = gitflow.files()
    path = next(p for p in files if p.startswith("lambdas/pull_requests-"))
    files[path] = _rezip(files[path], "providers/codecommit", lambda text: text.replace(
        "        found: dict[str, str] = {}\n",
        "        found: dict[str, str] = {}\n        cc.merge_pull_request_by_fast_forward(pullRequestId='1', repositoryName='r')\n"))
    found = [f for f in sufficiency(Context(files)) if f.code == "SUF-LAMBDA-CALL"]
    assert [f.action for f in found] == ["codecommit:MergePullRequestByFastForward"]


def test_the_reader_follows_clients_through_parameters_and_assignments():
    # Issue 10, faults 10 and 11: the access level a call passes becomes Service Catalog's condition key, and a
    # GetJobDetails call is found and checked against '*' (codepipeline:GetJobDetails has no resource type).
    sources = {
        "runner": "from . import jobs\n\ndef handle(event, clients):\n    jobs.check(clients.codepipeline, event)\n"
                  "    sc = clients.servicecatalog\n    sc.search_provisioned_products(AccessLevelFilter={'Key': 'User', 'Value': 'Self'})\n",
        "jobs": "def check(cp, event):\n    cp.get_job_details(jobId=event['id'])\n",
    }
    calls, unplaced = analyse(sources, ("runner", "handle"))
    assert [(c.service, c.operation, c.access_level) for c in calls] == [
        ("codepipeline", "GetJobDetails", ""), ("servicecatalog", "SearchProvisionedProducts", "User")]
    assert unplaced == []
    assert "codepipeline:GetJobDetails" in STAR_ONLY
