"""The scheduled repair: compare live branches with provisioned products, fix the difference.

CodeCommit delivers branch events best effort; a lost creation leaves a
branch without a pipeline, a lost deletion leaves a pipeline without a
branch. Each run reads both sides and hands every repair to the lifecycle Lambda
(the only role that may launch the hotfix product), which decides and
executes it on the same path as a branch event.
"""

from __future__ import annotations

from ..core.model import Catalogue
from .decide import MANAGED_BY, plan
from .decisions import Reconcile
from .provisioning import account_products


def live_branches(cc, cat: Catalogue) -> dict[str, dict[str, str]]:
    """repository -> {branch: head commit} for branches that start with the repository's prefix."""
    out: dict[str, dict[str, str]] = {}
    for repo in cat.hotfix.repositories if cat.hotfix else ():
        names = []
        for page in cc.get_paginator("list_branches").paginate(repositoryName=repo.name):
            names += [b for b in page.get("branches", []) if repo.matches(b)]
        out[repo.name] = {}
        for name in sorted(names):
            branch = cc.get_branch(repositoryName=repo.name, branchName=name)["branch"]
            out[repo.name][name] = branch.get("commitId", "")
    return out


def managed_products(sc) -> list[dict]:
    """Provisioned products tagged as managed by this toolkit, with their tags.

    Account level: the reconciler's role only reads (its policy allows
    SearchProvisionedProducts with servicecatalog:accountLevel self); every
    repair goes to the lifecycle Lambda, whose role reaches only what it
    launched.
    """
    return [p for p in account_products(sc) if p["tags"].get("managed-by") == MANAGED_BY]


def reconcile_plan(clients, cat: Catalogue, delivery: str = "") -> Reconcile:
    return plan(cat, live_branches(clients.codecommit, cat), managed_products(clients.servicecatalog), delivery)
