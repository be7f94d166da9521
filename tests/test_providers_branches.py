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
from generator.hotfix.providers import RepositoryGone, for_repository
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


# 404s of the single-branch request that do not say "this branch does not exist", from a repository that otherwise
# answers: GitLab's Branches API says "404 Repository Not Found" when the project shows but its repository is hidden
# from the token or disabled (require_repository_enabled!), and a bare 404 for a project without a repository
# (rescue NoRepository -> not_found!), lib/api/branches.rb; only its "404 Branch Not Found" (find_branch!) means
# missing. GitHub and Bitbucket answer a hidden repository with 404 on the repository too (held above).
NOT_A_MISSING_BRANCH = {
    "gitlab": [Answer(404, {}, {"message": "404 Repository Not Found"}), Answer(404, {}, {"message": "404 Not found"}),
               Answer(404, {}, b""), Answer(404, {}, {"message": "404 Project Not Found"})],
    "github": [Answer(404, {}, {"message": "Not Found"})],
    "bitbucket": [Answer(404, {}, {"type": "error", "error": {"message": "Repository not found"}})],
}
ONE_BRANCH = {"github": "/git/ref/heads/", "gitlab": "/repository/branches/", "bitbucket": "/refs/branches"}
NO_REPOSITORY = [(f, i) for f, answers in NOT_A_MISSING_BRANCH.items() for i in range(len(answers))]


@pytest.mark.parametrize("flavour,case", NO_REPOSITORY, ids=[f"{f}-{i}" for f, i in NO_REPOSITORY])
def test_only_a_positive_branch_not_found_makes_a_live_branch_count_as_gone(loopback, flavour, case):
    seed(loopback, flavour)
    answer = NOT_A_MISSING_BRANCH[flavour][case]
    hide = {"github": True, "bitbucket": False, "gitlab": False}[flavour]  # GitHub hides the whole repository
    if hide:
        loopback.hidden.add((flavour, FULL_IDS[flavour]))
    else:
        loopback.script(lambda r: r.method == "GET" and ONE_BRANCH[flavour] in r.path, answer)
    branches, _ = provider(flavour, loopback)
    with pytest.raises(ProviderError, match="404"):
        liveness.branch_exists(branches, "hotfix-a")


def test_codecommit_counts_a_branch_gone_only_when_getbranch_says_so():
    # CodeCommit API reference, GetBranch: BranchDoesNotExistException for a missing branch;
    # RepositoryDoesNotExistException (deleted, renamed, another Region) says nothing about the branch.
    world = World()
    from .fakeaws import CodeCommit

    cat = catalogue()
    cc = CodeCommit(world, ["another-repository"])
    branches = for_repository(cat.repository("hotfixpoc-repository"), Clients(codecommit=client("codecommit", cc, "x", world)))
    with pytest.raises(RepositoryGone):
        liveness.branch_exists(branches, "hotfix-a")


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
