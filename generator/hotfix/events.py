"""Thin typed wrappers over the event dicts the Lambdas receive.

Parsing checks shapes and types only; whether an event matters is for
``decide``. A payload that is not an event we know raises ``EventError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.exceptions import EventError

CODECOMMIT_SOURCE = "aws.codecommit"
CODECOMMIT_DETAIL_TYPE = "CodeCommit Repository State Change"
# A verified GitHub, GitLab or Bitbucket webhook, handed to the lifecycle Lambda by the webhook endpoint
# (generator/hotfix/webhooks/) with the same detail as CodeCommit's: it becomes the same ReferenceEvent.
WEBHOOK_SOURCE = "service-catalog-toolkit.webhooks"
WEBHOOK_DETAIL_TYPE = "Hotfix Branch Change"
REFERENCE_SOURCES = ((CODECOMMIT_SOURCE, CODECOMMIT_DETAIL_TYPE), (WEBHOOK_SOURCE, WEBHOOK_DETAIL_TYPE))
SCHEDULED_DETAIL_TYPE = "Scheduled Event"
JOB_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class ReferenceEvent:
    """EventBridge "CodeCommit Repository State Change", or a webhook's branch change in the same shape."""

    event_id: str
    account: str
    region: str
    event: str  # referenceCreated, referenceUpdated, referenceDeleted
    repository: str
    reference_type: str  # branch or tag
    reference_name: str
    commit_id: str  # the new commit, or for a deletion the old one


@dataclass(frozen=True)
class ScheduledEvent:
    event_id: str
    account: str
    region: str
    rule_arn: str


@dataclass(frozen=True)
class ReconcileRequest:
    """The reconciler's hand-over to the lifecycle Lambda, the only role that may launch."""

    operation: str  # provision or terminate
    repository: str
    branch: str
    commit: str
    provisioned_product_name: str
    delivery: str = ""  # the id of the scheduled run that sent it: part of its provision token


RECONCILE_SOURCE = "service-catalog-toolkit.reconciler"
RECONCILE_DETAIL_TYPE = "Hotfix Reconcile Request"


@dataclass(frozen=True)
class OtherEvent:
    """An EventBridge event from another source: understood, and ignored."""

    event_id: str
    source: str
    detail_type: str


@dataclass(frozen=True)
class JobEvent:
    """A CodePipeline Lambda invoke action's job."""

    job_id: str
    account: str
    user_parameters: str | None  # raw; validated by decide, which answers with fail_job


def _str(container: dict, key: str, where: str, required: bool = True) -> str:
    value = container.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        got = "missing" if value is None else type(value).__name__
        raise EventError(f"{where}.{key} must be a string ({got})")
    return value


def parse(payload) -> ReferenceEvent | ScheduledEvent | ReconcileRequest | OtherEvent | JobEvent:
    if not isinstance(payload, dict):
        raise EventError(f"an event is a JSON object, not {type(payload).__name__}")
    if "CodePipeline.job" in payload:
        return _job(payload["CodePipeline.job"])
    if "detail" not in payload:
        raise EventError("not an EventBridge event (no 'detail') nor a CodePipeline job (no 'CodePipeline.job')")
    detail = payload["detail"]
    if not isinstance(detail, dict):
        raise EventError(f"$.detail must be an object ({type(detail).__name__})")
    source = _str(payload, "source", "$")
    detail_type = _str(payload, "detail-type", "$")
    event_id = _str(payload, "id", "$", required=False)
    if (source, detail_type) in REFERENCE_SOURCES:
        event = _str(detail, "event", "$.detail")
        commit_key = "oldCommitId" if event == "referenceDeleted" else "commitId"
        return ReferenceEvent(
            event_id=event_id, account=_str(payload, "account", "$", required=False),
            region=_str(payload, "region", "$", required=False), event=event,
            repository=_str(detail, "repositoryName", "$.detail"),
            reference_type=_str(detail, "referenceType", "$.detail"),
            reference_name=_str(detail, "referenceName", "$.detail"),
            commit_id=_str(detail, commit_key, "$.detail", required=False),
        )
    if source == RECONCILE_SOURCE and detail_type == RECONCILE_DETAIL_TYPE:
        return ReconcileRequest(*(_str(detail, k, "$.detail") for k in
                                  ("operation", "repository", "branch", "commit", "provisioned_product_name")),
                                delivery=_str(detail, "delivery", "$.detail", required=False))
    if source == "aws.events" and detail_type == SCHEDULED_DETAIL_TYPE:
        resources = payload.get("resources") or [""]
        if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
            raise EventError("$.resources must be a list of strings")
        return ScheduledEvent(event_id, _str(payload, "account", "$", required=False),
                              _str(payload, "region", "$", required=False), resources[0])
    return OtherEvent(event_id, source, detail_type)


def reconcile_request(decision, delivery: str = "") -> dict:
    """The event the reconciler sends the lifecycle Lambda for one Provision or Terminate.

    ``delivery`` is the scheduled run's event id: every run's repair of a
    branch is a new provisioning request, and a retry of it the same one.
    """
    detail = {"operation": decision.action, "repository": decision.repository, "branch": decision.branch,
              "commit": getattr(decision, "commit", ""), "provisioned_product_name": decision.provisioned_product_name,
              "delivery": delivery}
    return {"source": RECONCILE_SOURCE, "detail-type": RECONCILE_DETAIL_TYPE, "detail": detail}


def job_id_of(payload) -> str | None:
    """The CodePipeline job id of a payload that carries a well-formed one, else None (nothing to answer)."""
    job = payload.get("CodePipeline.job") if isinstance(payload, dict) else None
    job_id = job.get("id") if isinstance(job, dict) else None
    return job_id if isinstance(job_id, str) and JOB_ID.fullmatch(job_id) else None


def _dig(node, *keys):
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _job(job) -> JobEvent:
    if not isinstance(job, dict):
        raise EventError("$['CodePipeline.job'] must be an object")
    job_id = _str(job, "id", "$['CodePipeline.job']")
    if not JOB_ID.fullmatch(job_id):
        raise EventError(f"$['CodePipeline.job'].id {job_id[:60]!r} is not a CodePipeline job id (a UUID)")
    params = _dig(job, "data", "actionConfiguration", "configuration", "UserParameters")
    account = job.get("accountId")
    return JobEvent(job_id, account if isinstance(account, str) else "", params if isinstance(params, str) else None)
