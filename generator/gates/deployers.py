"""Sufficiency of the roles CloudFormation acts through: launch roles and CloudFormation execution roles.

For every resource of a template a role deploys, every permission of the
type's create, read, update, delete and list handlers (see ``handlers``)
must be allowed on the ARN the resource will have; a launch role also
needs what Service Catalog itself calls with it (AWS Service Catalog
Administrator Guide, "Step 6: Add a launch constraint to assign an IAM
role", and "AWS Service Catalog launch constraints": the CloudFormation
stack actions and reading the template from Service Catalog's bucket,
objects tagged ``servicecatalog:provisioning``).
"""

from __future__ import annotations

from . import handlers
from .access import check
from .finding import Finding
from .policy import Request

GATE = "sufficiency"
CODE = "SUF-CFN"

SERVICE_CATALOG_STACK_ACTIONS = ("cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
                                 "cloudformation:DescribeStacks", "cloudformation:GetTemplateSummary",
                                 "cloudformation:SetStackPolicy", "cloudformation:UpdateStack", "cloudformation:ValidateTemplate")
SERVICE_CATALOG_SOURCE = "Service Catalog launch (Administrator Guide, launch constraints: stack actions, template read)"

# Tag-on-create: the create call's tagging permission carries the creating API as a condition key
# (ECS Developer Guide, "Grant permission to tag resources on creation"; EC2 User Guide, "Grant permission
# to tag Amazon EC2 resources during creation").
CREATE_ACTION = {
    "AWS::EC2::SecurityGroup": ("ec2:CreateTags", "ec2:CreateAction", "CreateSecurityGroup"),
    "AWS::ECS::Cluster": ("ecs:TagResource", "ecs:CreateAction", "CreateCluster"),
    "AWS::ECS::Service": ("ecs:TagResource", "ecs:CreateAction", "CreateService"),
    "AWS::ECS::TaskDefinition": ("ecs:TagResource", "ecs:CreateAction", "RegisterTaskDefinition"),
}


def _tags(props: dict, stack_tags: dict) -> dict:
    tags = dict(stack_tags)
    raw = props.get("Tags")
    if isinstance(raw, list):
        tags.update({str(t.get("Key")): str(t.get("Value")) for t in raw if isinstance(t, dict)})
    elif isinstance(raw, dict):
        tags.update({str(k): str(v) for k, v in raw.items()})
    return tags


def _context(type_name: str, op: str, action: str, arn: str, own: str, props: dict, stack_tags: dict) -> tuple:
    ctx: dict = {}
    if arn == own:
        tags = _tags(props, stack_tags)
        ctx.update({f"aws:ResourceTag/{k}": v for k, v in tags.items()})
        if op == "create":
            ctx.update({f"aws:RequestTag/{k}": v for k, v in tags.items()})
            if tags:
                ctx["aws:TagKeys"] = tuple(sorted(tags))
    if type_name == "AWS::IAM::Role" and props.get("PermissionsBoundary"):
        ctx["iam:PermissionsBoundary"] = props["PermissionsBoundary"]
    if op == "create" and type_name in CREATE_ACTION and CREATE_ACTION[type_name][0] == action:
        ctx[CREATE_ACTION[type_name][1]] = CREATE_ACTION[type_name][2]
    return tuple(sorted(ctx.items()))


def resource_needs(stack, lid: str, stack_tags: dict | None = None) -> list[tuple[str, str, tuple, str]]:
    """(action, ARN, condition keys, why) for deploying one resource over its whole life cycle."""
    res = stack.resources[lid]
    type_name = res.get("Type", "")
    props = stack.props(lid)
    if props is None:
        return []
    own = stack.arn(lid) or f"arn:{stack.env.partition}:cloudformation:{stack.env.region}:{stack.env.account}:{lid}"
    merged: dict[tuple, list[str]] = {}
    for op, actions in sorted(handlers.permissions(type_name, stack.env.region).items()):
        for action in actions:
            if not handlers.needed(type_name, action, props):
                continue
            for arn, extra in handlers.targets(type_name, action, props, own, stack.env.account, stack.env.partition,
                                               stack.env.region):
                ctx = tuple(sorted({*extra, *_context(type_name, op, action, arn, own, props, stack_tags or {})}))
                merged.setdefault((handlers.spelled(action, arn), arn, ctx), []).append(op)
    return [(a, arn, ctx, f"{handlers.source(type_name)}: {', '.join(ops)}") for (a, arn, ctx), ops in sorted(merged.items())]


def _stack_needs(deployment) -> list[tuple[str, str, tuple, str]]:
    stack = deployment.stack
    env = stack.env
    if deployment.via.startswith("Service Catalog"):
        stack_arn = f"arn:{env.partition}:cloudformation:{env.region}:{env.account}:stack/{env.stack_name}/" \
                    "00000000-0000-4000-8000-000000000000"
        out = [(a, "*" if a in handlers.STAR_ONLY else stack_arn, (), SERVICE_CATALOG_SOURCE)
               for a in SERVICE_CATALOG_STACK_ACTIONS]
        template = f"arn:{env.partition}:s3:::sc-{env.account}-{env.region}-templates/{stack.path}"
        out.append(("s3:GetObject", template, (("s3:ExistingObjectTag/servicecatalog:provisioning", "true"),),
                    SERVICE_CATALOG_SOURCE))
        return out
    return []


def unmet(principal, stack, lid: str, needs) -> list[Finding]:
    out = []
    for action, arn, ctx, why in needs:
        reason = check(principal, Request(principal.arn, action, arn, ctx))
        if reason:
            out.append(Finding(stack.path, lid, GATE, CODE,
                               f"role {principal.arn} cannot {action} on {arn}, which {why} needs: {reason}",
                               role=principal.arn, action=action, arn=arn, need=why, line=stack.line(lid)))
    return out


def run(ctx) -> list[Finding]:
    model = ctx.model
    findings: list[Finding] = [Finding(file, "", GATE, "SUF-INPUT", f"{message}: its roles are not checked for it", severity="notice")
                               for file, message in model.problems]
    for d in model.deployments:
        role = model.role(d.role_arn)
        if role is None:
            continue  # a role the user brings (launch constraint with role_arn): not the toolkit's to prove
        principal = role.principal
        findings += unmet(principal, d.stack, "", _stack_needs(d))
        for lid in sorted(d.stack.resources):
            findings += unmet(principal, d.stack, lid, resource_needs(d.stack, lid, d.stack.tags))
    return findings
