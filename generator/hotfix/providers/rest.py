"""What GitHub, GitLab and Bitbucket share: the token, the branch checks, and pull requests exactly once.

"Exactly once per (source, commit, destination)", without the client
request token CodeCommit takes:

1. an open pull request from the source into the destination is reused,
   whoever opened it and for whichever commit (it follows the branch);
2. otherwise one this toolkit opened for this very request (its
   description's last line names the request's token, which includes the
   commit) is reused, merged or closed: a retry of the same run opens
   nothing new, while a new commit after a merge opens a new one;
3. otherwise it is created; when the provider refuses it because the
   destination already holds every commit of the source (a hotfix branch
   just cut from it), there is nothing to merge into that destination
   (NOTHING_TO_MERGE), which is no failure. A create the provider refuses (409, 422) or
   whose answer is lost is looked up again before it fails the run: all
   three providers refuse or fold a second open pull request for the same
   branches (GitHub 422 "A pull request already exists", GitLab 409
   "Another open merge request already exists for this source branch",
   Bitbucket updates the open one), so a retry never duplicates one.

Every listing is filtered again here on the fields the provider returns,
because a filter the server ignores (GitLab once ignored source_branch,
gitlab-org/gitlab#5130) must not make another pull request count.
"""

from __future__ import annotations

import base64

from . import secrets, texts
from .base import NOTHING_TO_MERGE, Provider, ProviderConfigurationError, ProviderError, Refused, Uncertain, Unreadable
from .http import Api, Budget


class RestProvider(Provider, Api):
    label = ""
    default_api = ""
    id_shape = "owner/name"
    nested_ids = False  # GitLab's group/subgroup/project

    def __init__(self, repo, clients, budget: Budget):
        self.repo, self.clients = repo, clients
        parts = repo.full_repository_id.split("/")
        if not all(parts) or len(parts) < 2 or (len(parts) > 2 and not self.nested_ids):
            raise ProviderConfigurationError(f"repository '{repo.name}': full_repository_id "
                                             f"{repo.full_repository_id!r} is not a {self.label} id ({self.id_shape})")
        if not repo.api_token:
            raise ProviderConfigurationError(f"repository '{repo.name}' on {self.label} names no api_token secret: "
                                             "branches and pull requests are read with it")
        self.use_api(repo.api_url or self.default_api, budget)

    def auth_headers(self, refresh: bool) -> dict[str, str]:
        return self.token_headers(secrets.api_token(self.clients, self.repo.api_token, refresh, self.budget.remaining()))

    def token_headers(self, credentials: secrets.Credentials) -> dict[str, str]:
        """A bearer token; with a username, HTTP Basic (Bitbucket API tokens; GitHub accepts it too)."""
        if credentials.username:
            pair = f"{credentials.username}:{credentials.token}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {"Authorization": f"Bearer {credentials.token}"}

    # --- branches ----------------------------------------------------------------------------------------------

    def branch_names(self) -> list[str]:
        return sorted(self.list_branches())

    def list_branches(self, wanted=None) -> dict[str, str]:
        heads = self.all_branches()
        return {name: heads[name] for name in sorted(heads) if wanted is None or wanted(name)}

    def branch_head(self, branch: str) -> str | None:
        """None only when the provider answers that the branch is missing from a repository it shows: a 404
        for the repository itself (deleted, renamed, or no longer visible to the token) is an error, so that
        a token that lost its access never makes a live branch's pipeline look orphaned."""
        head = self.one_branch(branch)
        if head is None:
            self.repository_visible()
        return head

    # --- pull requests -----------------------------------------------------------------------------------------

    def open_pull_requests(self, source_branch: str, commit: str, targets, pipeline: str = "") -> dict[str, str]:
        return {t.destination: self.pull_request_for(source_branch, commit, t, pipeline) for t in targets}

    def pull_request_for(self, source: str, commit: str, target, pipeline: str) -> str:
        destination, request = target.destination, target.idempotency_token
        found = self.existing(source, destination, request)
        if found:
            return found
        try:
            return self.create_pull_request(source, destination, texts.title(source, destination),
                                            texts.description(pipeline, source, commit, destination, request))
        except ProviderError as exc:
            if self.nothing_to_merge(exc):
                return NOTHING_TO_MERGE
            if not isinstance(exc, (Refused, Uncertain)):
                raise
            found = self.existing(source, destination, request)
            if found:
                return found
            raise

    def existing(self, source: str, destination: str, request: str) -> str | None:
        """An open pull request from source into destination, else the one opened for ``request`` in any state."""
        return earliest(self.pull_requests(source, destination, True)) or earliest(
            p for p in self.pull_requests(source, destination, False) if texts.carries(p[1], request))

    # Shared by the providers' endpoints.

    def listed(self, path: str, query: dict, next_url, what: str):
        """Every item of a listing whose pages are JSON arrays (GitHub, GitLab)."""
        for page in self.api_pages(path, query, next_url):
            if not isinstance(page, list):
                raise shape_error(self.label, what)
            yield from page

    def found(self, path: str, missing=lambda error: True):
        """The JSON at ``path``, or None when the provider answers a 404 that ``missing(error)`` reads as "this
        is not there"; any other 404 (a repository hidden from the token) is raised."""
        try:
            return self.api_get(path).json(self.label)
        except ProviderError as exc:
            if exc.status == 404 and missing(exc):
                return None
            raise

    def created(self, path: str, body: dict, key: str) -> str:
        """POST ``body`` to create a pull request; its number from the answer's ``key``. A 2xx answer that does not
        say what was created (not JSON, too big, no number: a proxy's page, a cut body) is Uncertain like a lost
        one, since the pull request may well exist: the caller looks it up again."""
        try:
            doc = self.api_post(path, body).json(self.label)
            return str(number(self.label, doc.get(key) if isinstance(doc, dict) else None))
        except Unreadable as exc:
            raise Uncertain(f"{exc}; the create may or may not have been carried out") from None

    # What each provider implements: its endpoints and the shapes of its answers.

    def all_branches(self) -> dict[str, str]:
        raise NotImplementedError

    def one_branch(self, branch: str) -> str | None:
        raise NotImplementedError

    def repository_visible(self) -> None:
        """Returns when the repository answers; raises the provider's error otherwise."""
        raise NotImplementedError

    def pull_requests(self, source: str, destination: str, open_ones: bool):
        """(number, description) of the pull requests from ``source`` into ``destination``: open ones, or the
        merged, closed and declined ones."""
        raise NotImplementedError

    def create_pull_request(self, source: str, destination: str, title: str, description: str) -> str:
        raise NotImplementedError

    def nothing_to_merge(self, error: ProviderError) -> bool:
        """Whether a refused create says the destination already holds every commit of the source."""
        return False


def earliest(found) -> str | None:
    """The first opened (lowest number) of the matches: the same answer on every run."""
    numbers = sorted(number for number, _ in found)
    return str(numbers[0]) if numbers else None


def shape_error(label: str, what: str) -> ProviderError:
    return Unreadable(f"{label} answered {what} in a shape this toolkit does not know")


def number(label: str, value) -> int:
    """A pull request's number as the provider gives it: an integer, never a bool."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise shape_error(label, f"a pull request number {value!r}")
    return value


def text(label: str, doc, *keys: str) -> str:
    """The string at ``doc[k1][k2]...``, or a ProviderError naming what was missing."""
    for key in keys:
        doc = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(doc, str):
        raise shape_error(label, f"no string at {'.'.join(keys)}")
    return doc
