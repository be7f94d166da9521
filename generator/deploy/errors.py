"""What goes wrong between output/ and AWS, as the CLI reports it (exit 1)."""

from __future__ import annotations

from contextlib import contextmanager

from ..core.exceptions import ToolkitError


class DeployError(ToolkitError):
    """Deploying or reading deployed state failed; the message says what to do."""


class StackFailed(DeployError):
    """A stack's change set or execution failed: the run stops there."""


def describe_aws_error(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        error = response["Error"]
        return f"{error.get('Code', '')}: {error.get('Message', '')}".strip(": ")
    return str(exc)


@contextmanager
def aws_errors(what: str, error: type[DeployError] = DeployError):
    """An AWS refusal (AccessDenied, throttling past retries, no credentials) as a message, never a traceback."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise error(f"{what}: {describe_aws_error(exc)}") from None
