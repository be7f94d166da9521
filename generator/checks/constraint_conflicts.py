"""Constraint combinations Service Catalog refuses.

A product in a portfolio takes at most one launch constraint, never both a
launch and a StackSet constraint, and at most one tag-update, notification
and StackSet constraint each.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/constraint-conflict"

_SINGLE = ("launch", "tag_update", "notifications", "stack_set")


def check(cat, ctx):
    line = ctx.line
    for pf in cat.portfolios:
        first = {}
        for c in pf.constraints:
            if c.kind in _SINGLE:
                key = (c.product, c.kind)
                if key in first:
                    yield Finding(c.path, f"portfolio '{pf.name}' has a second {c.kind} constraint on product '{c.product}' "
                                          f"(line {line(c.path)}); the first is at line {line(first[key].path)}")
                    continue
                first[key] = c
            other_kind = {"launch": "stack_set", "stack_set": "launch"}.get(c.kind)
            if other_kind and (c.product, other_kind) in first:
                other = first[(c.product, other_kind)]
                yield Finding(c.path, f"portfolio '{pf.name}' has both a launch and a stack_set constraint on product '{c.product}' "
                                      f"(lines {line(other.path)} and {line(c.path)}); Service Catalog allows only one of them")
