"""Work a build does from the validated configuration alone, a job each, shared with its twin (generator/twin.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

MIN_SHARED = 1500  # units of work (about 250 products): below, sending the twin's stacks back costs more than building them


class Job(NamedTuple):
    """config.json or some stacks, from the validated configuration alone, and how much work that is."""

    weight: int  # its cost in units of about 6 microseconds, about a troposphere object each
    build: Callable[[], list]


def partition(weights: Sequence[int], capacities: Sequence[int]) -> list[list[int]]:
    """Job indexes in one group per capacity, loads about in their proportion (heaviest job first, where it ends
    soonest), each group in job order."""
    groups: list[list[int]] = [[] for _ in capacities]
    loads = [0] * len(capacities)
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        soonest = min(range(len(capacities)), key=lambda g: ((loads[g] + weights[i]) / capacities[g], g))
        groups[soonest].append(i)
        loads[soonest] += weights[i]
    return [sorted(g) for g in groups]


# Capacities for (this process, the twin), measured on the benchmarks' catalogues (1,000 to
# 10,000 products). A twin forked late (commands/build.py) has this process's imports: it starts
# building while this process still validates and plans, and this process still has the
# pipeline stacks, the manifest and the writing to do afterwards, so the twin takes about 4/7.
# A twin forked early (twin.early, before the CLI) imports the loader and the compiler only once
# it has sent what it read (~45 ms), so it takes about 2/5.
LATE_TWIN_SHARE = (3, 4)
EARLY_TWIN_SHARE = (3, 2)


def shares(weights: Sequence[int], early: bool) -> tuple[list[int], list[int]] | None:
    """(this process's jobs, the twin's), or None when the work is too small to share; the same in both processes."""
    if len(weights) < 2 or sum(weights) < MIN_SHARED:
        return None
    mine, theirs = partition(weights, EARLY_TWIN_SHARE if early else LATE_TWIN_SHARE)
    return mine, theirs


def run(jobs: Sequence[Job], twin=None) -> list[list]:
    """Every job's result, in job order; with a twin, part of the work done there.

    The twin builds its share as soon as it has planned, while this process
    still validates; its results count only if it planned the same jobs.
    Whatever it did not send back is built here, in job order: a job that
    failed there fails here again, and the first failing job raises, as it
    would without a twin.
    """
    weights = [job.weight for job in jobs]
    split = shares(weights, twin.early) if twin is not None else None
    if split is None:
        return [job.build() for job in jobs]
    mine, theirs = split
    results: dict[int, list] = {}
    for i in mine:
        try:
            results[i] = jobs[i].build()
        except Exception:  # built again below, in order, where it raises
            break
    results.update(twin.results(weights, theirs))
    return [results[i] if i in results else jobs[i].build() for i in range(len(jobs))]
