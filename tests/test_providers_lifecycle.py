"""The full branch lifecycle of a repository on GitHub, GitLab and Bitbucket, through the real Lambda handlers.

For each provider, with a CodeCommit repository next to it in the same
catalogue: a hotfix branch is created (its branch event provisions a
pipeline through Service Catalog, tests/fakeaws.py), its pipeline's job
opens the pull requests (real HTTP to the loopback provider,
tests/provider_server.py) and a retry opens nothing new, the branch is
deleted (its event terminates the pipeline), and lost events are repaired
by the reconciler from the provider's branch listing: a creation nobody
announced gets its pipeline, a deletion nobody announced loses it.

The branch events are what the webhook endpoint (package 15A) hands the
lifecycle Lambda for a verified delivery: the CodeCommit event's detail,
with the toolkit's name of the repository. Until that endpoint is on this
branch, the events are built here in the CodeCommit shape, which decide
reads the same way; with the endpoint's source constant present, its
shape is used.
"""

from __future__ import annotations

import json
import uuid

import pytest

from generator.core.naming import pipeline_slug, provisioned_product_name
from generator.hotfix import events

from .hotfix_env import LIFECYCLE, PULL_REQUESTS, RECONCILER
from .provider_env import (
    FLAVOURS,
    FULL_IDS,
    fresh_loopback,
    provider_catalogue,
    provider_environment,
    repository_on,
)

SOURCE = getattr(events, "WEBHOOK_SOURCE", events.CODECOMMIT_SOURCE)
DETAIL_TYPE = getattr(events, "WEBHOOK_DETAIL_TYPE", events.CODECOMMIT_DETAIL_TYPE)


@pytest.fixture
def loopback(monkeypatch):
    return fresh_loopback(monkeypatch)


def branch_event(repository: str, branch: str, commit: str, created: bool) -> dict:
    detail = {"event": "referenceCreated" if created else "referenceDeleted", "repositoryName": repository,
              "referenceType": "branch", "referenceName": branch, "referenceFullName": f"refs/heads/{branch}",
              ("commitId" if created else "oldCommitId"): commit}
    return {"id": str(uuid.uuid4()), "source": SOURCE, "detail-type": DETAIL_TYPE, "account": "111111111111",
            "region": "eu-west-1", "resources": [], "detail": detail}


def scheduled() -> dict:
    return {"id": str(uuid.uuid4()), "source": "aws.events", "detail-type": "Scheduled Event", "account": "111111111111",
            "region": "eu-west-1", "resources": ["arn:aws:events:eu-west-1:111111111111:rule/reconcile"], "detail": {}}


def settle(env, ticks: int = 10) -> None:
    """Let Service Catalog finish what it started (launches and terminations take some ticks)."""
    for _ in range(ticks):
        env.world.clock.now += 1
        env.servicecatalog.tick()


def live(env) -> dict[str, str]:
    return {name: p.status for name, p in env.servicecatalog.products.items()}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_full_branch_lifecycle(loopback, flavour):
    cat = provider_catalogue(loopback)
    env = provider_environment(cat)
    for other in cat.hotfix.repositories:  # every repository is there, with its merge targets
        if other.provider != "codecommit":
            loopback.repo(other.provider, FULL_IDS[other.provider]).branches.update({t: "0" * 40 for t in other.merge_into})
    repo = repository_on(cat, flavour)
    remote = loopback.repo(flavour, FULL_IDS[flavour])
    branch, commit = f"{repo.branch_prefix}login", "c1" * 20
    product = provisioned_product_name(cat.stack_prefix, repo.name, branch)

    # Create: the branch is pushed and its event delivered.
    remote.branches[branch] = commit
    assert env.invoke(LIFECYCLE, branch_event(repo.name, branch, commit, True))["outcome"] == "provisioned"
    settle(env)
    assert live(env) == {product: "AVAILABLE"}
    assert env.servicecatalog.products[product].parameters["RepositoryName"] == repo.name

    # Pull requests: the pipeline's job, then a retry of the same run (Lambda retries, a person clicks Retry).
    params = json.dumps({"repository": repo.name, "source_branch": branch, "commit": commit})
    job = env.codepipeline.new_job(pipeline_slug(cat.stack_prefix, repo.name, branch), params, commit)
    env.invoke(PULL_REQUESTS, env.codepipeline.event(job))
    assert [kind for kind, _ in job.results] == ["success"]
    opened = sorted((p.source, p.destination) for p in remote.pulls if p.state == "open")
    assert opened == sorted((branch, t) for t in repo.merge_into)
    again = env.codepipeline.new_job(job.pipeline, params, commit)
    env.invoke(PULL_REQUESTS, env.codepipeline.event(again))
    assert again.results[0][1]["outputVariables"] == job.results[0][1]["outputVariables"] and len(remote.pulls) == len(opened)

    # Delete: the branch is deleted and its event delivered.
    del remote.branches[branch]
    assert env.invoke(LIFECYCLE, branch_event(repo.name, branch, commit, False))["outcome"] == "terminated"
    settle(env)
    assert live(env) == {}

    # A lost creation: pushed, no event. The reconciler lists the branches and asks the lifecycle Lambda.
    lost = f"{repo.branch_prefix}lost"
    remote.branches[lost] = "c2" * 20
    run = env.invoke(RECONCILER, scheduled())
    assert run["counts"] == {"provision_requests": 1, "terminate_requests": 0}
    for request in env.sent_to_lifecycle():
        assert env.invoke(LIFECYCLE, request)["outcome"] == "provisioned"
    settle(env)
    assert live(env) == {provisioned_product_name(cat.stack_prefix, repo.name, lost): "AVAILABLE"}

    # A lost deletion: deleted, no event. The next run terminates its pipeline.
    del remote.branches[lost]
    settle(env)
    run = env.invoke(RECONCILER, scheduled())
    assert run["counts"] == {"provision_requests": 0, "terminate_requests": 1}
    for request in env.sent_to_lifecycle():
        assert env.invoke(LIFECYCLE, request)["outcome"] == "terminated"
    settle(env)
    assert live(env) == {}

    # What the functions called, each as itself: Service Catalog by the lifecycle role, the provider's API with the
    # token each read from Secrets Manager, and no CodeCommit call about this repository.
    assert {c.service for c in env.world.calls if c.principal == PULL_REQUESTS} == {"codepipeline", "secretsmanager"}
    assert not [c for c in env.world.calls if c.service == "codecommit" and c.params.get("repositoryName") == repo.name]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_creation_delivered_after_the_deletion_launches_nothing(loopback, flavour):
    # The lifecycle Lambda asks the provider when it acts: the branch is gone, so no orphan is launched.
    cat = provider_catalogue(loopback)
    env = provider_environment(cat)
    repo = repository_on(cat, flavour)
    loopback.repo(flavour, FULL_IDS[flavour])
    branch = f"{repo.branch_prefix}late"
    assert env.invoke(LIFECYCLE, branch_event(repo.name, branch, "d" * 40, True))["outcome"] == "branch gone"
    assert live(env) == {}


def pushed_and_launched(loopback, flavour: str, name: str, commit: str):
    """A branch pushed to the provider whose creation event launched its pipeline, settled."""
    cat = provider_catalogue(loopback)
    env = provider_environment(cat)
    repo = repository_on(cat, flavour)
    branch = f"{repo.branch_prefix}{name}"
    loopback.repo(flavour, FULL_IDS[flavour]).branches[branch] = commit
    env.invoke(LIFECYCLE, branch_event(repo.name, branch, commit, True))
    settle(env)
    return cat, env, repo, branch


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_deletion_delivered_after_the_branch_came_back_keeps_the_pipeline(loopback, flavour):
    _, env, repo, branch = pushed_and_launched(loopback, flavour, "back", "e" * 40)
    assert env.invoke(LIFECYCLE, branch_event(repo.name, branch, "e" * 40, False))["outcome"] == "kept"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_provider_that_cannot_answer_leaves_the_pipeline_alone(loopback, flavour):
    # A token that lost its access: the repository answers 404. The deletion fails (Lambda retries it, then the
    # dead-letter queue) instead of terminating the pipeline of a branch that may well exist.
    cat, env, repo, branch = pushed_and_launched(loopback, flavour, "kept", "f" * 40)
    loopback.hidden.add((flavour, FULL_IDS[flavour]))
    with pytest.raises(Exception, match="404"):
        env.invoke(LIFECYCLE, branch_event(repo.name, branch, "f" * 40, False))
    with pytest.raises(Exception, match="404"):
        env.invoke(RECONCILER, scheduled())
    assert live(env) == {provisioned_product_name(cat.stack_prefix, repo.name, branch): "AVAILABLE"}


def test_one_provider_that_cannot_be_listed_leaves_its_pipelines_alone_and_the_others_are_repaired(loopback):
    # GitHub hides its repository (a revoked token) while the other repositories lost events: their repairs go out,
    # GitHub's pipeline is neither terminated nor relaunched, and the run fails naming it (Lambda retries it, then
    # the dead-letter queue keeps it, where status shows it).
    from generator.hotfix.reconcile import Unlisted

    cat, env, github, kept = pushed_and_launched(loopback, "github", "kept", "1" * 40)
    for repo in cat.hotfix.repositories:
        if repo.provider != "github":
            loopback.repo(repo.provider, FULL_IDS.get(repo.provider, ""))
    gitlab = repository_on(cat, "gitlab")
    loopback.repo("gitlab", FULL_IDS["gitlab"]).branches[f"{gitlab.branch_prefix}lost"] = "2" * 40
    loopback.repo("github", FULL_IDS["github"]).branches.clear()  # deleted, which GitHub cannot be asked now
    loopback.hidden.add(("github", FULL_IDS["github"]))
    with pytest.raises(Unlisted) as failed:
        env.invoke(RECONCILER, scheduled())
    assert list(failed.value.reasons) == [github.name] and "404" in failed.value.reasons[github.name]
    requests = env.sent_to_lifecycle()
    assert [(r["detail"]["repository"], r["detail"]["operation"]) for r in requests] == [(gitlab.name, "provision")]
    for request in requests:
        env.invoke(LIFECYCLE, request)
    settle(env)
    assert live(env) == {provisioned_product_name(cat.stack_prefix, github.name, kept): "AVAILABLE",
                         provisioned_product_name(cat.stack_prefix, gitlab.name, f"{gitlab.branch_prefix}lost"): "AVAILABLE"}
