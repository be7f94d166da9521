"""Deliveries already received, so that none is handed over twice: a conditional write to a DynamoDB table.

A request claims a delivery id with a short lease (state ``pending``, the
item expiring when the request can no longer be running), hands the
delivery over, then completes it (state ``done``, kept a week). The
conditional put succeeds only for an id that is absent or expired
(DynamoDB Developer Guide, "Condition expressions": a PutItem whose
condition fails raises ConditionalCheckFailedException and writes
nothing), so a request that dies between claim and completion (its
timeout, out of memory) blocks the id only until its lease runs out; the
provider's redelivery then takes it over. Items expire through the
table's time to live; DynamoDB deletes expired items only eventually
("Time to Live": typically within a few days), so an expired item that is
still there counts as absent. An id whose hand-over failed is released, so
that the provider's retry can succeed at once.

Each item names its owner, the Lambda request that wrote it. botocore
retries a PutItem whose response was lost (a read timeout, a reset
connection) although DynamoDB may have applied it; the retry then fails its
own condition. ReturnValuesOnConditionCheckFailure=ALL_OLD (DynamoDB API
Reference, PutItem; the ConditionalCheckFailedException then carries the
``Item`` that failed the condition) shows whose item it is: this request's
own is its claim, not a replay. Completion and release are conditional on
the owner too, so that neither touches a claim another request took over.
"""

from __future__ import annotations

import math
import time

from ..clients import error_code

KEEP_SECONDS = 7 * 24 * 3600  # beyond GitHub's redelivery window of three days
CLOCK_SKEW_SECONDS = 1  # the lease is compared with another host's clock
KEY = "delivery"
EXPIRES = "expires_at"
OWNER = "owner"
STATE = "state"
PENDING, DONE = "pending", "done"

# What a claim finds.
CLAIMED = "claimed"  # this request's: hand the delivery over
RECEIVED = "received"  # handed over before: nothing to do again
BUSY = "busy"  # another request holds a live lease: it is handing the delivery over now


def now() -> float:
    return time.time()


def _condition_failed(exc: BaseException) -> bool:
    return error_code(exc) == "ConditionalCheckFailedException"


def claim(ddb, table: str, key: str, owner: str, lease_seconds: float, at: float | None = None) -> str:
    """CLAIMED, RECEIVED or BUSY for ``key``; ``owner`` is this request's id, ``lease_seconds`` how long it may still
    run."""
    at = int(now() if at is None else at)
    until = at + math.ceil(lease_seconds) + CLOCK_SKEW_SECONDS
    try:
        ddb.put_item(TableName=table, Item={KEY: {"S": key}, EXPIRES: {"N": str(until)}, OWNER: {"S": owner},
                                            STATE: {"S": PENDING}},
                     ConditionExpression="attribute_not_exists(#k) OR #e < :now",
                     ExpressionAttributeNames={"#k": KEY, "#e": EXPIRES},
                     ExpressionAttributeValues={":now": {"N": str(at)}},
                     ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except Exception as exc:
        if not _condition_failed(exc):
            raise
        item = (getattr(exc, "response", None) or {}).get("Item") or {}
        if item.get(OWNER, {}).get("S") == owner:
            return CLAIMED
        # An item without a state was written before leases: it was handed over then.
        return BUSY if item.get(STATE, {}).get("S") == PENDING or not item else RECEIVED
    return CLAIMED


def complete(ddb, table: str, key: str, owner: str, at: float | None = None) -> bool:
    """Mark this request's claim done, kept a week; False when it is no longer this request's."""
    at = int(now() if at is None else at)
    try:
        ddb.put_item(TableName=table, Item={KEY: {"S": key}, EXPIRES: {"N": str(at + KEEP_SECONDS)},
                                            OWNER: {"S": owner}, STATE: {"S": DONE}},
                     ConditionExpression="#o = :me", ExpressionAttributeNames={"#o": OWNER},
                     ExpressionAttributeValues={":me": {"S": owner}})
    except Exception as exc:
        if not _condition_failed(exc):
            raise
        return False
    return True


def release(ddb, table: str, key: str, owner: str) -> None:
    """Give the id back, if it is still this request's."""
    try:
        ddb.delete_item(TableName=table, Key={KEY: {"S": key}}, ConditionExpression="#o = :me",
                        ExpressionAttributeNames={"#o": OWNER}, ExpressionAttributeValues={":me": {"S": owner}})
    except Exception as exc:
        if not _condition_failed(exc):
            raise
