"""Pull requests and job results through botocore's Stubber: exactly once, always answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.stub import ANY

from generator.config_loader import load_config
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix import pull_requests
from generator.hotfix.clients import Clients
from generator.hotfix.decide import decide

from .conftest import CONFIG
from .stubs import client_error, stubbed

EVENTS = Path(__file__).resolve().parent / "events"
CAT = catalogue_from_dict(canonical(load_config(CONFIG).data))
JOB = "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6"
REPO = "hotfixpoc-repository"
SOURCE = "hotfix-login-timeout"
DECISION = decide(json.loads((EVENTS / "pull-request-job.json").read_text()), CAT)
TOKENS = {t.destination: t.idempotency_token for t in DECISION.targets}


@pytest.fixture
def aws():
    cc, cc_stub = stubbed("codecommit")
    cp, cp_stub = stubbed("codepipeline")
    with cc_stub, cp_stub:
        yield Clients(codecommit=cc, codepipeline=cp), cc_stub, cp_stub
        cc_stub.assert_no_pending_responses()
        cp_stub.assert_no_pending_responses()


def open_prs(stub, prs: dict[str, str]):
    stub.add_response("list_pull_requests", {"pullRequestIds": list(prs)},
                      {"repositoryName": REPO, "pullRequestStatus": "OPEN"})
    for pr_id, dest in prs.items():
        stub.add_response("get_pull_request", {"pullRequest": {"pullRequestId": pr_id, "pullRequestTargets": [{
            "repositoryName": REPO, "sourceReference": f"refs/heads/{SOURCE}", "destinationReference": f"refs/heads/{dest}"}]}},
            {"pullRequestId": pr_id})


def create(stub, dest: str, pr_id: str):
    stub.add_response("create_pull_request", {"pullRequest": {"pullRequestId": pr_id, "pullRequestTargets": []}}, {
        "title": ANY, "description": ANY, "clientRequestToken": TOKENS[dest],
        "targets": [{"repositoryName": REPO, "sourceReference": SOURCE, "destinationReference": dest}]})


def success(stub, ids: dict[str, str]):
    stub.add_response("put_job_success_result", {}, {
        "jobId": JOB, "executionDetails": {"summary": ANY},
        "outputVariables": {f"{d}_pull_request_id": i for d, i in ids.items()}})


def test_opens_one_pull_request_per_target_and_reports_ids(aws):
    clients, cc, cp = aws
    assert [t.destination for t in DECISION.targets] == ["develop", "main"]  # canonical order
    open_prs(cc, {})
    create(cc, "develop", "12")
    create(cc, "main", "11")
    success(cp, {"develop": "12", "main": "11"})
    result = pull_requests.run(clients, DECISION)
    assert result == {"outcome": "succeeded", "pull_requests": {"develop": "12", "main": "11"}}


def test_rerun_after_partial_failure_creates_only_the_missing_one(aws):
    clients, cc, cp = aws
    # First run: develop is created, main fails; the job fails with a string message.
    open_prs(cc, {})
    create(cc, "develop", "12")
    client_error(cc, "create_pull_request", "TipsDivergenceExceededException")
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "JobFailed", "message": ANY}})
    assert pull_requests.run(clients, DECISION)["outcome"] == "failed"
    # Second run: develop is found open, only main is created.
    open_prs(cc, {"12": "develop", "99": "release"})
    create(cc, "main", "11")
    success(cp, {"develop": "12", "main": "11"})
    assert pull_requests.run(clients, DECISION)["pull_requests"] == {"develop": "12", "main": "11"}


def test_both_already_open_creates_nothing(aws):
    clients, cc, cp = aws
    open_prs(cc, {"11": "main", "12": "develop"})
    success(cp, {"develop": "12", "main": "11"})
    assert pull_requests.run(clients, DECISION)["outcome"] == "succeeded"


def test_fail_job_decision_is_answered_with_a_failure(aws):
    clients, _, cp = aws
    bad = decide(json.loads((EVENTS / "pull-request-job-outside-prefix.json").read_text()), CAT)
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "ConfigurationError", "message": bad.reason}})
    assert pull_requests.run(clients, bad)["outcome"] == "failed"


def test_unexpected_exception_still_answers_with_a_string_message(aws, monkeypatch):
    clients, _, cp = aws

    def broken(*args, **kwargs):
        raise RuntimeError("connection reset by peer")

    monkeypatch.setattr(clients.codecommit, "get_paginator", broken)
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {
        "type": "JobFailed", "message": "RuntimeError: connection reset by peer"}})
    result = pull_requests.run(clients, DECISION)
    assert result == {"outcome": "failed", "reason": "RuntimeError: connection reset by peer"}


def test_permission_errors_are_reported_as_such(aws):
    clients, cc, cp = aws
    client_error(cc, "list_pull_requests", "AccessDeniedException")
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "PermissionError", "message": ANY}})
    pull_requests.run(clients, DECISION)


def test_failure_messages_are_cut_to_5000_characters(aws):
    clients, _, cp = aws
    captured = {}
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "JobFailed", "message": ANY}})

    def spy(**kwargs):
        captured.update(kwargs)

    clients.codepipeline.meta.events.register("provide-client-params.codepipeline.PutJobFailureResult",
                                              lambda params, **_: spy(**params))
    pull_requests.report_failure(clients.codepipeline, JOB, "x" * 9000)
    assert len(captured["failureDetails"]["message"]) == 5000
