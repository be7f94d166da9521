"""One exception root for the toolkit; the CLI maps each class to an exit code.

Standard library only, so the Lambdas raise the same classes.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """Root of every failure the toolkit reports to a user."""

    exit_code = 1


class ConfigError(ToolkitError):
    """The configuration is invalid; ``problems`` holds every located finding."""

    def __init__(self, message: str, problems: tuple = ()):
        super().__init__(message)
        self.problems = tuple(problems)


class InputError(ToolkitError):
    """A file or event given on the command line cannot be read or understood."""


class BuildError(ToolkitError):
    """The compiler could not produce output (e.g. a limit that cannot be met)."""


class UsageError(ToolkitError):
    """The command line itself is wrong."""

    exit_code = 2


class EventError(InputError):
    """An event is not one the toolkit understands (malformed, wrong types)."""


class RetryableError(ToolkitError):
    """A transient state: the caller should retry later (EventBridge, Lambda)."""


class ProvisioningStateError(ToolkitError):
    """A provisioned product is in a state that needs a person (ERROR, TAINTED)."""
