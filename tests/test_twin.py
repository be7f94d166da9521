"""A build with a twin (generator/twin.py) writes the same bytes and reports the same problems as one without.

Each case runs in a new process, as the command line does: the twin is a
fork, and the test process (which may hold threads) must not be forked.
``MIN_BYTES`` is lowered there so that the small fixtures take the twin too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from .conftest import CONFIGS, ROOT, benchmark_catalogues
from .policies import folder_files

# Runs main() once per (config, output, jobs) and prints, per run: exit code, stdout, stderr, the twins
# reaped, whether yaml was imported by then, whether a child is left unreaped, and the file descriptors gained.
HARNESS = """
import contextlib, io, json, os, sys
from generator import perf, twin
from generator.cli import main
twin.MIN_BYTES = int(sys.argv[1])
perf.allow_processes()
{patch}
out = []
for config, output, jobs in json.loads(sys.argv[2]):
    before, fds = len(twin.peak_kb), len(os.listdir("/proc/self/fd"))
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", "--config", config, "--output", output, "--force", "--jobs", str(jobs)])
    try:
        os.waitpid(-1, os.WNOHANG)
        left = True
    except ChildProcessError:
        left = False
    out.append([code, stdout.getvalue(), stderr.getvalue(), len(twin.peak_kb) - before, "yaml" in sys.modules, left,
                len(os.listdir("/proc/self/fd")) - fds])
print(json.dumps(out))
"""


def _runs(runs: list[tuple[str, str, int]], min_bytes: int = 0, patch: str = "") -> list:
    script = HARNESS.replace("{patch}", patch)
    result = subprocess.run([sys.executable, "-c", script, str(min_bytes), json.dumps(runs)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


VALID = sorted((CONFIGS / "valid").glob("*.yaml"))
INVALID = sorted((CONFIGS / "invalid").glob("*.yaml"))


def test_every_valid_fixture_builds_the_same_bytes_with_a_twin(tmp_path):
    runs = [(str(c), str(tmp_path / c.stem / str(jobs)), jobs) for c in VALID for jobs in (1, 2)]
    answers = _runs(runs)
    for (config, one, _), (_, two, _), a1, a2 in zip(runs[::2], runs[1::2], answers[::2], answers[1::2], strict=True):
        assert a1[0] == a2[0] == 0, (config, a1, a2)
        assert a1[3] == 0 and a2[3] == 1, config  # one twin, reaped, only with --jobs 2
        assert not a2[5], config  # no child left behind
        assert a1[1].replace("/1/", "/2/") == a2[1]
        assert folder_files(tmp_path / one) == folder_files(tmp_path / two), config


def test_a_large_catalogue_is_compiled_with_its_twin_with_the_same_bytes(tmp_path):
    config = tmp_path / "large.yaml"
    benchmark_catalogues().write(600, str(config), shape="cdk")
    # The default threshold: a file this large gets a twin on its own.
    (two,) = _runs([(str(config), str(tmp_path / "two"), 2)], min_bytes=128 * 1024)  # alone: yaml unimported before
    (one,) = _runs([(str(config), str(tmp_path / "one"), 1)], min_bytes=128 * 1024)
    assert one[0] == two[0] == 0 and (one[3], two[3]) == (0, 1)
    assert not two[4], "the parent imported yaml although the twin read the file"
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")


def test_every_invalid_fixture_is_reported_the_same_with_a_twin(tmp_path):
    runs = [(str(c), str(tmp_path / "out"), jobs) for c in INVALID for jobs in (1, 2)]
    answers = _runs(runs)
    for config, a1, a2 in zip(INVALID, answers[::2], answers[1::2], strict=True):
        assert a1[0] != 0 and a1[:3] == a2[:3], config  # exit code, stdout and stderr alike
        assert not a2[5], config
    assert not (tmp_path / "out").exists()


# What the twin sends back is checked, not trusted: a twin whose jobs fail, or that dies
# half-way, changes nothing but the time; a job that fails everywhere fails as without a twin.
TWIN_ONLY = "PARENT = os.getpid()  # the twin is a fork: its pid differs\n"


@pytest.mark.parametrize("failure", ["raises", "dies"])
def test_a_twin_that_fails_changes_nothing(tmp_path, failure):
    act = "raise RuntimeError('only in the twin')" if failure == "raises" else "os._exit(3)"
    patch = TWIN_ONLY + f"""
from generator.compiler import products
_stack = products._stack
def _failing(*args, **kwargs):
    if os.getpid() != PARENT:
        {act}
    return _stack(*args, **kwargs)
products._stack = _failing
"""
    config = str(CONFIGS / "valid" / "sharded.yaml")
    one, two = _runs([(config, str(tmp_path / "one"), 1), (config, str(tmp_path / "two"), 2)], patch=patch)
    assert one[0] == two[0] == 0 and two[3] == 1 and not two[5]
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")


def test_a_job_that_fails_everywhere_fails_as_without_a_twin(tmp_path):
    patch = """
from generator.compiler import portfolios
from generator.core.exceptions import BuildError
def _failing(cat, pf, *args):
    raise BuildError(f"portfolio {pf.name} cannot be built")
portfolios._stacks = _failing
"""
    config = str(CONFIGS / "valid" / "sharded.yaml")
    one, two = _runs([(config, str(tmp_path / "out"), 1), (config, str(tmp_path / "out"), 2)], patch=patch)
    assert one[0] != 0 and one[:3] == two[:3]
    assert "cannot be built" in one[2]
    assert not (tmp_path / "out").exists()


def test_no_twin_below_the_threshold_or_with_one_process(tmp_path):
    config = str(CONFIGS / "valid" / "every-constraint.yaml")
    small, single = _runs([(config, str(tmp_path / "a"), 2), (config, str(tmp_path / "b"), 1)], min_bytes=128 * 1024)
    assert small[3] == single[3] == 0


def test_a_library_caller_never_forks(cli, tmp_path):
    from generator import perf, twin

    assert perf.processes() == 1  # main(argv) in-process: perf.allow_processes is the command line's
    before = len(twin.peak_kb)
    code, _, _ = cli("build", "--config", str(CONFIGS / "valid" / "minimal.yaml"), "--output", str(tmp_path / "out"))
    assert code == 0 and len(twin.peak_kb) == before


# The queue of tickets both processes take jobs from (twin._ticket_queue, twin._claims). With a pipe of
# one page (pipe(7): what a user over /proc/sys/fs/pipe-user-pages-soft gets), it holds 2,048 tickets.
CLAIMS = """
import fcntl, json, os, sys
from generator import twin
jobs, page = int(sys.argv[1]), sys.argv[2] == "page"
_pipe = os.pipe
def _one_page():
    read, write = _pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    return read, write
if page:
    os.pipe = _one_page
queue = twin._ticket_queue()
read, write = _pipe()
if os.fork() == 0:
    mine = list(twin._claims(*queue, list(range(jobs))))
    os.write(write, json.dumps(mine).encode())
    os._exit(0)
os.close(write)
mine = list(twin._claims(*queue, list(range(jobs))))
theirs = json.loads(b"".join(iter(lambda: os.read(read, 65536), b"")))  # before waiting: more than a pipe holds
os.wait()
print(json.dumps([mine, theirs, queue[1]]))
"""


@pytest.mark.parametrize(("jobs", "pipe"), [(1, "default"), (300, "default"), (4096, "default"), (5000, "default"),
                                            (40000, "default"), (2048, "page"), (5000, "page")])
def test_two_processes_take_every_job_once_in_order(jobs, pipe):
    result = subprocess.run([sys.executable, "-c", CLAIMS, str(jobs), pipe], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    mine, theirs, tickets = json.loads(result.stdout)
    assert tickets == (2048 if pipe == "page" else 4096)
    assert not set(mine) & set(theirs)
    assert mine == sorted(mine) and theirs == sorted(theirs)
    # More jobs than tickets: a ticket stands for a run of them, so the queue still holds them all.
    assert sorted(mine + theirs) == list(range(jobs))


# Each job's builder records the process that built it; in one process of the two, each job is slow.
WHO_BUILDS = """
import dataclasses, time
from generator.compiler import build as _build, jobs as _jobs
PARENT, SLOW, LOG = os.getpid(), {slow!r}, {log!r}
def _logged(job):
    def built():
        if (os.getpid() == PARENT) == (SLOW == "parent"):
            time.sleep(0.02)
        with open(LOG, "a") as log:
            log.write(("parent" if os.getpid() == PARENT else "twin") + " ")
        return job.build()
    return _jobs.Job(job.weight, built)
_plan = _build.plan
def _logging_plan(loaded):
    plan = _plan(loaded)
    return dataclasses.replace(plan, jobs=[_logged(job) for job in plan.jobs])
_build.plan = _logging_plan
"""


@pytest.mark.parametrize("slow", ["parent", "twin"])
def test_the_process_that_is_ahead_builds_more(tmp_path, slow):
    config = tmp_path / "large.yaml"
    benchmark_catalogues().write(600, str(config), shape="cdk")
    log = tmp_path / "who"
    (answer,) = _runs([(str(config), str(tmp_path / "out"), 2)], patch=WHO_BUILDS.format(slow=slow, log=str(log)))
    assert answer[0] == 0 and answer[3] == 1
    counts = {who: log.read_text().split().count(who) for who in ("parent", "twin")}
    fast = "twin" if slow == "parent" else "parent"
    assert counts[fast] > 2 * counts[slow], counts


def test_a_queue_of_fewer_tickets_than_jobs_builds_the_same_bytes(tmp_path):
    config = str(CONFIGS / "valid" / "sharded.yaml")
    one, two = _runs([(config, str(tmp_path / "one"), 1), (config, str(tmp_path / "two"), 2)],
                     patch="twin._TICKETS, twin._TICKETS_AT_ONCE = 2, 2")
    assert one[0] == two[0] == 0 and two[3] == 1
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")


def _one(config: str, output: str, patch: str = "", **run) -> list:
    script = HARNESS.replace("{patch}", patch)
    result = subprocess.run([sys.executable, "-c", script, "0", json.dumps([(config, output, 2)])], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, **run)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])[0]


def test_a_piped_config_is_read_once_by_this_process(tmp_path):
    """A pipe can be read once: no twin for anything but a regular file (a FIFO, /dev/stdin)."""
    text = (CONFIGS / "valid" / "minimal.yaml").read_text()
    piped = _one("/dev/stdin", str(tmp_path / "piped"), input=text)
    assert piped[0] == 0 and piped[3] == 0, piped
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat > '{fifo}'"], stdin=subprocess.PIPE, text=True)
    writer.stdin.write(text)
    writer.stdin.close()
    through_fifo = _one(str(fifo), str(tmp_path / "fifo"))
    writer.wait(timeout=30)
    assert through_fifo[0] == 0 and through_fifo[3] == 0, through_fifo
    assert folder_files(tmp_path / "piped") == folder_files(tmp_path / "fifo")


@pytest.mark.parametrize(("name", "call"), [("pipe", 1), ("pipe", 2), ("fork", 1), ("memfd_create", 1), ("memfd_create", 2)])
def test_no_pipe_or_no_process_left_means_one_process(tmp_path, name, call):
    # EMFILE from pipe() (the messages' pipe, then the tickets'), EAGAIN from fork(): what a descriptor
    # or process limit gives. Without a memory file the twin still runs, its answer in the pipe.
    error = "BlockingIOError(11, 'Resource unavailable')" if name == "fork" else "OSError(24, 'Too many open files')"
    patch = f"""
_real, _calls = os.{name}, []
def _refuse(*args):
    _calls.append(1)
    if len(_calls) == {call}:
        raise {error}
    return _real(*args)
os.{name} = _refuse
"""
    answer = _one(str(CONFIGS / "valid" / "sharded.yaml"), str(tmp_path / "out"), patch=patch)
    assert answer[0] == 0 and answer[3] == (1 if name == "memfd_create" else 0), answer
    assert answer[6] == 0, "file descriptors left open"


def test_without_a_memory_file_a_large_answer_goes_through_the_pipe(tmp_path):
    config = tmp_path / "large.yaml"
    benchmark_catalogues().write(600, str(config), shape="cdk")  # its data: more than a pipe holds
    patch = "del os.memfd_create"
    (two,) = _runs([(str(config), str(tmp_path / "two"), 2)], patch=patch)
    (one,) = _runs([(str(config), str(tmp_path / "one"), 1)])
    assert one[0] == two[0] == 0 and (one[3], two[3]) == (0, 1) and two[6] == 0
    assert folder_files(tmp_path / "one") == folder_files(tmp_path / "two")


def test_the_twin_ends_with_its_parent(tmp_path):
    """Killed with SIGKILL, the parent runs no cleanup: the kernel ends the twin (PR_SET_PDEATHSIG)."""
    pid_file = tmp_path / "twin.pid"
    patch = f"""
import time
from generator.compiler import build
_plan = build.plan
PARENT = os.getpid()
def _slow(loaded):
    if os.getpid() != PARENT:  # in the twin, after it sent what it read: the parent is validating
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        time.sleep(60)
    return _plan(loaded)
build.plan = _slow
"""
    script = HARNESS.replace("{patch}", patch)
    runs = json.dumps([(str(CONFIGS / "valid" / "sharded.yaml"), str(tmp_path / "out"), 2)])
    parent = subprocess.Popen([sys.executable, "-c", script, "0", runs], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.05)
        twin_pid = int(pid_file.read_text())
    finally:
        parent.kill()
        parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive(twin_pid):
        assert time.monotonic() < deadline, "the twin outlived its parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][0] != "Z"  # a zombie has ended; its new parent reaps it
    except FileNotFoundError:
        return False


def test_what_the_loader_refuses_is_read_once_by_the_twin(tmp_path):
    """Merge keys and duplicate keys take the loader's walk with positions: the twin sends positions and duplicates."""
    for config in (CONFIGS / "valid" / "anchors-and-merge.yaml", CONFIGS / "invalid" / "duplicate-key.yaml"):
        one = _runs([(str(config), str(tmp_path / "one"), 1)])[0]
        two = _one(str(config), str(tmp_path / "two"))
        assert two[3] == 1 and one[:3] == [two[0], two[1].replace("/two/", "/one/"), two[2]], config
        assert not two[4], f"{config.name}: the parent read the file again"


@pytest.mark.parametrize(("cores", "load", "spare"), [(2, 0.2, True), (2, 1.4, True), (2, 1.6, False), (16, 1.6, True),
                                                      (16, 15.4, True), (16, 15.6, False), (1, 0.0, False)])
def test_a_twin_by_default_only_while_a_core_is_free(monkeypatch, cores, load, spare):
    from generator import twin

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert twin._core_to_spare() is spare


def test_an_unknown_load_means_no_twin_and_no_internal_error(tmp_path):
    # Without /proc/loadavg, os.getloadavg raises OSError: the default build runs in one process.
    script = """
import json, os, sys
from generator import perf, twin
from generator.cli import main
def _unknown():
    raise OSError("Load averages are unobtainable")
os.getloadavg = _unknown
twin.MIN_BYTES = 0
perf.allow_processes()
code = main(["build", "--config", sys.argv[1], "--output", sys.argv[2]])
print(json.dumps([code, len(twin.peak_kb)]))
"""
    result = subprocess.run([sys.executable, "-c", script, str(CONFIGS / "valid" / "sharded.yaml"), str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [0, 0], result.stderr


# The program (python -m generator, sc-toolkit) forks the twin before importing the CLI (twin.early).
PROGRAM = """
import atexit, json, sys
from generator import program, twin
twin.MIN_BYTES = 0
seen = {}
_take = twin.take
def _watch(config, jobs):
    seen["early"] = twin._early is not None
    return _take(config, jobs)
twin.take = _watch
atexit.register(lambda: print(json.dumps([seen.get("early"), len(twin.peak_kb)]), file=sys.__stderr__))
sys.argv = ["generator", *sys.argv[1:]]
program.main()
"""


def _program(*argv: str) -> tuple[int, list, str]:
    result = subprocess.run([sys.executable, "-c", PROGRAM, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stderr.strip().splitlines()[-1]), result.stdout


@pytest.mark.parametrize("spelling", [["--config", "{c}"], ["--config={c}"]])
def test_the_program_forks_the_twin_before_the_cli(tmp_path, spelling):
    config = str(CONFIGS / "valid" / "sharded.yaml")
    argv = ["build", *[w.format(c=config) for w in spelling], "--output", str(tmp_path / "early"), "--jobs", "2", "--force"]
    code, (early, twins), out = _program(*argv)
    assert (code, early, twins) == (0, True, 1), out
    code, (early, twins), _ = _program("build", "--config", config, "--output", str(tmp_path / "one"), "--jobs", "1")
    assert (code, early, twins) == (0, False, 0)
    assert folder_files(tmp_path / "early") == folder_files(tmp_path / "one")


def test_a_command_line_read_otherwise_gets_the_twin_after_argparse(tmp_path):
    # An abbreviation (argparse takes --conf for --config): the program does not guess; build starts the twin itself.
    config = str(CONFIGS / "valid" / "sharded.yaml")
    code, (early, twins), _ = _program("build", "--conf", config, "--output", str(tmp_path / "out"), "--jobs", "2")
    assert (code, early, twins) == (0, False, 1)


class _Twin:
    def __init__(self, path, jobs):
        self.path, self.jobs, self.closed = path, jobs, False

    def close(self):
        self.closed = True


@pytest.mark.parametrize(("path", "jobs", "kept"), [("a.yaml", None, True), ("b.yaml", None, False), ("a.yaml", 2, False)])
def test_an_early_twin_is_kept_only_for_what_argparse_read(monkeypatch, path, jobs, kept):
    from generator import twin

    early = _Twin("a.yaml", None)
    monkeypatch.setattr(twin, "_early", early)
    assert (twin.take(path, jobs) is early) is kept
    assert early.closed is not kept and twin._early is None


@pytest.mark.parametrize(("argv", "started"), [
    (["validate", "--config", "x"], None), (["build", "-h"], None), (["build", "--conf", "x"], None), (["build", "x"], None),
    (["build", "--force=1"], None), (["build", "--config"], None), (["build", "--jobs", "3"], None),
    (["build"], ("config/portfolios.yaml", False)), (["build", "--config=a", "--config", "b", "--force"], ("b", False)),
    (["build", "--output", "--config", "--config", "c"], None),
    (["build", "--output", "o", "--config", "c", "--jobs=2"], ("c", True)),
])
def test_the_program_starts_a_twin_only_for_what_it_reads_as_argparse_does(monkeypatch, argv, started):
    from generator import perf, twin

    calls = []
    monkeypatch.setattr(twin, "start", lambda path, processes, asked=False: calls.append((path, asked)))
    monkeypatch.setattr(perf, "_freeze", perf._freeze)
    monkeypatch.setattr(perf, "_processes", perf._processes)
    twin.early(argv)
    assert calls == ([started] if started else [])


CLOSE_TWICE = """
import os, sys
from generator import twin
twin.MIN_BYTES = 0
handle = twin.start(sys.argv[1], 2, asked=True)
assert handle is not None
handle.close()
reaped = len(twin.peak_kb)
reused = [os.open(os.devnull, os.O_RDONLY) for _ in range(4)]  # the numbers the first close freed
handle.close()
for fd in reused:
    os.fstat(fd)  # still open: the second close touched nothing
print(len(twin.peak_kb) - reaped)
"""


def test_closing_a_twin_twice_touches_nothing_the_second_time():
    config = str(CONFIGS / "valid" / "sharded.yaml")
    result = subprocess.run([sys.executable, "-c", CLOSE_TWICE, config], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
