"""Every ARN is in the 'aws' partition, the one the toolkit supports (generator/regions.py)."""

from __future__ import annotations

from ..regions import SUPPORTED
from .arns import arns
from .finding import Finding

CODE = "semantic/partition"


def check(cat, ctx):
    for arn in arns(cat):
        if arn.partition != SUPPORTED:
            yield Finding(arn.path, f"{arn.what} is {arn.text}, in partition '{arn.partition}'; the toolkit supports the "
                                    f"'{SUPPORTED}' partition only (its templates and policies write arn:aws:)")
