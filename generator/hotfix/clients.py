"""boto3 clients, made on first use and kept for the life of the container.

Standard retry mode: throttling and 5xx are retried with backoff by botocore
itself; what still fails after that is raised, so that the event is retried
by EventBridge and Lambda or lands in the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

MAX_ATTEMPTS = 5


class Clients:
    """``clients.servicecatalog``, ``clients.lambda_`` etc.; tests pass ready-made (stubbed) clients instead."""

    def __init__(self, **ready: Any) -> None:
        self._clients: dict[str, Any] = dict(ready)

    def use(self, **ready: Any) -> None:
        """Hand in clients made elsewhere (tests: stubbed ones)."""
        self._clients.update(ready)

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._clients:
            import boto3  # imported on first use: a cold start that needs no client pays nothing
            from botocore.config import Config

            config = Config(retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS}, user_agent_extra="service-catalog-toolkit")
            self._clients[service] = boto3.client(service.rstrip("_").replace("_", "-"), config=config)
        return self._clients[service]


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError, without importing botocore."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
