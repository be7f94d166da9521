"""Branches through GitHub, GitLab and Bitbucket: heads, absence, and what the lifecycle Lambda and reconciler make of them.

A branch is gone only when the provider shows the repository and not the
branch: a repository that answers 404 (deleted, renamed, or hidden from a
token that lost its access; GitHub and GitLab answer both alike) is an
error, so that a broken token can never make live branches' pipelines look
orphaned. Sources: GitHub REST API, Git references ("Get a reference": 404
for no such ref) and Repositories; GitLab Branches API (the branch
URL-encoded in the path); Bitbucket Cloud refs/branches with ``q``.
"""

from __future__ import annotations

import pytest

from generator.core.naming import provisioned_product_name
from generator.hotfix import liveness, reconcile
from generator.hotfix.clients import Clients
from generator.hotfix.decide import tag_value
from generator.hotfix.providers import for_repository
from generator.hotfix.providers.base import ProviderConfigurationError, ProviderError

from .fakeaws import World, client
from .hotfix_env import catalogue
from .provider_env import (
    FLAVOURS,
    FULL_IDS,
    SecretsManager,
    fresh_loopback,
    provider,
    provider_catalogue,
    repository_on,
)
from .provider_server import Answer

NAMES = {"main": "1" * 40, "hotfix-a": "2" * 40, "hotfix-a#1": "3" * 40, "hotfix-team/login": "4" * 40,
         "fix/ünï": "5" * 40, "hotfix-x.y": "6" * 40, "hotfix-" + "y" * 240: "7" * 40}

@pytest.fixture
def loopback(monkeypatch):
    return fresh_loopback(monkeypatch)



def seed(server, flavour):
    server.repo(flavour, FULL_IDS[flavour]).branches.update(NAMES)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("branch", sorted(NAMES))
def test_a_branch_head_is_found_whatever_its_name_holds(loopback, flavour, branch):
    # '#', '/', non-ASCII and long names travel encoded (GitLab: "If a branch contains a /, make sure it is
    # URL-encoded"; this server refuses an unencoded one as GitLab's router does).
    seed(loopback, flavour)
    branches, _ = provider(flavour, loopback)
    assert branches.branch_head(branch) == NAMES[branch]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_missing_branch_of_a_visible_repository_is_none(loopback, flavour):
    seed(loopback, flavour)
    branches, _ = provider(flavour, loopback)
    assert branches.branch_head("hotfix-gone") is None
    assert branches.branch_head("hotfix") is None  # a prefix of existing names is no branch (GitHub's plural refs matched prefixes)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("how", ["hidden", "deleted"])
def test_a_repository_the_provider_does_not_show_is_an_error_not_a_missing_branch(loopback, flavour, how):
    seed(loopback, flavour)
    if how == "hidden":
        loopback.hidden.add((flavour, FULL_IDS[flavour]))
    else:
        del loopback.repos[(flavour, FULL_IDS[flavour])]
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderConfigurationError, match="404"):
        branches.branch_head("hotfix-a")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_list_branches_asks_for_heads_only_of_the_wanted_ones(loopback, flavour):
    seed(loopback, flavour)
    branches, _ = provider(flavour, loopback)
    got = branches.list_branches(lambda b: b.startswith("hotfix-"))
    assert got == {k: v for k, v in NAMES.items() if k.startswith("hotfix-")}
    assert branches.branch_names() == sorted(NAMES)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_deleted_branch_whose_product_carries_a_cleaned_tag_is_found_by_its_name(loopback, flavour):
    # Tag values refuse '#': the product of "hotfix-a#1" carries "hotfix-a_1", so every live branch is compared by the
    # product name it derives (liveness.live_owner).
    cat = provider_catalogue(loopback)
    repo = repository_on(cat, flavour)
    branch = f"{repo.branch_prefix}a#1"
    remote = loopback.repo(flavour, FULL_IDS[flavour])
    remote.branches.update({branch: "a" * 40, f"{repo.branch_prefix}a_1": "b" * 40})
    branches, _ = provider(flavour, loopback, name=repo.name, branch_prefix=repo.branch_prefix)
    name = provisioned_product_name(cat.stack_prefix, repo.name, branch)
    assert liveness.live_owner(branches, cat, repo.name, name, tag_value(branch)) == branch
    remote.branches.pop(branch)
    assert liveness.live_owner(branches, cat, repo.name, name, tag_value(branch)) is None


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_lifecycle_check_of_a_branch_fails_rather_than_guess_when_the_provider_errs(loopback, flavour):
    seed(loopback, flavour)
    loopback.script(lambda r: True, *[Answer(503, {}, b"") for _ in range(12)])
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError):
        liveness.branch_exists(branches, "hotfix-a")


def test_the_reconciler_lists_every_providers_branches_with_their_heads(loopback):
    cat = provider_catalogue(loopback)
    for flavour in FLAVOURS:
        loopback.repo(flavour, FULL_IDS[flavour]).branches.update(
            {"main": "1" * 40, "hotfix-a": "2" * 40, "hotfix-b": "3" * 40, "fix/c": "4" * 40, "release/1": "5" * 40})
    world = World()
    from .fakeaws import CodeCommit

    cc = CodeCommit(world, [r.name for r in cat.hotfix.repositories])
    cc.set_branch("hotfixpoc-repository", "hotfix-cc", "6" * 40)
    clients = Clients(codecommit=client("codecommit", cc, "reconciler", world),
                      secretsmanager=client("secretsmanager", SecretsManager(), "reconciler", world))
    live = reconcile.live_branches(clients, cat)
    for repo in cat.hotfix.repositories:
        if repo.provider == "codecommit":
            assert live[repo.name] == {"hotfix-cc": "6" * 40}
        else:
            everything = loopback.repos[(repo.provider, FULL_IDS[repo.provider])].branches
            assert live[repo.name] == {b: c for b, c in everything.items() if repo.matches(b)}, repo.name
    assert len([c for c in world.calls if c.operation == "GetSecretValue"]) == 1  # one secret, read once


def test_a_repository_that_cannot_be_listed_is_never_read_as_empty(loopback):
    # Read as empty, it would make every pipeline of its branches look orphaned: the listing fails, or names it.
    cat = provider_catalogue(loopback)
    world = World()
    from .fakeaws import CodeCommit

    cc = CodeCommit(world, [r.name for r in cat.hotfix.repositories])
    clients = Clients(codecommit=client("codecommit", cc, "reconciler", world),
                      secretsmanager=client("secretsmanager", SecretsManager(), "reconciler", world))
    with pytest.raises(ProviderError):
        reconcile.live_branches(clients, cat)  # the loopback server holds no repository
    unlisted: dict[str, str] = {}
    live = reconcile.live_branches(clients, cat, unlisted=unlisted)
    others = sorted(r.name for r in cat.hotfix.repositories if r.provider != "codecommit")
    assert sorted(unlisted) == others and not set(live) & set(others)
    assert all("404" in why for why in unlisted.values())


def test_codecommit_goes_through_the_same_interface():
    world = World()
    from .fakeaws import CodeCommit

    cat = catalogue()
    cc = CodeCommit(world, [r.name for r in cat.hotfix.repositories])
    cc.set_branch("hotfixpoc-repository", "hotfix-a", "a" * 40)
    branches = for_repository(cat.repository("hotfixpoc-repository"), Clients(codecommit=client("codecommit", cc, "x", world)))
    assert branches.branch_head("hotfix-a") == "a" * 40 and branches.branch_head("hotfix-b") is None
    assert branches.list_branches() == {"hotfix-a": "a" * 40}


def test_status_shows_every_providers_hotfix_branches_as_the_reconciler_sees_them(loopback):
    # `status` compares the accounts with the same listing the reconciler reads (generator/deploy/hotfix_status.py).
    from generator.deploy import hotfix_status

    from .fakeaws import CodeCommit, ServiceCatalog

    cat = provider_catalogue(loopback)
    for repo in cat.hotfix.repositories:
        if repo.provider != "codecommit":
            loopback.repo(repo.provider, FULL_IDS[repo.provider]).branches.update(
                {f"{repo.branch_prefix}a": "a" * 40, "main": "1" * 40})
    world = World()
    cc = CodeCommit(world, [r.name for r in cat.hotfix.repositories])
    sc = ServiceCatalog(world, [], role_level=set())
    report = hotfix_status.report(cat, client("codecommit", cc, "person", world), client("servicecatalog", sc, "person", world),
                                  secretsmanager=client("secretsmanager", SecretsManager(), "person", world))
    rows = {r["name"]: [(b["branch"], b["repair"]) for b in r["branches"]] for r in report["repositories"]}
    for repo in cat.hotfix.repositories:
        expected = [] if repo.provider == "codecommit" else [(f"{repo.branch_prefix}a", "provision")]
        assert rows[repo.name] == expected, repo.name
