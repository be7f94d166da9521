"""A product that a hotfix pipeline provisions needs an active version to launch."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/no-active-version"


def check(cat, ctx):
    line = ctx.line
    if not cat.hotfix:
        return
    for repo in cat.hotfix.repositories:
        product = cat.product(repo.product)
        if product is not None and not product.active_versions():
            yield Finding(repo.path + ("product",),
                f"hotfix repository '{repo.name}' (line {line(repo.path)}) provisions product '{product.name}' (line {line(product.path)}), "
                f"which has no active version")
