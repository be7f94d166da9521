"""API tokens, read from Secrets Manager through the client passed in, once per container.

The config names the secret (``api_token``), never the value. Its
SecretString is the token itself (as text, or as a JSON string), or a JSON
object ``{"token": "..."}``; for Bitbucket Cloud API tokens (and the app
passwords they replace), which authenticate with HTTP Basic, ``{"username": "...", "token": "..."}`` with
the Atlassian account's email or Bitbucket username ("Using API tokens",
Bitbucket Cloud documentation). A token a provider rejects is read again
once (``refresh``), so a rotated secret is picked up without a new
container.

Secrets Manager API reference, GetSecretValue: ResourceNotFoundException
when the secret is not there, AccessDeniedException when the role may not
read it or decrypt it with its KMS key; SecretString is absent when the
secret holds SecretBinary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..clients import error_code
from .base import ProviderConfigurationError, ProviderPermissionError
from .deadline import within


@dataclass(frozen=True)
class Credentials:
    token: str
    username: str = ""  # set for HTTP Basic (Bitbucket API tokens)

    def __repr__(self) -> str:  # a token never reaches a log line
        return f"Credentials(username={self.username!r}, token=<{len(self.token)} characters>)"


_cache: dict[str, Credentials] = {}


def forget() -> None:
    """A new container, as far as the cache knows (tests)."""
    _cache.clear()


def api_token(clients, name: str, refresh: bool = False, seconds: float | None = None) -> Credentials:
    """``seconds``: how long the read may take (what the invocation's budget has left); unbounded when None."""
    if refresh:
        _cache.pop(name, None)
    if name in _cache:
        return _cache[name]
    try:
        value = within(seconds, f"reading the API token secret '{name}'",
                       lambda: clients.secretsmanager.get_secret_value(SecretId=name))
    except Exception as exc:
        code = error_code(exc)
        if code == "ResourceNotFoundException":
            raise ProviderConfigurationError(f"the API token secret '{name}' does not exist in Secrets Manager "
                                             "(or has no current version)") from exc
        if code in {"AccessDeniedException", "AccessDenied"}:
            raise ProviderPermissionError(f"this function may not read the API token secret '{name}' "
                                          "(secretsmanager:GetSecretValue, or kms:Decrypt on its key)") from exc
        raise
    _cache[name] = parse(name, value.get("SecretString"))
    return _cache[name]


def parse(name: str, text) -> Credentials:
    def bad(why: str) -> ProviderConfigurationError:
        return ProviderConfigurationError(f"the API token secret '{name}' {why}")

    if not isinstance(text, str):
        raise bad("has no SecretString: store the token as text")
    text = text.strip()
    if text.startswith(("{", "[", '"')):
        try:
            doc = json.loads(text)
        except ValueError:
            raise bad("starts like JSON but is not JSON") from None
        if isinstance(doc, str):  # a token stored as a JSON string: its quotes are not part of it
            doc = {"token": doc}
        if not isinstance(doc, dict) or not isinstance(doc.get("token"), str) or not isinstance(doc.get("username", ""), str):
            raise bad('is a JSON object without a string "token" (and optional string "username")')
        text, username = doc["token"].strip(), doc.get("username", "").strip()
    else:
        username = ""
    if not text:
        raise bad("is empty")
    if not all(_sendable(ch) for ch in text):
        # The token travels as a header value (Bearer, PRIVATE-TOKEN), which http.client sends as Latin-1 and RFC 9110
        # (5.5) limits to visible characters; every provider's tokens are visible ASCII. A typographic quote or a
        # zero-width space pasted with it would otherwise fail every request as if the network were down.
        raise bad("holds a character other than visible ASCII (a space, a control, a typographic quote, a "
                  "zero-width space...): store the token exactly as the provider showed it")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in username) or ":" in username:
        # HTTP Basic carries the username base64-encoded, but splits at the first ':' (RFC 7617).
        raise bad("names a username with a control character or a ':'")
    return Credentials(text, username)


def _sendable(ch: str) -> bool:
    return "!" <= ch <= "~"
