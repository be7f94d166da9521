"""Only the lifecycle Lambda launches the hotfix pipeline: no other way in.

The hotfix portfolio's only principal is the Lambda's role, and it carries
the generated template constraint. Any other way to the product or its
template would let someone launch a pipeline that deploys to production
with neither: a share of the hotfix portfolio (the other account grants its
own principals), the hotfix product in a second portfolio (whose principals,
shares and missing constraints are the platform team's to forget), or the
built-in hotfix template in a product no hotfix repository owns (no
guardrail denies launching it).
"""

from __future__ import annotations

from ..core import sources
from .finding import Finding

CODE = "semantic/hotfix-reach"

_WHY = "only the branch-lifecycle Lambda may launch hotfix pipelines"


def check(cat, ctx):
    line = ctx.line
    repos = cat.hotfix.repositories if cat.hotfix else ()
    hotfix_products = {r.product for r in repos}
    # Where each hotfix product belongs: its repositories' portfolios that list it
    # (a repository whose portfolio does not list it is reported by references.py).
    homes: dict[str, set[str]] = {}
    for r in repos:
        pf = cat.portfolio(r.portfolio)
        if pf is not None and r.product in pf.products:
            homes.setdefault(r.product, set()).add(pf.name)
    for pf in cat.portfolios:
        if any(pf.name in names for names in homes.values()) and (pf.share.accounts or pf.share.organizational_units):
            yield Finding(pf.share.path, f"portfolio '{pf.name}' (line {line(pf.path)}) holds the hotfix pipeline product "
                                         f"and is shared with other accounts, whose administrators may grant it to anyone: "
                                         f"{_WHY}; remove the share", at_key=True)
        for i, product in enumerate(pf.products):
            if product in homes and pf.name not in homes[product]:
                yield Finding(pf.path + ("products", i),
                    f"portfolio '{pf.name}' (line {line(pf.path)}) lists hotfix product '{product}', which belongs only in "
                    f"portfolio {', '.join(repr(h) for h in sorted(homes[product]))}: in a second portfolio its principals, "
                    f"shares and constraints would be another way to launch it; {_WHY}")
    if any(cat.product(name) is None for name in hotfix_products):
        return  # references.py reports the misnamed product; which one was meant is unknown
    for product in cat.products:
        if product.name in hotfix_products:
            continue
        for version in product.versions:
            if version.template.kind == "builtin" and version.template.value in sources.HOTFIX.values():
                yield Finding(version.template.path,
                    f"product '{product.name}' version '{version.name}' (line {line(version.path)}) uses the built-in "
                    f"hotfix pipeline, but no hotfix repository provisions product '{product.name}', so no guardrail "
                    f"keeps people from launching it: {_WHY}; name it in a hotfix repository or use another template")
