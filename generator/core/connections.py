"""The connections the tools stack creates (``create_connection: true``), and how their ARNs reach a launch.

One connection per provider and owner (the first part of
``full_repository_id``: a GitHub account or organisation, a GitLab top-level
group, a Bitbucket workspace), because a connection is one installation of
the provider's app or one authorisation (Developer Tools console User Guide,
"Connections"): repositories of one owner share it, and a person completes
each once. Its ARN exists only once CloudFormation has created it, so the
compiled config cannot hold it: the lifecycle Lambda reads it from an
environment variable the automation stack sets from the tools stack's
export, and ``with_arns`` puts it where a configured ``connection_arn``
would be. Standard library only: the Lambdas import it.
"""

from __future__ import annotations

import dataclasses
import re

from .model import Catalogue, HotfixRepository
from .naming import digest

NAME_LENGTH = 32  # CodeConnections CreateConnection: ConnectionName, 1 to 32 characters
KEY_LENGTH = 10
ENV_PREFIX = "CONNECTION_ARN_"


def owner(repo: HotfixRepository) -> str:
    return repo.full_repository_id.split("/", 1)[0]


def key(repo: HotfixRepository) -> str:
    """The connection a created-connection repository uses, by provider and owner. Owners are compared without case,
    as the providers compare them (GitHub and Bitbucket ignore it; GitLab refuses a path that differs from another
    only by case)."""
    return digest((repo.provider, owner(repo).lower()), KEY_LENGTH)


def created(cat: Catalogue) -> dict[str, HotfixRepository]:
    """Connection key -> the first repository (by name) that asks the tools stack to create it."""
    out: dict[str, HotfixRepository] = {}
    repos = cat.hotfix.repositories if cat.hotfix else ()
    for repo in sorted(repos, key=lambda r: r.name):
        if repo.create_connection:
            out.setdefault(key(repo), repo)
    return dict(sorted(out.items()))


def connection_name(prefix: str, repo: HotfixRepository) -> str:
    """``{prefix}-{provider}-{owner}-{hash}`` in CodeConnections' 32 characters: readable, and unique per connection
    however owners clean or cut (``a.b`` and ``a_b`` are two GitLab groups)."""
    tail = key(repo)[:6]
    readable = re.sub(r"[^a-z0-9-]+", "-", f"{prefix}-{repo.provider}-{owner(repo).lower()}").strip("-")
    return readable[: NAME_LENGTH - len(tail) - 1].rstrip("-") + "-" + tail


def env_var(connection_key: str) -> str:
    """The lifecycle Lambda's environment variable holding a created connection's ARN."""
    return ENV_PREFIX + connection_key.upper()


def with_arns(cat: Catalogue, lookup) -> Catalogue:
    """The catalogue with each created connection's ARN, ``lookup(key)``, where ``connection_arn`` would be."""
    if not cat.hotfix or not any(r.create_connection for r in cat.hotfix.repositories):
        return cat
    repos = tuple(dataclasses.replace(r, connection_arn=lookup(key(r))) if r.create_connection else r
                  for r in cat.hotfix.repositories)
    return dataclasses.replace(cat, hotfix=dataclasses.replace(cat.hotfix, repositories=repos))


def from_environment(cat: Catalogue, environ) -> Catalogue:
    """What the lifecycle Lambda launches with: the ARNs the automation stack put in its environment."""
    return with_arns(cat, lambda k: environ.get(env_var(k), ""))


def placeholders(cat: Catalogue) -> Catalogue:
    """What offline commands show for a created connection's ARN: where to find it once the tools stack stands."""
    names = {key(r): connection_name(cat.stack_prefix, r) for r in (cat.hotfix.repositories if cat.hotfix else ())}
    return with_arns(cat, lambda k: f"<deploy-time: the ARN of connection {names[k]}, output Connection{k}Arn of "
                                    "the tools prerequisites stack>")
