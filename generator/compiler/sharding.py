"""Spreading units (a product, a product's association and constraints) over stacks.

A unit goes to bucket ``hash(key) % n`` with ``n`` the smallest power of two
at which every bucket fits. Hashing the key, not its position, means the
order of the YAML never moves anything; a power of two means that growing
past a boundary moves only the units whose extra hash bit is set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from . import limits


@dataclass(frozen=True)
class Unit:
    """What one entry (a product and its resources) adds to a stack: counted against CloudFormation's limits."""

    key: str  # stable identity, e.g. the product name
    resources: int
    outputs: int = 0
    size: int = 0  # approximate rendered bytes


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def _fits(units: list[Unit], reserved: Unit) -> bool:
    return (sum(u.resources for u in units) + reserved.resources <= limits.SHARD_RESOURCES
            and sum(u.outputs for u in units) + reserved.outputs <= limits.SHARD_OUTPUTS
            and sum(u.size for u in units) + reserved.size <= limits.SHARD_BYTES)


def shard(units: list[Unit], reserved: Unit = Unit("", 0)) -> list[list[Unit]]:
    """Buckets of units, each sorted by key; ``reserved`` is what every stack adds."""
    units = sorted(units, key=lambda u: u.key)
    for unit in units:
        if not _fits([unit], reserved):
            raise ValueError(f"unit {unit.key!r} alone exceeds a stack's limits")
    hashes = [_hash(unit.key) for unit in units]  # once, not once per bucket count tried
    n = 1
    while True:
        buckets: list[list[Unit]] = [[] for _ in range(n)]
        for unit, h in zip(units, hashes, strict=True):
            buckets[h % n].append(unit)
        if all(_fits(b, reserved) for b in buckets):
            return buckets
        n *= 2


def named_shards(base: str, units: list[Unit], reserved: Unit = Unit("", 0)) -> list[tuple[str, list[Unit]]]:
    """``[(stack name, units)]``: one stack named ``base`` when all fit, else ``base-partN``.

    Empty buckets get no stack; a bucket keeps its number as units come and go.
    """
    buckets = shard(units, reserved)
    if len(buckets) == 1:
        return [(base, buckets[0])]
    return [(f"{base}-part{i}", b) for i, b in enumerate(buckets) if b]
