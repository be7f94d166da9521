"""Whether a hotfix branch exists now, asked of CodeCommit when a decision is carried out.

Branch events arrive late, twice and out of order, and the reconciler acts on
a listing minutes old. So the lifecycle Lambda treats every request as a
hint: it launches a pipeline only for a branch that exists when it runs, and
terminates one only when no live branch owns it.
"""

from __future__ import annotations

from ..core.model import Catalogue
from ..core.naming import provisioned_product_name
from .clients import error_code

# CodeCommit API reference, GetBranch and ListBranches errors: with the
# repository itself gone, so are its branches.
GONE = frozenset({"BranchDoesNotExistException", "RepositoryDoesNotExistException"})


def branch_exists(cc, repository: str, branch: str) -> bool:
    try:
        cc.get_branch(repositoryName=repository, branchName=branch)
    except Exception as exc:
        if error_code(exc) in GONE:
            return False
        raise
    return True


def live_owner(cc, cat: Catalogue, repository: str, product_name: str, branch_hint: str) -> str | None:
    """The live branch whose provisioned product is ``product_name``, or None.

    ``branch_hint`` is the branch the request names. When it derives the
    product's name it is the branch exactly, and one GetBranch answers. A
    reconciler request names the branch as the product's tag holds it, which
    may be cleaned (``tag_value``); then every live branch of the repository
    is compared by the name it derives.
    """
    if provisioned_product_name(cat.stack_prefix, repository, branch_hint) == product_name:
        return branch_hint if branch_exists(cc, repository, branch_hint) else None
    repo = cat.repository(repository)
    try:
        for page in cc.get_paginator("list_branches").paginate(repositoryName=repository):
            for branch in page.get("branches", []):
                if repo is not None and repo.matches(branch) and \
                        provisioned_product_name(cat.stack_prefix, repository, branch) == product_name:
                    return branch
    except Exception as exc:
        if error_code(exc) in GONE:
            return None
        raise
    return None
