"""Deliveries already received, so that a replayed one is refused: a conditional write to a DynamoDB table.

The first request with an id writes it; any later one with the same id finds
it and is refused (DynamoDB Developer Guide, "Condition expressions": a
PutItem with attribute_not_exists on the key fails with
ConditionalCheckFailedException when the item exists). Items expire after a
week through the table's time to live; DynamoDB deletes expired items only
eventually ("Time to Live": typically within a few days), so an expired item
that is still there counts as absent. An id whose hand-over failed is
released, so that the provider's retry can succeed.

Each item names its owner, the Lambda request that wrote it. botocore
retries a PutItem whose response was lost (a read timeout, a reset
connection) although DynamoDB may have applied it; the retry then fails its
own condition. ReturnValuesOnConditionCheckFailure=ALL_OLD (DynamoDB API
Reference, PutItem; the ConditionalCheckFailedException then carries the
``Item`` that failed the condition) shows whose item it is: this request's
own is its claim, not a replay.
"""

from __future__ import annotations

import time

from ..clients import error_code

KEEP_SECONDS = 7 * 24 * 3600  # beyond GitHub's redelivery window of three days
KEY = "delivery"
EXPIRES = "expires_at"
OWNER = "owner"


def claim(ddb, table: str, key: str, owner: str, now: float | None = None) -> bool:
    """True for the first request with ``key`` (``owner`` its request id, also when a retry of its own write finds it);
    False for a replay."""
    now = int(time.time() if now is None else now)
    try:
        ddb.put_item(TableName=table, Item={KEY: {"S": key}, EXPIRES: {"N": str(now + KEEP_SECONDS)},
                                            OWNER: {"S": owner}},
                     ConditionExpression="attribute_not_exists(#k) OR #e < :now",
                     ExpressionAttributeNames={"#k": KEY, "#e": EXPIRES},
                     ExpressionAttributeValues={":now": {"N": str(now)}},
                     ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except Exception as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return _owner(exc) == owner
        raise
    return True


def _owner(exc: BaseException) -> str:
    item = (getattr(exc, "response", None) or {}).get("Item") or {}
    return item.get(OWNER, {}).get("S", "")


def release(ddb, table: str, key: str, owner: str) -> None:
    """Give the id back, if it is still this request's."""
    try:
        ddb.delete_item(TableName=table, Key={KEY: {"S": key}}, ConditionExpression="#o = :me",
                        ExpressionAttributeNames={"#o": OWNER}, ExpressionAttributeValues={":me": {"S": owner}})
    except Exception as exc:
        if error_code(exc) != "ConditionalCheckFailedException":
            raise
