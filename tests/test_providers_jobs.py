"""The pull-request job on GitHub, GitLab and Bitbucket: whatever the provider answers, the job is answered once.

The class test of tests/test_execute_pull_requests.py, extended to the HTTP
providers: the real handler (runner.pull_request_job) runs a job while the
loopback provider fails the n-th request of a normal run, for every n and
every failure: 401, 403, 404, 409, 422, 429 (short and too long to wait),
500/502/503, a redirect, a body that is not JSON, a dropped connection, a
timeout; before the request takes effect or after (its answer lost). Each
run answers CodePipeline exactly once (PutJobSuccessResult or
PutJobFailureResult; a second is InvalidJobStateException, CodePipeline API
reference), never leaves two open pull requests for the same branches, and
CodePipeline's retry of the run (a new job, same parameters) then succeeds
with exactly one pull request per target.
"""

from __future__ import annotations

import itertools
import json
from functools import cache

import pytest

from generator.core.naming import pipeline_slug
from generator.hotfix.providers import http, secrets

from .hotfix_env import PULL_REQUESTS
from .provider_env import FLAVOURS, FULL_IDS, provider_catalogue, provider_environment, repository_on, shared_server
from .provider_server import Answer

COMMIT = "ab" * 20


def _fault(status: int, body=None, headers=None, after: bool = False) -> Answer:
    return Answer(status, headers or {}, body if body is not None else {"message": f"status {status}"}, after=after)


FAULTS = {
    "401": _fault(401), "403": _fault(403, {"message": "Resource not accessible by integration"}), "404": _fault(404),
    "409": _fault(409), "422": _fault(422, {"message": "Validation Failed"}),
    "429 short": _fault(429, headers={"Retry-After": "0"}), "429 long": _fault(429, headers={"Retry-After": "86400"}),
    "500": _fault(500), "502": _fault(502, b"<html>bad gateway</html>"), "503": _fault(503),
    "301": _fault(301, headers={"Location": "https://elsewhere.example/api"}),
    "not json": Answer(200, {}, b"<html>maintenance</html>"), "dropped": Answer(drop=True),
    "timeout": Answer(200, {}, [], delay=0.3),
    "502 after": _fault(502, b"", after=True), "dropped after": Answer(drop=True, after=True),
    "timeout after": Answer(200, {}, [], delay=0.3, after=True),
}


@pytest.fixture
def server():
    return shared_server()


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    # Waits and timeouts short: this is about answering once, the waits are held by tests/test_providers_http.py.
    monkeypatch.setattr(http, "BACKOFF", 0.001)
    monkeypatch.setattr(http, "REQUEST_TIMEOUT", 0.15)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def _catalogue(url: str):
    from types import SimpleNamespace

    from .provider_server import PREFIX

    return provider_catalogue(SimpleNamespace(api=lambda flavour: url + PREFIX[flavour]))


@cache
def _environment(url: str):
    cat = _catalogue(url)
    return cat, provider_environment(cat)


def fresh(server, flavour: str):
    """The server and the Lambda as at the start of a job: the branch pushed, nothing opened, nothing cached."""
    server.reset()
    secrets.forget()
    cat, env = _environment(server.url)
    repo = repository_on(cat, flavour)
    remote = server.repo(flavour, FULL_IDS[flavour])
    branch = f"{repo.branch_prefix}job"
    remote.branches.update({**{t: "0" * 40 for t in repo.merge_into}, branch: COMMIT})
    return cat, env, repo, remote, branch


def run_job(cat, env, repo, branch):
    params = json.dumps({"repository": repo.name, "source_branch": branch, "commit": COMMIT})
    job = env.codepipeline.new_job(pipeline_slug(cat.stack_prefix, repo.name, branch), params, COMMIT)
    env.invoke(PULL_REQUESTS, env.codepipeline.event(job))
    return job


def open_pairs(remote) -> list[tuple[str, str]]:
    return [(p.source, p.destination) for p in remote.pulls if p.state == "open"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_normal_run_makes_the_requests_the_class_test_faults(server, flavour):
    cat, env, repo, remote, branch = fresh(server, flavour)
    job = run_job(cat, env, repo, branch)
    assert [kind for kind, _ in job.results] == ["success"] and len(open_pairs(remote)) == len(repo.merge_into)
    assert [m for m, _ in server.made(flavour)] == ["GET", "GET", "POST"] * len(repo.merge_into) == \
        ["GET", "GET", "POST"] * (REQUESTS[flavour] // 3)


# Per target: its open pull requests, the ones this request opened, the create: three requests.
REQUESTS = {f: 3 * len(repository_on(_catalogue("http://127.0.0.1:1"), f).merge_into) for f in FLAVOURS}
CASES = [(f, fault, n) for f in FLAVOURS for fault in FAULTS for n in range(1, REQUESTS[f] + 1)]


@pytest.mark.parametrize("flavour,fault,n", CASES, ids=[f"{f}-{fault}-{n}" for f, fault, n in CASES])
def test_a_fault_at_any_request_still_answers_the_job_exactly_once(server, flavour, fault, n):
    cat, env, repo, remote, branch = fresh(server, flavour)
    seen = itertools.count(1)
    server.script(lambda r: next(seen) == n, FAULTS[fault])
    job = run_job(cat, env, repo, branch)
    assert len(job.results) == 1, server.made(flavour)
    pairs = open_pairs(remote)
    assert len(pairs) == len(set(pairs))  # never a duplicate pull request
    kind, result = job.results[0]
    if kind == "failure":
        assert result["failureDetails"]["message"] and "test-token" not in json.dumps(result)
    # CodePipeline's retry of the stage: a new job with the same parameters succeeds, one pull request per target.
    retry = run_job(cat, env, repo, branch)
    assert [k for k, _ in retry.results] == ["success"]
    assert sorted(open_pairs(remote)) == sorted((branch, t) for t in repo.merge_into)
    if kind == "success":
        assert retry.results[0][1]["outputVariables"] == result["outputVariables"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_token_the_provider_keeps_refusing_fails_the_job_as_a_permission_error(server, flavour):
    cat, env, repo, remote, branch = fresh(server, flavour)
    server.tokens = {"another"}
    job = run_job(cat, env, repo, branch)
    assert [(k, r["failureDetails"]["type"]) for k, r in job.results] == [("failure", "PermissionError")]
    assert remote.pulls == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_repository_that_is_not_there_fails_the_job_as_a_configuration_error(server, flavour):
    cat, env, repo, _, branch = fresh(server, flavour)
    del server.repos[(flavour, FULL_IDS[flavour])]
    job = run_job(cat, env, repo, branch)
    assert [(k, r["failureDetails"]["type"]) for k, r in job.results] == [("failure", "ConfigurationError")]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_provider_that_refuses_connections_fails_the_job_once(server, flavour):
    import dataclasses

    from .provider_server import closed_port

    cat, env, repo, remote, branch = fresh(server, flavour)
    unreachable = dataclasses.replace(repo, api_url=f"http://127.0.0.1:{closed_port()}")
    repos = tuple(unreachable if r.name == repo.name else r for r in cat.hotfix.repositories)
    env.cat = dataclasses.replace(cat, hotfix=dataclasses.replace(cat.hotfix, repositories=repos))
    try:
        job = run_job(env.cat, env, unreachable, branch)
    finally:
        env.cat = cat
    assert [k for k, _ in job.results] == ["failure"] and "ConnectionRefused" in job.results[0][1]["failureDetails"]["message"]
    assert remote.pulls == []


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_destination_with_nothing_to_merge_is_reported_and_the_others_still_get_theirs(server, flavour):
    # The branch's first commit is one destination's head: GitHub (422 "No commits between") and Bitbucket (400 "There
    # are no changes to be pulled") refuse that pull request (providers/github.py, bitbucket.py); the job succeeds,
    # says so in its summary (ExecutionDetails.summary), and opens the other destinations' pull requests.
    cat, env, repo, remote, branch = fresh(server, flavour)
    held = repo.merge_into[0]
    remote.branches[held] = COMMIT
    job = run_job(cat, env, repo, branch)
    assert [k for k, _ in job.results] == ["success"]
    summary = job.results[0][1]["executionDetails"]["summary"]
    others = [t for t in repo.merge_into if t != held]
    assert sorted(open_pairs(remote)) == sorted((branch, t) for t in (repo.merge_into if flavour == "gitlab" else others))
    if flavour != "gitlab":
        assert f"{held}: nothing to merge" in summary
        assert not any(k.startswith(held) for k in job.results[0][1]["outputVariables"])
