"""Which branch names are real git branch names (git check-ref-format, as CodeCommit applies it)."""

from __future__ import annotations

MAX_LENGTH = 256  # CodeCommit's limit on a branch name
_FORBIDDEN = set(" ~^:?*[\\\x7f")


def invalid_reason(name: str) -> str | None:
    """Why ``name`` cannot be a branch, or None when it can."""
    if not name:
        return "it is empty"
    if len(name) > MAX_LENGTH:
        return f"it is {len(name)} characters long; CodeCommit allows {MAX_LENGTH}"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        return "it holds a lone surrogate, which no UTF-8 branch name can"
    if any(ord(ch) < 32 or ch in _FORBIDDEN for ch in name):
        return "it holds a space, a control character or one of ~ ^ : ? * [ \\"
    if ".." in name or "@{" in name or "//" in name or name == "@":
        return "it holds '..', '@{' or '//', or is '@'"
    if name.startswith(("/", "-")) or name.endswith(("/", ".")):
        return "it starts with '/' or '-', or ends with '/' or '.'"
    for part in name.split("/"):
        if part.startswith(".") or part.endswith(".lock"):
            return "a part of it starts with '.' or ends with '.lock'"
    return None


def unsupported_reason(name: str) -> str | None:
    """Why a valid branch still cannot have a hotfix pipeline, or None when it can.

    The pipeline hands its branch to the pull-request step inside JSON
    UserParameters that CloudFormation writes without escaping; a '"' would
    break that JSON, so the product's BranchName pattern refuses it and the
    Lambda ignores such a branch with this reason.
    """
    if '"' in name:
        return "it holds '\"', which the pipeline cannot pass to its pull-request step"
    return None
