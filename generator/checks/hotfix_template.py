"""The automation fills the built-in hotfix pipeline's parameters; another template would refuse them."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/hotfix-template"


def check(cat, ctx):
    if not cat.hotfix:
        return
    seen = set()
    for repo in cat.hotfix.repositories:
        product = cat.product(repo.product)
        if product is None or product.name in seen:
            continue
        seen.add(product.name)
        for version in product.active_versions():
            if (version.template.kind, version.template.value) != ("builtin", "hotfix-pipeline"):
                yield Finding(version.template.path,
                    f"product '{product.name}' version '{version.name}' (line {ctx.line(version.path)}) is launched by hotfix "
                    f"repository '{repo.name}' (line {ctx.line(repo.path)}), so it must use 'builtin: hotfix-pipeline', "
                    f"whose parameters the automation fills; mark other versions 'active: false'")
