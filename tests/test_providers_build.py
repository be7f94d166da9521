"""A catalogue with a CodeCommit, a GitHub, a GitLab and a Bitbucket repository builds clean, and builds what each needs.

tests/configs/valid/providers.yaml: GitHub through an existing CodeStar Connections connection, GitLab through a
connection the tools stack creates, Bitbucket through an existing CodeConnections one. Sources: CodePipeline User
Guide, CodeStarSourceConnection action reference (configuration, UseConnection); CodeConnections API reference,
CreateConnection (PENDING until completed in the console); Service Authorization Reference, CodeConnections
(PassConnection, PassedToService); Lambda Developer Guide, "Control access to Lambda function URLs".
"""

from __future__ import annotations

import copy
import json

import pytest

from generator.compiler import builtin
from generator.core import connections, sources
from generator.core.parse import catalogue_from_dict
from generator.gates import deployers, lambdas, least_privilege, pipelines
from generator.gates.context import Context

from .buildutil import build_data, build_file, manifest, resources, templates
from .conftest import CONFIGS
from .policies import app_files

CONFIG = CONFIGS / "valid" / "providers.yaml"
CONNECTED = "products/hotfix-pipeline-connected/v1.json"
MAIN_CONNECTED = "products/main-pipeline-connected/v1.json"


@pytest.fixture(scope="module")
def files():
    return build_file(CONFIG)


@pytest.fixture(scope="module")
def data():
    from generator.config_loader import load_config

    return load_config(CONFIG).data


def stack(files, kind: str) -> dict:
    return templates(files)[next(s["name"] for s in manifest(files)["stacks"] if s["kind"] == kind)]


def statements_of(resource: dict) -> list[dict]:
    return [s for p in resource["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]


def role(template: dict, suffix: str) -> dict:
    return next(r for r in resources(template, "AWS::IAM::Role").values()
                if json.dumps(r["Properties"]["RoleName"]).endswith(suffix + '"') or
                json.dumps(r["Properties"]["RoleName"]).endswith(suffix + '"}'))


# --- The pipeline templates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CONNECTED, MAIN_CONNECTED])
def test_a_connected_pipeline_reads_its_branch_through_the_connection(files, path):
    t = json.loads(files[path])
    pipeline = next(iter(resources(t, "AWS::CodePipeline::Pipeline").values()))["Properties"]
    source = pipeline["Stages"][0]["Actions"][0]
    assert source["ActionTypeId"] == {"Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection", "Version": "1"}
    assert source["Configuration"] == {"ConnectionArn": {"Ref": "ConnectionArn"}, "FullRepositoryId": {"Ref": "FullRepositoryId"},
                                       "BranchName": {"Ref": "BranchName"}, "OutputArtifactFormat": "CODE_ZIP",
                                       "DetectChanges": "true"}
    assert source["Namespace"] == "SourceVariables"  # CommitId is among the action's output variables too
    # The connection detects the branch's pushes: no EventBridge rule, no role for one.
    assert resources(t, "AWS::Events::Rule") == {} and "TriggerRole" not in t["Resources"]
    use = [s for s in statements_of(t["Resources"]["PipelineRole"]) if any("UseConnection" in a for a in s["Action"])]
    assert use == [{"Effect": "Allow", "Action": ["codeconnections:UseConnection", "codestar-connections:UseConnection"],
                    "Resource": [{"Ref": "ConnectionArn"}]}]
    assert not any("codecommit:" in a for s in statements_of(t["Resources"]["PipelineRole"]) for a in s["Action"])
    assert {"ConnectionArn", "FullRepositoryId"} <= set(t["Parameters"])


def test_the_codecommit_pipelines_are_not_changed_by_connected_repositories(data):
    # A published version never changes: adding a GitHub repository must not render the CodeCommit templates
    # differently, nor the connected templates depend on which connected repositories there are.
    full = catalogue_from_dict(data)
    codecommit_only = copy.deepcopy(data)
    codecommit_only["hotfix"]["repositories"] = [r for r in data["hotfix"]["repositories"] if "provider" not in r]
    one_connected = copy.deepcopy(data)
    one_connected["hotfix"]["repositories"] = [r for r in data["hotfix"]["repositories"] if r["name"] != "billing"]
    for name in builtin.NAMES:
        renders = {builtin.render(name, catalogue_from_dict(d)) for d in (data, codecommit_only, one_connected)}
        assert len(renders) == 1, name
    assert builtin.render("hotfix-pipeline", full) != builtin.render("hotfix-pipeline-codeconnections", full)


def test_the_template_constraint_pins_each_repository_to_its_provider_id(files):
    portfolio = templates(files)["prov-portfolio-hotfix"]
    rules = {}
    for res in resources(portfolio, "AWS::ServiceCatalog::LaunchTemplateConstraint").values():
        rules[json.dumps(res["Properties"]["ProductId"])] = json.loads(res["Properties"]["Rules"])
    connected = next(r for r in rules.values() if any("FullRepositoryId" in json.dumps(v) for v in r.values()))
    codecommit = next(r for r in rules.values() if r is not connected)
    admitted = lambda r: r["ConfiguredRepositoriesOnly"]["Assertions"][0]["Assert"]["Fn::Contains"][0]  # noqa: E731
    assert admitted(connected) == ["billing", "inventory", "storefront"] and admitted(codecommit) == ["payments"]
    pinned = {json.dumps(a["Assert"]) for v in connected.values() for a in v["Assertions"] if "FullRepositoryId" in json.dumps(a)}
    assert pinned == {json.dumps({"Fn::Equals": [{"Ref": "FullRepositoryId"}, i]})
                      for i in ("acme-shop/storefront", "acme/backend/inventory", "acme-workspace/billing-service")}


# --- The connection, the launch roles and the boundary ----------------------------------------------------------

def test_the_tools_stack_creates_the_connection_asked_for_and_exports_it(files, data):
    tools = stack(files, "tools-prerequisites")
    created = resources(tools, "AWS::CodeConnections::Connection")
    cat = catalogue_from_dict(data)
    assert len(created) == 1 == len(connections.created(cat))
    (lid, res), = created.items()
    assert res["Properties"]["ProviderType"] == "GitLab" and res["DeletionPolicy"] == "Retain"
    assert res["Properties"]["ConnectionName"] == connections.connection_name("prov", cat.repository("inventory"))
    assert len(res["Properties"]["ConnectionName"]) <= 32
    out = tools["Outputs"][lid + "Arn"]
    assert out["Value"] == {"Fn::GetAtt": [lid, "ConnectionArn"]} and "complete it in the console" in out["Description"]
    # The launch roles and the boundary import it: their stack waits for the tools stack.
    roles = next(s for s in manifest(files)["stacks"] if s["kind"] == "launch-roles")
    assert "prov-tools-prerequisites" in roles["depends_on"]


def test_one_connection_per_provider_and_owner(data):
    more = copy.deepcopy(data)
    twin = copy.deepcopy(next(r for r in more["hotfix"]["repositories"] if r["name"] == "inventory"))
    twin.update(name="orders", full_repository_id="ACME/shop/orders")  # the same owner, by another spelling
    others = [copy.deepcopy(twin) for _ in range(3)]
    for r, owner in zip(others, ("a.b", "a_b", "a-very-long-group-name-that-cuts"), strict=True):
        r.update(name=f"x-{len(owner)}-{owner[:3]}", full_repository_id=f"{owner}/project")
    more["hotfix"]["repositories"] += [twin, *others]
    cat = catalogue_from_dict(more)
    assert len(connections.created(cat)) == 4  # acme (either case), a.b, a_b and the long one
    names = {connections.connection_name("prov", r) for r in cat.hotfix.repositories if r.create_connection}
    assert len(names) == 4 and all(len(n) <= 32 for n in names), names


def test_launch_roles_pass_only_the_catalogues_connections_to_codepipeline(files):
    t = stack(files, "launch-roles")
    launch = next(r for r in resources(t, "AWS::IAM::Role").values())
    passing = {s["Action"][0]: s for s in statements_of(launch) if s["Action"][0].endswith(":PassConnection")}
    assert set(passing) == {"codeconnections:PassConnection", "codestar-connections:PassConnection"}
    for action, s in passing.items():
        prefix = action.split(":")[0]
        assert s["Condition"] == {"StringEquals": {f"{prefix}:PassedToService": "codepipeline.amazonaws.com"}}
        assert all(isinstance(r, dict) or r.split(":")[2] == prefix for r in s["Resource"])
    created = next(iter(connections.created(catalogue_from_dict(json.loads(files["config.json"])["config"]))))
    assert {"Fn::ImportValue": f"prov:tools:connection-{created}"} in passing["codeconnections:PassConnection"]["Resource"]


def test_the_boundary_grants_each_connection_in_its_own_spelling_only(files):
    boundary = stack(files, "launch-roles")["Resources"]["PipelineBoundary"]["Properties"]["PolicyDocument"]["Statement"]
    use = {s["Action"][0]: s["Resource"] for s in boundary if s["Action"][0].endswith(":UseConnection")}
    assert set(use) == {"codeconnections:UseConnection", "codestar-connections:UseConnection"}
    assert use["codestar-connections:UseConnection"] == [
        "arn:aws:codestar-connections:us-east-1:111111111111:connection/0b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"]
    assert len(use["codeconnections:UseConnection"]) == 2  # Bitbucket's ARN and the imported GitLab one
    # CodeCommit's source actions only on the CodeCommit repository: a GitHub repository's name is no CodeCommit one.
    codecommit = [s["Resource"] for s in boundary if s["Action"][0].startswith("codecommit:")]
    assert len(codecommit) == 1 and [r["Fn::Sub"].rsplit(":", 1)[-1] for r in codecommit[0]] == ["payments"]


# --- The automation stack ------------------------------------------------------------------------------------

def test_the_webhook_endpoint_is_a_function_url_the_function_guards(files):
    t = stack(files, "automation")
    url = resources(t, "AWS::Lambda::Url")
    assert [u["Properties"]["AuthType"] for u in url.values()] == ["NONE"]
    permissions = {p["Properties"]["Action"]: p["Properties"] for p in resources(t, "AWS::Lambda::Permission").values()
                   if p["Properties"]["Principal"] == "*"}
    assert permissions["lambda:InvokeFunctionUrl"]["FunctionUrlAuthType"] == "NONE"
    assert permissions["lambda:InvokeFunction"]["InvokedViaFunctionUrl"] is True
    assert set(permissions) == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
    table = next(iter(resources(t, "AWS::DynamoDB::Table").values()))["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert t["Outputs"]["WebhookUrl"]["Value"] == {"Fn::GetAtt": ["WebhookUrl", "FunctionUrl"]}


def test_each_automation_role_reads_only_its_secrets(files):
    t = stack(files, "automation")

    def secrets(suffix):
        found = [s["Resource"] for s in statements_of(role(t, suffix)) if s["Action"] == ["secretsmanager:GetSecretValue"]]
        return sorted(r["Fn::Sub"].rsplit(":", 1)[-1] for rs in found for r in rs)

    assert secrets("webhooks") == ["hotfix/billing/webhook-??????", "hotfix/inventory/webhook-??????",
                                   "hotfix/storefront/webhook-??????"]
    tokens = ["hotfix/bitbucket/token-??????", "hotfix/github/token-??????", "hotfix/gitlab/token-??????"]
    assert secrets("lifecycle") == secrets("pull-requests") == secrets("reconciler") == tokens


def test_the_webhook_role_claims_deliveries_and_hands_them_to_the_lifecycle_lambda_only(files):
    t = stack(files, "automation")
    actions = sorted(a for s in statements_of(role(t, "webhooks")) for a in s["Action"])
    assert actions == ["dynamodb:DeleteItem", "dynamodb:PutItem", "lambda:InvokeFunction", "logs:CreateLogStream",
                       "logs:PutLogEvents", "secretsmanager:GetSecretValue"]


def test_codecommit_calls_and_branch_rules_name_only_codecommit_repositories(files):
    t = stack(files, "automation")
    rules = [r["Properties"]["EventPattern"] for r in resources(t, "AWS::Events::Rule").values() if "EventPattern" in r["Properties"]]
    assert {p["detail"]["repositoryName"][0] for p in rules} == {"payments"}
    for suffix in ("lifecycle", "pull-requests", "reconciler"):
        repos = {json.dumps(r) for s in statements_of(role(t, suffix)) if s["Action"][0].startswith("codecommit:") for r in s["Resource"]}
        assert len(repos) == 1 and "payments" in repos.pop()


def test_the_lifecycle_lambda_learns_the_created_connections_arn_from_the_tools_stack(files):
    t = stack(files, "automation")
    variables = t["Resources"]["BranchLifecycleFunction"]["Properties"]["Environment"]["Variables"]
    key = next(iter(variables))
    assert key.startswith(connections.ENV_PREFIX)
    assert variables[key] == {"Fn::ImportValue": f"prov:tools:connection-{key[len(connections.ENV_PREFIX):].lower()}"}
    assert all("Environment" not in t["Resources"][f]["Properties"] for f in ("PullRequestsFunction", "ReconcilerFunction"))


def test_a_codecommit_only_catalogue_builds_no_webhook_endpoint(data):
    only = copy.deepcopy(data)
    only["hotfix"]["repositories"] = [r for r in data["hotfix"]["repositories"] if "provider" not in r]
    only["portfolios"][1]["products"] = ["hotfix-pipeline"]
    only["portfolios"][1]["constraints"] = only["portfolios"][1]["constraints"][:1]
    only["portfolios"][0]["products"] = ["main-pipeline"]
    only["portfolios"][0]["constraints"] = only["portfolios"][0]["constraints"][:1]
    only["products"] = [p for p in only["products"] if not p["name"].endswith("-connected")]
    built = build_data(only)
    t = templates(built)["prov-automation"]
    assert resources(t, "AWS::Lambda::Url") == {} and resources(t, "AWS::DynamoDB::Table") == {}
    assert sorted(resources(t, "AWS::Lambda::Function")) == ["BranchLifecycleFunction", "PullRequestsFunction", "ReconcilerFunction"]
    assert not any(p.startswith("lambdas/webhooks") for p in built)
    assert "secretsmanager" not in json.dumps(t) and "Connection" not in json.dumps(templates(built)["prov-tools-prerequisites"])


# --- The gates ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ctx(files):
    return Context(files, app_files())


def errors(module, ctx) -> list:
    return [f for f in module.run(ctx) if f.severity == "error"]


# The templates a connected repository changes or adds; the rest are output/'s kinds, which tests/test_cfn_lint.py
# and tests/test_checkov.py hold.
CHANGED = (CONNECTED, MAIN_CONNECTED, "stacks/prov-automation.template.json", "stacks/prov-tools-prerequisites.template.json",
           "stacks/prov-launch-roles.template.json")


def test_the_build_passes_least_privilege_and_sufficiency(ctx):
    from generator import gates

    assert [f for f in gates.run(ctx, ("least-privilege", "sufficiency")) if f.severity != "notice"] == []


@pytest.mark.parametrize("path", CHANGED)
def test_the_templates_connections_change_are_lint_clean(files, path):
    from .lint import lint

    assert lint(files[path]) == []


@pytest.mark.slow
def test_checkov_passes_the_templates_connections_change(files, tmp_path):
    from generator.gates import checkov

    from .test_checkov import checkov_binary

    binary = checkov_binary()
    if binary is None:
        pytest.skip("checkov is not installed (.ci/run installs it)")
    for path in CHANGED:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(files[path])
    reports = checkov.scan(str(binary), tmp_path)
    failed = [f"{c['check_id']} {c['file_path']} {c['resource']}" for r in reports for c in r["results"]["failed_checks"]]
    assert failed == [] and sum(r["summary"]["passed"] for r in reports) > 100


def _without(ctx, path: str, lid: str, predicate) -> Context:
    template = json.loads(ctx.files[path])
    res = template["Resources"][lid]
    policies = res["Properties"].get("Policies") or [{"PolicyDocument": res["Properties"]["PolicyDocument"]}]
    for policy in policies:
        doc = policy["PolicyDocument"]
        for s in doc["Statement"]:
            s["Action"] = [a for a in s["Action"] if not predicate(a)]
        doc["Statement"] = [s for s in doc["Statement"] if s["Action"]]
    return Context({**ctx.files, path: json.dumps(template).encode()}, ctx.extra)


def _path(files, kind):
    return next(s["template"] for s in manifest(files)["stacks"] if s["kind"] == kind)


def test_a_pipeline_role_without_use_connection_is_a_finding(files, ctx):
    changed = _without(ctx, CONNECTED, "PipelineRole", lambda a: a.endswith(":UseConnection"))
    found = {(f.action, f.code) for f in errors(pipelines, changed)}
    assert found == {("codeconnections:UseConnection", "SUF-PIPE"), ("codestar-connections:UseConnection", "SUF-PIPE")}


def test_a_boundary_without_a_connection_is_a_finding(files, ctx):
    changed = _without(ctx, _path(files, "launch-roles"), "PipelineBoundary", lambda a: a == "codestar-connections:UseConnection")
    found = errors(pipelines, changed)
    assert {(f.action, f.arn.split(":")[2]) for f in found} == {("codestar-connections:UseConnection", "codestar-connections")}
    assert all("boundary" in f.message for f in found)


def test_a_launch_role_without_pass_connection_is_a_finding(files, ctx):
    path = _path(files, "launch-roles")
    lid = next(lid for lid, r in json.loads(files[path])["Resources"].items()
               if r["Type"] == "AWS::IAM::Role" and "Hotfix" in r["Properties"]["RoleName"])
    changed = _without(ctx, path, lid, lambda a: a.endswith(":PassConnection"))
    found = {(f.action, f.arn.split(":")[2]) for f in errors(deployers, changed) if f.role.endswith("/ProvHotfixLaunch")}
    assert found == {("codeconnections:PassConnection", "codeconnections"),
                     ("codestar-connections:PassConnection", "codestar-connections")}


@pytest.mark.parametrize("action", ["secretsmanager:GetSecretValue", "dynamodb:PutItem", "dynamodb:DeleteItem",
                                    "lambda:InvokeFunction"])
def test_the_webhook_role_needs_each_of_its_calls(files, ctx, action):
    # Every call is found by reading the bundled code (generator/gates/lambda_calls.py).
    path = _path(files, "automation")
    changed = _without(ctx, path, "WebhooksRole", lambda a: a == action)
    found = {f.action for f in errors(lambdas, changed) if f.role.endswith("automation-webhooks")}
    assert found == {action}


def test_least_privilege_holds_for_the_connected_build(ctx):
    assert errors(least_privilege, ctx) == []


def test_every_repository_kind_has_its_main_and_hotfix_builtin():
    assert {sources.kind(p) for p in sources.PROVIDERS} == set(sources.HOTFIX) == set(sources.MAIN)


def test_launch_parameters_pick_the_main_pipeline_of_the_repositorys_kind(data):
    from generator.core.exceptions import UsageError
    from generator.core.parse import canonical
    from generator.hotfix.launch import main_pipeline

    cat = connections.placeholders(catalogue_from_dict(canonical(data)))
    github = main_pipeline(cat, "storefront")
    assert github.product == "Main pipeline (GitHub, GitLab, Bitbucket)"
    assert github.parameters["FullRepositoryId"] == "acme-shop/storefront"
    assert github.parameters["ConnectionArn"] == cat.repository("storefront").connection_arn
    assert main_pipeline(cat, "inventory").parameters["ConnectionArn"].startswith("<deploy-time:")
    assert main_pipeline(cat, "payments").product == "main-pipeline" and "ConnectionArn" not in main_pipeline(cat, "payments").parameters
    with pytest.raises(UsageError, match="reads GitHub repositories"):
        main_pipeline(cat, "storefront", product="main-pipeline")
