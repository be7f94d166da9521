"""Whether a hotfix branch exists now, asked of its provider when a decision is carried out.

Branch events arrive late, twice and out of order, and the reconciler acts on
a listing minutes old. So the lifecycle Lambda treats every request as a
hint: it launches a pipeline only for a branch that exists when it runs, and
terminates one only when no live branch owns it. ``branches`` is the
repository's provider (generator/hotfix/providers): CodeCommit, or GitHub,
GitLab or Bitbucket through their REST APIs.
"""

from __future__ import annotations

from ..core.model import Catalogue
from ..core.naming import provisioned_product_name
from .providers import Provider, RepositoryGone


def branch_exists(branches: Provider, branch: str) -> bool:
    return branches.branch_head(branch) is not None


def live_owner(branches: Provider, cat: Catalogue, repository: str, product_name: str, branch_hint: str) -> str | None:
    """The live branch whose provisioned product is ``product_name``, or None.

    ``branch_hint`` is the branch the request names. When it derives the
    product's name it is the branch exactly, and one branch check answers. A
    reconciler request names the branch as the product's tag holds it, which
    may be cleaned (``tag_value``); then every live branch of the repository
    is compared by the name it derives. A repository its provider says is
    gone (CodeCommit) has no live branch.
    """
    if provisioned_product_name(cat.stack_prefix, repository, branch_hint) == product_name:
        return branch_hint if branch_exists(branches, branch_hint) else None
    repo = cat.repository(repository)
    try:
        names = branches.branch_names()
    except RepositoryGone:
        return None
    for branch in names:
        if repo is not None and repo.matches(branch) and \
                provisioned_product_name(cat.stack_prefix, repository, branch) == product_name:
            return branch
    return None
