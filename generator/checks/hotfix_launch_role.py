"""Without a launch constraint Service Catalog provisions with the caller's own rights,
and the lifecycle Lambda's role may create no pipeline: the hotfix product needs one."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/hotfix-launch-role"


def check(cat, ctx):
    if not cat.hotfix:
        return
    seen = set()
    for repo in cat.hotfix.repositories:
        portfolio = cat.portfolio(repo.portfolio)
        if portfolio is None or repo.product not in portfolio.products or (portfolio.name, repo.product) in seen:
            continue
        seen.add((portfolio.name, repo.product))
        if not any(c.kind == "launch" and c.product == repo.product for c in portfolio.constraints):
            yield Finding(portfolio.path + ("constraints",),
                f"portfolio '{portfolio.name}' (line {ctx.line(portfolio.path)}) has no launch constraint on product "
                f"'{repo.product}', which hotfix repository '{repo.name}' (line {ctx.line(repo.path)}) provisions: add one "
                f"with local_role_name so that the generated launch role creates the pipelines", at_key=True)
