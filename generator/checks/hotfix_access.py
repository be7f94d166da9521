"""Only the automation launches hotfix products: no principal may reach them."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/hotfix-access"


def check(cat, ctx):
    line = ctx.line
    if not cat.hotfix:
        return
    reported = set()
    for repo in cat.hotfix.repositories:
        for pf in cat.portfolios:
            grants = pf.name == repo.portfolio or repo.product in pf.products
            if not grants or not pf.principals or pf.name in reported:
                continue
            reported.add(pf.name)
            why = "is the hotfix portfolio" if pf.name == repo.portfolio else f"contains hotfix product '{repo.product}'"
            yield Finding(pf.path + ("principals",),
                f"portfolio '{pf.name}' (line {line(pf.path)}) {why} of hotfix repository '{repo.name}' (line {line(repo.path)}) "
                f"and must list no principals: only the branch-lifecycle Lambda may launch hotfix pipelines", at_key=True)
