"""Every name used as a reference resolves to an entry of the right kind."""

from __future__ import annotations

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/unresolved-reference"


def check(cat, ctx):
    line = ctx.line
    products = {p.name for p in cat.products}
    principals = {p.name for p in cat.principals}
    tag_keys = {t.key for t in cat.tag_options}
    roles = {a.role for a in cat.accounts}

    def missing(owner, owner_path, what, name, path, defined):
        if name not in defined:
            return Finding(path, f"{owner} (line {line(owner_path)}) {what} '{name}', which is not defined")
        return None

    found = []
    for pf in cat.portfolios:
        owner = f"portfolio '{pf.name}'"
        for i, name in indexed(pf.products):
            found.append(missing(owner, pf.path, "lists product", name, pf.path + ("products", i), products))
        for i, name in indexed(pf.principals):
            found.append(missing(owner, pf.path, "grants principal", name, pf.path + ("principals", i), principals))
        for i, key in indexed(pf.tag_options):
            found.append(missing(owner, pf.path, "uses tag option", key, pf.path + ("tag_options", i), tag_keys))
        for i, ref in indexed(pf.share.accounts):
            if not ref.isdigit():
                found.append(missing(owner, pf.path, "is shared with account", ref, pf.path + ("share", "accounts", i), roles))
        listed = set(pf.products)  # a set: a portfolio may list thousands, each constraint asks
        for c in pf.constraints:
            if c.product not in listed:
                found.append(Finding(c.path + ("product",),
                    f"constraint on product '{c.product}' (line {line(c.path)}) is in portfolio '{pf.name}' (line {line(pf.path)}), which does not list that product"))
            if c.stack_set:
                for i, ref in indexed(c.stack_set.accounts):
                    if not ref.isdigit():
                        found.append(missing(f"stack set constraint on '{c.product}'", c.path, "targets account", ref,
                                             c.path + ("stack_set", "accounts", i), roles))
    for product in cat.products:
        for i, key in indexed(product.tag_options):
            found.append(missing(f"product '{product.name}'", product.path, "uses tag option", key, product.path + ("tag_options", i), tag_keys))
    if cat.hotfix:
        for i, name in indexed(cat.hotfix.developers):
            found.append(missing("hotfix", cat.hotfix.path, "names developer principal", name, ("hotfix", "developers", i), principals))
        for repo in cat.hotfix.repositories:
            owner = f"hotfix repository '{repo.name}'"
            found.append(missing(owner, repo.path, "provisions product", repo.product, repo.path + ("product",), products))
            portfolio = cat.portfolio(repo.portfolio)
            if portfolio is None:
                found.append(missing(owner, repo.path, "uses portfolio", repo.portfolio, repo.path + ("portfolio",), set()))
            elif repo.product in products and repo.product not in portfolio.products:
                found.append(Finding(repo.path + ("product",),
                    f"{owner} (line {line(repo.path)}) provisions product '{repo.product}' from portfolio '{portfolio.name}' (line {line(portfolio.path)}), which does not list it"))
            for i, name in indexed(repo.approvers):
                found.append(missing(owner, repo.path, "names approver", name, repo.path + ("approvers", i), principals))
    yield from (f for f in found if f is not None)
