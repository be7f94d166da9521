"""Two portfolios whose stacks could share a name.

A portfolio is compiled into the stack ``{prefix}-portfolio-{name}`` and,
once its products outgrow one stack, into ``{name}``'s part stacks
``{prefix}-portfolio-{name}-part0``, ``-part1`` and so on
(compiler/sharding.py numbers them without leading zeros). A portfolio
named ``apps-part1`` next to ``apps`` builds until ``apps`` gains a product
too many, and then the two stacks collide. Portfolio names are lower case,
digits and hyphens and every other stack name the build makes is fixed, so
this is the one pair of config names that can meet in a stack name; it is
refused from the start rather than on the day the catalogue grows.
"""

from __future__ import annotations

import re

from .finding import Finding

CODE = "semantic/stack-name"

_PART = re.compile(r"(?P<owner>.+)-part(?:0|[1-9][0-9]*)")


def check(cat, ctx):
    names = {pf.name: pf for pf in cat.portfolios}
    for pf in cat.portfolios:
        match = _PART.fullmatch(pf.name)
        owner = names.get(match.group("owner")) if match else None
        if owner is not None:
            yield Finding(pf.path + ("name",),
                          f"portfolio '{pf.name}' would share the stack name {cat.stack_prefix}-portfolio-{pf.name} with a part of "
                          f"portfolio '{owner.name}' (line {ctx.line(owner.path)}), whose products are spread over "
                          f"{cat.stack_prefix}-portfolio-{owner.name}-partN stacks once they outgrow one; rename it")
