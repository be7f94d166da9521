"""What the provider tests share: the loopback server, a Secrets Manager behind a real botocore client, a clock.

The providers run exactly as in a Lambda: real HTTP to the loopback server
of tests/provider_server.py, the token read through a botocore client
(tests/fakeaws.py checks every request and answer against the service
model), time measured by a ``Clock`` that records the waits a provider asks
for instead of sleeping through them (the requests themselves are real and
time out in real time).
"""

from __future__ import annotations

import dataclasses
import datetime

from generator.hotfix.clients import Clients
from generator.hotfix.providers import for_repository, secrets
from generator.hotfix.providers.http import Budget, Clock

from .fakeaws import AWSError, World, client
from .hotfix_env import catalogue
from .provider_server import TOKEN, Server

FLAVOURS = ("github", "gitlab", "bitbucket")
FULL_IDS = {"github": "octo-org/payments", "gitlab": "platform/team/payments", "bitbucket": "acme/payments"}
SECRET = "hotfix/api-token"
# What a repository on another provider also names (package 15A reads them: the pipelines' source, the webhooks).
CONNECTION = "arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000"
WEBHOOK_SECRET = "hotfix/webhook-secret"


class SecretsManager:
    """GetSecretValue as the Secrets Manager API reference describes it: SecretString of the current version,
    ResourceNotFoundException for a secret that is not there, AccessDeniedException for a caller the test denies."""

    def __init__(self, values: dict[str, str] | None = None):
        self.values = dict(values if values is not None else {SECRET: TOKEN})
        self.denied: set[str] = set()

    def GetSecretValue(self, caller, SecretId, VersionId=None, VersionStage=None):
        if caller in self.denied:
            raise AWSError("AccessDeniedException", f"{caller} may not read {SecretId}")
        if SecretId not in self.values:
            raise AWSError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
        return {"ARN": f"arn:aws:secretsmanager:eu-west-1:111111111111:secret:{SecretId}-AbC123", "Name": SecretId,
                "VersionId": "v1-0000000000000000000000000000000", "SecretString": self.values[SecretId],
                "VersionStages": ["AWSCURRENT"], "CreatedDate": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)}


class FakeClock(Clock):
    """Waits are recorded and pass instantly; real time still passes for the requests themselves."""

    def __init__(self):
        self.waited: list[float] = []
        self.skipped = 0.0

    def monotonic(self) -> float:
        return super().monotonic() + self.skipped

    def time(self) -> float:
        return super().time() + self.skipped

    def sleep(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.skipped += seconds


_server: Server | None = None


def shared_server() -> Server:
    """One loopback server for the whole run, started on first use and closed when the interpreter exits."""
    global _server
    if _server is None:
        import atexit

        _server = Server()
        atexit.register(_server.close)
    return _server


def fresh_loopback(monkeypatch) -> Server:
    """The shared server emptied, and a fresh container: no token cached from another test. (Each test module's
    ``loopback`` fixture; the cache is emptied again by the next test's.)"""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = shared_server()
    server.reset()
    secrets.forget()
    return server


def repository(flavour: str, server: Server, **changes):
    """A configured repository on ``flavour``, its API pointed at the loopback server."""
    base = catalogue().hotfix.repositories[0]
    return dataclasses.replace(base, **{**connected(flavour, server), **changes})


def secrets_client(world: World | None = None, backend: SecretsManager | None = None, principal: str = "test"):
    world = world or World()
    return client("secretsmanager", backend or SecretsManager(), principal, world), world


def provider(flavour: str, server: Server, clock: FakeClock | None = None, seconds: float = 30.0, backend=None, **changes):
    """(provider, its clients' record of calls) for a repository on ``flavour``."""
    sm, world = secrets_client(backend=backend)
    budget = Budget.seconds(seconds, clock or FakeClock())
    return for_repository(repository(flavour, server, **changes), Clients(secretsmanager=sm), budget), world


# --- the three Lambdas with repositories on every provider ---------------------------------------------------------

MOVED = {"hotfixpoc-repository-hotfix": "github", "payments.api": "gitlab"}  # hotfixpoc-repository stays on CodeCommit
BITBUCKET_REPOSITORY = "payments-bb"


def connected(flavour: str, server: Server) -> dict:
    """What a repository on ``flavour`` names, its API on the loopback server."""
    return {"provider": flavour, "full_repository_id": FULL_IDS[flavour], "api_token": SECRET, "create": False,
            "api_url": server.api(flavour), "connection_arn": CONNECTION, "webhook_secret": WEBHOOK_SECRET}


def provider_catalogue(server: Server, base=None):
    """The runtime fixture's catalogue with a repository on each provider next to the CodeCommit one, their APIs on
    the loopback server. Built from the model, so that it needs nothing of the config schema for providers."""
    cat = base or catalogue()
    repos = []
    for r in cat.hotfix.repositories:
        flavour = MOVED.get(r.name)
        repos.append(dataclasses.replace(r, **connected(flavour, server)) if flavour else r)
        if r.name == "hotfixpoc-repository":
            repos.append(dataclasses.replace(r, name=BITBUCKET_REPOSITORY, **connected("bitbucket", server)))
    hotfix = dataclasses.replace(cat.hotfix, repositories=tuple(sorted(repos, key=lambda r: r.name)))
    return dataclasses.replace(cat, hotfix=hotfix)


def repository_on(cat, flavour: str):
    return next(r for r in cat.hotfix.repositories if r.provider == flavour)


def provider_environment(cat, world: World | None = None, backend: SecretsManager | None = None):
    """tests/hotfix_env.py's three Lambdas, each also given a Secrets Manager client as its own principal."""
    from .hotfix_env import environment

    env = environment(cat, world or World())
    backend = backend or SecretsManager()
    for principal, clients in env.clients.items():
        clients.use(secretsmanager=client("secretsmanager", backend, principal, env.world))
    containers: dict[str, dict] = {}
    invoke = env.invoke

    def in_its_container(function: str, payload):
        """Each function runs in its own container: its own cache of tokens."""
        saved = dict(secrets._cache)
        secrets._cache.clear()
        secrets._cache.update(containers.setdefault(function, {}))
        try:
            return invoke(function, payload)
        finally:
            containers[function] = dict(secrets._cache)
            secrets._cache.clear()
            secrets._cache.update(saved)

    env.invoke = in_its_container
    return env
