"""IAM principals name one account; IAM_PATTERN principals name none."""

from __future__ import annotations

import re

from .finding import Finding

CODE = "semantic/principal-arn"

_ACCOUNT = re.compile(r"^arn:[^:]+:iam::([0-9]*):")


def check(cat, ctx):
    for p in cat.principals:
        match = _ACCOUNT.match(p.arn)
        account = match.group(1) if match else ""
        wildcard = any(ch in p.arn for ch in "*?")
        if p.type == "IAM" and (not account or wildcard):
            yield Finding(p.path + ("arn",), f"principal '{p.name}' has type IAM, which takes one ARN with an account id and no wildcards; use type IAM_PATTERN for a pattern")
        if p.type == "IAM_PATTERN" and account:
            yield Finding(p.path + ("arn",), f"principal '{p.name}' has type IAM_PATTERN, whose ARN must leave the account empty (arn:aws:iam:::role/Name)")
