"""Sharing with an organizational unit has no CloudFormation resource.

AWS::ServiceCatalog::PortfolioShare takes an account id only; an OU share
needs the CreatePortfolioShare API with an OrganizationNode. Rather than drop
such a share silently at build time, validation refuses it and says why.
"""

from __future__ import annotations

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/unsupported-share"


def check(cat, ctx):
    line = ctx.line
    for pf in cat.portfolios:
        for i, ou in indexed(pf.share.organizational_units):
            yield Finding(pf.share.path + ("organizational_units", i),
                f"portfolio '{pf.name}' (line {line(pf.path)}) is shared with organizational unit '{ou}': CloudFormation cannot "
                f"create organization shares (AWS::ServiceCatalog::PortfolioShare takes accounts only); share with accounts, "
                f"or run 'aws servicecatalog create-portfolio-share --organization-node' once after deploying")
