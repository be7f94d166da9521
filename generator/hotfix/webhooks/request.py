"""A webhook delivery as the endpoint receives it: method, path, headers, raw body.

A Lambda function URL passes the request in the API Gateway payload format
2.0: ``requestContext.http.method``, ``rawPath``, ``headers`` with lower-case
names (several values of one header joined by commas), ``body``, and
``isBase64Encoded`` when Lambda encoded a binary body (Lambda Developer
Guide, "Invoking Lambda function URLs", request payload). ``python -m
generator event`` also takes ``{"headers": {...}, "body": "..."}``. The
body stays bytes: a signature is over exactly what the provider sent.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from dataclasses import dataclass

# Far above any branch creation or deletion (a few kilobytes; GitLab lists at most 20 commits, Bitbucket 5), far
# below the 6 MB a function URL passes: a larger body is refused before it is hashed. GitHub lists up to 2,048
# commits in a push, so a huge push can exceed it; it is refused with 413, and a branch it created is repaired by
# the reconciler.
MAX_BODY = 1024 * 1024


class RequestError(Exception):
    """A request the endpoint cannot read at all; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Delivery:
    method: str
    path: str  # the URL path: "/" and the repository's name in the configuration
    headers: dict[str, str]  # lower-case names
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def json_text(delivery: Delivery) -> str:
    """The JSON payload: the body, or its ``payload`` field when a GitHub webhook is set to form encoding (GitHub Docs,
    "Creating webhooks": application/x-www-form-urlencoded sends the JSON payload as a form parameter called payload).
    ValueError, KeyError or UnicodeDecodeError when the body is neither."""
    text = delivery.body.decode("utf-8")
    if (delivery.header("content-type") or "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return urllib.parse.parse_qs(text, strict_parsing=True, max_num_fields=10)["payload"][0]
    return text


def _headers(raw) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise RequestError(400, "headers must be an object of strings")
    return {k.lower(): v for k, v in raw.items()}


def _body(raw, encoded) -> bytes:
    if raw is None:
        return b""
    if not isinstance(raw, str):
        raise RequestError(400, "the body must be the raw request body, as a string")
    if encoded is True:
        if len(raw) > (MAX_BODY + 2) // 3 * 4 + 4:
            raise RequestError(413, f"the body is larger than {MAX_BODY:,} bytes")
        try:
            return base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise RequestError(400, "isBase64Encoded, but the body is not base64") from None
    if len(raw) > MAX_BODY:  # each character is at least one byte
        raise RequestError(413, f"the body is larger than {MAX_BODY:,} bytes")
    return raw.encode("utf-8", "surrogatepass")


def parse(event) -> Delivery:
    """A function URL event, or ``{"headers", "body"[, "isBase64Encoded", "path", "method"]}``; RequestError otherwise."""
    if not isinstance(event, dict):
        raise RequestError(400, f"a webhook delivery is a JSON object, not {type(event).__name__}")
    http = (event.get("requestContext") or {}).get("http") if isinstance(event.get("requestContext"), dict) else None
    method = (http or {}).get("method") if isinstance(http, dict) else event.get("method", "POST")
    path = event.get("rawPath", event.get("path", ""))
    if not isinstance(method, str) or not isinstance(path, str):
        raise RequestError(400, "method and path must be strings")
    body = _body(event.get("body"), event.get("isBase64Encoded"))
    if len(body) > MAX_BODY:
        raise RequestError(413, f"the body is larger than {MAX_BODY:,} bytes")
    return Delivery(method.upper(), path, _headers(event.get("headers")), body)


def is_delivery(event) -> bool:
    """Whether an event is a webhook delivery (a function URL event or headers and body), not an AWS event."""
    return isinstance(event, dict) and ("rawPath" in event or ("headers" in event and "body" in event)) \
        and "detail" not in event and "CodePipeline.job" not in event
