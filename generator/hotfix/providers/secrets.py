"""API tokens, read from Secrets Manager through the client passed in, once per container.

The config names the secret (``api_token``), never the value. Its
SecretString is the token itself, or a JSON object ``{"token": "..."}``; for
Bitbucket Cloud API tokens (and the app passwords they replace), which
authenticate with HTTP Basic, ``{"username": "...", "token": "..."}`` with
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
    if text.startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except ValueError:
            raise bad("starts like JSON but is not JSON") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("token"), str) or not isinstance(doc.get("username", ""), str):
            raise bad('is a JSON object without a string "token" (and optional string "username")')
        text, username = doc["token"].strip(), doc.get("username", "").strip()
    else:
        username = ""
    if not text:
        raise bad("is empty")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text + username) or (username and ":" in username):
        # Header values cannot carry line breaks or controls, and Basic splits at the first ':'.
        raise bad("holds control characters, or a username with ':'")
    return Credentials(text, username)
