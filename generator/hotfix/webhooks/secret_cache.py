"""Webhook secrets from Secrets Manager, kept a few minutes per container.

GetSecretValue by the secret's name (Secrets Manager API reference: SecretId
is the ARN or the name); SecretString, or SecretBinary for a secret stored
as bytes. A rotated secret is picked up within ``TTL_SECONDS``; a failed
read is not cached.
"""

from __future__ import annotations

import time

TTL_SECONDS = 300
_cache: dict[str, tuple[float, bytes]] = {}


def webhook_secret(sm, name: str, now: float | None = None) -> bytes:
    now = time.monotonic() if now is None else now
    hit = _cache.get(name)
    if hit and now - hit[0] < TTL_SECONDS:
        return hit[1]
    response = sm.get_secret_value(SecretId=name)
    value = response["SecretString"].encode("utf-8") if "SecretString" in response else bytes(response["SecretBinary"])
    _cache[name] = (now, value)
    return value


def forget() -> None:
    """Empty the cache (tests; a container never needs it)."""
    _cache.clear()
