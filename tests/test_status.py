"""`status`: deployed stacks compared with output/ (moto), drift (Stubber), the hotfix flow (Stubber and moto's SQS).

moto has no DetectStackDrift, no CodeCommit branch listing and no Service
Catalog provisioned-product search: those answers come from botocore's
Stubber, shaped as the API reference documents them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from moto import mock_aws

from generator.config_loader import load_config
from generator.core.naming import provisioned_product_name
from generator.deploy import accounts, stacks, status
from generator.deploy.accounts import Accounts
from generator.deploy.artifacts import load
from generator.hotfix.decide import MANAGED_BY, tag_value

from . import deploy_support
from .deploy_support import faithful_change_sets, prepare_accounts
from .stubs import stubbed

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pattern(tmp_path_factory):
    """The AWS pattern's catalogue with test deploy settings, built once into a temporary output/."""
    return deploy_support.built(tmp_path_factory.mktemp("status"))


@pytest.fixture
def deployed(pattern, cli):
    config, output = pattern
    with mock_aws(), faithful_change_sets():
        sessions = prepare_accounts(load_config(config).catalogue)
        code, _out, err = cli("deploy", "--config", str(config), "--output", str(output))
        assert code == 0, err
        yield config, output, sessions


def status_json(cli, config, output, *extra):
    code, out, err = cli("status", "--config", str(config), "--output", str(output), "--format", "json", *extra)
    return code, (json.loads(out) if out.strip() else None), err


def test_a_fresh_deployment_is_in_sync_and_out_of_band_changes_are_reported(deployed, cli):
    config, output, sessions = deployed
    workload = ("--account", "stage", "--account", "prod")
    code, doc, err = status_json(cli, config, output, *workload)
    assert code == 0, err
    assert doc["in_sync"] and all(s["in_sync"] and s["template"] == "matches" for s in doc["stacks"])
    stack = doc["stacks"][0]
    # Someone changes prod's stack by hand, and deletes stage's.
    prod = sessions["prod"].client("cloudformation")
    body = json.loads((output / "stacks" / f"{stack['name']}.template.json").read_text())
    body["Description"] += " (edited by hand)"
    prod.update_stack(StackName=stack["name"], TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_NAMED_IAM"])
    sessions["stage"].client("cloudformation").delete_stack(StackName=stack["name"])
    code, doc, err = status_json(cli, config, output, *workload)
    assert code == 3 and not doc["in_sync"]
    by_account = {s["account"]: s for s in doc["stacks"]}
    assert by_account["prod"]["template"] == "differs" and by_account["prod"]["deployed"]
    assert not by_account["stage"]["deployed"]
    code, out, err = cli("status", "--config", str(config), "--output", str(output), *workload)
    assert code == 3 and "template differs from output/" in out and "not deployed" in out


def test_a_template_submitted_as_yaml_differs_and_is_never_a_traceback(deployed, cli):
    """GetTemplate returns the template as submitted; botocore decodes JSON only (handlers.json_decode_template_body)."""
    import yaml

    config, output, sessions = deployed
    entry = next(e for e in json.loads((output / "manifest.json").read_text())["stacks"] if e["account"] == "prod")
    body = json.loads((output / entry["template"]).read_text())
    body["Description"] += " (as YAML)"
    sessions["prod"].client("cloudformation").update_stack(StackName=entry["name"], TemplateBody=yaml.safe_dump(body),
                                                           Capabilities=entry["capabilities"])
    code, doc, err = status_json(cli, config, output, "--account", "prod")
    assert code == 3 and not err, err
    assert [(s["deployed"], s["template"]) for s in doc["stacks"]] == [(True, "differs")]


def test_a_template_that_differs_only_in_whitespace_matches(deployed, cli):
    """GetTemplate returns the template as submitted (API reference); status compares it in the build's rendering."""
    config, output, sessions = deployed
    entry = next(e for e in json.loads((output / "manifest.json").read_text())["stacks"] if e["account"] == "prod")
    body = json.loads((output / entry["template"]).read_text())
    squeezed = json.dumps(body, separators=(",", ":"))
    assert squeezed.encode() != (output / entry["template"]).read_bytes()
    sessions["prod"].client("cloudformation").update_stack(StackName=entry["name"], TemplateBody=squeezed,
                                                           Capabilities=entry["capabilities"])
    code, doc, err = status_json(cli, config, output, "--account", "prod")
    assert code == 0, err
    assert [s["template"] for s in doc["stacks"]] == ["matches"]


def test_an_output_built_from_another_config_is_refused_before_any_account_is_read(pattern, cli, tmp_path, monkeypatch):
    """The manifest names account ids; read against another config's accounts, status would vouch for the wrong account."""
    import yaml

    config, _output = pattern
    data = yaml.safe_load(config.read_text())
    data["accounts"]["prod"]["id"] = "444444444444"
    other = config.parent / "other.yaml"
    other.write_text(yaml.safe_dump(data, sort_keys=False))
    foreign = deploy_support.build(other, tmp_path / "output")

    def no_aws(**kwargs):
        raise AssertionError("status made a session")

    monkeypatch.setattr(accounts, "make_session", no_aws)
    code, out, err = cli("status", "--config", str(config), "--output", str(foreign), "--account", "prod")
    assert code == 1 and "is stale" in err and not out


def _hotfix_stubs(cat, monkeypatch):
    """CodeCommit and Service Catalog as Stubbers (moto lists no branches); the accounts hand them out."""
    repo = cat.hotfix.repositories[0]
    prefix = cat.stack_prefix

    def product(branch, state):
        return {"Name": provisioned_product_name(prefix, repo.name, branch), "Status": state, "Id": "pp-" + branch[-1],
                "Tags": [{"Key": "managed-by", "Value": MANAGED_BY}, {"Key": "catalogue", "Value": prefix},
                         {"Key": "repository", "Value": tag_value(repo.name)}, {"Key": "branch", "Value": tag_value(branch)}]}

    cc, cc_stub = stubbed("codecommit")
    branches = [f"{repo.branch_prefix}a", f"{repo.branch_prefix}b", f"{repo.branch_prefix}c", "main"]
    for other in cat.hotfix.repositories:  # in the order the reconciler's plan reads them; the others have no hotfix branch
        if other != repo:
            cc_stub.add_response("list_branches", {"branches": ["main"]}, {"repositoryName": other.name})
            continue
        cc_stub.add_response("list_branches", {"branches": branches}, {"repositoryName": repo.name})
        for name in sorted(branches[:3]):
            cc_stub.add_response("get_branch", {"branch": {"branchName": name, "commitId": name[-1] * 40}},
                                 {"repositoryName": repo.name, "branchName": name})
    sc, sc_stub = stubbed("servicecatalog")
    sc_stub.add_response("search_provisioned_products", {"ProvisionedProducts": [
        product(f"{repo.branch_prefix}a", "AVAILABLE"), product(f"{repo.branch_prefix}c", "ERROR"),
        product(f"{repo.branch_prefix}gone", "AVAILABLE")]}, None)
    stubs = {"codecommit": (cc, cc_stub), "servicecatalog": (sc, sc_stub)}
    real = Accounts.client
    monkeypatch.setattr(Accounts, "client", lambda self, role, service, region: stubs[service][0] if service in stubs
                        else real(self, role, service, region))
    return repo, stubs


def test_the_hotfix_flow_says_what_the_reconciler_repairs_and_what_needs_a_person(deployed, cli, monkeypatch):
    config, output, sessions = deployed
    cat = load_config(config).catalogue
    repo, stubs = _hotfix_stubs(cat, monkeypatch)
    # An event the automation could not deliver, as EventBridge dead-letters it (error in message attributes).
    sqs = sessions["tools"].client("sqs")
    queue = sqs.list_queues()["QueueUrls"][0]
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"detail-type": "CodeCommit Repository State Change", "detail": {
        "repositoryName": repo.name, "referenceName": "hotfix-x"}}), MessageAttributes={
        "ERROR_MESSAGE": {"DataType": "String", "StringValue": "Lambda function is throttled"}})
    with stubs["codecommit"][1], stubs["servicecatalog"][1]:
        code, doc, err = status_json(cli, config, output, "--account", "tools")
    assert code == 3, err
    hotfix = doc["hotfix"]
    (mine,) = [r for r in hotfix["repositories"] if r["name"] == repo.name]
    rows = {r["branch"][-1]: r for r in mine["branches"]}
    assert rows["a"]["status"] == "AVAILABLE" and rows["a"]["repair"] is None
    assert rows["b"]["pipeline"] is None and rows["b"]["repair"] == "provision"
    assert rows["c"]["status"] == "ERROR" and rows["c"]["repair"] is None  # the reconciler leaves it alone
    assert [o["branch"] for o in hotfix["orphans"]] == [f"{repo.branch_prefix}gone"]
    assert [b["status"] for b in hotfix["broken"]] == ["ERROR"]
    assert hotfix["dead_letters"]["messages"] == 1 and "throttled" in hotfix["dead_letters"]["peek"][0]
    assert hotfix["repairs"] == 2
    # Peeked, not consumed.
    count = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert count["ApproximateNumberOfMessages"] == "1"


def test_a_dead_letter_queue_deleted_by_hand_needs_a_person(deployed, cli, monkeypatch):
    """GetQueueAttributes on a deleted queue answers QueueDoesNotExist (SQS API reference): reported, not an error."""
    config, output, sessions = deployed
    _repo, stubs = _hotfix_stubs(load_config(config).catalogue, monkeypatch)
    sqs = sessions["tools"].client("sqs")
    sqs.delete_queue(QueueUrl=sqs.list_queues()["QueueUrls"][0])
    with stubs["codecommit"][1], stubs["servicecatalog"][1]:
        code, doc, err = status_json(cli, config, output, "--account", "tools")
    assert code == 3, err
    assert doc["hotfix"]["dead_letters"]["absent"] and doc["hotfix"]["dead_letters"]["messages"] == 0


def test_an_empty_dead_letter_queue_needs_nobody_and_is_not_received_from():
    """ApproximateNumberOfMessages 0 (GetQueueAttributes, SQS API reference): nothing to peek, nothing for a person."""
    from generator.deploy import hotfix_status

    with mock_aws():
        sqs = accounts.make_session(region_name="us-east-1").client("sqs")
        url = sqs.create_queue(QueueName="dead-letters")["QueueUrl"]
        received = []
        sqs.meta.events.register("provide-client-params.sqs.ReceiveMessage", lambda params, **kw: received.append(params))
        queue = hotfix_status.dead_letters(sqs, url)
    assert queue == {"queue": url, "messages": 0, "peek": [], "absent": False} and received == []
    assert hotfix_status.needs_a_person({"broken": [], "dead_letters": queue}) == 0


def test_an_automation_stack_under_review_is_not_read_for_the_hotfix_flow(deployed, cli):
    """A REVIEW_IN_PROGRESS stack holds no resources (CreateChangeSet, API reference): nothing to read, nothing to fail on."""
    config, output, sessions = deployed
    automation = next(e for e in json.loads((output / "manifest.json").read_text())["stacks"] if e["kind"] == "automation")
    sessions["tools"].client("cloudformation").delete_stack(StackName=automation["name"])
    code, _out, err = cli("deploy", "--config", str(config), "--output", str(output), "--no-execute", "--stack", automation["id"])
    assert code == 0, err
    code, out, err = cli("status", "--config", str(config), "--output", str(output), "--account", "tools")
    assert code == 3, err
    assert f"{automation['name']} (tools" in out and "REVIEW_IN_PROGRESS" in out
    assert "hotfix flow: the automation stack is not deployed" in out


def test_drift_detection_reports_modified_resources():
    """DetectStackDrift, then its status until complete, then the drifted resources (API reference)."""
    cfn, stub = stubbed("cloudformation")
    stack_id = "arn:aws:cloudformation:us-east-1:111111111111:stack/sc-tools-prerequisites/1"
    with stub:
        stub.add_response("detect_stack_drift", {"StackDriftDetectionId": "d-1"}, {"StackName": stack_id})
        stub.add_response("describe_stack_drift_detection_status", {
            "StackId": stack_id, "StackDriftDetectionId": "d-1", "DetectionStatus": "DETECTION_IN_PROGRESS", "Timestamp": NOW},
            {"StackDriftDetectionId": "d-1"})
        stub.add_response("describe_stack_drift_detection_status", {
            "StackId": stack_id, "StackDriftDetectionId": "d-1", "DetectionStatus": "DETECTION_COMPLETE",
            "StackDriftStatus": "DRIFTED", "Timestamp": NOW}, {"StackDriftDetectionId": "d-1"})
        stub.add_response("describe_stack_resource_drifts", {"StackResourceDrifts": [{
            "StackId": stack_id, "LogicalResourceId": "ArtifactBucket", "ResourceType": "AWS::S3::Bucket",
            "StackResourceDriftStatus": "MODIFIED", "Timestamp": NOW,
            "PropertyDifferences": [{"PropertyPath": "/VersioningConfiguration/Status", "ExpectedValue": "Enabled",
                                     "ActualValue": "Suspended", "DifferenceType": "NOT_EQUAL"}]}]},
            {"StackName": stack_id, "StackResourceDriftStatusFilters": ["MODIFIED", "DELETED"]})
        state, drifted = status.drift(cfn, stack_id, stacks.Poll(sleep=lambda s: None))
        stub.assert_no_pending_responses()
    assert state == "DRIFTED"
    assert drifted == [{"resource": "ArtifactBucket", "type": "AWS::S3::Bucket", "status": "MODIFIED", "differences": 1}]
    report = status.StackReport("x", "x", "tools", "1", "us-east-1", deployed=True, status="UPDATE_COMPLETE",
                                template="matches", drift=state, drifted=drifted)
    assert not report.in_sync and "ArtifactBucket (AWS::S3::Bucket) MODIFIED: 1 property difference(s)" in status.text(report)[1]


def test_status_never_writes(deployed, cli, monkeypatch):
    """Every call status makes is a read (Describe, Get, List, Detect drift, Receive with visibility 0)."""
    config, output, _sessions = deployed
    calls = []
    real = accounts.make_session

    def factory(**kwargs):
        session = real(**kwargs)
        session.events.register("provide-client-params", lambda params, model, **kw: calls.append(model.name))
        return session

    monkeypatch.setattr(accounts, "make_session", factory)
    code, _doc, err = status_json(cli, config, output, "--account", "stage", "--account", "prod")
    assert code == 0, err
    assert calls and all(name.startswith(("Describe", "Get", "List", "AssumeRole")) for name in calls), calls
    assert load(output)  # output/ untouched and still verified
