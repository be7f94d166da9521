"""What every provider answers, and how its failures are told apart.

A provider is where a configured repository lives: CodeCommit through
boto3, GitHub, GitLab or Bitbucket Cloud through their REST APIs. The
lifecycle Lambda asks it whether a branch exists when it acts, the
reconciler lists branches through it, the pull-request Lambda opens pull
requests through it. Failures carry the CodePipeline failure type a job
gets when one ends its run (PutJobFailureResult, FailureDetails.type).
"""

from __future__ import annotations

from ...core.exceptions import RetryableError, ToolkitError


class ProviderError(ToolkitError):
    """A provider refused or failed a request; the message says which and why, never with a credential."""

    failure_type = "JobFailed"
    status: int | None = None  # the HTTP status that ended the request, when there was one
    said = ""  # what the provider's answer said (its message), when there was one


class ProviderPermissionError(ProviderError):
    """The token is missing, wrong, expired or lacks a scope (401, a 403 that is not a rate limit)."""

    failure_type = "PermissionError"


class ProviderConfigurationError(ProviderError):
    """The configuration points at something that is not there: repository, API address, secret."""

    failure_type = "ConfigurationError"


class RepositoryGone(ProviderConfigurationError):
    """The provider says the repository no longer exists (CodeCommit only: the HTTP providers cannot tell
    a deleted repository from one the token may not see)."""


class RateLimited(ProviderError, RetryableError):
    """The provider asks to wait longer than this invocation has left; a later run (or retry) goes on."""


class OutOfTime(ProviderError, RetryableError):
    """The invocation's time for provider requests ran out."""


class Refused(ProviderError):
    """A create the provider refused as conflicting (409, 422): often because what it would create exists."""


class Unreadable(ProviderError):
    """An answer whose body is not what the provider documents: not JSON, too big, or of another shape."""


class Uncertain(ProviderError):
    """A create whose answer was lost (timeout, reset, 5xx): it may or may not have happened."""


# What open_pull_requests gives for a destination that already holds every commit of the source branch: the provider
# refuses a pull request with nothing in it (GitHub, Bitbucket), and there is nothing to merge. Never a pull request id.
NOTHING_TO_MERGE = ""


class Provider:
    """A repository's branches and pull requests. Every listing reads all pages."""

    def branch_names(self) -> list[str]:
        """Every branch of the repository."""
        raise NotImplementedError

    def list_branches(self, wanted=None) -> dict[str, str]:
        """branch -> head commit, for every branch ``wanted(name)`` accepts (all when None)."""
        raise NotImplementedError

    def branch_head(self, branch: str) -> str | None:
        """The branch's head commit, or None when the branch does not exist."""
        raise NotImplementedError

    def open_pull_requests(self, source_branch: str, commit: str, targets, pipeline: str = "") -> dict[str, str]:
        """destination -> pull request id (or NOTHING_TO_MERGE), once per (source, commit, destination): open ones are
        looked up first."""
        raise NotImplementedError
