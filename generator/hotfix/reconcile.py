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

from ..core.exceptions import RetryableError
from ..core.model import Catalogue
from . import providers
from .decide import MANAGED_BY, plan, tag_value
from .decisions import Reconcile
from .provisioning import account_products


class Unlisted(RetryableError):
    """Repositories whose branches could not be listed: the others were repaired, these were left alone."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = dict(sorted(reasons.items()))
        super().__init__("branches not listed, so not reconciled: " +
                         "; ".join(f"'{name}': {why}" for name, why in self.reasons.items()))


def live_branches(clients, cat: Catalogue, budget=None, unlisted: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """repository -> {branch: head commit} for branches that start with the repository's prefix.

    A repository that cannot be listed is never read as empty, which would
    make every pipeline of its branches look orphaned: it fails the call, or,
    with ``unlisted``, is left out and recorded there (repository -> why), so
    that one provider's outage or revoked token does not stop the repair of
    the other repositories.
    """
    out: dict[str, dict[str, str]] = {}
    for repo in cat.hotfix.repositories if cat.hotfix else ():
        try:
            out[repo.name] = providers.for_repository(repo, clients, budget).list_branches(repo.matches)
        except Exception as exc:
            if unlisted is None:
                raise
            unlisted[repo.name] = f"{type(exc).__name__}: {exc}"[:500]
    return out


def managed_products(sc) -> list[dict]:
    """Provisioned products tagged as managed by this toolkit, with their tags.

    Account level: the reconciler's role only reads (its policy allows
    SearchProvisionedProducts with servicecatalog:accountLevel self); every
    repair goes to the lifecycle Lambda, whose role reaches only what it
    launched.
    """
    return [p for p in account_products(sc) if p["tags"].get("managed-by") == MANAGED_BY]


def reconcile_plan(clients, cat: Catalogue, delivery: str = "", budget=None,
                   unlisted: dict[str, str] | None = None) -> Reconcile:
    """The repairs; with ``unlisted``, those of the repositories that could be listed, and the products of the
    others left out of the comparison (they are neither launched nor terminated)."""
    live = live_branches(clients, cat, budget, unlisted)
    skipped = {tag_value(name) for name in unlisted or ()}
    products = [p for p in managed_products(clients.servicecatalog) if p["tags"].get("repository") not in skipped]
    return plan(cat, live, products, delivery)
