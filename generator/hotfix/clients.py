"""boto3 clients, made on first use and kept for the life of the container.

Standard retry mode: throttling and 5xx are retried with backoff by botocore
itself; what still fails after that is raised, so that the event is retried
by EventBridge and Lambda or lands in the dead-letter queue. A function that
must answer within seconds (the webhook endpoint: its provider waits, and
its own timeout is 10 s) gives its clients ``Limits`` that fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_ATTEMPTS = 5  # retries after the first attempt (botocore's "max_attempts")


@dataclass(frozen=True)
class Limits:
    """How long one AWS call may take: botocore's connect and read timeouts, in seconds, and its attempts, the first
    included (botocore's "total_max_attempts")."""

    connect_timeout: float
    read_timeout: float
    attempts: int

    def worst_call_seconds(self) -> float:
        """The longest one call can take: every attempt timing out, and standard mode's backoff between them at its
        longest (botocore retries/standard.py, ExponentialBackoff: up to min(2 ** (attempt - 1), 20) seconds for
        throttling). A Retry-After that AWS sends could add up to 5 s more; DynamoDB and Lambda send none."""
        backoff = sum(min(2 ** i, 20) for i in range(self.attempts - 1))
        return self.attempts * (self.connect_timeout + self.read_timeout) + backoff


# The webhook endpoint's calls (GetSecretValue, PutItem, DeleteItem, an asynchronous Invoke) answer in milliseconds;
# botocore's defaults (60 s timeouts) would outlast the function's 10 s many times over.
WEBHOOK_LIMITS = Limits(connect_timeout=1.0, read_timeout=2.0, attempts=2)


class Clients:
    """``clients.servicecatalog``, ``clients.lambda_`` etc.; tests pass ready-made (stubbed) clients instead.

    ``limits``: the timeouts and attempts of the clients made here; None for botocore's timeouts and MAX_ATTEMPTS.
    """

    def __init__(self, limits: Limits | None = None, **ready: Any) -> None:
        self.limits = limits
        self._clients: dict[str, Any] = dict(ready)

    def use(self, **ready: Any) -> None:
        """Hand in clients made elsewhere (tests: stubbed ones)."""
        self._clients.update(ready)

    def botocore_config(self):
        from botocore.config import Config

        if self.limits is None:
            return Config(retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS}, user_agent_extra="service-catalog-toolkit")
        return Config(retries={"mode": "standard", "total_max_attempts": self.limits.attempts},
                      connect_timeout=self.limits.connect_timeout, read_timeout=self.limits.read_timeout,
                      user_agent_extra="service-catalog-toolkit")

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._clients:
            import boto3  # imported on first use: a cold start that needs no client pays nothing

            self._clients[service] = boto3.client(service.rstrip("_").replace("_", "-"), config=self.botocore_config())
        return self._clients[service]


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError, without importing botocore."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
