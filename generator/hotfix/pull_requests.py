"""Opening the hotfix's pull requests, exactly once per (repository, source, destination).

Open pull requests are looked up first and only the missing ones created,
with a deterministic clientRequestToken; a rerun after a partial failure
creates only what is still missing. CodePipeline always gets an answer.
"""

from __future__ import annotations

import re

from .clients import error_code
from .decisions import FailJob, OpenPullRequests

MAX_FAILURE_MESSAGE = 5000
MAX_SUMMARY = 2048
_VARIABLE = re.compile(r"[^A-Za-z0-9@\-_]")


def _ref(branch: str) -> str:
    return branch if branch.startswith("refs/") else f"refs/heads/{branch}"


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
            title=f"Merge hotfix {decision.source_branch} into {target.destination}"[:150],
            description=(f"Opened by the hotfix pipeline of {decision.source_branch} after it deployed to stage. "
                         f"Merge it so that {target.destination} keeps the fix."),
            targets=[{"repositoryName": decision.repository, "sourceReference": decision.source_branch,
                      "destinationReference": target.destination}],
            clientRequestToken=target.idempotency_token,
        )
        found[target.destination] = response["pullRequest"]["pullRequestId"]
    return {t.destination: found[t.destination] for t in decision.targets}


def report_success(cp, job_id: str, opened: dict[str, str]) -> None:
    summary = "; ".join(f"{dest}: pull request {pr}" for dest, pr in opened.items())
    variables = {f"{_VARIABLE.sub('_', dest)}_pull_request_id"[:128]: pr for dest, pr in opened.items()}
    cp.put_job_success_result(jobId=job_id, executionDetails={"summary": summary[:MAX_SUMMARY] or "nothing to open"},
                              outputVariables=variables)


def failure_type(exc: BaseException) -> str:
    code = error_code(exc)
    if code in {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"}:
        return "PermissionError"
    if code.endswith("DoesNotExistException") or code in {"ReferenceDoesNotExistException", "RepositoryDoesNotExistException"}:
        return "ConfigurationError"
    return "JobFailed"


def report_failure(cp, job_id: str, message: str, kind: str = "JobFailed") -> None:
    text = str(message).strip() or "the pull-request step failed without a message"
    cp.put_job_failure_result(jobId=job_id, failureDetails={"type": kind, "message": text[:MAX_FAILURE_MESSAGE]})


def run(clients, decision: OpenPullRequests | FailJob) -> dict:
    """Execute a job decision; whatever happens, CodePipeline hears about it."""
    cp = clients.codepipeline
    if isinstance(decision, FailJob):
        report_failure(cp, decision.job_id, decision.reason, decision.failure_type)
        return {"outcome": "failed", "reason": decision.reason}
    try:
        opened = open_pull_requests(clients.codecommit, decision)
    except Exception as exc:  # every failure becomes a job result, never a hang
        message = f"{type(exc).__name__}: {exc}"
        report_failure(cp, decision.job_id, message, failure_type(exc))
        return {"outcome": "failed", "reason": message}
    report_success(cp, decision.job_id, opened)
    return {"outcome": "succeeded", "pull_requests": opened}
