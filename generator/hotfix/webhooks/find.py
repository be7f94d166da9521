"""Which configured repository a delivery is for, when it comes without the endpoint's path (``generator event``).

The provider from the event header only it sends, the repository from the
id its payload names, as ``payloads`` reads it. The endpoint itself never
guesses: its URL path names the repository, before any body is trusted.
"""

from __future__ import annotations

import json

from . import payloads, signatures
from .request import Delivery, RequestError, json_text


def provider_of(headers: dict[str, str]) -> str | None:
    found = [p for p, header in signatures.EVENT_HEADER.items() if header in headers]
    return found[0] if len(found) == 1 else None


def repository_of(delivery: Delivery, cat):
    provider = provider_of(delivery.headers)
    if provider is None:
        raise RequestError(400, "no path, and the headers name no one provider (X-GitHub-Event, X-Gitlab-Event or X-Event-Key)")
    try:
        payload = json.loads(json_text(delivery))
        named = payloads.repository_id(provider, payload)
    except (ValueError, KeyError, UnicodeDecodeError, RecursionError, payloads.PayloadError):
        named = ""
    repos = cat.hotfix.repositories if cat.hotfix else ()
    match = [r for r in repos if r.provider == provider and named and r.full_repository_id.casefold() == named.casefold()]
    if not match:
        raise RequestError(404, f"no configured {provider} repository is {named or 'named in the payload'}; give the "
                                "delivery the path of its webhook: \"path\": \"/<repository>\"")
    return match[0]
