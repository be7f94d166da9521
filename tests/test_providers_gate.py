"""The Lambdas' roles for repositories on GitHub, GitLab and Bitbucket: every call their code makes, and no more.

The sufficiency gate reads the bundled code (generator/gates/lambda_calls.py)
from each function's entry, through the providers' classes, to the Secrets
Manager read of the API token; the roles must allow exactly that read on the
named secrets (ARN: the name, '-' and six random characters, Secrets Manager
API reference, CreateSecret) and CodeCommit actions only on CodeCommit
repositories. The config is built from data, so that it needs nothing of the
schema for providers (package 15A); the Lambdas' side is this package's.
"""

from __future__ import annotations

import copy

import pytest

from generator import gates
from generator.gates.context import Context
from generator.gates.lambda_calls import analyse, bundle_sources, entry_point
from generator.gates.lambdas import iam_action

from .buildutil import build_data, resources, templates
from .hotfix_env import RUNTIME_CONFIG
from .provider_env import CONNECTION, FULL_IDS, SECRET, WEBHOOK_SECRET

ROLES = {"branch_lifecycle": "lifecycle", "pull_requests": "pull-requests", "reconciler": "reconciler"}


def provider_data(keep_codecommit: bool = True) -> dict:
    from generator.config_loader import load_config

    data = copy.deepcopy(load_config(RUNTIME_CONFIG).data)
    repos = data["hotfix"]["repositories"]
    moved = {"hotfixpoc-repository-hotfix": "github", "payments.api": "gitlab"}
    for repo in repos:
        if repo["name"] in moved:
            flavour = moved[repo["name"]]
            repo.update({"provider": flavour, "full_repository_id": FULL_IDS[flavour], "api_token": SECRET, "create": False,
                         "connection_arn": CONNECTION, "webhook_secret": WEBHOOK_SECRET})
    if not keep_codecommit:
        first = next(r for r in repos if r["name"] == "hotfixpoc-repository")
        first.update({"provider": "bitbucket", "full_repository_id": FULL_IDS["bitbucket"], "api_token": "other/token",
                      "create": False, "connection_arn": CONNECTION, "webhook_secret": WEBHOOK_SECRET})
    # Their pipelines read through the connection: a product of the connection's built-in template (validation
    # refuses a GitHub, GitLab or Bitbucket repository on the CodeCommit one).
    data["products"].append({"name": "hotfix-pipeline-connected", "owner": "Platform",
                             "versions": [{"name": "v1", "template": {"builtin": "hotfix-pipeline-codeconnections"}}]})
    hotfixes = next(pf for pf in data["portfolios"] if pf["name"] == "hotfixes")
    hotfixes["products"].append("hotfix-pipeline-connected")
    hotfixes["constraints"].append({"product": "hotfix-pipeline-connected", "launch": {"local_role_name": "RtHotfixLaunchRole"}})
    for repo in repos:
        if repo.get("provider", "codecommit") != "codecommit":
            repo["product"] = "hotfix-pipeline-connected"
    return data


@pytest.fixture(scope="module")
def files():
    return build_data(provider_data())


def automation(files) -> dict:
    return next(t for name, t in templates(files).items() if name.endswith("-automation"))


def statements(template: dict, suffix: str) -> list[dict]:
    role = next(r for r in resources(template, "AWS::IAM::Role").values() if r["Properties"]["RoleName"].endswith(suffix))
    return [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]


def resource_names(statement: dict) -> list[str]:
    return [r["Fn::Sub"] if isinstance(r, dict) else r for r in statement["Resource"]]


@pytest.mark.parametrize("suffix", sorted(ROLES.values()))
def test_each_role_reads_exactly_the_named_api_token_secrets(files, suffix):
    reads = [s for s in statements(automation(files), suffix) if "secretsmanager:GetSecretValue" in s["Action"]]
    assert len(reads) == 1 and reads[0]["Action"] == ["secretsmanager:GetSecretValue"]
    assert resource_names(reads[0]) == [
        f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{SECRET}-??????"]


@pytest.mark.parametrize("suffix", sorted(ROLES.values()))
def test_codecommit_actions_only_on_codecommit_repositories(files, suffix):
    arns = [a for s in statements(automation(files), suffix) if any(x.startswith("codecommit:") for x in s["Action"])
            for a in resource_names(s)]
    assert arns and all(a.endswith(":hotfixpoc-repository") for a in arns)


def test_without_a_codecommit_repository_no_codecommit_statement_is_written():
    files = build_data(provider_data(keep_codecommit=False))
    for suffix in ROLES.values():
        found = statements(automation(files), suffix)
        assert not [s for s in found if any(a.startswith("codecommit:") for a in s["Action"])]
        reads = [s for s in found if "secretsmanager:GetSecretValue" in s["Action"]]
        assert [n.rsplit(":secret:", 1)[1] for n in resource_names(reads[0])] == [f"{SECRET}-??????", "other/token-??????"]


def test_the_gates_find_nothing_in_the_lambdas_roles(files):
    found = [f for f in gates.run(Context(files), ("sufficiency", "least-privilege")) if f.severity == "error"
             and (f.code.startswith("SUF-LAMBDA") or "automation" in f.file)]
    assert [f.text() for f in found] == []


@pytest.mark.parametrize("function", sorted(ROLES))
def test_the_token_read_each_function_makes_through_a_provider_needs_its_action(files, function):
    # Removing the read from the function's role is a finding: the gate follows the call from the function's entry,
    # through the providers' classes, to the role that must allow it. (The other actions: the same test over the
    # shipped output, tests/test_gates_sufficiency.py.)
    import json

    from generator.gates import lambdas

    path = next(p for p in files if p.startswith(f"lambdas/{function}-"))
    sources, handler = bundle_sources(files[path])
    calls, unplaced = analyse(sources, entry_point(handler))
    assert unplaced == []
    assert ("secretsmanager", "GetSecretValue", "providers/secrets") in {(c.service, c.operation, c.module) for c in calls}
    template_path = next(p for p in files if p.endswith("automation.template.json"))
    for action in ["secretsmanager:GetSecretValue"]:
        changed = dict(files)
        doc = json.loads(files[template_path])
        for res in doc["Resources"].values():
            if res["Type"] == "AWS::IAM::Role" and res["Properties"]["RoleName"].endswith(ROLES[function]):
                for policy in res["Properties"]["Policies"]:
                    policy["PolicyDocument"]["Statement"] = [
                        {**s, "Action": [a for a in s["Action"] if a != action]} for s in policy["PolicyDocument"]["Statement"]
                        if [a for a in s["Action"] if a != action]]
        changed[template_path] = json.dumps(doc).encode()
        found = {(f.role, f.action) for f in lambdas.run(Context(changed)) if f.severity == "error"}
        assert any(r.endswith(ROLES[function]) and a == action for r, a in found), action


def test_the_reader_tells_the_functions_apart(files):
    # Each function needs its own calls only: the lifecycle role no pull request, the pull-request role no branch listing.
    needs = {}
    for function in ROLES:
        path = next(p for p in files if p.startswith(f"lambdas/{function}-"))
        sources, handler = bundle_sources(files[path])
        needs[function] = {iam_action(c.service, c.operation) for c in analyse(sources, entry_point(handler))[0]}
    assert "codecommit:CreatePullRequest" not in needs["branch_lifecycle"] | needs["reconciler"]
    assert "codecommit:ListBranches" not in needs["pull_requests"]
    assert all("secretsmanager:GetSecretValue" in n for n in needs.values())


def test_the_token_read_is_needed_on_the_resource_type_aws_authorises_it_on(files):
    # Service Authorization Reference, AWS Secrets Manager: GetSecretValue on the Secret resource type,
    # arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId} (tests/sar/resource_types.json).
    from .sar_requests import requests_of
    from .test_gates_sar import wrong

    reads = {(action, arn) for _, action, arn in requests_of(files) if action.startswith("secretsmanager:")}
    assert reads and {wrong(action, arn) for action, arn in reads} == {None}


def test_the_reader_follows_objects_by_their_declared_classes_and_reports_what_it_cannot_tie():
    # A provider object's methods are reached through its declared type (a return annotation, a parameter's, self),
    # in every class of the hierarchy; on an object of no known class, a method named like an AWS operation, or one
    # of the bundle's methods that calls AWS, is reported, and so is such a method taken as a value.
    sources = {
        "runner": "from . import kinds\n\ndef handle(event, clients):\n    p = kinds.make(clients)\n    p.branch_head('b')\n"
                  "    use(p)\n    thing = event['x']\n    thing.list_branches(repositoryName='r')\n    thing.token()\n"
                  "    thing.as_text()\n    later = p.branch_head\n\n"
                  "def use(branches: 'kinds.Base'):\n    branches.open_pull_requests('s')\n",
        "kinds/__init__": "from .impl import Base, Remote\n\ndef make(clients) -> Base:\n    return Remote(clients)\n",
        "kinds/impl": "from ..secrets import read\n\nclass Base:\n    def branch_head(self, b):\n        raise NotImplementedError\n"
                      "    def open_pull_requests(self, s):\n        raise NotImplementedError\n\n"
                      "class Remote(Base):\n    def __init__(self, clients):\n        self.clients = clients\n"
                      "    def branch_head(self, b):\n        return self.token()\n"
                      "    def open_pull_requests(self, s):\n        cc = self.clients.codecommit\n"
                      "        return cc.create_pull_request(title='t', targets=[])\n"
                      "    def token(self):\n        return read(self.clients)\n"
                      "    def as_text(self):\n        return 'no AWS here'\n",
        "secrets": "def read(clients):\n    return clients.secretsmanager.get_secret_value(SecretId='s')\n",
    }
    calls, unplaced = analyse(sources, ("runner", "handle"))
    assert [(c.service, c.operation, c.module) for c in calls] == [
        ("codecommit", "CreatePullRequest", "kinds/impl"), ("secretsmanager", "GetSecretValue", "secrets")]
    assert unplaced == [("runner", 8, "list_branches"), ("runner", 9, "token (a method that calls AWS, on an object of no known class)"),
                        ("runner", 11, "branch_head (taken as a value, not called)")]
