"""Where a configured repository lives, behind one interface: ``for_repository(repo, clients) -> Provider``.

CodeCommit through boto3 (``codecommit``); GitHub, GitLab and Bitbucket
Cloud through their REST APIs with a token from Secrets Manager (``rest``
and one module each). The lifecycle Lambda's branch checks, the
reconciler's listing and the pull-request Lambda all go through it, so
every provider gets the same guarantees. Standard library and boto3 only.
"""

from __future__ import annotations

from .base import NOTHING_TO_MERGE, Provider, ProviderConfigurationError, ProviderError, RepositoryGone
from .bitbucket import Bitbucket
from .codecommit import CodeCommit
from .github import GitHub
from .gitlab import GitLab
from .http import DEFAULT_BUDGET, Budget

KINDS = ("codecommit", "github", "gitlab", "bitbucket")

__all__ = ["KINDS", "NOTHING_TO_MERGE", "Budget", "Provider", "ProviderError", "RepositoryGone", "for_repository"]


def for_repository(repo, clients, budget: Budget | None = None) -> Provider:
    """``budget`` bounds the time of every HTTP request this provider makes (a default one when None)."""
    if repo is None:
        raise ProviderConfigurationError("the repository has no hotfix configuration")
    if repo.provider == "codecommit":
        return CodeCommit(repo, clients)
    budget = budget or Budget.seconds(DEFAULT_BUDGET)
    if repo.provider == "github":
        return GitHub(repo, clients, budget)
    if repo.provider == "gitlab":
        return GitLab(repo, clients, budget)
    if repo.provider == "bitbucket":
        return Bitbucket(repo, clients, budget)
    raise ProviderConfigurationError(f"repository '{repo.name}' names provider {repo.provider!r}; "
                                     f"known: {', '.join(KINDS)}")
