"""IAM role names are unique regardless of case: two spellings of one name are one role.

A launch constraint's local role, a launch role ARN in the tools account and
the toolkit's own automation roles all name roles of the tools account; two
that differ only in case would make the build create one role twice (the
second CreateRole fails) or hand one product another product's launch role.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/role-name-case"

AUTOMATION_ROLES = ("lifecycle", "pull-requests", "reconciler")  # compiler.automation.ROLE_SUFFIX


def _tools_roles(cat):
    """(name, what, path) of every role of the tools account the config names or the build creates."""
    tools = cat.account("tools")
    if cat.hotfix:  # first, so that a config name meeting one is the one reported
        for suffix in AUTOMATION_ROLES:
            yield f"{cat.stack_prefix}-automation-{suffix}", "the toolkit's automation role", None
    for pf in cat.portfolios:
        for c in pf.constraints:
            if c.kind != "launch":
                continue
            if c.launch_local_role_name:
                yield c.launch_local_role_name, f"launch role of '{c.product}' in portfolio '{pf.name}'", c.path + ("launch", "local_role_name")
            elif tools and f":iam::{tools.id}:role/" in c.launch_role_arn:
                yield c.launch_role_arn.rsplit("/", 1)[-1], f"launch role of '{c.product}' in portfolio '{pf.name}'", c.path + ("launch", "role_arn")
    for p in cat.principals:
        if tools and f":iam::{tools.id}:role/" in p.arn and p.type == "IAM":
            yield p.arn.rsplit("/", 1)[-1], f"principal '{p.name}'", p.path + ("arn",)


def check(cat, ctx):
    first: dict[str, tuple[str, str, tuple | None]] = {}
    for name, what, path in _tools_roles(cat):
        key = name.lower()
        if key not in first:
            first[key] = (name, what, path)
            continue
        other, other_what, other_path = first[key]
        if other == name or path is None:
            continue  # one role named twice the same way is a shared launch role
        where = f" (line {ctx.line(other_path)})" if other_path else ""
        yield Finding(path, f"{what} is the IAM role '{name}', and {other_what}{where} is '{other}': IAM role names "
                            f"are case-insensitive, so both are one role; spell it one way, or use two different names")
