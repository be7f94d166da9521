"""The webhook endpoint: route, verify, read, refuse replays, hand branch changes to the lifecycle Lambda, answer.

The URL's path names the repository (``/<name in the configuration>``), so
the secret to verify with is chosen before the body is read, and the body
is trusted for nothing until it verifies. ``assess`` is the pure part,
shared with ``python -m generator event``; ``receive`` is the Lambda. What a
verified delivery turns into is the event the lifecycle Lambda also gets
from CodeCommit's rule (``events.WEBHOOK_SOURCE``): it decides again and
checks the branch before it launches or terminates anything. The endpoint
hands over only what ``decide`` would act on, asynchronously (Lambda
retries and dead-letters it), and answers within the provider's timeout.

Answers: 404 no webhook at that path, 405 not a POST, 413 too large, 401
unsigned, 403 mis-signed, 400 no delivery id or not the announced event,
503 the secret or the table could not be read, the hand-over failed or
too little of the invocation was left for it (the id is released for the
provider's retry), or another request is handing the same delivery over
right now (its claim is a lease: if that request dies, the id is free
again when it could no longer be running); 202 when something was
handed over, 200 when nothing needed doing, and 200 for a delivery id
already received (nothing is done again). Everything verified and ignored
is still 2xx: GitLab disables a webhook after repeated failures, 4xx and
5xx alike (GitLab Docs, "Webhooks", auto-disabled webhooks).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from ...core.naming import function_name, webhook_table_name
from ..clients import WEBHOOK_LIMITS
from ..decide import decide
from ..decisions import Provision, Terminate
from . import payloads, replays, request, secret_cache, signatures
from .request import Delivery, RequestError

ACT_ON = (Provision, Terminate)
LONGEST_TIMEOUT_SECONDS = 900  # Lambda quotas: function timeout, 900 seconds
# A hand-over starts only while the invocation can outlast its worst case, so that the endpoint answers instead of
# being cut off by its timeout (which leaves the claim to its lease).
HAND_OVER_SECONDS = WEBHOOK_LIMITS.worst_call_seconds()


class OutOfTime(Exception):
    """Too little of the invocation is left to hand a change over."""


@dataclass(frozen=True)
class Outcome:
    status: int
    reason: str
    repository: str = ""
    provider: str = ""
    delivery: str = ""
    verified: bool | None = None  # None: not checked (no secret given)
    decisions: tuple[dict, ...] = ()
    changes: tuple[dict, ...] = field(default=(), repr=False)  # the events to hand over

    def as_dict(self) -> dict:
        out = {"action": "webhook", "status": self.status, "reason": self.reason, "verified": self.verified}
        for key in ("repository", "provider", "delivery"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.decisions:
            out["decisions"] = list(self.decisions)
        return out


def route(delivery: Delivery, cat):
    """The configured repository the path names; RequestError 404 or 405 otherwise."""
    name = delivery.path.strip("/")
    repo = cat.repository(name) if name and "/" not in name else None
    if repo is None or repo.provider == "codecommit":
        raise RequestError(404, "no webhook at this path")
    if delivery.method != "POST":
        raise RequestError(405, f"webhooks are POSTed, not {delivery.method[:10]}")
    return repo


def _same_repository(provider: str, configured: str, named: str) -> bool:
    # Paths are compared without case: GitHub and Bitbucket ignore it, GitLab redirects any spelling.
    return configured.casefold() == named.casefold()


def assess(delivery: Delivery, repo, cat, secret: bytes | None) -> Outcome:
    """What the endpoint does with a delivery for ``repo``, without AWS; ``secret`` None when it cannot be checked."""
    base = {"repository": repo.name, "provider": repo.provider}
    verified = None
    if secret is not None:
        verdict = signatures.verify(repo.provider, delivery.headers, delivery.body, secret)
        if not verdict.verified:
            return Outcome(verdict.status, verdict.reason, verified=False, **base)
        verified = True
    delivery_id = signatures.delivery_id(repo.provider, delivery.headers)
    if delivery_id is None:
        headers = " or ".join(signatures.DELIVERY_HEADERS[repo.provider])
        return Outcome(400, f"no delivery id ({headers})", verified=verified, **base)
    base.update(delivery=delivery_id, verified=verified)
    try:
        payload = json.loads(request.json_text(delivery))
        tools = cat.account("tools")
        reading = payloads.read(repo.provider, signatures.event_name(repo.provider, delivery.headers), payload, repo,
                                delivery_id, tools.id if tools else "", cat.region)
    except (ValueError, UnicodeDecodeError, RecursionError, KeyError) as exc:
        return Outcome(400, f"the body is not JSON: {str(exc)[:200]}", **base)
    except payloads.PayloadError as exc:
        return Outcome(400, f"not the event its headers announce: {exc}", **base)
    if reading.repository_id and not _same_repository(repo.provider, repo.full_repository_id, reading.repository_id):
        return Outcome(200, f"the delivery is for {reading.repository_id[:200]}, but this webhook is "
                            f"{repo.full_repository_id}'s: nothing to do", **base)
    decisions, handed = [{"action": "ignore", "reason": note} for note in reading.notes], []
    for change in reading.changes:
        decision = decide(change, cat)
        decisions.append(decision.as_dict())
        if isinstance(decision, ACT_ON):
            handed.append(change)
    if handed:
        return Outcome(202, f"{len(handed)} branch change(s) handed to the lifecycle Lambda", decisions=tuple(decisions),
                       changes=tuple(handed), **base)
    return Outcome(200, "nothing to do", decisions=tuple(decisions), **base)


def _answer(outcome: Outcome) -> dict:
    """A function URL response (Lambda Developer Guide, "Invoking Lambda function URLs", response payload)."""
    return {"statusCode": outcome.status, "headers": {"content-type": "application/json"},
            "body": json.dumps(outcome.as_dict(), sort_keys=True, default=str)}


def receive(event, context, cat, clients) -> dict:
    """The Lambda function URL's handler."""
    from ..runner import log

    try:
        delivery = request.parse(event)
        repo = route(delivery, cat)
    except RequestError as exc:
        log("WARNING", "refused a request", context, status=exc.status, reason=str(exc))
        return _answer(Outcome(exc.status, str(exc)))
    try:
        secret = secret_cache.webhook_secret(clients.secretsmanager, repo.webhook_secret)
    except Exception as exc:
        log("ERROR", "cannot read the webhook secret", context, repository=repo.name, error=f"{type(exc).__name__}: {exc}")
        return _answer(Outcome(503, "cannot verify deliveries now", repository=repo.name, provider=repo.provider))
    outcome = assess(delivery, repo, cat, secret)
    if outcome.status in (200, 202) and outcome.delivery:
        outcome = _hand_over(outcome, context, cat, clients)
    log("INFO" if outcome.status < 400 else "WARNING", "webhook", context, **outcome.as_dict())
    return _answer(outcome)


def request_id(context) -> str:
    """This invocation's id (Lambda Developer Guide, "Lambda context object in Python": aws_request_id), which owns
    the delivery's claim; outside Lambda, a fresh one."""
    given = getattr(context, "aws_request_id", None)
    return given if isinstance(given, str) and given else uuid.uuid4().hex


def remaining_seconds(context) -> float:
    """How long this invocation may still run (Lambda Developer Guide, "Lambda context object in Python":
    get_remaining_time_in_millis); outside Lambda, Lambda's longest timeout."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return remaining() / 1000.0 if callable(remaining) else LONGEST_TIMEOUT_SECONDS


def _answered(outcome: Outcome, status: int, reason: str) -> Outcome:
    """The delivery's outcome answered otherwise, without its decisions: nothing of them was done here."""
    return Outcome(status, reason, repository=outcome.repository, provider=outcome.provider, delivery=outcome.delivery,
                   verified=outcome.verified)


def _hand_over(outcome: Outcome, context, cat, clients) -> Outcome:
    """Claim the delivery id for as long as this invocation can run, hand each change to the lifecycle Lambda, then
    complete the claim; release it if a hand-over fails or there is too little time left for one."""
    from ..runner import log

    table, key = webhook_table_name(cat.stack_prefix), f"{outcome.provider}:{outcome.delivery}"
    owner = request_id(context)
    try:
        found = replays.claim(clients.dynamodb, table, key, owner, remaining_seconds(context))
    except Exception as exc:
        log("ERROR", "cannot record the delivery", context, error=f"{type(exc).__name__}: {exc}")
        return _answered(outcome, 503, "cannot record deliveries now")
    if found == replays.RECEIVED:
        # 2xx: GitLab counts any other answer toward disabling the webhook (GitLab Docs, "Webhooks", auto-disabled
        # webhooks: 4 consecutive failures disable it for a while, 40 for good), and its retries keep their
        # Idempotency-Key; GitHub's redelivery keeps X-GitHub-Delivery.
        return _answered(outcome, 200, f"delivery {outcome.delivery} already received, nothing done")
    if found == replays.BUSY:
        return _answered(outcome, 503, f"delivery {outcome.delivery} is being handed over by another request; retry it "
                                      "if that one fails")
    target = function_name(cat.stack_prefix, "branch-lifecycle")
    try:
        for change in outcome.changes:
            if remaining_seconds(context) < HAND_OVER_SECONDS:
                raise OutOfTime(f"{remaining_seconds(context):.1f} s left, a hand-over may take {HAND_OVER_SECONDS:.0f} s")
            # Asynchronous: the lifecycle Lambda retries and dead-letters on its own, as for EventBridge's events.
            clients.lambda_.invoke(FunctionName=target, InvocationType="Event",
                                   Payload=json.dumps(change, sort_keys=True).encode("utf-8"))
    except Exception as exc:
        log("ERROR", "hand-over failed; the delivery is released for a retry", context, error=f"{type(exc).__name__}: {exc}")
        try:
            replays.release(clients.dynamodb, table, key, owner)
        except Exception as again:
            log("ERROR", "cannot release the delivery", context, error=f"{type(again).__name__}: {again}")
        return _answered(outcome, 503, "could not hand the branch change over; retry the delivery")
    try:
        if not replays.complete(clients.dynamodb, table, key, owner):
            log("WARNING", "the delivery's claim was taken over before it was completed", context)
    except Exception as exc:
        # Handed over all the same: the claim's lease runs out, and a redelivery would hand it over again, which the
        # lifecycle Lambda takes as it takes any repeated event (it checks the branch first).
        log("ERROR", "cannot complete the delivery's claim", context, error=f"{type(exc).__name__}: {exc}")
    return outcome
