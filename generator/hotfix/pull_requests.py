"""Opening the hotfix's pull requests, and answering the CodePipeline job exactly once.

The job's pipeline is checked first (GetJobDetails): only the pipeline the
toolkit derives for the repository and branch in UserParameters may ask.
The repository's provider (generator/hotfix/providers) then looks up open
pull requests and creates only the missing ones, once per (repository,
source, destination, commit): CodeCommit with a clientRequestToken, GitHub,
GitLab and Bitbucket by looking up what the request already opened.

Every path ends in one answer. CodePipeline accepts one result per job and
refuses a second with InvalidJobStateException (CodePipeline API reference,
PutJobSuccessResult and PutJobFailureResult errors), which is how a result
whose delivery was uncertain is known to have landed.
"""

from __future__ import annotations

import re

from ..core.exceptions import RetryableError
from . import providers
from .clients import error_code
from .decisions import FailJob, OpenPullRequests
from .providers.texts import MAX_DESCRIPTION, MAX_TITLE, fit, title  # noqa: F401  (the limits every provider meets)
from .providers.texts import description as _description

# CodePipeline API reference: FailureDetails.message 1-5000 characters,
# ExecutionDetails.summary 1-2048, output variable keys [A-Za-z0-9@\-_]+.
MAX_FAILURE_MESSAGE = 5000
MAX_SUMMARY = 2048
_VARIABLE = re.compile(r"[^A-Za-z0-9@\-_]")
# Results that mean the job no longer waits for an answer: it has one, or it is gone.
ANSWERED = {"InvalidJobStateException": "already answered", "JobNotFoundException": "job gone"}
# Seconds of the invocation kept for answering the job after the provider's requests.
ANSWER_RESERVE = 15.0


def description(decision: OpenPullRequests, destination: str) -> str:
    return _description(decision.pipeline, decision.source_branch, decision.commit, destination)


class PipelineMismatch(Exception):
    """The job belongs to a pipeline other than the one the toolkit derives for its parameters."""


def check_pipeline(cp, decision: OpenPullRequests) -> None:
    """Refuse a job whose pipeline is not the one derived for its repository and branch.

    The Lambda event carries no pipeline name; GetJobDetails does
    (JobDetails.data.pipelineContext.pipelineName). The API reference calls
    GetJobDetails an operation for custom actions, as it does
    PutJobSuccessResult, which Lambda invoke actions use; public Lambda
    functions read the pipeline name this way. If AWS ever refuses it,
    the job fails, which is the safe side.
    """
    details = cp.get_job_details(jobId=decision.job_id)["jobDetails"]
    name = details.get("data", {}).get("pipelineContext", {}).get("pipelineName")
    if name != decision.pipeline:
        raise PipelineMismatch(f"this job belongs to pipeline {name!r}; only {decision.pipeline!r}, the pipeline of "
                               f"'{decision.source_branch}' in '{decision.repository}', may open its pull requests")


def success_result(job_id: str, opened: dict[str, str]) -> dict:
    """A destination that already holds every commit (providers.NOTHING_TO_MERGE) is said so, and has no variable."""
    summary = "; ".join(f"{dest}: nothing to merge" if pr == providers.NOTHING_TO_MERGE else f"{dest}: pull request {pr}"
                        for dest, pr in opened.items())
    variables = {f"{_VARIABLE.sub('_', dest)}_pull_request_id"[:128]: pr for dest, pr in opened.items()
                 if pr != providers.NOTHING_TO_MERGE}
    return {"jobId": job_id, "executionDetails": {"summary": summary[:MAX_SUMMARY] or "nothing to open"},
            "outputVariables": variables}


def failure_result(job_id: str, message: str, kind: str = "JobFailed") -> dict:
    text = str(message).strip() or "the pull-request step failed without a message"
    return {"jobId": job_id, "failureDetails": {"type": kind, "message": text[:MAX_FAILURE_MESSAGE]}}


def failure_type(exc: BaseException) -> str:
    if isinstance(exc, PipelineMismatch):
        return "PermissionError"
    if isinstance(exc, providers.ProviderError):
        return exc.failure_type
    code = error_code(exc)
    if code in {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"} or code.startswith("EncryptionKeyAccessDenied"):
        return "PermissionError"
    if code.endswith("DoesNotExistException"):
        return "ConfigurationError"
    return "JobFailed"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def answer(cp, job_id: str, *, success: dict | None = None, failure: dict | None = None) -> str:
    """Report ``success`` (or, without one, ``failure``) once; the outcome as a word.

    A success CodePipeline refuses for its content (ValidationException,
    OutputVariablesSizeExceededException) or that cannot be delivered becomes
    a failure, so that the job still ends. If even that cannot be delivered,
    RetryableError lets Lambda run the whole invocation again: the pull
    requests are found open, and the answer is given, or refused as already
    given.
    """
    if success is not None:
        try:
            cp.put_job_success_result(**success)
            return "succeeded"
        except Exception as exc:
            if error_code(exc) in ANSWERED:
                return ANSWERED[error_code(exc)]
            failure = failure_result(job_id, f"the pull requests are open, but reporting success failed: {_describe(exc)}")
    try:
        cp.put_job_failure_result(**(failure or failure_result(job_id, "")))
        return "failed"
    except Exception as exc:
        if error_code(exc) in ANSWERED:
            return ANSWERED[error_code(exc)]
        raise RetryableError(f"could not answer CodePipeline job {job_id}: {_describe(exc)}") from exc


def run(clients, decision: OpenPullRequests | FailJob, repo=None, budget=None) -> dict:
    """Carry out a job decision; whatever happens, CodePipeline hears about it once.

    ``repo``: the decision's repository from the config (None for a FailJob
    whose repository is not configured); ``budget`` bounds the provider's
    requests so that the answer still fits in the invocation.
    """
    cp = clients.codepipeline
    if isinstance(decision, FailJob):
        outcome = answer(cp, decision.job_id, failure=failure_result(decision.job_id, decision.reason, decision.failure_type))
        return {"outcome": outcome, "reason": decision.reason}
    try:
        check_pipeline(cp, decision)
        provider = providers.for_repository(repo, clients, budget)
        opened = provider.open_pull_requests(decision.source_branch, decision.commit, decision.targets, decision.pipeline)
    except Exception as exc:  # every failure becomes a job result, never a hang
        message = _describe(exc)
        outcome = answer(cp, decision.job_id, failure=failure_result(decision.job_id, message, failure_type(exc)))
        return {"outcome": outcome, "reason": message}
    outcome = answer(cp, decision.job_id, success=success_result(decision.job_id, opened))
    return {"outcome": outcome, "pull_requests": opened}
