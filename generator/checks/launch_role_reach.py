"""A launch role the build generates launches built-in templates only.

The build writes the launch role of the built-in pipeline products
(generator/launch_roles.py): it may create roles named ``{prefix}-pl-*``
under the pipeline boundary, and such roles may assume the production
deploy roles, because that is a pipeline's job. The built-in templates use
that power only as a pipeline does, with its approval stage; any other
template launched with the same role (a launch constraint on another
product that names it, by local name or by ARN) could create a role that
deploys to production without approvers, for whoever may launch that
product. So only products made entirely of built-in templates may name it.
"""

from __future__ import annotations

from ..launch_roles import generated_roles
from .finding import Finding

CODE = "semantic/launch-role-reach"


def _role_name(cat, c) -> str | None:
    if c.launch_local_role_name:
        return c.launch_local_role_name
    tools = cat.account("tools")
    if tools and f":iam::{tools.id}:role/" in c.launch_role_arn:
        return c.launch_role_arn.rsplit("/", 1)[-1]
    return None


def check(cat, ctx):
    generated = {name.lower(): name for name in generated_roles(cat)}  # IAM role names are case-insensitive
    for pf in cat.portfolios:
        for c in pf.constraints:
            if c.kind != "launch" or (name := _role_name(cat, c)) is None or name.lower() not in generated:
                continue
            product = cat.product(c.product)
            if product is None or all(v.template.kind == "builtin" for v in product.versions):
                continue
            yield Finding(c.path + ("launch",),
                          f"product '{c.product}' in portfolio '{pf.name}' launches with role '{name}', the launch role the "
                          f"build generates for the built-in pipeline templates: it may create pipeline roles that deploy "
                          f"to production, and a template of your own launched with it could do so without approvers; "
                          f"give '{c.product}' a launch role of its own")
