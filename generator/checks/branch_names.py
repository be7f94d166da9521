"""Branch prefixes and merge targets that can match a branch as CodeCommit names it.

CodeCommit's events name a branch by its short name: detail.referenceName is
'hotfix-login-timeout', referenceFullName 'refs/heads/hotfix-login-timeout'
(CodeCommit user guide, "Monitoring CodeCommit events in Amazon EventBridge";
tests/events/ holds events derived from its samples). A branch_prefix or a
merge target written as 'refs/heads/...' therefore never matches: the rules
would wait for a branch named 'refs/heads/refs/heads/...'.

Branch names follow CodeCommit's quotas ("Quotas in AWS CodeCommit", branch
names): 1 to 256 characters; not beginning or ending with '/' or '.'; not
the single character '@'; no '..', '//' or '@{'; no space or ? ^ * [ \\ ~ :;
never exactly 40 hexadecimal characters; and git's rules they are based on
(git-check-ref-format: no component starting with '.' or ending with
'.lock'). A prefix must be the start of at least one such name.
"""

from __future__ import annotations

import re

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/branch-name"

_FORBIDDEN = re.compile(r"[\x00-\x20\x7f?^*\[\\~:]")
_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")


def branch_problem(name: str) -> str:
    """Why CodeCommit refuses ``name`` as a branch, or ''."""
    if not 1 <= len(name) <= 256:
        return "is not 1 to 256 characters long"
    if name.startswith(("/", ".")) or name.endswith(("/", ".")):
        return "begins or ends with '/' or '.'"
    if name == "@":
        return "is the single character '@'"
    for bad in ("..", "//", "@{"):
        if bad in name:
            return f"holds '{bad}'"
    if _FORBIDDEN.search(name):
        return "holds a space, a control character or one of ? ^ * [ \\ ~ :"
    if _HEX40.match(name):
        return "is exactly 40 hexadecimal characters, which CodeCommit reserves for commit ids"
    for component in name.split("/"):
        if component.startswith(".") or component.endswith(".lock"):
            return f"has a part '{component}' that starts with '.' or ends with '.lock'"
    return ""


def _full_name_hint(value: str) -> str:
    short = value[len("refs/heads/"):] if value.startswith("refs/heads/") else value[len("refs/"):]
    return (f"CodeCommit's events name branches by their short name, so '{value}' never matches; write '{short}'")


def check(cat, ctx):
    if not cat.hotfix:
        return
    for repo in cat.hotfix.repositories:
        where = ctx.where(f"hotfix repository '{repo.name}'", repo.path)
        prefix = repo.branch_prefix
        if prefix.startswith("refs/"):
            yield Finding(repo.path + ("branch_prefix",), f"{where} has branch_prefix '{prefix}': {_full_name_hint(prefix)}")
        elif why := branch_problem(prefix + "x"):
            yield Finding(repo.path + ("branch_prefix",),
                          f"{where} has branch_prefix '{prefix}', which no branch can start with: a branch named so {why}")
        for i, target in indexed(repo.merge_into):
            path = repo.path + ("merge_into", i)
            if target.startswith("refs/"):
                yield Finding(path, f"{where} merges into '{target}': {_full_name_hint(target)}")
            elif why := branch_problem(target):
                yield Finding(path, f"{where} merges into '{target}', which CodeCommit refuses as a branch name: it {why}")
