"""Sufficiency of trust: every role can be assumed by the service that acts through it.

A role whose policies allow everything it needs is still of no use when
its trust policy does not admit the service that assumes it: Service
Catalog for a launch role (Administrator Guide, "AWS Service Catalog launch
constraints": the role's trust names servicecatalog.amazonaws.com),
CodePipeline for a pipeline's role, CodeBuild for a project's service
role, EventBridge for a rule target's role, Lambda for a function's
execution role, ECS for a task's roles, CloudFormation for a stack's
service role (each service's guide, "service role"). A trust policy is a
resource policy: only it can admit a service principal (IAM User Guide,
"Policy evaluation logic").

Which of ``aws:SourceAccount`` and ``aws:SourceArn`` a service puts into the
request is documented for some services only (the "confused deputy"
pages), so a trust must admit the service both ways: with the keys present
(the role's own account, and the resource the role serves when the gate
knows its ARN) and with them absent.
"""

from __future__ import annotations

from .access import check
from .finding import Finding
from .handlers import ROLE_PROPERTIES, values_at
from .policy import Request

GATE = "sufficiency"
CODE = "SUF-TRUST"
LAUNCH = "servicecatalog.amazonaws.com"
STACK_ROLE = "cloudformation.amazonaws.com"
# Services whose aws:SourceArn, when they assume a role, is the resource the role serves (their "confused deputy
# prevention" pages: the pipeline, the build project, the rule). For the others it is not published: absent.
SOURCE_IS_RESOURCE = ("codebuild.amazonaws.com", "codepipeline.amazonaws.com", "events.amazonaws.com")


def _uses(ctx):
    """(role ARN, service principal, aws:SourceArn or "") for every role a service assumes."""
    model = ctx.model
    for d in model.deployments:
        if d.via.startswith("Service Catalog"):
            yield d.role_arn, LAUNCH, ""
        else:
            yield d.role_arn, STACK_ROLE, ""
    for stack in model.stacks:
        for type_name, (paths, service) in sorted(ROLE_PROPERTIES.items()):
            for lid in stack.of_type(type_name):
                props = stack.props(lid) or {}
                source = stack.arn(lid) if service in SOURCE_IS_RESOURCE else ""
                for role in sorted({str(r) for p in paths for r in values_at(props, p)}):
                    yield role, service, source


def run(ctx) -> list[Finding]:
    out: list[Finding] = []
    seen = set()
    for use in _uses(ctx):
        role_arn, service, source = use
        role = ctx.model.role(role_arn)
        if role is None or use in seen:
            continue  # a role the build does not define is its owner's to trust correctly
        seen.add(use)
        account = role.principal.account
        present = (("aws:SourceAccount", account),) + ((("aws:SourceArn", source),) if source else ())
        absent = (("aws:SourceAccount", None), ("aws:SourceArn", None))
        for context, how in ((present, "with aws:SourceAccount and aws:SourceArn"), (absent, "without them")):
            req = Request(f"service:{service}", "sts:AssumeRole", role_arn, context)
            reason = check(None, req, list(role.principal.trust))
            if reason:
                out.append(Finding(role.stack.path, role.lid, GATE, CODE,
                                   f"{service} cannot assume {role_arn} {how}: {reason}", role=role_arn,
                                   action="sts:AssumeRole", arn=role_arn, need=f"{service} acting through the role",
                                   line=role.stack.line(role.lid)))
                break
    return out
