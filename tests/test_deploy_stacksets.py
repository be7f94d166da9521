"""`deploy --stackset`: the workload prerequisites as one service-managed StackSet (botocore Stubber).

Shapes from the CloudFormation API reference: CreateStackSet (PermissionModel
SERVICE_MANAGED, AutoDeployment, CallAs), CreateStackInstances
(DeploymentTargets.OrganizationalUnitIds), DescribeStackSetOperation until
SUCCEEDED or FAILED, ListStackInstances (OrganizationalUnitId of each
instance), ListStackSetOperationResults (why an account failed). moto's
stack instances carry no OrganizationalUnitId, which this flow reads.
"""

from __future__ import annotations

import json

import pytest
from botocore.stub import ANY

from generator.deploy import stacks, stacksets
from generator.deploy.errors import StackFailed

from .stubs import client_error, stubbed

TEMPLATE = {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r"}}}}
REQUEST = stacksets.Request(name="sc-workload-prerequisites", template_url="https://b.s3.us-east-1.amazonaws.com/sc/stacks/t.json",
                            template=TEMPLATE, capabilities=("CAPABILITY_NAMED_IAM",),
                            organizational_units=("ou-ab12-cd34ef56", "ou-ab12-zz99yy88"), regions=("us-east-1",),
                            call_as="DELEGATED_ADMIN")
QUICK = stacks.Poll(sleep=lambda s: None)
NAME = {"StackSetName": REQUEST.name, "CallAs": "DELEGATED_ADMIN"}


def operation(status, operation_id="op-1"):
    return {"StackSetOperation": {"OperationId": operation_id, "Status": status}}


def existing(stub, template=TEMPLATE, running=(), instances=None):
    """DescribeStackSet, ListStackSetOperations (newest first) and ListStackInstances as a rerun reads them."""
    stub.add_response("describe_stack_set", {"StackSet": {
        "StackSetName": REQUEST.name, "TemplateBody": json.dumps(template), "Capabilities": ["CAPABILITY_NAMED_IAM"],
        "PermissionModel": "SERVICE_MANAGED"}}, NAME)
    stub.add_response("list_stack_set_operations", {"Summaries": [
        {"OperationId": op, "Action": "CREATE", "Status": "RUNNING"} for op in running] + [
        {"OperationId": "op-0", "Action": "CREATE", "Status": "SUCCEEDED"}]}, NAME)
    for op in running:
        stub.add_response("describe_stack_set_operation", operation("RUNNING", op), {**NAME, "OperationId": op})
        stub.add_response("describe_stack_set_operation", operation("SUCCEEDED", op), {**NAME, "OperationId": op})
    stub.add_response("list_stack_instances", {"Summaries": instances if instances is not None else [
        instance("222222222222", "ou-ab12-cd34ef56"), instance("333333333333", "ou-ab12-zz99yy88")]}, NAME)


def instance(account, ou, status="CURRENT", region="us-east-1", reason=None):
    found = {"StackSetId": "ss-1", "Region": region, "Account": account, "OrganizationalUnitId": ou, "Status": status}
    return {**found, "StatusReason": reason} if reason else found


def test_a_first_run_creates_the_stackset_and_instances_for_every_ou_and_waits():
    cfn, stub = stubbed("cloudformation")
    with stub:
        client_error(stub, "describe_stack_set", "StackSetNotFoundException", expected_params=NAME)
        stub.add_response("create_stack_set", {"StackSetId": "ss-1"}, {
            **NAME, "TemplateURL": REQUEST.template_url, "Capabilities": ["CAPABILITY_NAMED_IAM"],
            "PermissionModel": "SERVICE_MANAGED", "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
            "Description": ANY})
        stub.add_response("create_stack_instances", {"OperationId": "op-1"}, {
            **NAME, "DeploymentTargets": {"OrganizationalUnitIds": ["ou-ab12-cd34ef56", "ou-ab12-zz99yy88"]},
            "Regions": ["us-east-1"], "OperationPreferences": ANY})
        stub.add_response("describe_stack_set_operation", operation("RUNNING"), {**NAME, "OperationId": "op-1"})
        stub.add_response("describe_stack_set_operation", operation("SUCCEEDED"), {**NAME, "OperationId": "op-1"})
        assert stacksets.deploy(cfn, REQUEST, QUICK, report=lambda line: None) == "created"
        stub.assert_no_pending_responses()


def test_a_second_run_with_the_same_template_and_ous_changes_nothing():
    cfn, stub = stubbed("cloudformation")
    with stub:
        existing(stub)
        assert stacksets.deploy(cfn, REQUEST, QUICK, report=lambda line: None) == "unchanged"
        stub.assert_no_pending_responses()


def test_a_changed_template_updates_every_instance_and_a_failed_account_is_named():
    cfn, stub = stubbed("cloudformation")
    with stub:
        existing(stub, template={"Resources": {}})
        stub.add_response("update_stack_set", {"OperationId": "op-1"}, {
            **NAME, "TemplateURL": REQUEST.template_url, "Capabilities": ["CAPABILITY_NAMED_IAM"]})
        stub.add_response("describe_stack_set_operation", operation("FAILED"), {**NAME, "OperationId": "op-1"})
        stub.add_response("list_stack_set_operation_results", {"Summaries": [
            {"Account": "333333333333", "Region": "us-east-1", "Status": "FAILED",
             "StatusReason": "Role sc-app-deploy already exists"}]}, {**NAME, "OperationId": "op-1"})
        with pytest.raises(StackFailed) as failure:
            stacksets.deploy(cfn, REQUEST, QUICK, report=lambda line: None)
        stub.assert_no_pending_responses()
    assert "the update ended FAILED" in str(failure.value) and "333333333333 us-east-1: Role sc-app-deploy already exists" in str(failure.value)


def test_a_rerun_after_a_failed_update_updates_the_instances_it_left_outdated():
    """UpdateStackSet: "Even if the stack set operation ... fails ..., the stack set is updated with your changes" (API
    reference): the template matches, the accounts do not. StackInstanceSummary.Status OUTDATED says which."""
    cfn, stub = stubbed("cloudformation")
    with stub:
        existing(stub, instances=[instance("222222222222", "ou-ab12-cd34ef56"),
                                  instance("333333333333", "ou-ab12-zz99yy88", "OUTDATED")])
        stub.add_response("update_stack_set", {"OperationId": "op-1"}, {
            **NAME, "TemplateURL": REQUEST.template_url, "Capabilities": ["CAPABILITY_NAMED_IAM"]})
        stub.add_response("describe_stack_set_operation", operation("SUCCEEDED"), {**NAME, "OperationId": "op-1"})
        said = []
        assert stacksets.deploy(cfn, REQUEST, QUICK, report=said.append) == "updated"
        stub.assert_no_pending_responses()
    assert any("OUTDATED (333333333333 us-east-1)" in line for line in said)


def test_an_operation_already_running_is_waited_for_and_one_that_slips_in_is_waited_for_again():
    """One operation at a time per StackSet (OperationInProgressException, UpdateStackSet errors); an interrupted run's,
    or an automatic deployment to an account that joined an OU (StackSetOperation Status QUEUED), may hold it."""
    cfn, stub = stubbed("cloudformation")
    with stub:
        existing(stub, template={"Resources": {}}, running=["op-interrupted"])
        client_error(stub, "update_stack_set", "OperationInProgressException")
        stub.add_response("list_stack_set_operations", {"Summaries": [
            {"OperationId": "op-auto", "Action": "CREATE", "Status": "QUEUED"}]}, NAME)
        stub.add_response("describe_stack_set_operation", operation("SUCCEEDED", "op-auto"), {**NAME, "OperationId": "op-auto"})
        stub.add_response("update_stack_set", {"OperationId": "op-1"}, {
            **NAME, "TemplateURL": REQUEST.template_url, "Capabilities": ["CAPABILITY_NAMED_IAM"]})
        stub.add_response("describe_stack_set_operation", operation("SUCCEEDED"), {**NAME, "OperationId": "op-1"})
        assert stacksets.deploy(cfn, REQUEST, QUICK, report=lambda line: None) == "updated"
        stub.assert_no_pending_responses()


def test_an_inoperable_instance_stops_the_run_for_a_person():
    """INOPERABLE: a failed DeleteStackInstances left the stack unstable; later operations skip it (StackInstanceSummary)."""
    cfn, stub = stubbed("cloudformation")
    with stub:
        existing(stub, instances=[instance("333333333333", "ou-ab12-zz99yy88", "INOPERABLE", reason="Deletion failed")])
        with pytest.raises(StackFailed) as failure:
            stacksets.deploy(cfn, REQUEST, QUICK, report=lambda line: None)
        stub.assert_no_pending_responses()
    assert "INOPERABLE" in str(failure.value) and "333333333333 us-east-1: Deletion failed" in str(failure.value)


def test_a_region_added_to_the_workload_accounts_gets_instances_in_that_region_only():
    cfn, stub = stubbed("cloudformation")
    two = stacksets.Request(**{**REQUEST.__dict__, "regions": ("eu-west-1", "us-east-1")})
    with stub:
        existing(stub)
        stub.add_response("create_stack_instances", {"OperationId": "op-1"}, {
            **NAME, "DeploymentTargets": {"OrganizationalUnitIds": ["ou-ab12-cd34ef56", "ou-ab12-zz99yy88"]},
            "Regions": ["eu-west-1"], "OperationPreferences": ANY})
        stub.add_response("describe_stack_set_operation", operation("SUCCEEDED"), {**NAME, "OperationId": "op-1"})
        assert stacksets.deploy(cfn, two, QUICK, report=lambda line: None) == "updated"
        stub.assert_no_pending_responses()


OUS = ["ou-ab12-cd34ef56", "ou-ab12-zz99yy88"]


@pytest.fixture(scope="module")
def stackset_output(tmp_path_factory):
    from .deploy_support import build, config_with_deploy
    from .gitflow import GITFLOW

    folder = tmp_path_factory.mktemp("stackset-status")
    config = config_with_deploy(folder / "config", source=GITFLOW, extra={"stack_set": {"organizational_units": OUS}})
    return config, build(config, folder / "output")


@pytest.mark.parametrize("case, in_sync, says", [
    ("current everywhere", True, "stack instances: 2 CURRENT"),
    ("one account outdated", False, "333333333333 us-east-1 OUTDATED: User cancelled"),
    ("an OU without instances", False, "no stack instance for ou-ab12-zz99yy88 us-east-1"),
    ("another template", False, "template differs from output/"),
    ("not deployed", False, "(StackSet, administered from tools 111111111111, us-east-1): not deployed"),
])
def test_status_reports_the_stackset_instead_of_one_stack_per_account(stackset_output, cli, monkeypatch, case, in_sync, says):
    """DescribeStackSet (TemplateBody as submitted) and ListStackInstances (Status CURRENT or OUTDATED, per account
    and region; StackInstanceSummary, API reference): a StackSet's stacks are not the per-account stacks of the manifest."""
    from generator.deploy.accounts import Accounts

    config, output = stackset_output
    entry = next(e for e in json.loads((output / "manifest.json").read_text())["stacks"] if e["kind"] == "workload-prerequisites")
    body = (output / entry["template"]).read_text()
    cfn, stub = stubbed("cloudformation")
    monkeypatch.setattr(Accounts, "client", lambda self, role, service, region: cfn)
    name = {"StackSetName": entry["name"], "CallAs": "DELEGATED_ADMIN"}
    if case == "not deployed":
        client_error(stub, "describe_stack_set", "StackSetNotFoundException", expected_params=name)
    else:
        stub.add_response("describe_stack_set", {"StackSet": {"StackSetName": entry["name"], "TemplateBody": (
            body.replace('"Description": "', '"Description": "edited ', 1) if case == "another template" else body)}}, name)
        second = instance("333333333333", OUS[1], "OUTDATED", reason="User cancelled") if case == "one account outdated" else \
            instance("333333333333", OUS[1])
        stub.add_response("list_stack_instances", {"Summaries": [instance("222222222222", OUS[0])] + (
            [] if case == "an OU without instances" else [second])}, name)
    with stub:
        code, out, err = cli("status", "--config", str(config), "--output", str(output), "--stackset", "--stack", entry["name"])
        stub.assert_no_pending_responses()
    assert code == (0 if in_sync else 3), err
    assert says in out and out.count(entry["name"]) == 1
