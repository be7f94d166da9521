"""Each account role is a different account: stage must never be prod."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/account-reused"


def check(cat, ctx):
    line = ctx.line
    first = {}
    for account in cat.accounts:
        if account.id in first:
            other = first[account.id]
            yield Finding(account.path + ("id",),
                f"account '{account.role}' (line {line(account.path)}) has the same id {account.id} as account '{other.role}' (line {line(other.path)}); each role needs its own account")
        else:
            first[account.id] = account
