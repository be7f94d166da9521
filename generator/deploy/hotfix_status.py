"""`status` for the hotfix flow: branches and their pipelines, as the reconciler sees them, and what needs a person.

The comparison is the reconciler's own (generator/hotfix/decide.plan over
the same live branches and provisioned products the reconciler Lambda
reads), so what `status` says would be repaired is what the next scheduled
run repairs. Products in ERROR or TAINTED count as existing for the
reconciler, which never touches them: those need a person, as do the
events in the automation's dead-letter queue.

The dead-letter queue is peeked, not consumed: ReceiveMessage with
VisibilityTimeout 0 leaves every message visible and in the queue
(SQS API reference, ReceiveMessage); it only raises their receive count.
"""

from __future__ import annotations

import json

from ..core.model import Catalogue
from ..core.naming import provisioned_product_name
from ..hotfix import reconcile
from ..hotfix.clients import Clients
from ..hotfix.decide import plan
from ..hotfix.provisioning import BROKEN
from ..printable import printable_lines
from .stacks import error_code

PEEK = 10  # ReceiveMessage returns at most 10 messages


# GetQueueAttributes on a deleted queue: QueueDoesNotExist, whose query-compatible code
# is AWS.SimpleQueueService.NonExistentQueue (botocore's sqs model; SQS API reference).
NO_QUEUE = {"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"}


def absent(queue: str | None) -> dict:
    """A dead-letter queue the automation stack should have and does not: failed events have nowhere to go."""
    return {"queue": queue, "messages": 0, "peek": [], "absent": True}


def dead_letters(sqs, queue_url: str) -> dict:
    try:
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    except Exception as exc:
        if error_code(exc) in NO_QUEUE:
            return absent(queue_url)
        raise
    count = int(attributes.get("ApproximateNumberOfMessages", 0))
    peeked = []
    if count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=PEEK, VisibilityTimeout=0,
                                       WaitTimeSeconds=0, MessageAttributeNames=["All"]).get("Messages", [])
        peeked = [_summary(m) for m in messages]
    return {"queue": queue_url, "messages": count, "peek": peeked, "absent": False}


def _summary(message: dict) -> str:
    """What failed to be delivered, and why (EventBridge and Lambda put the error in message attributes)."""
    attrs = {k: v.get("StringValue", "") for k, v in message.get("MessageAttributes", {}).items()}
    error = attrs.get("ERROR_MESSAGE") or attrs.get("ErrorMessage") or attrs.get("ERROR_CODE") or "no error attribute"
    try:
        body = json.loads(message.get("Body", ""))
    except ValueError:
        body = {}
    detail = body.get("detail", {}) if isinstance(body, dict) else {}
    what = body.get("detail-type", "a message") if isinstance(body, dict) else "a message"
    where = " ".join(str(detail[k]) for k in ("repositoryName", "referenceName") if isinstance(detail, dict) and k in detail)
    return f"{what}{' ' + where if where else ''}: {error}"


def report(cat: Catalogue, codecommit, servicecatalog, sqs=None, queue_url: str | None = None,
           dead_letter_queue: dict | None = None, secretsmanager=None) -> dict:
    """``dead_letter_queue`` is what the caller already knows of the queue (absent), else ``queue_url`` is read.
    ``secretsmanager`` reads the API tokens of repositories on GitHub, GitLab or Bitbucket."""
    branches = reconcile.live_branches(Clients(codecommit=codecommit, secretsmanager=secretsmanager), cat)
    managed = reconcile.managed_products(servicecatalog)
    repair = plan(cat, branches, managed)
    by_name = {p["name"]: p for p in managed}
    missing = {(d.repository, d.branch) for d in repair.provision}
    repositories = []
    for repo in sorted(cat.hotfix.repositories if cat.hotfix else (), key=lambda r: r.name):
        rows = []
        for branch, commit in sorted(branches.get(repo.name, {}).items()):
            name = provisioned_product_name(cat.stack_prefix, repo.name, branch)
            product = by_name.get(name)
            rows.append({"branch": branch, "commit": commit, "pipeline": name if product else None,
                         "status": product["status"] if product else None,
                         "repair": "provision" if (repo.name, branch) in missing else None})
        repositories.append({"name": repo.name, "branches": rows})
    broken = [{"pipeline": p["name"], "status": p["status"], "repository": p["tags"].get("repository", ""),
               "branch": p["tags"].get("branch", "")} for p in sorted(managed, key=lambda p: p["name"]) if p["status"] in BROKEN]
    return {
        "repositories": repositories,
        "orphans": [{"pipeline": t.provisioned_product_name, "branch": t.branch, "repository": t.repository}
                    for t in repair.terminate],
        "broken": broken,
        "dead_letters": dead_letter_queue or (dead_letters(sqs, queue_url) if sqs is not None and queue_url else None),
        "repairs": len(repair.provision) + len(repair.terminate),
    }


def needs_a_person(hotfix: dict) -> int:
    queue = hotfix["dead_letters"] or {}
    return len(hotfix["broken"]) + queue.get("messages", 0) + bool(queue.get("absent"))


@printable_lines
def text(hotfix: dict) -> list[str]:
    lines = ["hotfix flow:"]
    for repo in hotfix["repositories"]:
        lines.append(f"  {repo['name']}: {len(repo['branches'])} hotfix branch(es)")
        for row in repo["branches"]:
            commit = row["commit"][:7]
            if row["pipeline"]:
                lines.append(f"    {row['branch']} ({commit}): pipeline {row['pipeline']} {row['status']}")
            else:
                lines.append(f"    {row['branch']} ({commit}): no pipeline; the reconciler will provision one")
    for orphan in hotfix["orphans"]:
        lines.append(f"  pipeline {orphan['pipeline']} outlived branch {orphan['branch']} of {orphan['repository']}; "
                     "the reconciler will terminate it")
    for broken in hotfix["broken"]:
        lines.append(f"  needs a person: pipeline {broken['pipeline']} ({broken['repository']} {broken['branch']}) is "
                     f"{broken['status']}; inspect it in Service Catalog and terminate it (the reconciler leaves it alone)")
    dlq = hotfix["dead_letters"]
    if dlq is not None and dlq.get("absent"):
        lines.append("  dead-letter queue: absent from the automation stack (deleted outside CloudFormation?): needs a person; "
                     "deploy again to recreate it")
    elif dlq is not None:
        lines.append(f"  dead-letter queue: {dlq['messages']} message(s)" + (" (events the automation could not handle: "
                                                                            "needs a person)" if dlq["messages"] else ""))
        lines += [f"    {m}" for m in dlq["peek"]]
    return lines
