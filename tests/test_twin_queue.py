"""The queue of tickets a build and its twin share (generator/twin.py), against what Linux and the merge promise.

tests/test_twin.py holds the twin to a one-process build's bytes and
messages; these cases hold the sharing itself: every job taken once however
many jobs and tickets there are.
"""

from __future__ import annotations

from .conftest import benchmark_catalogues
from .policies import folder_files
from .test_twin import _runs

# Each job's builder appends "<who> <job index>" to LOG: who built what, and how often.
BUILDS = """
import dataclasses
from generator.compiler import build as _build, jobs as _jobs
PARENT, LOG = os.getpid(), {log!r}
def _logged(i, job):
    def built():
        if os.getpid() == PARENT and {parent_delay}:
            import time
            time.sleep({parent_delay})
        with open(LOG, "a") as log:
            log.write(("parent" if os.getpid() == PARENT else "twin") + " %d\\n" % i)
        return job.build()
    return _jobs.Job(job.weight, built)
_plan = _build.plan
def _logging_plan(loaded):
    plan = _plan(loaded)
    return dataclasses.replace(plan, jobs=[_logged(i, job) for i, job in enumerate(plan.jobs)])
_build.plan = _logging_plan
"""


def _builds(log) -> list[tuple[str, int]]:
    return [(who, int(i)) for who, i in (line.split() for line in log.read_text().splitlines())]


def test_more_jobs_than_tickets_are_all_shared(tmp_path):
    """A plan may hold more jobs than the queue holds tickets (a portfolio is a job: 5,000 fit in 2.4 MB).

    Each ticket then stands for a run of jobs, so the process that is ahead
    still takes the jobs past the last ticket, and none is built twice.
    """
    config = tmp_path / "portfolios.yaml"
    benchmark_catalogues().write(300, str(config), 1, shape="cdk")  # a portfolio each: 303 jobs
    log = tmp_path / "builds"
    patch = "twin._TICKETS, twin._TICKETS_AT_ONCE = 16, 4\n" + BUILDS.format(log=str(log), parent_delay=0.01)
    (two,) = _runs([(str(config), str(tmp_path / "two"), 2)], patch=patch)
    (one,) = _runs([(str(config), str(tmp_path / "one"), 1)])
    assert one[0] == two[0] == 0 and two[3] == 1
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")
    builds = _builds(log)
    assert sorted(i for _, i in builds) == list(range(len(builds))), "a job built twice, or not at all"
    assert len(builds) > 16
    counts = {who: sum(1 for w, _ in builds if w == who) for who in ("parent", "twin")}
    assert counts["twin"] > 2 * counts["parent"], counts  # the slower parent took less, past the 16th ticket too
