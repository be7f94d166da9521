"""Deliveries already received, so that a replayed one is refused: a conditional write to a DynamoDB table.

The first request with an id writes it; any later one with the same id finds
it and is refused (DynamoDB Developer Guide, "Condition expressions": a
PutItem with attribute_not_exists on the key fails with
ConditionalCheckFailedException when the item exists). Items expire after a
week through the table's time to live; DynamoDB deletes expired items only
eventually ("Time to Live": typically within a few days), so an expired item
that is still there counts as absent. An id whose hand-over failed is
released, so that the provider's retry can succeed.
"""

from __future__ import annotations

import time

from ..clients import error_code

KEEP_SECONDS = 7 * 24 * 3600  # beyond GitHub's redelivery window of three days
KEY = "delivery"
EXPIRES = "expires_at"


def claim(ddb, table: str, key: str, now: float | None = None) -> bool:
    """True for the first request with ``key``; False for a replay."""
    now = int(time.time() if now is None else now)
    try:
        ddb.put_item(TableName=table, Item={KEY: {"S": key}, EXPIRES: {"N": str(now + KEEP_SECONDS)}},
                     ConditionExpression="attribute_not_exists(#k) OR #e < :now",
                     ExpressionAttributeNames={"#k": KEY, "#e": EXPIRES},
                     ExpressionAttributeValues={":now": {"N": str(now)}})
    except Exception as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release(ddb, table: str, key: str) -> None:
    ddb.delete_item(TableName=table, Key={KEY: {"S": key}})
