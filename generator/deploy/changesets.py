"""One stack through a change set: create it, say what it does, execute it, wait.

Change sets are named after what they deploy (template, parameters,
capabilities, type), so a rerun finds the one an earlier run left behind:
still available, it is executed as reviewed (`deploy --no-execute`, then
`deploy`); made for another template, it is deleted. Change sets this
toolkit did not make are left alone.

An empty change set is success: CloudFormation fails it with the reason
"The submitted information didn't contain changes" (as `aws cloudformation
deploy` recognises it, awscli/customizations/cloudformation/deployer.py),
and it is deleted so that reruns leave nothing behind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from . import stacks
from .errors import StackFailed

NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
PENDING = {"CREATE_PENDING", "CREATE_IN_PROGRESS"}
# ChangeSetStatus (botocore's cloudformation model): a change set on its way out is left to go.
DELETING = {"DELETE_PENDING", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"}


@dataclass(frozen=True)
class Request:
    """What to deploy as one stack."""

    name: str
    template_url: str
    parameters: tuple[tuple[str, str], ...]
    capabilities: tuple[str, ...]
    template_sha256: str
    account: str  # for messages: role and id
    region: str


@dataclass
class Prepared:
    stack_name: str
    change_set_id: str = ""
    change_set_type: str = ""
    changes: list = field(default_factory=list)
    empty: bool = False
    reused: bool = False
    stack_id: str = ""


def name_for(prefix: str, request: Request, change_set_type: str) -> str:
    digest = hashlib.sha256(json.dumps([request.template_sha256, sorted(request.parameters), sorted(request.capabilities),
                                        change_set_type]).encode()).hexdigest()
    return f"{prefix}-deploy-{digest[:20]}"


def _ours(cfn, stack_id: str, prefix: str) -> list[dict]:
    found = []
    for page in cfn.get_paginator("list_change_sets").paginate(StackName=stack_id):
        found += [s for s in page.get("Summaries", []) if s.get("StackId", stack_id) == stack_id
                  and s.get("ChangeSetName", "").startswith(f"{prefix}-deploy-")]
    return found


def _describe_all(cfn, change_set_id: str) -> dict:
    doc = cfn.describe_change_set(ChangeSetName=change_set_id)
    changes = list(doc.get("Changes", []))
    token = doc.get("NextToken")
    while token:
        page = cfn.describe_change_set(ChangeSetName=change_set_id, NextToken=token)
        changes += page.get("Changes", [])
        token = page.get("NextToken")
    doc["Changes"] = changes
    return doc


def _wait_created(cfn, change_set_id: str, poll: stacks.Poll) -> dict:
    for delay in poll.delays():
        doc = _describe_all(cfn, change_set_id)
        if doc.get("Status") not in PENDING:
            return doc
        poll.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _is_empty(doc: dict) -> bool:
    return doc.get("Status") == "FAILED" and any(m in doc.get("StatusReason", "") for m in NO_CHANGES)


def _state(cfn, request: Request, poll: stacks.Poll, watch: stacks.Watch | None) -> dict | None:
    current = stacks.describe(cfn, request.name)
    if current is not None and stacks.is_busy(current["StackStatus"]):
        # An earlier run was interrupted while CloudFormation worked: let it finish.
        current = stacks.wait(cfn, current["StackId"], poll, stacks.newest_event_id(cfn, current["StackId"]), watch)
        if current["StackStatus"] == "DELETE_COMPLETE":
            current = None
    if current is not None:
        blocked = stacks.needs_a_person(current["StackStatus"], request.name, request.region, request.account)
        if blocked:
            raise StackFailed(blocked)
    return current


def prepare(cfn, request: Request, prefix: str, poll: stacks.Poll, watch: stacks.Watch | None = None) -> Prepared:
    """A change set ready to execute (or empty), from this run or a reusable earlier one."""
    current = _state(cfn, request, poll, watch)
    change_set_type = "UPDATE" if current is not None and current["StackStatus"] in stacks.UPDATABLE else "CREATE"
    name = name_for(prefix, request, change_set_type)
    result = Prepared(request.name, change_set_type=change_set_type, stack_id=(current or {}).get("StackId", ""))
    doc = None
    if current is not None:
        for leftover in _ours(cfn, current["StackId"], prefix):
            if leftover.get("Status") in DELETING:
                continue
            usable = leftover.get("ExecutionStatus") == "AVAILABLE" or leftover.get("Status") in PENDING
            if leftover.get("ChangeSetName") == name and usable and doc is None:
                doc = _wait_created(cfn, leftover["ChangeSetId"], poll)
                result.reused = True
                continue
            if leftover.get("Status") in PENDING:
                # DeleteChangeSet refuses one still being created (InvalidChangeSetStatus, API reference).
                _wait_created(cfn, leftover["ChangeSetId"], poll)
            cfn.delete_change_set(ChangeSetName=leftover["ChangeSetId"])
    if doc is None:
        try:
            created = cfn.create_change_set(
                StackName=request.name, ChangeSetName=name, ChangeSetType=change_set_type, TemplateURL=request.template_url,
                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in request.parameters],
                Capabilities=list(request.capabilities),
                Description="service-catalog-toolkit deploy of template sha256 " + request.template_sha256[:16])
        except Exception as exc:
            raise StackFailed(f"stack {request.name}: CloudFormation refused the change set: "
                              f"{stacks.error_code(exc)}: {stacks.error_message(exc)}") from None
        doc = _wait_created(cfn, created["Id"], poll)
    result.change_set_id = doc.get("ChangeSetId", "")
    result.stack_id = doc.get("StackId", result.stack_id)
    if _is_empty(doc):
        cfn.delete_change_set(ChangeSetName=result.change_set_id)
        result.empty = True
        return result
    if doc.get("Status") != "CREATE_COMPLETE" or doc.get("ExecutionStatus") != "AVAILABLE":
        raise StackFailed(f"stack {request.name}: change set {name} is {doc.get('Status')}/{doc.get('ExecutionStatus')}: "
                          f"{doc.get('StatusReason', 'no reason given')}")
    result.changes = doc["Changes"]
    return result


def execute(cfn, prepared: Prepared, poll: stacks.Poll, watch: stacks.Watch | None = None) -> dict:
    """Execute and wait; raise StackFailed with the events that explain a failure."""
    marker = stacks.newest_event_id(cfn, prepared.stack_id)
    try:
        cfn.execute_change_set(ChangeSetName=prepared.change_set_id)
    except Exception as exc:
        raise StackFailed(f"stack {prepared.stack_name}: executing the change set failed: "
                          f"{stacks.error_code(exc)}: {stacks.error_message(exc)}") from None
    final = stacks.wait(cfn, prepared.stack_id, poll, marker, watch)
    if final["StackStatus"] not in stacks.SUCCEEDED:
        events = stacks.events_since(cfn, prepared.stack_id, marker)
        reasons = stacks.explain(events, prepared.stack_name) or [final.get("StackStatusReason", "no reason given")]
        raise StackFailed(f"stack {prepared.stack_name} ended {final['StackStatus']}; what failed first:\n"
                          + "\n".join(f"    {r}" for r in reasons))
    return final
