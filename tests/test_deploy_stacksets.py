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


def operation(status):
    return {"StackSetOperation": {"OperationId": "op-1", "Status": status}}


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
        stub.add_response("describe_stack_set", {"StackSet": {
            "StackSetName": REQUEST.name, "TemplateBody": json.dumps(TEMPLATE), "Capabilities": ["CAPABILITY_NAMED_IAM"],
            "PermissionModel": "SERVICE_MANAGED"}}, NAME)
        stub.add_response("list_stack_instances", {"Summaries": [
            {"StackSetId": "ss-1", "Region": "us-east-1", "Account": "222222222222", "OrganizationalUnitId": "ou-ab12-cd34ef56"},
            {"StackSetId": "ss-1", "Region": "us-east-1", "Account": "333333333333", "OrganizationalUnitId": "ou-ab12-zz99yy88"}]},
            NAME)
        assert stacksets.deploy(cfn, REQUEST, QUICK, report=lambda line: None) == "unchanged"
        stub.assert_no_pending_responses()


def test_a_changed_template_updates_every_instance_and_a_failed_account_is_named():
    cfn, stub = stubbed("cloudformation")
    with stub:
        stub.add_response("describe_stack_set", {"StackSet": {
            "StackSetName": REQUEST.name, "TemplateBody": json.dumps({"Resources": {}}), "Capabilities": ["CAPABILITY_NAMED_IAM"]}},
            NAME)
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
