"""The queue of tickets a build and its twin share (generator/twin.py), against what Linux and the merge promise.

tests/test_twin.py holds the twin to a one-process build's bytes and
messages; these cases hold the sharing itself: every job taken once however
many jobs and tickets there are, a twin whose descriptors were numbered where
the standard streams were, a twin that dies at each step of what it sends,
the twin's hold on the memory file, and the merge (``jobs.run``) under any
split of the work.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compiler import jobs as jobs_module
from generator.compiler.jobs import MIN_SHARED, Job

from .conftest import CONFIGS, benchmark_catalogues
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


# The program's standard streams closed (``<&- >&-``, a daemon's child): the pipes get the numbers 0 to 2,
# which the twin points at /dev/null. The harness keeps its own stdout for its report.
CLOSED = """
_report = os.dup(1)
for _fd in {closed}:
    os.close(_fd)
sys.stdout = os.fdopen(_report, "w")
_answers = []
_loaded = twin.Twin.loaded
def _watch(self):
    answer = _loaded(self)
    _answers.append(answer is not None)
    return answer
twin.Twin.loaded = _watch
"""


@pytest.mark.parametrize("closed", [(0, 1), (0, 1, 2)])
def test_a_twin_started_without_standard_streams_still_shares_the_work(tmp_path, closed):
    log = tmp_path / "builds"
    patch = CLOSED.format(closed=closed) + BUILDS.format(log=str(log), parent_delay=0.05)
    patch += "\nimport atexit\natexit.register(lambda: open({!r}, 'w').write(json.dumps(_answers)))\n".format(
        str(tmp_path / "answers"))
    config = str(CONFIGS / "valid" / "sharded.yaml")
    (two,) = _runs([(config, str(tmp_path / "two"), 2)], patch=patch)
    (one,) = _runs([(config, str(tmp_path / "one"), 1)])
    assert two[0] == one[0] == 0 and two[3] == 1 and two[6] == 0
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")
    assert json.loads((tmp_path / "answers").read_text()) == [True], "what the twin read was lost: the file was read twice"
    builds = _builds(log)
    assert sorted(i for _, i in builds) == sorted({i for _, i in builds}), "the twin's stacks were lost and built again"
    assert any(who == "twin" for who, _ in builds), "the twin took no job"


# The twin ends (os._exit) half-way through its Nth write (twin._send writes a size, then the payload): 1,
# what it read, on the memory file; 3, the size of that, through the pipe; 5, the size of its stacks, which
# it pickles straight into their memory file (DIES_PICKLING). Only the time may change.
DIES_WRITING = """
_write_all, _writes, PARENT = twin._write_all, [], os.getpid()
def _dies(fd, data):
    if os.getpid() != PARENT:
        _writes.append(1)
        if len(_writes) == {nth}:
            _write_all(fd, bytes(data)[:len(data) // 2])
            os._exit(3)
    _write_all(fd, data)
twin._write_all = _dies
"""


DIES_PICKLING = """
import pickle
_dump, PARENT = pickle.dump, os.getpid()
def _dies(obj, file, protocol=None):
    if os.getpid() != PARENT:
        file.write(pickle.dumps(obj, protocol)[:1000])
        file.flush()
        os._exit(3)
    _dump(obj, file, protocol)
pickle.dump = _dies
"""


@pytest.mark.parametrize("nth", [1, 3, 5, "stacks"])
def test_a_twin_that_dies_half_way_through_a_write_changes_nothing(tmp_path, nth):
    config = str(CONFIGS / "valid" / "sharded.yaml")
    one, two = _runs([(config, str(tmp_path / "one"), 1), (config, str(tmp_path / "two"), 2)],
                     patch=DIES_PICKLING if nth == "stacks" else DIES_WRITING.format(nth=nth))
    assert one[0] == two[0] == 0 and two[3] == 1 and not two[5] and two[6] == 0, two
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")


MEMORY_FILES = """
PARENT, SEEN = os.getpid(), {seen!r}
from generator.compiler import build as _build
_plan = _build.plan
def _looking(loaded):
    if os.getpid() != PARENT:  # the twin, once it has sent what it read
        links = [os.readlink(f"/proc/self/fd/{{fd}}") for fd in os.listdir("/proc/self/fd")
                 if os.path.exists(f"/proc/self/fd/{{fd}}")]
        with open(SEEN, "w") as fh:
            fh.write(json.dumps(links))
    return _plan(loaded)
_build.plan = _looking
"""


def test_the_twin_lets_go_of_the_memory_file_once_it_has_written_it(tmp_path):
    # memfd_create(2): the memory is freed once every reference to the file is gone; the parent's
    # descriptor keeps it until it has read it, the twin's would keep it for the whole build.
    seen = tmp_path / "seen"
    config = str(CONFIGS / "valid" / "sharded.yaml")
    (two,) = _runs([(config, str(tmp_path / "two"), 2)], patch=MEMORY_FILES.format(seen=str(seen)))
    assert two[0] == 0 and two[3] == 1
    links = json.loads(seen.read_text())
    assert links and not [link for link in links if link.startswith("/memfd:sc-toolkit-twin-read")], links
    assert [link for link in links if link.startswith("/memfd:sc-toolkit-twin-stacks")], links  # where its stacks go


# The merge: whatever the split of the work and whatever fails where, jobs.run answers as one process.

class _Failed(Exception):
    pass


class _SplitTwin:
    """A twin's side of a split: the positions this process reads tickets for, and what the twin sends back."""

    def __init__(self, mine: list[int], theirs: dict[int, list], planned_alike: bool):
        self.mine, self.theirs, self.planned_alike, self.asked = mine, theirs, planned_alike, False

    def claims(self, order):
        return (order[p] for p in self.mine)

    def results(self, weights):
        self.asked = True
        return dict(self.theirs) if self.planned_alike else {}


@st.composite
def _splits(draw):
    n = draw(st.integers(2, 9))
    weights = draw(st.lists(st.integers(1, MIN_SHARED), min_size=n, max_size=n))
    weights[0] += MIN_SHARED  # enough work to share
    failing = draw(st.sets(st.integers(0, n - 1)))
    mine = sorted(draw(st.sets(st.integers(0, n - 1))))  # positions in the order, taken in turn
    # The twin builds positions of the others in turn, stops at its first failure, or dies after any of them.
    theirs_positions = [p for p in range(n) if p not in mine]
    sent = draw(st.integers(0, len(theirs_positions)))
    return weights, failing, mine, theirs_positions[:sent], draw(st.booleans())


def _job(i: int, weight: int, failing: set[int], built: list[int]) -> Job:
    def build():
        built.append(i)
        if i in failing:
            raise _Failed(f"job {i}")
        return [f"stack {i}"]
    return Job(weight, build)


def _outcome(call):
    try:
        return "ok", call()
    except _Failed as error:
        return "raised", str(error)


@settings(max_examples=300)  # 9 jobs at most: a few hundred splits reach every branch of the merge
@given(_splits())
def test_the_merge_answers_as_one_process_under_any_split(split):
    weights, failing, mine, theirs_positions, planned_alike = split
    order = jobs_module.order(weights)
    theirs: dict[int, list] = {}
    for p in theirs_positions:
        if order[p] in failing:
            break
        theirs[order[p]] = [f"stack {order[p]}"]
    alone: list[int] = []
    expected = _outcome(lambda: [job.build() for job in [_job(i, w, failing, alone) for i, w in enumerate(weights)]])
    built: list[int] = []
    twin = _SplitTwin(mine, theirs, planned_alike)
    assert _outcome(lambda: jobs_module.run([_job(i, w, failing, built) for i, w in enumerate(weights)], twin)) == expected


def test_a_twin_that_took_no_job_is_not_waited_for():
    # This process took every ticket (the twin still read or planned: a slow core, a loaded machine):
    # the twin has nothing to send, and waiting for it to plan would only add its lag to the build.
    weights = [MIN_SHARED, 3, 700, 3]
    twin = _SplitTwin(list(range(len(weights))), {}, True)
    built: list[int] = []
    assert jobs_module.run([_job(i, w, set(), built) for i, w in enumerate(weights)], twin) == [
        [f"stack {i}"] for i in range(len(weights))]
    assert not twin.asked and sorted(built) == list(range(len(weights)))
