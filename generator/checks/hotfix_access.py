"""Only the automation launches hotfix products: the hotfix portfolio grants no principal.

A hotfix product in any other portfolio is reported by hotfix_reach.py.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/hotfix-access"


def check(cat, ctx):
    line = ctx.line
    if not cat.hotfix:
        return
    reported = set()
    for repo in cat.hotfix.repositories:
        pf = cat.portfolio(repo.portfolio)
        if pf is None or not pf.principals or pf.name in reported:
            continue
        reported.add(pf.name)
        yield Finding(pf.path + ("principals",),
            f"portfolio '{pf.name}' (line {line(pf.path)}) is the hotfix portfolio of hotfix repository '{repo.name}' "
            f"(line {line(repo.path)}) and must list no principals: only the branch-lifecycle Lambda may launch hotfix "
            f"pipelines", at_key=True)
