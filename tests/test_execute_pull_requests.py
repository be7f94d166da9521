"""Pull requests and job results: exactly once, always answered, only for the branch's own pipeline.

The first tests list the exact calls through botocore's Stubber. The class
tests run the real handler against the in-memory CodeCommit and CodePipeline
of tests/fakeaws.py: a fault at every call of a run, and every malformed
UserParameters, each still ends in exactly one answer to the job.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from botocore.stub import ANY
from hypothesis import example, given
from hypothesis import strategies as st

from generator.core.exceptions import RetryableError
from generator.core.naming import pipeline_slug
from generator.hotfix import pull_requests
from generator.hotfix.clients import Clients
from generator.hotfix.decide import decide

from .fakeaws import AWSError, Faults, World
from .hotfix_env import PULL_REQUESTS, catalogue, environment
from .stubs import client_error, stubbed

EVENTS = Path(__file__).resolve().parent / "events"
CAT = catalogue()
JOB = "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6"
REPO = "hotfixpoc-repository"
SOURCE = "hotfix-login-timeout"
COMMIT = "3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
PIPELINE = pipeline_slug(CAT.stack_prefix, REPO, SOURCE)
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


def job_details(stub, pipeline: str = PIPELINE):
    stub.add_response("get_job_details", {"jobDetails": {"id": JOB, "data": {"pipelineContext": {"pipelineName": pipeline}}}},
                      {"jobId": JOB})


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
    job_details(cp)
    open_prs(cc, {})
    create(cc, "develop", "12")
    create(cc, "main", "11")
    success(cp, {"develop": "12", "main": "11"})
    result = pull_requests.run(clients, DECISION, CAT.repository(REPO))
    assert result == {"outcome": "succeeded", "pull_requests": {"develop": "12", "main": "11"}}


def test_a_job_of_another_pipeline_is_refused_before_anything_is_opened(aws):
    # Any pipeline allowed to invoke the function could name any branch in its
    # UserParameters; GetJobDetails says which pipeline the job is really from.
    clients, _, cp = aws
    job_details(cp, "someone-elses-pipeline")
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "PermissionError", "message": ANY}})
    result = pull_requests.run(clients, DECISION, CAT.repository(REPO))
    assert result["outcome"] == "failed" and PIPELINE in result["reason"]


def test_rerun_after_partial_failure_creates_only_the_missing_one(aws):
    clients, cc, cp = aws
    # First run: develop is created, main fails; the job fails with a string message.
    job_details(cp)
    open_prs(cc, {})
    create(cc, "develop", "12")
    client_error(cc, "create_pull_request", "TipsDivergenceExceededException")
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "JobFailed", "message": ANY}})
    assert pull_requests.run(clients, DECISION, CAT.repository(REPO))["outcome"] == "failed"
    # Second run: develop is found open, only main is created.
    job_details(cp)
    open_prs(cc, {"12": "develop", "99": "release"})
    create(cc, "main", "11")
    success(cp, {"develop": "12", "main": "11"})
    assert pull_requests.run(clients, DECISION, CAT.repository(REPO))["pull_requests"] == {"develop": "12", "main": "11"}


def test_both_already_open_creates_nothing(aws):
    clients, cc, cp = aws
    job_details(cp)
    open_prs(cc, {"11": "main", "12": "develop"})
    success(cp, {"develop": "12", "main": "11"})
    assert pull_requests.run(clients, DECISION, CAT.repository(REPO))["outcome"] == "succeeded"


def test_fail_job_decision_is_answered_with_a_failure(aws):
    clients, _, cp = aws
    bad = decide(json.loads((EVENTS / "pull-request-job-outside-prefix.json").read_text()), CAT)
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "ConfigurationError", "message": bad.reason}})
    assert pull_requests.run(clients, bad, None)["outcome"] == "failed"


def test_permission_errors_are_reported_as_such(aws):
    clients, cc, cp = aws
    job_details(cp)
    client_error(cc, "list_pull_requests", "AccessDeniedException")
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "PermissionError", "message": ANY}})
    pull_requests.run(clients, DECISION, CAT.repository(REPO))


def test_a_success_codepipeline_refuses_becomes_one_failure(aws):
    clients, cc, cp = aws
    job_details(cp)
    open_prs(cc, {"11": "main", "12": "develop"})
    client_error(cp, "put_job_success_result", "OutputVariablesSizeExceededException")
    cp.add_response("put_job_failure_result", {}, {"jobId": JOB, "failureDetails": {"type": "JobFailed", "message": ANY}})
    assert pull_requests.run(clients, DECISION, CAT.repository(REPO))["outcome"] == "failed"


def test_a_job_already_answered_is_not_answered_again(aws):
    # CodePipeline refuses a second result with InvalidJobStateException.
    clients, cc, cp = aws
    job_details(cp)
    open_prs(cc, {"11": "main", "12": "develop"})
    client_error(cp, "put_job_success_result", "InvalidJobStateException")
    assert pull_requests.run(clients, DECISION, CAT.repository(REPO))["outcome"] == "already answered"


def test_failure_messages_are_cut_to_5000_characters():
    assert len(pull_requests.failure_result(JOB, "x" * 9000)["failureDetails"]["message"]) == 5000


@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=300))
@example("hotfix-" + "x" * 249, "develop")
def test_titles_fit_codecommits_limit(source, destination):
    # InvalidTitleException: "Pull request titles cannot exceed 100 characters".
    title = pull_requests.title(source, destination)
    assert 0 < len(title) <= 100
    assert title == pull_requests.title(source, destination)  # a retry sends the same request
    if len(destination) <= 60:  # a merge target of any usual length is named whole, however long the branch
        assert title.endswith(f" into {destination}")


def test_descriptions_fit_codecommits_limit():
    long = decide(json.loads((EVENTS / "pull-request-job.json").read_text()), CAT)
    assert len(pull_requests.description(long, "d" * 20000)) == 10240


# --- every fault at every call, and every malformed job: one answer ------------------------------------------------

ENV = environment(CAT, World())


class FailAt(Faults):
    """Fail the ``n``-th call: before it takes effect, or after (its answer lost on the way back)."""

    def __init__(self, n: int, when: str, error: Exception):
        self.n, self.when, self.error, self.seen = n, when, error, 0

    def _maybe(self, when: str) -> None:
        if when == "before":
            self.seen += 1
        if self.seen == self.n and when == self.when:
            self.seen += 1000  # once
            raise self.error

    def before(self, service, operation):
        self._maybe("before")

    def after(self, service, operation):
        self._maybe("after")


def fresh_job(user_parameters: str | None = None, pipeline: str = PIPELINE):
    """A new job of the branch's pipeline; its pull request into develop is already open, into main not yet."""
    ENV.codecommit.pull_requests.clear()
    ENV.codecommit.tokens.clear()
    ENV.codecommit.branches[REPO] = {SOURCE: COMMIT, "main": "1" * 40, "develop": "2" * 40}
    ENV.world.faults = None
    ENV.clients[PULL_REQUESTS].codecommit.create_pull_request(
        title="earlier", clientRequestToken="earlier-run",
        targets=[{"repositoryName": REPO, "sourceReference": SOURCE, "destinationReference": "develop"}])
    ENV.world.calls.clear()
    params = json.dumps({"repository": REPO, "source_branch": SOURCE, "commit": COMMIT}) if user_parameters is None \
        else user_parameters
    return ENV.codepipeline.new_job(pipeline, params, COMMIT)


def answer_with_lambda_retries(job) -> list:
    """Invoke as Lambda does an asynchronous invocation: again after an error, up to three times."""
    for _ in range(3):
        try:
            ENV.invoke(PULL_REQUESTS, ENV.codepipeline.event(job))
            break
        except RetryableError:
            ENV.world.faults = None
    return job.results


def normal_calls() -> list[str]:
    job = fresh_job()
    ENV.world.calls.clear()
    answer_with_lambda_retries(job)
    return [c.operation for c in ENV.world.calls]


CALLS = normal_calls()
ERRORS = {"throttled": AWSError("ThrottlingException"), "server error": AWSError("InternalFailure", status=500),
          "denied": AWSError("AccessDeniedException"), "connection reset": ConnectionError("connection reset by peer"),
          "memory": MemoryError("out of memory")}


def test_a_normal_run_makes_the_calls_the_class_test_faults():
    assert CALLS == ["GetJobDetails", "ListPullRequests", "GetPullRequest", "CreatePullRequest", "PutJobSuccessResult"]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("error", sorted(ERRORS))
@pytest.mark.parametrize("n", range(1, len(CALLS) + 1), ids=lambda n: CALLS[n - 1])
def test_a_fault_at_any_call_still_answers_the_job_exactly_once(n, error, when):
    job = fresh_job()
    ENV.world.faults = FailAt(n, when, ERRORS[error])
    results = answer_with_lambda_retries(job)
    assert len(results) == 1, [c.operation for c in ENV.world.calls]
    open_pairs = [(p.source, p.destination) for p in ENV.codecommit.pull_requests.values()]
    assert len(open_pairs) == len(set(open_pairs)) <= 2  # never a duplicate pull request


@pytest.mark.parametrize("n", range(1, 3))
def test_both_answers_failing_leaves_lambdas_retry_to_answer_once(n):
    job = fresh_job()

    class Twice(Faults):
        failed = 0

        def before(self, service, operation):
            if operation.startswith("PutJob") and self.failed < 2:
                self.failed += 1
                raise AWSError("ServiceUnavailableException", status=503)

    ENV.world.faults = Twice()
    with pytest.raises(RetryableError):
        ENV.invoke(PULL_REQUESTS, ENV.codepipeline.event(job))
    assert job.results == []
    ENV.world.faults = None
    ENV.invoke(PULL_REQUESTS, ENV.codepipeline.event(job))
    assert [kind for kind, _ in job.results] == ["success"]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
VALID = {"repository": REPO, "source_branch": SOURCE, "commit": COMMIT}
malformed = st.one_of(
    st.text(max_size=200),
    JSON.map(json.dumps),
    st.integers(100, 3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(100, 3000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
    st.fixed_dictionaries({k: st.one_of(st.just(v), JSON, st.text(max_size=300)) for k, v in VALID.items()}).map(json.dumps),
)


@given(malformed)
def test_every_malformed_user_parameters_gets_exactly_one_answer(user_parameters):
    job = fresh_job(user_parameters)
    results = answer_with_lambda_retries(job)
    assert len(results) == 1
    if results[0][0] == "success":  # only a well-formed job for the pipeline's own branch
        params = json.loads(user_parameters)
        assert (params["repository"], params["source_branch"]) == (REPO, SOURCE)
        assert re.fullmatch(r"[0-9A-Za-z]{1,64}", params["commit"])


def test_a_job_with_deeply_nested_parameters_is_failed_not_crashed():
    job = fresh_job("[" * 100000 + "]" * 100000)
    assert [kind for kind, _ in answer_with_lambda_retries(job)] == ["failure"]


def test_a_job_that_is_gone_is_not_retried_forever(aws):
    clients, _, cp = aws
    client_error(cp, "get_job_details", "JobNotFoundException")
    client_error(cp, "put_job_failure_result", "JobNotFoundException")
    assert pull_requests.run(clients, DECISION, CAT.repository(REPO))["outcome"] == "job gone"
