"""Reading a stack's state, and waiting for CloudFormation with its events.

States (CloudFormation API reference, StackStatus): a stack in REVIEW_IN_PROGRESS
holds no resources yet and takes a CREATE change set (as `aws cloudformation
deploy` treats it); a *_COMPLETE stack takes an UPDATE change set; a stack
that is busy is waited for (an interrupted run left it so); the rest need a
person, and the message says what to run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# A stack in one of these takes an UPDATE change set.
UPDATABLE = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE",
                       "IMPORT_ROLLBACK_COMPLETE"})
SUCCEEDED = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"})
REVIEW = "REVIEW_IN_PROGRESS"


def is_busy(status: str) -> bool:
    return status.endswith("_IN_PROGRESS") and status != REVIEW


def _where(name: str, region: str, account: str) -> str:
    return f"--stack-name {name} --region {region}  (in account {account})"


def needs_a_person(status: str, name: str, region: str, account: str) -> str | None:
    """Why the stack cannot take a change set, with the command that clears it; None when it can."""
    where = _where(name, region, account)
    advice = {
        "ROLLBACK_COMPLETE": "its creation failed and was rolled back. It holds no resources and can only be deleted; "
                             "read its events for the cause, then delete it and run deploy again:\n"
                             f"    aws cloudformation delete-stack {where}",
        "ROLLBACK_FAILED": "its creation failed and so did the rollback: some resources are left. Delete what its events "
                           "name as DELETE_FAILED by hand, then:\n"
                           f"    aws cloudformation delete-stack {where}",
        "UPDATE_ROLLBACK_FAILED": "an update failed and so did its rollback. Fix or skip the resources its events name, then:\n"
                                  f"    aws cloudformation continue-update-rollback {where}",
        "DELETE_FAILED": "a deletion failed. Remove what its events name as DELETE_FAILED, then:\n"
                         f"    aws cloudformation delete-stack {where}",
        "IMPORT_ROLLBACK_FAILED": "an import failed and so did its rollback; read its events and fix the resources they name",
        "UPDATE_FAILED": "an update failed without rolling back; read its events, then:\n"
                         f"    aws cloudformation rollback-stack {where}",
        "CREATE_FAILED": "its creation failed without rolling back; read its events, then:\n"
                         f"    aws cloudformation delete-stack {where}",
    }
    if status in advice:
        return f"stack {name} is {status}: {advice[status]}"
    return None


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def error_message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        return str(response["Error"].get("Message", "")) or str(exc)
    return str(exc)


def describe(cfn, name: str) -> dict | None:
    """The stack, or None when there is none (DescribeStacks answers ValidationError '... does not exist')."""
    try:
        stacks = cfn.describe_stacks(StackName=name)["Stacks"]
    except Exception as exc:
        if error_code(exc) == "ValidationError" and "does not exist" in error_message(exc):
            return None
        raise
    return stacks[0] if stacks else None


@dataclass
class Poll:
    """How long to wait between two looks: short at first, then at most ``most`` seconds."""

    sleep: Callable[[float], None] = time.sleep
    first: float = 2.0
    most: float = 15.0
    factor: float = 1.5

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(self.most, delay * self.factor)


def newest_event_id(cfn, stack: str) -> str | None:
    page = cfn.describe_stack_events(StackName=stack)
    events = page.get("StackEvents", [])
    return events[0]["EventId"] if events else None


def events_since(cfn, stack: str, marker: str | None) -> list[dict]:
    """Events after ``marker`` (an EventId), oldest first. DescribeStackEvents lists newest first."""
    found = []
    for page in cfn.get_paginator("describe_stack_events").paginate(StackName=stack):
        for event in page.get("StackEvents", []):
            if marker is not None and event.get("EventId") == marker:
                return list(reversed(found))
            found.append(event)
    return list(reversed(found))


@dataclass
class Watch:
    """What the waiting reports to: each new event, once."""

    on_event: Callable[[dict], None] = lambda event: None
    seen: set = field(default_factory=set)

    def events(self, new: list[dict]) -> None:
        for event in new:
            if event.get("EventId") not in self.seen:
                self.seen.add(event.get("EventId"))
                self.on_event(event)


def wait(cfn, stack: str, poll: Poll, marker: str | None = None, watch: Watch | None = None) -> dict:
    """Wait until the stack is no longer busy; report its events on the way; return its last description."""
    watch = watch or Watch()
    for delay in poll.delays():
        current = describe(cfn, stack)
        if current is None:  # deleted under us
            return {"StackName": stack, "StackStatus": "DELETE_COMPLETE"}
        watch.events(events_since(cfn, stack, marker))
        if not is_busy(current["StackStatus"]):
            return current
        poll.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover - delays() never ends


def first_failures(events: list[dict], stack_name: str) -> list[dict]:
    """Failed resource events in the order they happened; a stack-level reason when no resource failed."""
    failed = [e for e in events if str(e.get("ResourceStatus", "")).endswith("_FAILED")]
    # "Resource creation cancelled" follows the real failure: the first one explains it.
    resources = [e for e in failed if e.get("LogicalResourceId") != stack_name]
    if resources:
        return resources
    rollback = [e for e in events if e.get("LogicalResourceId") == stack_name and e.get("ResourceStatusReason")
                and "ROLLBACK" in str(e.get("ResourceStatus", ""))]
    return failed or rollback


def explain(events: list[dict], stack_name: str, limit: int = 5) -> list[str]:
    lines = []
    for e in first_failures(events, stack_name)[:limit]:
        lines.append(f"{e.get('LogicalResourceId')} ({e.get('ResourceType')}) {e.get('ResourceStatus')}: "
                     f"{e.get('ResourceStatusReason', 'no reason given')}")
    return lines
