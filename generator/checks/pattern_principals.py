"""A portfolio takes at most 10 IAM_PATTERN principals.

Service Catalog API reference, AssociatePrincipalWithPortfolio: "You can
associate a maximum of 10 Principals with a portfolio using PrincipalType
as IAM_PATTERN"; the eleventh association fails at deploy time.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/pattern-principals"

MAX_PATTERNS = 10


def check(cat, ctx):
    for pf in cat.portfolios:
        patterns = [name for name in pf.principals if (p := cat.principal(name)) is not None and p.type == "IAM_PATTERN"]
        if len(patterns) > MAX_PATTERNS:
            yield Finding(pf.path + ("principals",),
                f"portfolio '{pf.name}' (line {ctx.line(pf.path)}) grants {len(patterns)} IAM_PATTERN principals; Service "
                f"Catalog associates at most {MAX_PATTERNS} with a portfolio", at_key=True)
