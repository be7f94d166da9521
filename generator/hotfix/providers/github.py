"""GitHub and GitHub Enterprise Server, through the REST API (version 2022-11-28).

GitHub REST API reference:
- branches: GET /repos/{owner}/{repo}/branches, per_page at most 100, pages
  linked by the ``link`` header's rel="next" ("Using pagination in the REST API");
- a branch's head: GET /repos/{owner}/{repo}/git/ref/heads/{branch}, "If the
  :ref doesn't match an existing ref, a 404 is returned" (Git references, "Get
  a reference"); exact, unlike the plural refs endpoint that matches prefixes;
- the repository: GET /repos/{owner}/{repo}, 404 when it is missing or the
  token may not see it;
- pull requests: GET /repos/{owner}/{repo}/pulls with state (open, closed,
  all), head ("user:ref-name" or "organization:ref-name"), base; POST with
  title, head, base, body answers 201, or 422 "Validation Failed" (among
  others "A pull request already exists for owner:branch", "No commits
  between ...");
- rate limits ("Rate limits for the REST API", "Exceeding the rate limit"):
  403 or 429; wait ``retry-after`` seconds when it is present, else until
  ``x-ratelimit-reset`` (UTC epoch seconds) when ``x-ratelimit-remaining`` is
  0, else at least one minute.
GitHub Enterprise Server's API is at https://HOST/api/v3 (``api_url``).
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import quote

from .http import Response, link_next, reset_in, retry_after
from .rest import RestProvider, number, shape_error, text

API_VERSION = "2022-11-28"
SECONDARY_WAIT = 60.0  # "Otherwise, wait for at least one minute before retrying"


class GitHub(RestProvider):
    label = "GitHub"
    default_api = "https://api.github.com"
    extra_headers: ClassVar[dict[str, str]] = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}

    def __init__(self, repo, clients, budget):
        super().__init__(repo, clients, budget)
        self.owner, self.name = repo.full_repository_id.split("/")
        self.path = f"/repos/{quote(self.owner, safe='')}/{quote(self.name, safe='')}"

    def rate_limited(self, r: Response) -> bool:
        if r.status == 429:
            return True
        # A 403 is a rate limit only when it says so; otherwise the token may not do this.
        return r.status == 403 and (r.headers.get("x-ratelimit-remaining") == "0" or "retry-after" in r.headers
                                    or b"rate limit" in r.body.lower())

    def rate_limit_wait(self, r: Response, now: float) -> float | None:
        wait = retry_after(r, now)
        if wait is None and r.headers.get("x-ratelimit-remaining") == "0":
            wait = reset_in(r, "x-ratelimit-reset", now)
        return SECONDARY_WAIT if wait is None else wait

    def all_branches(self) -> dict[str, str]:
        return {text(self.label, item, "name"): text(self.label, item, "commit", "sha")
                for item in self.listed(f"{self.path}/branches", {"per_page": "100"}, link_next, "the branch list")}

    def one_branch(self, branch: str) -> str | None:
        doc = self.found(f"{self.path}/git/ref/heads/{quote(branch, safe='/')}")
        if doc is None:
            return None
        if text(self.label, doc, "ref") != f"refs/heads/{branch}":
            raise shape_error(self.label, f"another reference than refs/heads/{branch}")
        return text(self.label, doc, "object", "sha")

    def repository_visible(self) -> None:
        self.api_get(self.path)

    def pull_requests(self, source: str, destination: str, open_ones: bool):
        state = "open" if open_ones else "closed"
        query = {"state": state, "head": f"{self.owner}:{source}", "base": destination, "per_page": "100"}
        for pr in self.listed(f"{self.path}/pulls", query, link_next, "the pull request list"):
            head_repo = (pr.get("head") or {}).get("repo") if isinstance(pr, dict) else None
            if text(self.label, pr, "head", "ref") == source and text(self.label, pr, "base", "ref") == destination \
                    and pr.get("state") == state and isinstance(head_repo, dict) \
                    and str(head_repo.get("full_name", "")).lower() == self.repo.full_repository_id.lower():
                yield number(self.label, pr.get("number")), pr.get("body")

    def nothing_to_merge(self, error) -> bool:
        # Reported behaviour, not in the reference: 422 "Validation Failed" with the error {"resource": "PullRequest",
        # "code": "custom", "message": "No commits between main and hotfix-a"} (cyberark/dev-flow#42,
        # octokit/octokit.js#1070, tgymnich/fork-sync#112).
        return error.status == 422 and "No commits between" in error.said

    def create_pull_request(self, source: str, destination: str, title: str, description: str) -> str:
        return self.created(f"{self.path}/pulls", {"title": title, "head": source, "base": destination,
                                                   "body": description}, "number")
