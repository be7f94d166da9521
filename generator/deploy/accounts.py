"""Credentials per account role: a named profile or the environment, then the account's deploy role.

Every session is checked with sts:GetCallerIdentity before it is used: the
credentials must belong to the account the config names, so a profile that
points at the wrong account stops the run before anything changes.

An assumed role's credentials last an hour by default, and at most an hour
when the credentials that assume it are themselves a role's (role chaining;
AssumeRole, STS API reference), while a run may wait longer than that on
CloudFormation or on a StackSet across hundreds of accounts. So the role is
assumed again before its credentials expire: botocore's RefreshableCredentials
renews them within 15 minutes of their expiry (botocore/credentials.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.model import Catalogue
from .errors import DeployError

SESSION_NAME = "service-catalog-toolkit-deploy"
MAX_ATTEMPTS = 8  # botocore's standard retry mode: throttling and 5xx, with backoff


_loader = None


def make_session(refresh: Callable[[], dict] | None = None, **kwargs):
    """A boto3 session (a profile, or credentials, or ``refresh``: a function that assumes a role again); tests put a
    recording factory here.

    Sessions share one botocore data loader: each would otherwise read the
    service models from disk again, and a run opens several per account.
    """
    import boto3
    import botocore.session

    global _loader
    core = botocore.session.get_session()
    if _loader is None:
        _loader = core.get_component("data_loader")
    else:
        core.register_component("data_loader", _loader)
    if refresh is not None:
        from botocore.credentials import CredentialResolver

        core.register_component("credential_provider", CredentialResolver([_assumed_role(refresh)]))
    return boto3.Session(botocore_session=core, **kwargs)


def _assumed_role(refresh: Callable[[], dict]):
    """A credential provider whose credentials botocore renews, by calling ``refresh``, before they expire."""
    from botocore.credentials import CredentialProvider, RefreshableCredentials

    class AssumedRole(CredentialProvider):
        METHOD = "assume-role"

        def load(self):
            return RefreshableCredentials.create_from_metadata(refresh(), refresh, self.METHOD)

    return AssumedRole()


def assume(sts, arn: str) -> Callable[[], dict]:
    """A function that assumes the role and answers in the form RefreshableCredentials reads (botocore/credentials.py)."""

    def refresh() -> dict:
        creds = sts.assume_role(RoleArn=arn, RoleSessionName=SESSION_NAME)["Credentials"]
        return {"access_key": creds["AccessKeyId"], "secret_key": creds["SecretAccessKey"], "token": creds["SessionToken"],
                "expiry_time": creds["Expiration"].isoformat()}

    return refresh


def role_arn(account_id: str, role: str) -> str:
    # The toolkit supports the aws partition only (validation refuses others).
    return f"arn:aws:iam::{account_id}:role/{role}"


def client_config():
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS}, user_agent_extra="service-catalog-toolkit")


def _error_text(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        return f"{response['Error'].get('Code', '')}: {response['Error'].get('Message', '')}"
    return str(exc)


def check_profiles(cat: Catalogue, profiles: dict[str, str]) -> dict[str, str]:
    """--profile ROLE=NAME for roles the config has (checked also by --dry-run, which opens no session)."""
    unknown = sorted(set(profiles) - {a.role for a in cat.accounts})
    if unknown:
        raise DeployError(f"--profile names account role(s) {', '.join(unknown)}, which the config does not have")
    return dict(profiles)


def _once_then(first: dict, refresh: Callable[[], dict]) -> Callable[[], dict]:
    """``first`` on the first call (the credentials just fetched), then ``refresh``."""
    pending = [first]
    return lambda: pending.pop() if pending else refresh()


class Accounts:
    """Sessions and clients per account role, made on first use and kept for the run.

    ``session_factory`` (default ``make_session``) is called with
    ``profile_name``, with temporary credentials, or with nothing.
    """

    def __init__(self, cat: Catalogue, profiles: dict[str, str] | None = None,
                 session_factory: Callable[..., Any] | None = None) -> None:
        self._cat = cat
        self._profiles = check_profiles(cat, profiles or {})
        self._factory = session_factory or (lambda **kwargs: make_session(**kwargs))
        self._sessions: dict[str, Any] = {}
        self._clients: dict[tuple[str, str, str], Any] = {}

    def account_id(self, role: str) -> str:
        account = self._cat.account(role)
        if account is None:
            raise DeployError(f"the config has no account '{role}'")
        return account.id

    def session(self, role: str):
        if role not in self._sessions:
            self._sessions[role] = self._open(role)
        return self._sessions[role]

    def client(self, role: str, service: str, region: str):
        key = (role, service, region)
        if key not in self._clients:
            self._clients[key] = self.session(role).client(service, region_name=region, config=client_config())
        return self._clients[key]

    def _open(self, role: str):
        account = self._cat.account(role)
        if account is None:
            raise DeployError(f"the config has no account '{role}'")
        profile = self._profiles.get(role)
        how = f"profile '{profile}'" if profile else "the environment's credentials"
        try:
            base = self._factory(profile_name=profile) if profile else self._factory()
            session = base
            if account.deploy_role:
                arn = role_arn(account.id, account.deploy_role)
                how = f"role {arn} (assumed with {how})"
                refresh = assume(base.client("sts", region_name=account.region, config=client_config()), arn)
                first = refresh()  # here, so that a role that cannot be assumed is named below
                session = self._factory(refresh=_once_then(first, refresh))
            identity = session.client("sts", region_name=account.region, config=client_config()).get_caller_identity()
        except DeployError:
            raise
        except Exception as exc:  # botocore's ClientError, NoCredentialsError, ProfileNotFound...
            raise DeployError(f"cannot reach account '{role}' ({account.id}) with {how}: {_error_text(exc)}") from None
        if identity.get("Account") != account.id:
            raise DeployError(f"{how} belong to account {identity.get('Account')}, but the config's account '{role}' is "
                              f"{account.id}: pass --profile {role}=NAME or set accounts.{role}.deploy_role")
        return session
