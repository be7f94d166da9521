"""Every region the catalogue names is a region of the 'aws' partition that botocore knows.

A region of another partition (cn-north-1, us-gov-west-1) validated before,
and the build wrote 'arn:aws:' into rules, key policies and trust, which match
nothing there. An unknown name (us-east-7, a typo) failed only at deploy
time. Regions are checked against botocore's list (generator/regions.py).
"""

from __future__ import annotations

from ..core.canonical import indexed
from ..regions import SUPPORTED, botocore_version, partitions
from .finding import Finding

CODE = "semantic/region"


def uses(cat):
    """(path, region, what names it) for every region the config names."""
    yield ("region",), cat.region, "the home region"
    for account in cat.accounts:
        if account.region != cat.region:  # an account without its own region inherits the home region
            yield account.path + ("region",), account.region, f"the region of account '{account.role}'"
    for pf in cat.portfolios:
        for c in pf.constraints:
            if c.stack_set:
                for i, region in indexed(c.stack_set.regions):
                    yield c.path + ("stack_set", "regions", i), region, f"a region of the stack_set constraint on '{c.product}'"


def refusal(region: str) -> str:
    """Why ``region`` is refused, or '' when it is a region of the supported partition."""
    known = partitions()
    if known is None:
        return ""  # botocore ships with the toolkit; without it there is nothing to check against
    partition = known.of_region(region)
    if partition is not None and partition.id != SUPPORTED:
        return (f"is a region of the '{partition.id}' partition; the toolkit supports the '{SUPPORTED}' partition only "
                f"(its templates write arn:aws: ARNs, which match nothing in '{partition.id}')")
    if not known.known(region):
        return (f"is not a region AWS lists (botocore {botocore_version()}, {known.source}); check the spelling, or "
                f"upgrade botocore if AWS opened the region since")
    return ""


def check(cat, ctx):
    for path, region, what in uses(cat):
        why = refusal(region)
        if why:
            yield Finding(path, f"{what} is '{region}', which {why}")
