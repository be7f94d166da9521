"""Constraint combinations Service Catalog refuses.

A product in a portfolio takes at most one launch constraint, never both a
launch and a StackSet constraint, and at most one tag-update, notification
and StackSet constraint each.

Template constraints may be several; each is named after its rules
(compiler/portfolios.constraint_id), so that editing a rule's assertions
updates the constraint in place. Two with the same rule names on one
product would be one resource twice: refused, with the names.
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
            if c.kind == "template":
                key = (c.product, "template", tuple(sorted(c.rules)))
                if key in first:
                    # The model keeps constraints in canonical order: point at whichever comes later in the file.
                    earlier, later = sorted((first[key], c), key=lambda x: line(x.path))
                    yield Finding(later.path, f"portfolio '{pf.name}' has two template constraints on product '{c.product}' with "
                                              f"the same rule names ({', '.join(key[2])}), at lines {line(earlier.path)} and "
                                              f"{line(later.path)}; rename a rule or merge the two constraints")
                    continue
                first[key] = c
            other_kind = {"launch": "stack_set", "stack_set": "launch"}.get(c.kind)
            if other_kind and (c.product, other_kind) in first:
                other = first[(c.product, other_kind)]
                yield Finding(c.path, f"portfolio '{pf.name}' has both a launch and a stack_set constraint on product '{c.product}' "
                                      f"(lines {line(other.path)} and {line(c.path)}); Service Catalog allows only one of them")
