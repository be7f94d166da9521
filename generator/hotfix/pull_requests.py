"""Opening the hotfix's pull requests, and answering the CodePipeline job exactly once.

The job's pipeline is checked first (GetJobDetails): only the pipeline the
toolkit derives for the repository and branch in UserParameters may ask.
Open pull requests are then looked up and only the missing ones created,
with a clientRequestToken per (repository, source, destination, commit).

Every path ends in one answer. CodePipeline accepts one result per job and
refuses a second with InvalidJobStateException (CodePipeline API reference,
PutJobSuccessResult and PutJobFailureResult errors), which is how a result
whose delivery was uncertain is known to have landed.
"""

from __future__ import annotations

import re

from ..core.exceptions import RetryableError
from .clients import error_code
from .decisions import FailJob, OpenPullRequests

# CodePipeline API reference: FailureDetails.message 1-5000 characters,
# ExecutionDetails.summary 1-2048, output variable keys [A-Za-z0-9@\-_]+.
MAX_FAILURE_MESSAGE = 5000
MAX_SUMMARY = 2048
_VARIABLE = re.compile(r"[^A-Za-z0-9@\-_]")
# CodeCommit: "Pull request titles cannot exceed 100 characters in length"
# (InvalidTitleException); botocore's model says 150 for Title, so the
# smaller one holds. Descriptions: at most 10,240 (CreatePullRequest).
MAX_TITLE = 100
MAX_DESCRIPTION = 10240
# Results that mean the job no longer waits for an answer: it has one, or it is gone.
ANSWERED = {"InvalidJobStateException": "already answered", "JobNotFoundException": "job gone"}


def _ref(branch: str) -> str:
    return branch if branch.startswith("refs/") else f"refs/heads/{branch}"


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def title(source: str, destination: str) -> str:
    """The branch is cut before the destination, so that a long branch's pull requests into main and into develop
    still say which is which."""
    room = MAX_TITLE - len(f"Merge hotfix  into {destination}")
    if room >= len("hotfix-..."):
        return f"Merge hotfix {fit(source, room)} into {destination}"
    return fit(f"Merge hotfix {source} into {destination}", MAX_TITLE)


def description(decision: OpenPullRequests, destination: str) -> str:
    return fit(f"Opened by the hotfix pipeline {decision.pipeline} of {decision.source_branch} after commit "
               f"{decision.commit} deployed to stage. Merge it so that {destination} keeps the fix.", MAX_DESCRIPTION)


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


def open_pull_requests(cc, decision: OpenPullRequests) -> dict[str, str]:
    """destination -> pull request id, creating only the missing ones."""
    wanted = {_ref(t.destination): t for t in decision.targets}
    found: dict[str, str] = {}
    source = _ref(decision.source_branch)
    paginator = cc.get_paginator("list_pull_requests")
    for page in paginator.paginate(repositoryName=decision.repository, pullRequestStatus="OPEN"):
        for pr_id in page.get("pullRequestIds", []):
            pr = cc.get_pull_request(pullRequestId=pr_id)["pullRequest"]
            for target in pr.get("pullRequestTargets", []):
                if (target.get("repositoryName") == decision.repository and target.get("sourceReference") == source
                        and target.get("destinationReference") in wanted):
                    found.setdefault(wanted[target["destinationReference"]].destination, pr_id)
    for target in decision.targets:
        if target.destination in found:
            continue
        response = cc.create_pull_request(
            title=title(decision.source_branch, target.destination),
            description=description(decision, target.destination),
            targets=[{"repositoryName": decision.repository, "sourceReference": decision.source_branch,
                      "destinationReference": target.destination}],
            clientRequestToken=target.idempotency_token,
        )
        found[target.destination] = response["pullRequest"]["pullRequestId"]
    return {t.destination: found[t.destination] for t in decision.targets}


def success_result(job_id: str, opened: dict[str, str]) -> dict:
    summary = "; ".join(f"{dest}: pull request {pr}" for dest, pr in opened.items())
    variables = {f"{_VARIABLE.sub('_', dest)}_pull_request_id"[:128]: pr for dest, pr in opened.items()}
    return {"jobId": job_id, "executionDetails": {"summary": summary[:MAX_SUMMARY] or "nothing to open"},
            "outputVariables": variables}


def failure_result(job_id: str, message: str, kind: str = "JobFailed") -> dict:
    text = str(message).strip() or "the pull-request step failed without a message"
    return {"jobId": job_id, "failureDetails": {"type": kind, "message": text[:MAX_FAILURE_MESSAGE]}}


def failure_type(exc: BaseException) -> str:
    if isinstance(exc, PipelineMismatch):
        return "PermissionError"
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


def run(clients, decision: OpenPullRequests | FailJob) -> dict:
    """Carry out a job decision; whatever happens, CodePipeline hears about it once."""
    cp = clients.codepipeline
    if isinstance(decision, FailJob):
        outcome = answer(cp, decision.job_id, failure=failure_result(decision.job_id, decision.reason, decision.failure_type))
        return {"outcome": outcome, "reason": decision.reason}
    try:
        check_pipeline(cp, decision)
        opened = open_pull_requests(clients.codecommit, decision)
    except Exception as exc:  # every failure becomes a job result, never a hang
        message = _describe(exc)
        outcome = answer(cp, decision.job_id, failure=failure_result(decision.job_id, message, failure_type(exc)))
        return {"outcome": outcome, "reason": message}
    outcome = answer(cp, decision.job_id, success=success_result(decision.job_id, opened))
    return {"outcome": outcome, "pull_requests": opened}
