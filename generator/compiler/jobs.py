"""Work a build does from the validated configuration alone, a job each, shared with its twin (generator/twin.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

MIN_SHARED = 1500  # units of work (about 250 products): below, sending the twin's stacks back costs more than building them


class Job(NamedTuple):
    """config.json or some stacks, from the validated configuration alone, and how much work that is."""

    weight: int  # its cost in units of about 6 microseconds, about a troposphere object each
    build: Callable[[], list]


def partition(weights: Sequence[int], n: int) -> list[list[int]]:
    """Job indexes in ``n`` groups of about equal weight (heaviest first, to the lightest group), each in job order."""
    groups: list[list[int]] = [[] for _ in range(n)]
    loads = [0] * n
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lightest = min(range(n), key=lambda g: (loads[g], g))
        groups[lightest].append(i)
        loads[lightest] += weights[i]
    return [sorted(g) for g in groups]


def run(jobs: Sequence[Job], twin=None) -> list[list]:
    """Every job's result, in job order; with a twin, about half of them built there.

    Whatever the twin did not send back is built here, in job order: a job
    that failed there fails here again, and the first failing job raises, as
    it would without a twin.
    """
    weights = [job.weight for job in jobs]
    if twin is None or len(jobs) < 2 or sum(weights) < MIN_SHARED:
        return [job.build() for job in jobs]
    # The heavier half to the twin: this process still has the pipeline stacks, the manifest and the writing to do.
    mine, theirs = sorted(partition(weights, 2), key=lambda group: sum(weights[i] for i in group))
    twin.assign(theirs, weights)
    results: dict[int, list] = {}
    for i in mine:
        try:
            results[i] = jobs[i].build()
        except Exception:  # built again below, in order, where it raises
            break
    results.update(twin.results())
    return [results[i] if i in results else jobs[i].build() for i in range(len(jobs))]
