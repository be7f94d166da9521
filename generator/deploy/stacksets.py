"""The workload prerequisites as one service-managed StackSet across organizational units.

The way a team with hundreds of accounts deploys the same stack everywhere:
the tools account (a delegated administrator of the organization, or the
management account itself with call_as SELF) creates the StackSet with
automatic deployment, so an account that joins an organizational unit gets
the stack too; then stack instances for the organizational units, and it
waits on each operation with DescribeStackSetOperation (CloudFormation API
reference: CreateStackSet, CreateStackInstances with DeploymentTargets
OrganizationalUnitIds, UpdateStackSet, DescribeStackSetOperation).

Safe to rerun, as a stack is. A StackSet runs one operation at a time
(OperationInProgressException), and one may be running when deploy starts: an
interrupted run's, or an automatic deployment to an account that just joined
an organizational unit; deploy waits for it. A failed update still changes the
StackSet's template ("Even if the stack set operation ... fails ..., the stack
set is updated with your changes", UpdateStackSet), so the same template is no
proof that the accounts have it: any instance that is not CURRENT (OUTDATED:
its last operation failed or never reached it) is updated again, and an
INOPERABLE one needs a person (StackInstanceSummary, API reference).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import stacks
from .errors import StackFailed

DONE = {"SUCCEEDED"}
FAILED = {"FAILED", "STOPPED"}
ACTIVE = {"RUNNING", "QUEUED", "STOPPING"}  # StackSetOperationStatus: still going
BUSY = "OperationInProgressException"
ATTEMPTS = 3  # after waiting for the operation in the way; an automatic deployment may slip in between


@dataclass(frozen=True)
class Request:
    name: str
    template_url: str
    template: dict
    capabilities: tuple[str, ...]
    organizational_units: tuple[str, ...]
    regions: tuple[str, ...]
    call_as: str


def request_for(step_stacks, template: dict, template_url: str, targets) -> Request:
    """The StackSet that stands for the per-account copies ``step_stacks`` (one template), aimed at ``targets``."""
    first = step_stacks[0]
    return Request(name=first.name, template_url=template_url, template=template, capabilities=first.capabilities,
                   organizational_units=targets.organizational_units, regions=tuple(sorted({s.region for s in step_stacks})),
                   call_as=targets.call_as)


def describe(cfn, request: Request) -> dict | None:
    try:
        return cfn.describe_stack_set(StackSetName=request.name, CallAs=request.call_as)["StackSet"]
    except Exception as exc:
        if stacks.error_code(exc) == "StackSetNotFoundException":
            return None
        raise


def _settle(cfn, request: Request, operation_id: str, poll: stacks.Poll) -> dict:
    """The operation once it is no longer running."""
    for delay in poll.delays():
        op = cfn.describe_stack_set_operation(StackSetName=request.name, OperationId=operation_id,
                                              CallAs=request.call_as)["StackSetOperation"]
        if op["Status"] not in ACTIVE:
            return op
        poll.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover - delays() never ends


def _wait(cfn, request: Request, operation_id: str, poll: stacks.Poll, what: str) -> None:
    op = _settle(cfn, request, operation_id, poll)
    if op["Status"] in DONE:
        return
    reasons = []
    for page in cfn.get_paginator("list_stack_set_operation_results").paginate(
            StackSetName=request.name, OperationId=operation_id, CallAs=request.call_as):
        reasons += [f"{r.get('Account')} {r.get('Region')}: {r.get('StatusReason', r.get('Status'))}"
                    for r in page.get("Summaries", []) if r.get("Status") != "SUCCEEDED"]
    raise StackFailed(f"StackSet {request.name}: {what} ended {op['Status']}"
                      + (":\n" + "\n".join(f"    {r}" for r in reasons[:10]) if reasons else "")
                      + "\n(deploy again to retry: the accounts it did not reach stay OUTDATED and are updated then)")


def _wait_for_running(cfn, request: Request, poll: stacks.Poll, report) -> None:
    """Operations someone else started (an interrupted run, an automatic deployment): wait, whatever their outcome."""
    for page in cfn.get_paginator("list_stack_set_operations").paginate(StackSetName=request.name, CallAs=request.call_as):
        for op in page.get("Summaries", []):
            if op.get("Status") in ACTIVE:
                report(f"  waiting for operation {op['OperationId']} ({op.get('Action', '?')}) already running on the StackSet")
                _settle(cfn, request, op["OperationId"], poll)


def _start(cfn, request: Request, poll: stacks.Poll, report, call, **kwargs) -> str:
    """Start an operation; when another is in the way, wait for it and try again."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call(**kwargs)["OperationId"]
        except Exception as exc:
            if stacks.error_code(exc) != BUSY or attempt == ATTEMPTS:
                raise
            _wait_for_running(cfn, request, poll, report)
    raise AssertionError("unreachable")  # pragma: no cover


def list_instances(cfn, request: Request) -> list[dict]:
    found = []
    for page in cfn.get_paginator("list_stack_instances").paginate(StackSetName=request.name, CallAs=request.call_as):
        found += page.get("Summaries", [])
    return found


def same_template(current: dict, request: Request) -> bool:
    body = current.get("TemplateBody")
    try:
        return json.loads(body) == request.template if isinstance(body, str) else body == request.template
    except ValueError:
        return False


def _where(instance: dict) -> str:
    return f"{instance.get('Account')} {instance.get('Region')}"


def deploy(cfn, request: Request, poll: stacks.Poll, report=print) -> str:
    """Create or update the StackSet and its instances; return what happened (created, updated, unchanged)."""
    try:
        return _deploy(cfn, request, poll, report)
    except StackFailed:
        raise
    except Exception as exc:
        raise StackFailed(f"StackSet {request.name}: {stacks.error_code(exc)}: {stacks.error_message(exc)}") from None


def _deploy(cfn, request: Request, poll: stacks.Poll, report) -> str:
    current = describe(cfn, request)
    instances: list[dict] = []
    if current is None:
        cfn.create_stack_set(StackSetName=request.name, TemplateURL=request.template_url,
                             Capabilities=list(request.capabilities), PermissionModel="SERVICE_MANAGED",
                             AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False},
                             CallAs=request.call_as,
                             Description="Workload prerequisites of the Service Catalog toolkit")
        outcome = "created"
    else:
        _wait_for_running(cfn, request, poll, report)
        instances = list_instances(cfn, request)
        inoperable = [i for i in instances if i.get("Status") == "INOPERABLE"]
        if inoperable:
            raise StackFailed(f"StackSet {request.name} has INOPERABLE stack instances, which CloudFormation no longer updates "
                              "(a failed deletion left them so); a person has to resolve them:\n"
                              + "\n".join(f"    {_where(i)}: {i.get('StatusReason', 'no reason given')}" for i in inoperable[:10]))
        behind = [i for i in instances if i.get("Status") == "OUTDATED"]
        changed = not same_template(current, request) or sorted(current.get("Capabilities", [])) != sorted(request.capabilities)
        outcome = "unchanged"
        if changed or behind:
            why = "in every account it reaches" if changed else (
                f"again: {len(behind)} stack instance(s) OUTDATED ({', '.join(_where(i) for i in behind[:5])}"
                + (", …" if len(behind) > 5 else "") + ")")
            report(f"  updating StackSet {request.name} {why}")
            op = _start(cfn, request, poll, report, cfn.update_stack_set, StackSetName=request.name,
                        TemplateURL=request.template_url, Capabilities=list(request.capabilities), CallAs=request.call_as)
            _wait(cfn, request, op, poll, "the update")
            outcome = "updated"
    targeted = {(i.get("OrganizationalUnitId"), i.get("Region")) for i in instances}
    for region in request.regions:
        missing = sorted(ou for ou in request.organizational_units if (ou, region) not in targeted)
        if not missing:
            continue
        report(f"  adding stack instances for {', '.join(missing)} in {region}")
        op = _start(cfn, request, poll, report, cfn.create_stack_instances, StackSetName=request.name,
                    DeploymentTargets={"OrganizationalUnitIds": missing}, Regions=[region], CallAs=request.call_as,
                    OperationPreferences={"FailureTolerancePercentage": 0, "MaxConcurrentPercentage": 25})
        _wait(cfn, request, op, poll, "creating stack instances")
        outcome = "created" if outcome == "created" else "updated"
    return outcome
