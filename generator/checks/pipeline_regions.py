"""Pipelines keep their artifacts in the home region, so they deploy there too.

The built-in pipeline templates deploy in the region they run in, whichever
catalogue provisions them (a published template never names a region).
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/pipeline-region"


def check(cat, ctx):
    builtin = any(v.template.kind == "builtin" for p in cat.products for v in p.versions)
    if not (cat.hotfix or builtin):
        return
    for account in cat.accounts:
        if account.role != "tools" and account.region != cat.region:
            yield Finding(account.path + ("region",),
                f"account '{account.role}' (line {ctx.line(account.path)}) is in region {account.region}, but the "
                f"pipelines keep their artifacts in the home region {cat.region} and deploy there only")
