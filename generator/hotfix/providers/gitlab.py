"""GitLab (gitlab.com or self-managed) through the REST API v4.

GitLab documentation:
- the project is addressed by its URL-encoded path, "/" as %2F (REST API,
  "Namespaced paths"), and so is a branch in a path ("File path, branches,
  and tags name");
- branches: GET /projects/:id/repository/branches; a branch: GET
  /projects/:id/repository/branches/:branch (Branches API);
- the project: GET /projects/:id;
- merge requests: GET /projects/:id/merge_requests with state (opened,
  closed, locked, merged; all when absent), source_branch, target_branch;
  POST with source_branch, target_branch, title, description (at most
  1,048,576 characters) creates one; a second open one for the same source
  branch is refused with 409 "Another open merge request already exists
  for this source branch"; one with no changes is created (GitLab.com shows
  merge requests with 0 commits and 0 changes, e.g. gitlab-com/create-stage/
  code-review-ai-experiment-playground!12), so GitLab never says "nothing to
  merge". Merge requests are numbered per project by
  ``iid``, which is what people and every other endpoint use ("id vs iid");
- pages: per_page at most 100; the ``Link`` header's rel="next", and
  ``x-next-page`` ("Pagination"); GitLab.com may leave some pagination
  headers out, so either is followed;
- rate limits: 429, with ``Retry-After`` and ``RateLimit-Reset`` (UTC epoch
  seconds) when the instance sends them (Rate limits; several GitLab issues
  report 429s without them, then the backoff applies);
- authentication: the ``PRIVATE-TOKEN`` header (personal, project or group
  access tokens).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .base import ProviderConfigurationError
from .http import Response, link_next, reset_in, retry_after
from .rest import RestProvider, number, shape_error, text


def next_page(r: Response, _doc=None) -> str | None:
    following = link_next(r)
    page = r.headers.get("x-next-page", "").strip()
    if following or not page.isdigit():
        return following
    parts = urlsplit(r.url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"] + [("page", page)]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


BRANCH_NOT_FOUND = "404 Branch Not Found"


class GitLab(RestProvider):
    label = "GitLab"
    default_api = "https://gitlab.com/api/v4"
    id_shape = "group/project, or group/subgroup/.../project"
    nested_ids = True

    def __init__(self, repo, clients, budget):
        super().__init__(repo, clients, budget)
        self.path = f"/projects/{quote(repo.full_repository_id, safe='')}"

    def token_headers(self, credentials) -> dict[str, str]:
        if credentials.username:
            raise ProviderConfigurationError(f"the API token secret '{self.repo.api_token}' names a username; GitLab "
                                             "takes the token alone")
        return {"PRIVATE-TOKEN": credentials.token}

    def rate_limit_wait(self, r: Response, now: float) -> float | None:
        wait = retry_after(r, now)
        return reset_in(r, "ratelimit-reset", now) if wait is None else wait

    def all_branches(self) -> dict[str, str]:
        return {text(self.label, item, "name"): text(self.label, item, "commit", "id")
                for item in self.listed(f"{self.path}/repository/branches", {"per_page": "100"}, next_page, "the branch list")}

    def one_branch(self, branch: str) -> str | None:
        # Only GitLab's own "404 Branch Not Found" (find_branch!, lib/api/branches.rb) says the branch is missing: the
        # same endpoint answers "404 Repository Not Found" when the project shows but its repository is hidden from
        # the token or disabled (require_repository_enabled!), and a bare 404 for a project without a repository
        # (rescue NoRepository -> not_found!), while GET /projects/:id still answers 200.
        doc = self.found(f"{self.path}/repository/branches/{quote(branch, safe='')}",
                         lambda error: error.said == BRANCH_NOT_FOUND)
        if doc is None:
            return None
        if text(self.label, doc, "name") != branch:
            raise shape_error(self.label, f"another branch than {branch}")
        return text(self.label, doc, "commit", "id")

    def repository_visible(self) -> None:
        self.api_get(self.path)

    def pull_requests(self, source: str, destination: str, open_ones: bool):
        query = {"source_branch": source, "target_branch": destination, "per_page": "100",
                 **({"state": "opened"} if open_ones else {})}
        for mr in self.listed(f"{self.path}/merge_requests", query, next_page, "the merge request list"):
            is_open = isinstance(mr, dict) and mr.get("state") == "opened"
            # A merge request from a fork has another source project, whatever its branch is called.
            if text(self.label, mr, "source_branch") == source and text(self.label, mr, "target_branch") == destination \
                    and is_open == open_ones and mr.get("source_project_id") == mr.get("target_project_id"):
                yield number(self.label, mr.get("iid")), mr.get("description")

    def create_pull_request(self, source: str, destination: str, title: str, description: str) -> str:
        return self.created(f"{self.path}/merge_requests", {"source_branch": source, "target_branch": destination,
                                                             "title": title, "description": description}, "iid")
