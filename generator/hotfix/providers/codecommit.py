"""CodeCommit, through the boto3 client the function's ``Clients`` hold: what the toolkit always did.

CodeCommit API reference: ListBranches pages names (nextToken), GetBranch
gives a branch's commitId and answers BranchDoesNotExistException for a
branch that is not there, RepositoryDoesNotExistException once the
repository is gone (and with it every branch). Pull requests: open ones
are listed (ListPullRequests, pullRequestStatus OPEN) and read
(GetPullRequest); only the missing ones are created, with a
clientRequestToken of repository, source, destination and commit, so that
a retry of the same run is answered with the pull request it already
opened (CreatePullRequest, clientRequestToken).
"""

from __future__ import annotations

from ..clients import error_code
from . import texts
from .base import Provider, RepositoryGone


def _ref(branch: str) -> str:
    return branch if branch.startswith("refs/") else f"refs/heads/{branch}"


class CodeCommit(Provider):
    def __init__(self, repo, clients):
        self.repository, self.clients = repo.name, clients

    def branch_names(self) -> list[str]:
        cc = self.clients.codecommit
        names: list[str] = []
        try:
            for page in cc.get_paginator("list_branches").paginate(repositoryName=self.repository):
                names += page.get("branches", [])
        except Exception as exc:
            if error_code(exc) == "RepositoryDoesNotExistException":
                raise RepositoryGone(f"CodeCommit repository '{self.repository}' does not exist") from exc
            raise
        return names

    def list_branches(self, wanted=None) -> dict[str, str]:
        heads = {}
        for name in sorted(b for b in self.branch_names() if wanted is None or wanted(b)):
            head = self.branch_head(name)
            if head is not None:  # deleted between the listing and now
                heads[name] = head
        return heads

    def branch_head(self, branch: str) -> str | None:
        cc = self.clients.codecommit
        try:
            found = cc.get_branch(repositoryName=self.repository, branchName=branch)
        except Exception as exc:
            # Only BranchDoesNotExistException says the branch is missing. RepositoryDoesNotExistException (the
            # repository deleted or renamed, or this function in another Region) says nothing about the branch:
            # it is raised as RepositoryGone, for the caller to decide, never read as a deleted branch.
            if error_code(exc) == "BranchDoesNotExistException":
                return None
            if error_code(exc) == "RepositoryDoesNotExistException":
                raise RepositoryGone(f"CodeCommit repository '{self.repository}' does not exist") from exc
            raise
        return found.get("branch", {}).get("commitId", "")

    def open_pull_requests(self, source_branch: str, commit: str, targets, pipeline: str = "") -> dict[str, str]:
        cc = self.clients.codecommit
        wanted = {_ref(t.destination): t for t in targets}
        found: dict[str, str] = {}
        source = _ref(source_branch)
        paginator = cc.get_paginator("list_pull_requests")
        for page in paginator.paginate(repositoryName=self.repository, pullRequestStatus="OPEN"):
            for pr_id in page.get("pullRequestIds", []):
                pr = cc.get_pull_request(pullRequestId=pr_id)["pullRequest"]
                for target in pr.get("pullRequestTargets", []):
                    if (target.get("repositoryName") == self.repository and target.get("sourceReference") == source
                            and target.get("destinationReference") in wanted):
                        found.setdefault(wanted[target["destinationReference"]].destination, pr_id)
        for target in targets:
            if target.destination in found:
                continue
            response = cc.create_pull_request(
                title=texts.title(source_branch, target.destination),
                description=texts.description(pipeline, source_branch, commit, target.destination),
                targets=[{"repositoryName": self.repository, "sourceReference": source_branch,
                          "destinationReference": target.destination}],
                clientRequestToken=target.idempotency_token,
            )
            found[target.destination] = response["pullRequest"]["pullRequestId"]
        return {t.destination: found[t.destination] for t in targets}
