"""What each Lambda does with one invocation: decide, log, execute, answer.

The handlers in lambdas/ are one line each over these, so that the tests
drive exactly the code that runs in AWS.
"""

from __future__ import annotations

import json
import os
import sys
import time
from functools import lru_cache
from pathlib import Path

from ..core import connections
from ..core.exceptions import EventError
from ..core.model import Catalogue
from ..core.naming import function_name
from ..core.parse import load_compiled
from . import providers, provisioning, pull_requests, reconcile
from .decide import decide
from .decisions import FailJob, Ignore, OpenPullRequests, Provision, Reconcile, Terminate
from .events import job_id_of, reconcile_request
from .providers.http import Budget

CONFIG_FILE = "config.json"
# Seconds of an invocation kept back from the providers' requests for what follows them.
RESERVE = {"lifecycle": 10.0, "pull-requests": pull_requests.ANSWER_RESERVE, "reconciler": 30.0}


@lru_cache(maxsize=4)
def bundled_config(folder: str) -> Catalogue:
    """The compiled config the build put next to handler.py; read once per container, with the ARNs of the connections
    the tools stack created, which the automation stack hands the lifecycle Lambda in its environment."""
    return connections.from_environment(load_compiled(Path(folder, CONFIG_FILE).read_bytes()), os.environ)


def log(level: str, message: str, context=None, **fields) -> None:
    """One JSON line: CloudWatch Logs Insights can filter on every field."""
    record = {"level": level, "message": message, "timestamp": round(time.time(), 3),
              "request_id": getattr(context, "aws_request_id", None), **fields}
    sys.stdout.write(json.dumps(record, sort_keys=True, default=str) + "\n")
    sys.stdout.flush()


def _fields(decision) -> dict:
    d = decision.as_dict()
    return {k: d.get(k) for k in ("action", "reason", "repository", "branch", "source_branch",
                                  "provisioned_product_name", "product", "idempotency_token") if d.get(k) is not None}


def _decide(event, context, cat: Catalogue, expected: tuple, what: str):
    """The decision, or a ``drop`` answer for events this function must not act on.

    A malformed event is logged and dropped, never raised: a retry could
    never make it succeed.
    """
    try:
        decision = decide(event, cat)
    except EventError as exc:
        log("ERROR", f"dropped a malformed event: {exc}", context, action="drop")
        return None, {"action": "drop", "reason": str(exc)}
    if not isinstance(decision, expected):
        log("WARNING", f"not {what}; nothing to do", context, **_fields(decision))
        return None, {"action": "drop", "reason": f"not {what}: {decision.reason}"}
    log("INFO", "decision", context, **_fields(decision))
    return decision, None


def branch_lifecycle(event, context, cat: Catalogue, clients) -> dict:
    decision, dropped = _decide(event, context, cat, (Provision, Terminate, Ignore), "a branch event")
    if dropped:
        return dropped
    if isinstance(decision, Provision | Terminate):
        # The branch is checked where it lives, when the decision is carried out.
        branches = providers.for_repository(cat.repository(decision.repository), clients,
                                            Budget.for_invocation(context, RESERVE["lifecycle"]))
    if isinstance(decision, Provision):
        result = provisioning.provision(clients.servicecatalog, branches, decision)
    elif isinstance(decision, Terminate):
        result = provisioning.terminate(clients.servicecatalog, branches, cat, decision)
    else:
        result = {"outcome": "ignored"}
    log("INFO", "done", context, **{**_fields(decision), **result})
    return {**decision.as_dict(), **result}


def pull_request_job(event, context, cat: Catalogue, clients) -> dict:
    try:
        decision, dropped = _decide(event, context, cat, (OpenPullRequests, FailJob), "a CodePipeline job")
    except Exception as exc:
        # A job whose reading fails in a way decide did not foresee is still
        # answered, or CodePipeline waits for it until the action times out.
        job_id = job_id_of(event)
        if job_id is None:
            raise
        log("ERROR", f"could not decide on job {job_id}", context, error=f"{type(exc).__name__}: {exc}")
        decision, dropped = FailJob(reason=f"the pull-request step could not read its job: {type(exc).__name__}: {exc}",
                                    job_id=job_id, failure_type="JobFailed"), None
    if dropped:
        return dropped
    repo = cat.repository(decision.repository) if isinstance(decision, OpenPullRequests) else None
    result = pull_requests.run(clients, decision, repo, Budget.for_invocation(context, RESERVE["pull-requests"]))
    log("INFO", "done", context, **{**_fields(decision), **result})
    return {**decision.as_dict(), **result}


def scheduled(event, context, cat: Catalogue, clients) -> dict:
    _, dropped = _decide(event, context, cat, (Reconcile,), "a scheduled event")
    if dropped:
        return dropped
    delivery = event.get("id", "") if isinstance(event.get("id"), str) else ""
    unlisted: dict[str, str] = {}
    live = reconcile.reconcile_plan(clients, cat, delivery, Budget.for_invocation(context, RESERVE["reconciler"]),
                                    unlisted)
    target = function_name(cat.stack_prefix, "branch-lifecycle")
    for item in (*live.provision, *live.terminate):
        # Asynchronous: the lifecycle Lambda retries and dead-letters on its own.
        clients.lambda_.invoke(FunctionName=target, InvocationType="Event",
                               Payload=json.dumps(reconcile_request(item, delivery), sort_keys=True).encode("utf-8"))
        log("INFO", "reconcile request sent", context, **_fields(item), function=target)
    counts = {"provision_requests": len(live.provision), "terminate_requests": len(live.terminate)}
    log("INFO", "reconcile finished", context, action="reconcile", repositories=list(live.repositories), **counts)
    if unlisted:
        # After the other repositories' repairs went out: the run fails, so Lambda retries it and then keeps it in
        # the dead-letter queue, where status shows it.
        raise reconcile.Unlisted(unlisted)
    return {**live.as_dict(), "counts": counts}


def handler_folder(module_file: str) -> str:
    return os.path.dirname(os.path.abspath(module_file))


def lambda_handler(module_file: str, run, clients):
    """A Lambda entry point that reads the config bundled next to ``module_file`` and calls ``run``."""
    def handler(event, context):
        return run(event, context, bundled_config(handler_folder(module_file)), clients)
    handler.clients = clients  # so that tests can hand in stubbed clients
    return handler
