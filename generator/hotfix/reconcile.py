"""The scheduled repair: compare live branches with provisioned products, fix the difference.

CodeCommit delivers branch events best effort, and GitHub, GitLab and
Bitbucket webhooks are lost when the endpoint is down or a delivery fails;
a lost creation leaves a branch without a pipeline, a lost deletion leaves a
pipeline without a branch. Each run reads both sides (the branches through
each repository's provider, all pages) and hands every repair to the
lifecycle Lambda (the only role that may launch the hotfix product), which
decides and executes it on the same path as a branch event.
"""

from __future__ import annotations

from ..core.model import Catalogue
from . import providers
from .decide import MANAGED_BY, plan
from .decisions import Reconcile
from .provisioning import account_products


def live_branches(clients, cat: Catalogue, budget=None) -> dict[str, dict[str, str]]:
    """repository -> {branch: head commit} for branches that start with the repository's prefix.

    A repository that cannot be listed fails the run: reading it as empty
    would make every pipeline of its branches look orphaned.
    """
    out: dict[str, dict[str, str]] = {}
    for repo in cat.hotfix.repositories if cat.hotfix else ():
        out[repo.name] = providers.for_repository(repo, clients, budget).list_branches(repo.matches)
    return out


def managed_products(sc) -> list[dict]:
    """Provisioned products tagged as managed by this toolkit, with their tags.

    Account level: the reconciler's role only reads (its policy allows
    SearchProvisionedProducts with servicecatalog:accountLevel self); every
    repair goes to the lifecycle Lambda, whose role reaches only what it
    launched.
    """
    return [p for p in account_products(sc) if p["tags"].get("managed-by") == MANAGED_BY]


def reconcile_plan(clients, cat: Catalogue, delivery: str = "", budget=None) -> Reconcile:
    return plan(cat, live_branches(clients, cat, budget), managed_products(clients.servicecatalog), delivery)
