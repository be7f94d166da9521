"""Pipelines keep their artifacts in the home region, so they deploy there too."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/pipeline-region"


def check(cat, ctx):
    if not cat.hotfix:
        return
    for account in cat.accounts:
        if account.role != "tools" and account.region != cat.region:
            yield Finding(account.path + ("region",),
                f"account '{account.role}' (line {ctx.line(account.path)}) is in region {account.region}, but the "
                f"hotfix pipelines keep their artifacts in the home region {cat.region} and deploy there only")
