"""Is a delivery the provider's? The signature or token each provider sends, compared in constant time.

- GitHub: ``X-Hub-Signature-256: sha256=`` and the hex HMAC-SHA256 of the
  raw body, keyed with the webhook secret (GitHub Docs, "Validating webhook
  deliveries").
- Bitbucket Cloud: ``X-Hub-Signature: sha256=`` and the hex HMAC-SHA256 of
  the raw body (Bitbucket Cloud, "Manage webhooks": secured webhooks; event
  payloads, HTTP headers).
- GitLab: ``X-Gitlab-Token``, the secret token itself (GitLab Docs,
  "Webhooks", validate payloads with a secret token).

``hmac.compare_digest`` compares in time that does not depend on where the
values differ. A delivery without the header is unsigned; one whose value
differs is mis-signed: the endpoint answers 401 and 403, and does nothing.

Delivery ids, for refusing a replay: GitHub ``X-GitHub-Delivery`` (a GUID,
kept by a redelivery), GitLab ``Idempotency-Key`` (the same across GitLab's
retries; GitLab 17.4 and later) or else ``X-Gitlab-Event-UUID``, Bitbucket
``X-Request-UUID`` (``X-Hook-UUID`` names the webhook, not the delivery).
None of them is signed: a captured body replayed under a new id passes
this check, which is why every request the lifecycle Lambda receives is a
hint it checks against the repository (a replayed creation launches nothing
for a branch that is gone, a replayed deletion terminates nothing for a
branch that exists).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

SIGNATURE_HEADER = {"github": "x-hub-signature-256", "bitbucket": "x-hub-signature", "gitlab": "x-gitlab-token"}
DELIVERY_HEADERS = {"github": ("x-github-delivery",), "gitlab": ("idempotency-key", "x-gitlab-event-uuid"),
                    "bitbucket": ("x-request-uuid",)}
EVENT_HEADER = {"github": "x-github-event", "gitlab": "x-gitlab-event", "bitbucket": "x-event-key"}
_DELIVERY_ID = re.compile(r"[A-Za-z0-9{}._:-]{1,128}")


@dataclass(frozen=True)
class Verdict:
    status: int  # 200 verified, 401 unsigned, 403 mis-signed
    reason: str

    @property
    def verified(self) -> bool:
        return self.status == 200


def expected(provider: str, body: bytes, secret: bytes) -> str:
    """The header value a provider sends for this body and secret (for tests and for signing fixtures)."""
    if provider == "gitlab":
        return secret.decode("utf-8", "surrogatepass")
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(provider: str, headers: dict[str, str], body: bytes, secret: bytes) -> Verdict:
    header = SIGNATURE_HEADER[provider]
    given = headers.get(header)
    if not given:
        return Verdict(401, f"unsigned: no {header} header")
    want = expected(provider, body, secret)
    if provider != "gitlab":
        given = given.lower()  # hex digits, whichever case the sender wrote them in
    if not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), want.encode("utf-8", "surrogatepass")):
        what = "token" if provider == "gitlab" else "signature"
        return Verdict(403, f"{what} invalid: {header} does not match the webhook secret")
    return Verdict(200, "verified")


def delivery_id(provider: str, headers: dict[str, str]) -> str | None:
    """The provider's id of this delivery, or None when it sent none usable."""
    for header in DELIVERY_HEADERS[provider]:
        value = headers.get(header, "")
        if _DELIVERY_ID.fullmatch(value):
            return value
    return None


def event_name(provider: str, headers: dict[str, str]) -> str:
    return headers.get(EVENT_HEADER[provider], "")
