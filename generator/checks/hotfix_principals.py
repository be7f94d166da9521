"""Hotfix developers and approvers get managed policies attached: they must be
IAM roles, users or groups of the tools account, where the pipelines run."""

from __future__ import annotations

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/hotfix-principal"


def check(cat, ctx):
    if not cat.hotfix:
        return
    tools = cat.account("tools")
    uses = [("developer", name, ("hotfix", "developers", i), cat.hotfix.path) for i, name in indexed(cat.hotfix.developers)]
    for repo in cat.hotfix.repositories:
        uses += [("approver", name, repo.path + ("approvers", i), repo.path) for i, name in indexed(repo.approvers)]
    for role, name, path, owner in uses:
        principal = cat.principal(name)
        if principal is None or tools is None:
            continue  # references.py reports it
        if principal.type != "IAM" or f":iam::{tools.id}:" not in principal.arn:
            yield Finding(path, f"{role} '{name}' (line {ctx.line(owner)}) must be an IAM principal of the tools account "
                                f"{tools.id}, where the guardrail policies are attached; principal '{name}' (line "
                                f"{ctx.line(principal.path)}) is {principal.type} {principal.arn}")
