"""The change-set path as the real service behaves, where moto does not (botocore Stubber).

Each response follows the CloudFormation API reference (DescribeStacks,
DescribeStackEvents newest first, DescribeChangeSet with ResourceChange
Replacement, ExecuteChangeSet returning before the work is done). moto
executes synchronously and never shows a busy stack, a Replacement verdict
or a rollback's cascade of cancelled resources; these tests do.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.stub import ANY

from generator.deploy import changesets, stacks, words
from generator.deploy.errors import StackFailed

from .stubs import client_error, stubbed

STACK = "sc-products"
STACK_ID = "arn:aws:cloudformation:us-east-1:111111111111:stack/sc-products/0a1b2c3d"
CS_ID = "arn:aws:cloudformation:us-east-1:111111111111:changeSet/sc-deploy-x/1"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
QUICK = stacks.Poll(sleep=lambda seconds: None)
REQUEST = changesets.Request(name=STACK, template_url="https://b.s3.us-east-1.amazonaws.com/sc/stacks/x.json",
                             parameters=(("ProductTemplateBaseUrl", "https://b.s3.us-east-1.amazonaws.com/sc"),),
                             capabilities=(), template_sha256="ab" * 32, account="tools 111111111111", region="us-east-1")


def stack(status, **extra):
    return {"Stacks": [{"StackName": STACK, "StackId": STACK_ID, "StackStatus": status, "CreationTime": NOW, **extra}]}


def event(event_id, logical, status, reason=None, rtype="AWS::ServiceCatalog::CloudFormationProduct"):
    e = {"StackId": STACK_ID, "EventId": event_id, "StackName": STACK, "LogicalResourceId": logical,
         "ResourceType": rtype if logical != STACK else "AWS::CloudFormation::Stack", "Timestamp": NOW,
         "ResourceStatus": status}
    return {**e, "ResourceStatusReason": reason} if reason else e


def events(*items):
    return {"StackEvents": list(items)}


def change_set(status="CREATE_COMPLETE", execution="AVAILABLE", reason=None, changes=()):
    doc = {"ChangeSetId": CS_ID, "ChangeSetName": "sc-deploy-x", "StackId": STACK_ID, "StackName": STACK,
           "Status": status, "ExecutionStatus": execution, "Changes": list(changes)}
    return {**doc, "StatusReason": reason} if reason else doc


def test_a_stack_left_busy_by_an_interrupted_run_is_waited_for_then_updated():
    cfn, stub = stubbed("cloudformation")
    older = event("e1", STACK, "UPDATE_IN_PROGRESS", "User Initiated")
    with stub:
        stub.add_response("describe_stacks", stack("UPDATE_IN_PROGRESS"), {"StackName": STACK})
        stub.add_response("describe_stack_events", events(older), {"StackName": STACK_ID})
        stub.add_response("describe_stacks", stack("UPDATE_IN_PROGRESS"), {"StackName": STACK_ID})
        stub.add_response("describe_stack_events", events(older), {"StackName": STACK_ID})
        stub.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": STACK_ID})
        stub.add_response("describe_stack_events", events(event("e2", STACK, "UPDATE_COMPLETE"), older), {"StackName": STACK_ID})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": STACK_ID})
        stub.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID}, {
            "StackName": STACK, "ChangeSetName": changesets.name_for("sc", REQUEST, "UPDATE"), "ChangeSetType": "UPDATE",
            "TemplateURL": REQUEST.template_url, "Parameters": [{"ParameterKey": "ProductTemplateBaseUrl",
                                                                 "ParameterValue": "https://b.s3.us-east-1.amazonaws.com/sc"}],
            "Capabilities": [], "Description": ANY})
        stub.add_response("describe_change_set", change_set(changes=[{"Type": "Resource", "ResourceChange": {
            "Action": "Modify", "LogicalResourceId": "ProductMainPipeline", "ResourceType": "AWS::ServiceCatalog::CloudFormationProduct",
            "Replacement": "False"}}]), {"ChangeSetName": CS_ID})
        seen = []
        prepared = changesets.prepare(cfn, REQUEST, "sc", QUICK, stacks.Watch(seen.append))
        stub.assert_no_pending_responses()
    assert prepared.change_set_type == "UPDATE" and len(prepared.changes) == 1 and not prepared.empty
    assert [e["EventId"] for e in seen] == ["e2"]


def test_a_failed_execution_names_the_first_failed_resource_not_the_cancellations():
    prepared = changesets.Prepared(STACK, CS_ID, "CREATE", changes=[{}], stack_id=STACK_ID)
    review = event("e0", STACK, "REVIEW_IN_PROGRESS", "User Initiated")
    # DescribeStackEvents lists newest first: the cause is the oldest failure.
    story = events(
        event("e6", STACK, "ROLLBACK_COMPLETE"),
        event("e5", STACK, "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [ProductA, ProductB]."),
        event("e4", "ProductB", "CREATE_FAILED", "Resource creation cancelled"),
        event("e3", "ProductA", "CREATE_FAILED", "Access denied for operation 'CreateProduct'"),
        event("e2", "ProductA", "CREATE_IN_PROGRESS"),
        event("e1", STACK, "CREATE_IN_PROGRESS", "User Initiated"), review)
    busy = ("CREATE_IN_PROGRESS", events(event("e1", STACK, "CREATE_IN_PROGRESS", "User Initiated"), review))
    message = _failed_execution(prepared, review, [busy], ("ROLLBACK_COMPLETE", story))
    assert "ended ROLLBACK_COMPLETE" in message
    assert message.index("ProductA") < message.index("ProductB")
    assert "Access denied for operation 'CreateProduct'" in message.splitlines()[1]


def test_an_export_still_imported_elsewhere_is_named_though_no_resource_failed():
    """Removing an export another stack imports fails the update with no resource *_FAILED event: the stack goes
    straight to UPDATE_ROLLBACK_IN_PROGRESS with the reason (as serverless/serverless#3935 met it)."""
    prepared = changesets.Prepared(STACK, CS_ID, "UPDATE", changes=[{}], stack_id=STACK_ID)
    before = event("e0", STACK, "UPDATE_COMPLETE")
    reason = "Export sc:product:main-pipeline cannot be deleted as it is in use by sc-portfolio-main-pipeline"
    story = events(event("e3", STACK, "UPDATE_ROLLBACK_COMPLETE"), event("e2", STACK, "UPDATE_ROLLBACK_IN_PROGRESS", reason),
                   event("e1", STACK, "UPDATE_IN_PROGRESS", "User Initiated"), before)
    message = _failed_execution(prepared, before, [], ("UPDATE_ROLLBACK_COMPLETE", story))
    assert "ended UPDATE_ROLLBACK_COMPLETE" in message and reason in message


def _failed_execution(prepared, newest_before, looks, final) -> str:
    """ExecuteChangeSet returns at once; DescribeStacks then shows the stack busy (``looks``: status and events) until
    ``final``; the failure message execute() raises."""
    cfn, stub = stubbed("cloudformation")
    with stub:
        stub.add_response("describe_stack_events", events(newest_before), {"StackName": STACK_ID})
        stub.add_response("execute_change_set", {}, {"ChangeSetName": CS_ID})
        for status, seen in [*looks, final]:
            stub.add_response("describe_stacks", stack(status), {"StackName": STACK_ID})
            stub.add_response("describe_stack_events", seen, {"StackName": STACK_ID})
        stub.add_response("describe_stack_events", final[1], {"StackName": STACK_ID})
        with pytest.raises(StackFailed) as failure:
            changesets.execute(cfn, prepared, QUICK)
        stub.assert_no_pending_responses()
    return str(failure.value)


def test_an_empty_change_set_is_success_and_is_deleted():
    cfn, stub = stubbed("cloudformation")
    with stub:
        stub.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": STACK})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": STACK_ID})
        stub.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID}, None)
        # The real reason CloudFormation gives (as awscli's deployer recognises it).
        stub.add_response("describe_change_set", change_set("FAILED", "UNAVAILABLE", "The submitted information didn't contain "
                                                           "changes. Submit different information to create a change set."),
                          {"ChangeSetName": CS_ID})
        stub.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID})
        prepared = changesets.prepare(cfn, REQUEST, "sc", QUICK)
        stub.assert_no_pending_responses()
    assert prepared.empty


def test_a_change_set_that_fails_for_another_reason_stops_with_it():
    cfn, stub = stubbed("cloudformation")
    with stub:
        stub.add_response("describe_stacks", stack("CREATE_COMPLETE"), {"StackName": STACK})
        stub.add_response("list_change_sets", {"Summaries": []}, {"StackName": STACK_ID})
        stub.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID}, None)
        stub.add_response("describe_change_set", change_set("FAILED", "UNAVAILABLE", "No export named sc:tools:key-arn found."),
                          {"ChangeSetName": CS_ID})
        with pytest.raises(StackFailed, match="No export named sc:tools:key-arn found"):
            changesets.prepare(cfn, REQUEST, "sc", QUICK)


# Every StackStatus the service model knows (botocore's cloudformation service-2.json, StackStatus).
STATUSES = stubbed("cloudformation")[0].meta.service_model.shape_for("StackStatus").enum
FOR_A_PERSON = [s for s in STATUSES if stacks.needs_a_person(s, STACK, "us-east-1", "tools") is not None]


@pytest.mark.parametrize("status", STATUSES)
def test_every_stack_status_has_exactly_one_way_forward(status):
    """Waited for (busy), updated, created (REVIEW_IN_PROGRESS: no resources yet), handed to a person, or gone
    (DELETE_COMPLETE, which DescribeStacks by name never returns): a status AWS adds is a test that fails here."""
    ways = [stacks.is_busy(status), status in stacks.UPDATABLE, status == stacks.REVIEW, status in FOR_A_PERSON,
            status == "DELETE_COMPLETE"]
    assert sum(ways) == 1, (status, ways)


@pytest.mark.parametrize("status", FOR_A_PERSON)
def test_a_stack_that_needs_a_person_is_reported_with_what_to_do_and_left_alone(status):
    cfn, stub = stubbed("cloudformation")
    with stub:
        stub.add_response("describe_stacks", stack(status), {"StackName": STACK})
        with pytest.raises(StackFailed) as failure:
            changesets.prepare(cfn, REQUEST, "sc", QUICK)
        stub.assert_no_pending_responses()  # nothing created, nothing deleted
    message = str(failure.value)
    assert f"stack {STACK} is {status}" in message and "events" in message
    if status != "IMPORT_ROLLBACK_FAILED":  # no API call clears it: the events say which resources to fix
        assert "aws cloudformation " in message and "--stack-name sc-products --region us-east-1" in message


@pytest.mark.parametrize("status, command", [
    ("ROLLBACK_COMPLETE", "aws cloudformation delete-stack"),
    ("UPDATE_ROLLBACK_FAILED", "aws cloudformation continue-update-rollback"),
    ("UPDATE_FAILED", "aws cloudformation rollback-stack"),
])
def test_the_command_is_the_one_cloudformation_documents_for_the_state(status, command):
    """ContinueUpdateRollback for UPDATE_ROLLBACK_FAILED, RollbackStack for a stack left failed with rollback disabled,
    DeleteStack for ROLLBACK_COMPLETE, which cannot be updated (CloudFormation API reference)."""
    assert command in stacks.needs_a_person(status, STACK, "us-east-1", "tools")


def test_a_leftover_change_set_for_another_template_is_deleted_and_a_reviewed_one_is_reused():
    cfn, stub = stubbed("cloudformation")
    mine = changesets.name_for("sc", REQUEST, "UPDATE")
    stale = {"StackId": STACK_ID, "StackName": STACK, "ChangeSetId": CS_ID + "-old", "ChangeSetName": "sc-deploy-0123",
             "ExecutionStatus": "AVAILABLE", "Status": "CREATE_COMPLETE"}
    reviewed = {**stale, "ChangeSetId": CS_ID, "ChangeSetName": mine}
    theirs = {**stale, "ChangeSetId": CS_ID + "-theirs", "ChangeSetName": "someone-elses"}
    with stub:
        stub.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": STACK})
        stub.add_response("list_change_sets", {"Summaries": [stale, reviewed, theirs]}, {"StackName": STACK_ID})
        stub.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID + "-old"})
        stub.add_response("describe_change_set", change_set(changes=[{"Type": "Resource", "ResourceChange": {
            "Action": "Add", "LogicalResourceId": "ProductX", "ResourceType": "AWS::ServiceCatalog::CloudFormationProduct"}}]),
            {"ChangeSetName": CS_ID})
        prepared = changesets.prepare(cfn, REQUEST, "sc", QUICK)
        stub.assert_no_pending_responses()  # someone else's change set untouched, no new one created
    assert prepared.reused and prepared.change_set_id == CS_ID


def test_a_leftover_still_being_created_is_waited_for_before_it_is_deleted_and_one_being_deleted_is_left_to_go():
    """DeleteChangeSet: InvalidChangeSetStatus while a change set is CREATE_IN_PROGRESS (API reference); ChangeSetStatus
    has DELETE_PENDING and DELETE_IN_PROGRESS (botocore's cloudformation model), which need no second delete."""
    cfn, stub = stubbed("cloudformation")
    pending = {"StackId": STACK_ID, "StackName": STACK, "ChangeSetId": CS_ID + "-old", "ChangeSetName": "sc-deploy-0123",
               "ExecutionStatus": "UNAVAILABLE", "Status": "CREATE_IN_PROGRESS"}
    going = {**pending, "ChangeSetId": CS_ID + "-going", "ChangeSetName": "sc-deploy-4567", "Status": "DELETE_IN_PROGRESS"}
    with stub:
        stub.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": STACK})
        stub.add_response("list_change_sets", {"Summaries": [pending, going]}, {"StackName": STACK_ID})
        stub.add_response("describe_change_set", {**change_set(), "ChangeSetId": CS_ID + "-old", "Status": "CREATE_IN_PROGRESS"},
                          {"ChangeSetName": CS_ID + "-old"})
        stub.add_response("describe_change_set", {**change_set(), "ChangeSetId": CS_ID + "-old"}, {"ChangeSetName": CS_ID + "-old"})
        stub.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID + "-old"})
        stub.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID}, None)
        stub.add_response("describe_change_set", change_set(changes=[{"Type": "Resource", "ResourceChange": {
            "Action": "Add", "LogicalResourceId": "ProductX", "ResourceType": "AWS::ServiceCatalog::CloudFormationProduct"}}]),
            {"ChangeSetName": CS_ID})
        prepared = changesets.prepare(cfn, REQUEST, "sc", QUICK)
        stub.assert_no_pending_responses()
    assert prepared.change_set_id == CS_ID and not prepared.reused


def test_changes_are_said_in_diffs_words_with_cloudformations_replacement_verdict():
    product = {"Type": "AWS::ServiceCatalog::CloudFormationProduct", "Properties": {
        "Name": "Main pipeline", "Owner": "x", "ProvisioningArtifactParameters": [{"Name": "v1", "Info": {}}]}}
    renamed = {**product, "Properties": {**product["Properties"], "Owner": "y"}}
    portfolio = {"Type": "AWS::ServiceCatalog::Portfolio", "Properties": {"DisplayName": "Main", "ProviderName": "p"}}
    old = {"Resources": {"ProductMain": product, "PortfolioOld": portfolio}}
    new = {"Resources": {"ProductMain": renamed, "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r"}}}}
    changes = [
        {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "ProductMain", "Replacement": "True",
                                                "ResourceType": "AWS::ServiceCatalog::CloudFormationProduct"}},
        {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "PortfolioOld",
                                                "ResourceType": "AWS::ServiceCatalog::Portfolio"}},
        {"Type": "Resource", "ResourceChange": {"Action": "Add", "LogicalResourceId": "Role", "ResourceType": "AWS::IAM::Role"}},
    ]
    lines = [str(line) for line in words.lines(changes, new, old)]
    assert lines[0] == "! product 'Main pipeline': Owner changed (CloudFormation replaces it)  [REPLACEMENT]"
    assert lines[1] == "- portfolio 'Main' removed  [REPLACEMENT]"
    assert lines[2] == "+ IAM::Role r added"


def test_an_aws_refusal_is_a_message_naming_the_stack_never_a_traceback(tmp_path):
    from generator.deploy.errors import DeployError, aws_errors

    cfn, stub = stubbed("cloudformation")
    with stub:
        client_error(stub, "describe_stacks", "AccessDenied", 403)
        with pytest.raises(DeployError, match=r"stack sc-products: AccessDenied: AccessDenied \(stubbed\)"):
            with aws_errors("stack sc-products"):
                changesets.prepare(cfn, REQUEST, "sc", QUICK)
