"""The workload prerequisites as one service-managed StackSet across organizational units.

The way a team with hundreds of accounts deploys the same stack everywhere:
the tools account (a delegated administrator of the organization, or the
management account itself with call_as SELF) creates the StackSet with
automatic deployment, so an account that joins an organizational unit gets
the stack too; then stack instances for the organizational units, and it
waits on each operation with DescribeStackSetOperation (CloudFormation API
reference: CreateStackSet, CreateStackInstances with DeploymentTargets
OrganizationalUnitIds, UpdateStackSet, DescribeStackSetOperation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import stacks
from .errors import StackFailed

DONE = {"SUCCEEDED"}
FAILED = {"FAILED", "STOPPED"}


@dataclass(frozen=True)
class Request:
    name: str
    template_url: str
    template: dict
    capabilities: tuple[str, ...]
    organizational_units: tuple[str, ...]
    regions: tuple[str, ...]
    call_as: str


def _describe(cfn, request: Request) -> dict | None:
    try:
        return cfn.describe_stack_set(StackSetName=request.name, CallAs=request.call_as)["StackSet"]
    except Exception as exc:
        if stacks.error_code(exc) == "StackSetNotFoundException":
            return None
        raise


def _wait(cfn, request: Request, operation_id: str, poll: stacks.Poll, what: str) -> None:
    for delay in poll.delays():
        op = cfn.describe_stack_set_operation(StackSetName=request.name, OperationId=operation_id,
                                              CallAs=request.call_as)["StackSetOperation"]
        if op["Status"] in DONE:
            return
        if op["Status"] in FAILED:
            reasons = []
            for page in cfn.get_paginator("list_stack_set_operation_results").paginate(
                    StackSetName=request.name, OperationId=operation_id, CallAs=request.call_as):
                reasons += [f"{r.get('Account')} {r.get('Region')}: {r.get('StatusReason', r.get('Status'))}"
                            for r in page.get("Summaries", []) if r.get("Status") != "SUCCEEDED"]
            raise StackFailed(f"StackSet {request.name}: {what} ended {op['Status']}"
                              + (":\n" + "\n".join(f"    {r}" for r in reasons[:10]) if reasons else ""))
        poll.sleep(delay)


def _targeted_units(cfn, request: Request) -> set[str]:
    units = set()
    for page in cfn.get_paginator("list_stack_instances").paginate(StackSetName=request.name, CallAs=request.call_as):
        units |= {i["OrganizationalUnitId"] for i in page.get("Summaries", []) if i.get("OrganizationalUnitId")}
    return units


def _same_template(current: dict, request: Request) -> bool:
    body = current.get("TemplateBody")
    try:
        return json.loads(body) == request.template if isinstance(body, str) else body == request.template
    except ValueError:
        return False


def deploy(cfn, request: Request, poll: stacks.Poll, report=print) -> str:
    """Create or update the StackSet and its instances; return what happened (created, updated, unchanged)."""
    targets = {"OrganizationalUnitIds": list(request.organizational_units)}
    current = _describe(cfn, request)
    outcome = "unchanged"
    try:
        if current is None:
            cfn.create_stack_set(StackSetName=request.name, TemplateURL=request.template_url,
                                 Capabilities=list(request.capabilities), PermissionModel="SERVICE_MANAGED",
                                 AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False},
                                 CallAs=request.call_as,
                                 Description="Workload prerequisites of the Service Catalog toolkit")
            outcome = "created"
        elif not _same_template(current, request) or sorted(current.get("Capabilities", [])) != sorted(request.capabilities):
            report(f"  updating StackSet {request.name} in every account it reaches")
            op = cfn.update_stack_set(StackSetName=request.name, TemplateURL=request.template_url,
                                      Capabilities=list(request.capabilities), CallAs=request.call_as)
            _wait(cfn, request, op["OperationId"], poll, "the update")
            outcome = "updated"
        missing = sorted(set(request.organizational_units) - (_targeted_units(cfn, request) if current else set()))
        if missing:
            report(f"  adding stack instances for {', '.join(missing)} in {', '.join(request.regions)}")
            op = cfn.create_stack_instances(StackSetName=request.name, DeploymentTargets={**targets, "OrganizationalUnitIds": missing},
                                            Regions=list(request.regions), CallAs=request.call_as,
                                            OperationPreferences={"FailureTolerancePercentage": 0, "MaxConcurrentPercentage": 25})
            _wait(cfn, request, op["OperationId"], poll, "creating stack instances")
            outcome = "created" if outcome == "created" else "updated"
    except StackFailed:
        raise
    except Exception as exc:
        raise StackFailed(f"StackSet {request.name}: {stacks.error_code(exc)}: {stacks.error_message(exc)}") from None
    return outcome
