"""Bitbucket Cloud through the REST API 2.0.

Bitbucket Cloud REST API reference and documentation:
- branches: GET /repositories/{workspace}/{repo_slug}/refs/branches, with
  ``q`` to filter ("Filter and sort API objects"); each has ``name`` and
  ``target.hash``;
- the repository: GET /repositories/{workspace}/{repo_slug};
- pull requests: GET .../pullrequests with ``state`` (OPEN, MERGED, DECLINED,
  SUPERSEDED; repeatable, OPEN when absent) and ``q`` on
  ``source.branch.name`` and ``destination.branch.name``; POST with title,
  description, source.branch.name, destination.branch.name answers 201
  (posting again for the same open branches updates that pull request);
- pages: objects with ``values`` and, when there is one, ``next``, the full
  URL of the next page to follow as given; ``pagelen`` at most 100, less on
  some resources (50 on pull requests);
- rate limits: 429 ("API request limits"); no wait is published, so
  ``Retry-After`` is honoured when sent and the backoff applies otherwise;
- authentication: repository, project or workspace access tokens as
  ``Authorization: Bearer``; API tokens (and app passwords) with HTTP Basic,
  the secret's ``username`` and ``token``.
"""

from __future__ import annotations

from urllib.parse import quote

from .rest import RestProvider, number, shape_error, text

# Pull request listings refuse a pagelen above 50, under the 100 the general paging documentation allows
# (Bitbucket issue tracker, "pagelen wrongfully limited 50 for api 2.0", bitbucket.org/site/master/issues/9659).
PAGE = "50"
CLOSED_STATES = ["MERGED", "DECLINED", "SUPERSEDED"]


def next_link(_r, doc) -> str | None:
    following = doc.get("next") if isinstance(doc, dict) else None
    return following if isinstance(following, str) and following else None


def literal(value: str) -> str:
    """A string in Bitbucket's query language: double quotes, with '\\' and '"' escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Bitbucket(RestProvider):
    label = "Bitbucket"
    default_api = "https://api.bitbucket.org/2.0"
    id_shape = "workspace/repo-slug"

    def __init__(self, repo, clients, budget):
        super().__init__(repo, clients, budget)
        workspace, slug = repo.full_repository_id.split("/")
        self.path = f"/repositories/{quote(workspace, safe='')}/{quote(slug, safe='')}"

    def values(self, path: str, query: dict, what: str):
        for page in self.api_pages(path, query, next_link):
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise shape_error(self.label, what)
            yield from page["values"]

    def all_branches(self, query: dict | None = None) -> dict[str, str]:
        return {text(self.label, item, "name"): text(self.label, item, "target", "hash")
                for item in self.values(f"{self.path}/refs/branches", {"pagelen": "100", **(query or {})}, "the branch list")}

    def one_branch(self, branch: str) -> str | None:
        # A filtered listing rather than refs/branches/{name}: no document says how a '/' in the name is sent.
        return self.all_branches({"q": f"name = {literal(branch)}"}).get(branch)

    def repository_visible(self) -> None:
        self.api_get(self.path)

    def pull_requests(self, source: str, destination: str, open_ones: bool):
        states = ["OPEN"] if open_ones else CLOSED_STATES
        query = {"state": states, "pagelen": PAGE,
                 "q": f"source.branch.name = {literal(source)} AND destination.branch.name = {literal(destination)}"}
        for pr in self.values(f"{self.path}/pullrequests", query, "the pull request list"):
            source_repo = ((pr.get("source") or {}).get("repository") or {}) if isinstance(pr, dict) else {}
            if text(self.label, pr, "source", "branch", "name") == source \
                    and text(self.label, pr, "destination", "branch", "name") == destination \
                    and pr.get("state") in states \
                    and str(source_repo.get("full_name", self.repo.full_repository_id)).lower() == \
                    self.repo.full_repository_id.lower():
                yield number(self.label, pr.get("id")), pr.get("description")

    def nothing_to_merge(self, error) -> bool:
        # Reported behaviour, not in the reference: 400 "Bad Request" with the error message "There are no changes to
        # be pulled" (developerasun/myDocumentBox-tool#20, through CodeStream's Bitbucket Cloud integration).
        return error.status == 400 and "There are no changes to be pulled" in error.said

    def create_pull_request(self, source: str, destination: str, title: str, description: str) -> str:
        return self.created(f"{self.path}/pullrequests", {
            "title": title, "description": description, "close_source_branch": False,
            "source": {"branch": {"name": source}}, "destination": {"branch": {"name": destination}}}, "id")
