"""A portfolio lives in the tools account: sharing it there is an error CloudFormation reports only at deploy."""

from __future__ import annotations

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/share-to-self"


def check(cat, ctx):
    tools = cat.account("tools")
    if tools is None:
        return
    for pf in cat.portfolios:
        for i, ref in indexed(pf.share.accounts):
            if cat.account_id(ref) == tools.id:
                yield Finding(pf.share.path + ("accounts", i),
                    f"portfolio '{pf.name}' (line {ctx.line(pf.path)}) is shared with '{ref}', the tools account "
                    f"{tools.id} that holds it; share it with other accounts only")
