"""Least privilege over every policy document of every template.

- No wildcard in an Allow's actions: neither "*", a service-wide ``s3:*``
  nor a partial ``kms:GenerateDataKey*``.
- Resource "*" only for the actions AWS authorises only on "*"
  (``resourceless.STAR_ONLY``, or ``STAR_WITH_CONDITION`` with its
  condition), and then with the reason in the role's metadata. Key policies
  are the exception the service defines: there "*" means the key itself.
- Everyone (Principal "*") only in Deny statements.
- Trust in a whole account only narrowed to role names (aws:PrincipalArn).
- iam:PassRole never on "*" and always limited by iam:PassedToService.
- No privilege escalation through IAM (IAM User Guide, "Permissions
  boundaries for IAM entities"): a statement that lets a role create roles,
  put or attach policies or set boundaries must require the boundary
  (iam:PermissionsBoundary), and nothing may delete a boundary.
- No role that runs a build (trusted by CodeBuild, whose buildspec the
  developers write) may be admitted by another role's trust policy.
- No trust that lets a service assume a role on behalf of another account:
  a service principal is admitted only for the role's own account
  (``aws:SourceAccount``; IAM User Guide, "The confused deputy problem",
  "Cross-service confused deputy prevention").
"""

from __future__ import annotations

import json
import re

from .finding import Finding
from .policy import Request, evaluate, listify, statements_of
from .resourceless import star_allowed
from .templates import parse, resource_lines

GATE = "least-privilege"
ESCALATION = ("iam:AttachRolePolicy", "iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy")
NEVER = ("iam:DeleteRolePermissionsBoundary",)


def documents(template: dict):
    """(logical id, resource type, kind, policy document) for every policy in a template."""
    for lid, res in (template.get("Resources") or {}).items():
        props, kind = res.get("Properties", {}) or {}, res.get("Type", "")
        if kind == "AWS::IAM::Role":
            yield lid, kind, "trust", props.get("AssumeRolePolicyDocument")
            for p in props.get("Policies", []) or []:
                yield lid, kind, "identity", p.get("PolicyDocument")
        elif kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            yield lid, kind, "identity", props.get("PolicyDocument")
        elif kind in ("AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"):
            yield lid, kind, "resource", props.get("PolicyDocument")
        elif kind == "AWS::KMS::Key":
            yield lid, kind, "key", props.get("KeyPolicy")
        elif kind == "AWS::ECR::Repository" and "RepositoryPolicyText" in props:
            yield lid, kind, "resource", props["RepositoryPolicyText"]


def templates(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: b for p, b in sorted(files.items())
            if p.startswith(("stacks/", "products/")) and p.endswith((".json", ".yaml", ".yml", ".template"))}


def _actions(stmt) -> list[str]:
    return [a for a in listify(stmt.get("Action")) if isinstance(a, str)]


def _principals(stmt) -> list:
    p = stmt.get("Principal", {})
    if p == "*":
        return ["*"]
    return [v for values in (p.values() if isinstance(p, dict) else []) for v in listify(values)]


def _condition_keys(stmt) -> set[str]:
    return {k for ops in (stmt.get("Condition") or {}).values() if isinstance(ops, dict) for k in ops}


def statement_findings(path: str, lid: str, kind: str, stmt: dict, line: int) -> list[Finding]:
    out = []

    def add(code, message, action=""):
        out.append(Finding(path, lid, GATE, code, message, action=action, line=line))

    allow = stmt.get("Effect") == "Allow"
    if allow:
        for action in _actions(stmt):
            if "*" in action or "?" in action:
                # A partial wildcard grants what AWS adds under the prefix later (issue 10 item 13:
                # kms:GenerateDataKey* is also GenerateDataKeyPair and its variants).
                add("LP-ACTION", f"{kind} policy allows {action}: name the actions", action)
        if kind != "key" and "*" in listify(stmt.get("Resource")) and not star_allowed(stmt):
            wide = [a for a in _actions(stmt) if not star_allowed({**stmt, "Action": [a]})]
            add("LP-STAR", f"{kind} policy allows {', '.join(wide)} on '*', which AWS lets you narrow", ",".join(wide))
        if "*" in _principals(stmt):
            add("LP-EVERYONE", f"{kind} policy allows everyone (Principal '*')")
        if "iam:PassRole" in _actions(stmt):
            if "*" in listify(stmt.get("Resource")):
                add("LP-PASSROLE", "iam:PassRole on '*'", "iam:PassRole")
            if "iam:PassedToService" not in _condition_keys(stmt):
                add("LP-PASSROLE", "iam:PassRole without an iam:PassedToService condition", "iam:PassRole")
        for action in _actions(stmt):
            if action in ESCALATION and "iam:PermissionsBoundary" not in _condition_keys(stmt):
                add("LP-ESCALATION", f"{action} without an iam:PermissionsBoundary condition lets the role grant itself more "
                                     "through the roles it creates", action)
            if action in NEVER:
                add("LP-ESCALATION", f"{action} lets the role lift the permissions boundary of the roles it manages", action)
    if kind == "trust" and allow:
        for principal in _principals(stmt):
            if isinstance(principal, str) and principal.endswith(":root") and "aws:PrincipalArn" not in _condition_keys(stmt):
                add("LP-ROOT-TRUST", f"trusts {principal} without a role-name condition (aws:PrincipalArn)")
    return out


def _metadata(path: str, lid: str, res: dict, line: int) -> list[Finding]:
    star = sorted({a for p in (res.get("Properties") or {}).get("Policies", []) or []
                   for s in statements_of(p.get("PolicyDocument")) if listify(s.get("Resource")) == ["*"] for a in _actions(s)})
    meta = (res.get("Metadata") or {}).get("StarResource", {})
    if star and not (meta.get("Actions") == star and all(a in str(meta.get("Reason", "")) for a in star)):
        return [Finding(path, lid, GATE, "LP-REASON", f"actions on '*' ({', '.join(star)}) without their reasons in "
                                                      "Metadata.StarResource", line=line)]
    return []


def _may_allow(verdict) -> bool:
    """Whether the request might be allowed: an Allow whose condition the gate cannot decide counts here."""
    return verdict.decision != "deny" and bool(verdict.allowed_by or verdict.unproven)


def _build_role_trust(ctx) -> list[Finding]:
    """Trust policies that admit a build role (fault: deploy roles trusting every ``{prefix}-pl-*`` role)."""
    out = []
    builders = [r for r in ctx.model.roles.values() if "codebuild.amazonaws.com" in r.service]
    for role in ctx.model.roles.values():
        trust = list(role.principal.trust)
        admitted = sorted(b.principal.arn for b in builders if b is not role and _may_allow(evaluate(
            trust, Request(b.principal.arn, "sts:AssumeRole", role.principal.arn), resource_policy=True)))
        if admitted:
            s = role.stack
            out.append(Finding(s.path, role.lid, GATE, "LP-TRUST-BUILD",
                               f"role {role.principal.arn} trusts {admitted[0]}" + (f" and {len(admitted) - 1} more" if len(admitted) > 1 else "")
                               + ", CodeBuild roles that run developer-written buildspecs: trust only the roles that need it",
                               role=role.principal.arn, action="sts:AssumeRole", arn=admitted[0], line=s.line(role.lid)))
    return out


def _deputy_trust(ctx) -> list[Finding]:
    """Trust policies that admit a service acting for another account (the cross-service confused deputy)."""
    out = []
    known = {a.id for a in ctx.catalogue.accounts} if ctx.catalogue else set()
    for role in ctx.model.roles.values():
        own = role.principal.account
        # Another account: every one the trust or the config names (a list that admits a sibling account), two that
        # differ from the own account in the last or the first digit (a wildcard such as "1*" or "*111" matches one of
        # them), and two far from it (a StringNotEquals on one number admits those).
        written = set(re.findall(r"(?<![0-9])[0-9]{12}(?![0-9])", json.dumps(list(role.principal.trust), default=str)))
        near = set()
        if re.fullmatch(r"[0-9]{12}", own or ""):
            near = {own[:-1] + ("0" if own[-1] != "0" else "1"), ("0" if own[0] != "0" else "1") + own[1:]}
        others = sorted((known | written | near | {"000000000000", "999999999999"}) - {own})
        for service in role.service:
            if any(_may_allow(evaluate(list(role.principal.trust), Request(
                    f"service:{service}", "sts:AssumeRole", role.principal.arn, (("aws:SourceAccount", other),)),
                    resource_policy=True)) for other in others):
                s = role.stack
                out.append(Finding(s.path, role.lid, GATE, "LP-TRUST-DEPUTY",
                                   f"role {role.principal.arn} lets {service} assume it on behalf of another account: "
                                   "condition the trust on aws:SourceAccount (StringEqualsIfExists where the service "
                                   "does not document that it sets the key)",
                                   role=role.principal.arn, action="sts:AssumeRole", arn=role.principal.arn,
                                   line=s.line(role.lid)))
    return out


def run(ctx) -> list[Finding]:
    out: list[Finding] = []
    for path, body in templates(ctx.files).items():
        try:
            template = parse(body, path)
        except (ValueError, json.JSONDecodeError):
            continue  # cfn-lint reports templates that do not parse
        lines = resource_lines(body)
        for lid, _, kind, doc in documents(template):
            if not isinstance(doc, dict):
                continue
            for stmt in statements_of(doc):
                out += statement_findings(path, lid, kind, stmt, lines.get(lid, 1))
        for lid, res in (template.get("Resources") or {}).items():
            if isinstance(res, dict) and res.get("Type") == "AWS::IAM::Role":
                out += _metadata(path, lid, res, lines.get(lid, 1))
    return out + _build_role_trust(ctx) + _deputy_trust(ctx)
