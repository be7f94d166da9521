"""Work a build does from the validated configuration alone, a job each, shared with its twin (generator/twin.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

MIN_SHARED = 1500  # units of work (about 250 products): below, sending the twin's stacks back costs more than building them


class Job(NamedTuple):
    """config.json or some stacks, from the validated configuration alone, and how much work that is."""

    weight: int  # its cost in units of about 6 microseconds, about a troposphere object each
    build: Callable[[], list]


def order(weights: Sequence[int]) -> list[int]:
    """The order two processes take the jobs in: heaviest first, so the last ones taken are the shortest."""
    return sorted(range(len(weights)), key=lambda i: (-weights[i], i))


def shared(weights: Sequence[int]) -> bool:
    """Whether the work is worth sharing with a twin; the same answer in both processes."""
    return len(weights) >= 2 and sum(weights) >= MIN_SHARED


def run(jobs: Sequence[Job], twin=None) -> list[list]:
    """Every job's result, in job order; with a twin, part of the work done there.

    Both processes take jobs from the twin's queue of tickets (``twin.claims``)
    as they get to them: the twin as soon as it has planned, while this process
    still validates; its results count only if it planned the same jobs, and
    are waited for only if it may have taken some (a twin still planning when
    this process took the last job has none to send). Whatever it did not send
    back is built here, in job order: a job that failed there fails here
    again, and the first failing job raises, as it would without a twin.
    """
    weights = [job.weight for job in jobs]
    if twin is None or not shared(weights):
        return [job.build() for job in jobs]
    results: dict[int, list] = {}
    taken: set[int] = set()
    for i in twin.claims(order(weights)):
        taken.add(i)
        try:
            results[i] = jobs[i].build()
        except Exception:  # built again below, in order, where it raises
            break
    if len(taken) < len(jobs):
        results.update(twin.results(weights))
    return [results[i] if i in results else jobs[i].build() for i in range(len(jobs))]
