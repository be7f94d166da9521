"""GitHub, GitLab and Bitbucket repositories: what each needs, in the shape its provider and AWS accept.

A repository of another provider than CodeCommit is read through an AWS
CodeConnections connection, signals its branches through a webhook and is
asked about branches and pull requests through its REST API: it needs the
provider's id of the repository, a connection (an existing one, or one the
tools stack creates), and the names of the two Secrets Manager secrets.
CodeCommit repositories take none of these, and the toolkit creates only
CodeCommit repositories.

Shapes of ``full_repository_id``: GitHub ``owner/name`` (an owner is
letters, digits and single inner hyphens, at most 39; a repository name
letters, digits, ``.``, ``_``, ``-``, at most 100, not ``.`` or ``..``:
GitHub Docs, "About repositories" and "Creating an account"); GitLab the
full path ``group/subgroup/project`` (every segment starts and ends with a
letter or digit, holds letters, digits, ``_``, ``.``, ``-`` with no two
special characters in a row, and does not end in ``.git`` or ``.atom``:
GitLab Docs, "Reserved project and group names", rules for slugs);
Bitbucket Cloud ``workspace/repo-slug``, lower-case (workspace ids and
repository slugs are lower-case letters, digits, ``-``, ``_``, and ``.`` in
slugs: the toolkit's reading of Bitbucket's REST API reference, which
addresses repositories as /repositories/{workspace}/{repo_slug}). A
repository is configured once per provider, ids compared without case
(GitHub and Bitbucket ignore it; GitLab refuses a path that differs from
another only by case).

The CodeStarSourceConnection action is not offered in every region
(CodePipeline User Guide, CodeStarSourceConnection action reference: not
in Hong Kong, Hyderabad, Jakarta, Melbourne, Osaka, Cape Town, Bahrain,
UAE, Spain, Zurich, Tel Aviv, GovCloud), nor are Lambda function URLs, the
webhook endpoint (Lambda Developer Guide, "Invoking Lambda function URLs":
not in Hyderabad, Melbourne, Malaysia, New Zealand, Thailand, Taipei,
Calgary, Spain, Zurich, Tel Aviv, UAE).
"""

from __future__ import annotations

import re

from ..core import sources
from .finding import Finding

CODE = "semantic/repository-provider"

ONLY_CONNECTED = ("full_repository_id", "connection_arn", "webhook_secret", "api_token", "api_url")
REQUIRED = ("full_repository_id", "webhook_secret", "api_token")

_GITHUB = re.compile(r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})/(?P<name>[A-Za-z0-9._-]{1,100})")
_GITLAB_SEGMENT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*")
_BITBUCKET = re.compile(r"[a-z0-9][a-z0-9_-]{0,61}/[a-z0-9_.-]{1,128}")

NO_SOURCE_CONNECTION = {"ap-east-1": "Hong Kong", "ap-south-2": "Hyderabad", "ap-southeast-3": "Jakarta",
                        "ap-southeast-4": "Melbourne", "ap-northeast-3": "Osaka", "af-south-1": "Cape Town",
                        "me-south-1": "Bahrain", "me-central-1": "UAE", "eu-south-2": "Spain", "eu-central-2": "Zurich",
                        "il-central-1": "Tel Aviv"}
NO_FUNCTION_URLS = {"ap-south-2": "Hyderabad", "ap-southeast-4": "Melbourne", "ap-southeast-5": "Malaysia",
                    "ap-southeast-6": "New Zealand", "ap-southeast-7": "Thailand", "ap-east-2": "Taipei",
                    "ca-west-1": "Calgary", "eu-south-2": "Spain", "eu-central-2": "Zurich", "il-central-1": "Tel Aviv",
                    "me-central-1": "UAE"}


def shape_problem(provider: str, full_id: str) -> str | None:
    """Why ``full_id`` is not a repository id of ``provider``, or None."""
    if provider == "github":
        m = _GITHUB.fullmatch(full_id)
        if not m:
            return "a GitHub id is owner/name: an owner of letters, digits and single inner hyphens (at most 39), a " \
                   "name of letters, digits, '.', '_' and '-' (at most 100)"
        if m.group("name") in (".", ".."):
            return "a GitHub repository cannot be named '.' or '..'"
        return None
    if provider == "gitlab":
        segments = full_id.split("/")
        if len(segments) < 2:
            return "a GitLab id is the project's full path, group/project or group/subgroup/project"
        for segment in segments:
            if not _GITLAB_SEGMENT.fullmatch(segment) or segment.endswith((".git", ".atom")):
                return f"'{segment}' is not a GitLab path: letters, digits, '_', '.', '-', starting and ending with a " \
                       "letter or digit, no two special characters in a row, not ending in .git or .atom"
        return None
    if provider == "bitbucket" and not _BITBUCKET.fullmatch(full_id):
        return "a Bitbucket id is workspace/repo-slug, lower-case: a workspace of letters, digits, '-' and '_', a " \
               "slug of letters, digits, '-', '_' and '.'"
    return None


def _canonical(full_id: str) -> str:
    # GitHub and Bitbucket look repositories up regardless of case, and GitLab refuses a path that differs from
    # another only by case.
    return full_id.lower()


def check(cat, ctx):
    if not cat.hotfix:
        return
    tools = cat.account("tools")
    seen: dict[tuple[str, str], object] = {}
    for repo in cat.hotfix.repositories:
        where = ctx.where(f"hotfix repository '{repo.name}'", repo.path)
        if not sources.uses_connection(repo):
            for key in ONLY_CONNECTED:
                if getattr(repo, key):
                    yield Finding(repo.path + (key,), f"{where} is a CodeCommit repository: '{key}' is only for GitHub, "
                                                       "GitLab and Bitbucket repositories (set 'provider')", at_key=True)
            if repo.create_connection:
                yield Finding(repo.path + ("create_connection",), f"{where} is a CodeCommit repository, which needs no "
                                                                  "connection (set 'provider' for another provider)", at_key=True)
            continue
        yield from _connected(cat, ctx, repo, where, tools, seen)
    if any(sources.uses_connection(r) for r in cat.hotfix.repositories):
        for what, regions in (("the CodeStarSourceConnection source action", NO_SOURCE_CONNECTION),
                              ("Lambda function URLs (the webhook endpoint)", NO_FUNCTION_URLS)):
            if cat.region in regions:
                yield Finding(("region",), f"region {cat.region} ({regions[cat.region]}) does not offer {what}, which "
                                           "GitHub, GitLab and Bitbucket repositories need: keep them in a catalogue of "
                                           "another home region")


def _connected(cat, ctx, repo, where, tools, seen: dict):
    title = sources.TITLE[repo.provider]
    at = repo.path + ("provider",)
    if repo.create:
        yield Finding(repo.path + ("create",), f"{where} is a {title} repository: the toolkit creates CodeCommit "
                                               "repositories only; remove 'create'", at_key=True)
    for key in REQUIRED:
        if not getattr(repo, key):
            yield Finding(at, f"{where} is a {title} repository and needs '{key}'")
    if repo.connection_arn and repo.create_connection:
        yield Finding(repo.path + ("create_connection",), f"{where} names a connection (connection_arn) and asks for a "
                                                          "new one (create_connection): choose one", at_key=True)
    elif not repo.connection_arn and not repo.create_connection:
        yield Finding(at, f"{where} is a {title} repository and needs a connection: 'connection_arn' of an existing "
                          "CodeConnections connection, or 'create_connection: true'")
    if repo.api_url and repo.provider == "bitbucket":
        yield Finding(repo.path + ("api_url",), f"{where} is on Bitbucket Cloud, whose API has one address; CodeConnections "
                                                "does not reach Bitbucket Server or Data Center", at_key=True)
    elif repo.api_url and repo.create_connection:
        yield Finding(repo.path + ("create_connection",),
                      f"{where} is on a {title} server of your own (api_url): its connection needs a CodeConnections host "
                      "for that server, which the toolkit does not create; create the host and the connection, then set "
                      "connection_arn", at_key=True)
    if repo.api_url:
        from ..hotfix.providers.http import base_url_problem  # the rule the Lambdas apply, said at validation

        problem = base_url_problem(repo.api_url)
        if problem:
            yield Finding(repo.path + ("api_url",), f"{where}: api_url '{repo.api_url}' {problem}")
    if repo.full_repository_id:
        problem = shape_problem(repo.provider, repo.full_repository_id)
        if problem:
            yield Finding(repo.path + ("full_repository_id",), f"{where}: full_repository_id "
                                                               f"'{repo.full_repository_id}' is not valid: {problem}")
        same = (repo.provider, _canonical(repo.full_repository_id))
        if same in seen:
            first = seen[same]
            yield Finding(repo.path + ("full_repository_id",),
                          f"{where} is {title} repository '{repo.full_repository_id}', already configured as "
                          f"'{first.name}' (line {ctx.line(first.path)}): every branch would get two pipelines")
        seen.setdefault(same, repo)
    if repo.connection_arn and tools is not None:
        _, _, _, region, account, _ = (repo.connection_arn.split(":", 5) + [""] * 6)[:6]
        if account != tools.id or region != cat.region:
            yield Finding(repo.path + ("connection_arn",),
                          f"{where} names connection {repo.connection_arn}, of account {account} in {region}, but its "
                          f"pipelines run in the tools account {tools.id} in {cat.region}: use a connection there")
