"""A second process for a large build: it reads the configuration while this one imports, then compiles part of it.

A build of a large catalogue is mostly three kinds of work: imports (the
loader's, the checks' and the compiler's modules), reading the YAML, and
compiling product and portfolio stacks that share nothing but the model.
On a machine with a second core, this process forks early: the program
(``program.py``) calls ``early`` before it even imports the CLI, and
``build`` calls ``start`` for a command line ``early`` did not read. It
first imports what both processes need (the loader, the model, the
compiler), then forks. The twin reads the file's bytes as this process read
them (PyYAML too, if the block reader leaves the file to it) while this
process imports what only it needs (the checks, the schema, the CLI), and
sends back what the loader made of them. Then, while this process
validates, the twin builds the same model, plans the same jobs and starts
building them. The two share the jobs as they go (``compiler/jobs.py``):
each takes the next, heaviest first, from a queue of numbered tickets,
so whichever is ahead (the twin, which had less to do before, or this
process, when the twin's core is slow) does more. The twin's stacks come
back pickled, and this process builds its own and whatever is missing.

Nothing the user sees can depend on the twin:

- it sends what ``document.load_text`` returns or raises for the bytes
  this process read (data, positions when the loader took them, duplicate
  keys, or the problem that stopped it), so this process reports exactly
  what it would have found; when the twin sends nothing (it died), this
  process reads the file itself;
- every job is a pure function of the model, which both processes build from
  the same data; each job is taken by one process only (its ticket), the
  twin's results count only if it planned the same jobs (their weights), and
  results go back in job order; for an invalid configuration they never
  count (the twin is stopped);
- a job the twin did not finish (an error, a crash, a signal) is run here,
  in order, so an error is raised exactly as a one-process build raises it;
- it never writes a file or prints, and never outlives the command: it talks
  through one pipe and two anonymous memory files (``os.memfd_create``: what
  it read and its stacks, written there at once instead of waiting for this
  process to empty a 64 KB pipe), and takes tickets from a second pipe; its
  standard streams go to /dev/null, the kernel
  kills it when this process ends (``PR_SET_PDEATHSIG``, set as it
  starts), it leaves with ``os._exit``, and ``close`` kills and
  reaps it whatever happened (an early twin that argparse disowns too);
- ``early`` reads the command line only where it cannot misread it, and
  ``take`` keeps its twin only if argparse read the same file and ``--jobs``.

Only where it pays and forking is safe: Linux (elsewhere processes start by
other means, whose start-up costs more than the work), a regular file of at
least ``MIN_BYTES`` (smaller ones are read and compiled faster than a fork
pays back; a pipe can be read only once), no other thread running (a fork
copies one thread and any lock another held), and two processes allowed:
``build --jobs 2`` forks the twin whatever the machine's load; by default
(``perf.processes``: two for the command line where this process may use two
cores, one for a library caller) only while the one-minute load average
leaves one of this process's cores free (``_core_to_spare``): on a machine
whose cores are all taken, a twin only adds its work to theirs.
"""

from __future__ import annotations

import atexit
import marshal
import os
import signal
import stat
import struct
import sys

from . import perf
from .loader.marks import LazyMarks, Marks

MIN_BYTES = 128 * 1024  # about 400 products: below that a fork costs more than the overlap saves
_HEADER = struct.Struct(">Q")
_TICKET = struct.Struct(">H")
_TICKETS = 4096  # 8 KB; a plan with more jobs (5,000 portfolios fit in 2.4 MB) gives each ticket a run of them
_TICKETS_AT_ONCE = 2048  # 4 KB, PIPE_BUF: each write is whole or refused
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

peak_kb: list[int] = []  # each reaped twin's peak resident memory (wait4): tests/test_twin.py counts twins by it


class Twin:
    """The parent's handle on its twin: the file it read, and the pipes to it."""

    def __init__(self, pid: int, from_twin: int, boards: tuple[int | None, int | None], tickets: tuple[int, int],
                 raw: bytes, path: str, jobs: int | None):
        self.pid, self._from, self.raw, self.path = pid, from_twin, raw, path
        self._boards = list(boards)  # memory files for what it read, and for its stacks (None: the pipe carries it)
        self._tickets, self._count = tickets  # the queue's descriptor, and how many tickets it was filled with
        self.jobs = jobs  # the --jobs it was started for (None: the default)

    def loaded(self):
        """``document.load_text``'s answer for the bytes read, or None: read the file yourself.

        Raises the ``LoadProblem`` the loader raised.
        """
        message = self._message(0)
        try:
            answer = marshal.loads(message) if message is not None else None
        except (ValueError, EOFError, TypeError):
            answer = None
        if answer is None:
            return None
        from .loader.problem import LoadProblem
        from .loader.source import decode

        if answer[0] == "problem":
            raise LoadProblem(*answer[1:])
        _, data, positions, duplicates = answer
        if positions is None:  # found only when a problem needs them, from the same text
            from .loader.document import lazy_marks

            marks = lazy_marks(decode(self.raw))
        else:
            marks = Marks()
            marks.values, marks.keys = positions
        return data, marks, [LoadProblem(*d) for d in duplicates]

    def claims(self, order: list[int]):
        """The jobs this process takes, one at a time, in ``order`` (see ``_claims``)."""
        return _claims(self._tickets, self._count, order)

    def results(self, weights: list[int]) -> dict[int, list]:
        """{job index: its stacks} for the jobs the twin built of the plan whose job weights are ``weights``.

        Empty when the twin planned other jobs, failed, or sent something torn:
        the caller builds whatever is missing.
        """
        import pickle

        message = self._message(1)
        try:
            planned, done = pickle.loads(message) if message is not None else (None, ())
        except Exception:
            return {}
        if planned != weights:
            return {}
        return dict(done)

    def _message(self, which: int) -> bytes | None:
        """The twin's next message, from the pipe or, when the pipe gives its size, from memory file ``which``.

        The memory file is closed once read: its memory is freed with it.
        """
        message = _receive(self._from)
        fd, self._boards[which] = self._boards[which], None
        if fd is not None:
            if message is not None:
                message = _read_board(fd, message)
            os.close(fd)
        return message

    def close(self) -> None:
        """Stop the twin if it still runs, and reap it; once: a second call must not hit a descriptor or pid reused since."""
        if self._from < 0:
            return
        for fd in (self._from, self._tickets, *self._boards):
            try:
                if fd is not None:
                    os.close(fd)
            except OSError:
                pass
        self._from = self._tickets = -1
        self._boards = [None, None]
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            _, _, usage = os.wait4(self.pid, 0)
            peak_kb.append(usage.ru_maxrss)
        except ChildProcessError:
            pass


# The build's options and whether each takes a value (commands/build.py and cli._command): what
# ``early`` reads of the command line before argparse is even imported.
_BUILD_OPTIONS = {"--config": True, "--output": True, "--format": True, "--jobs": True, "--allow-version-change": True,
                  "--force": False, "--debug": False}
_early: Twin | None = None


def early(argv: list[str]) -> None:
    """For the program, before it imports the CLI (11 ms): fork the twin of ``build --config PATH ...``.

    Only for a command line read here without doubt: ``build`` first, then
    the build's options each spelled out in full (``--config PATH`` or
    ``--config=PATH``); an abbreviation, ``--help`` or anything else leaves it
    to ``take``'s caller, after argparse. ``take`` hands the twin over only
    if argparse read the same path and ``--jobs``; otherwise it is stopped.
    """
    global _early
    options = _build_options(argv)
    if options is None:
        return
    jobs = options.get("--jobs")
    if jobs not in (None, "1", "2"):
        return
    perf.allow_processes()  # as cli.main does for the program
    perf.freeze_after_pauses()
    from .loader.source import DEFAULT_CONFIG

    _early = start(options.get("--config", DEFAULT_CONFIG), int(jobs or perf.processes()), asked=jobs is not None)
    if _early is not None:
        atexit.register(_close_early)  # the program ends with os._exit after its atexit callbacks (perf.exit_process)


def _build_options(argv: list[str]) -> dict[str, str] | None:
    if not argv or argv[0] != "build":
        return None
    options: dict[str, str] = {}
    words = iter(argv[1:])
    for word in words:
        name, equals, value = word.partition("=")
        if name not in _BUILD_OPTIONS or (equals and not _BUILD_OPTIONS[name]):
            return None
        if _BUILD_OPTIONS[name] and not equals:
            value = next(words, None)
            if value is None or value.startswith("-"):  # argparse reads an option there, not a value
                return None
        options[name] = value
    return options


def take(config: str, jobs: int | None) -> Twin | None:
    """The twin ``early`` forked, if it reads ``config`` as argparse read it, with the same ``--jobs``."""
    global _early
    twin, _early = _early, None
    if twin is not None and (twin.path != config or twin.jobs != jobs):
        twin.close()
        return None
    return twin


def _close_early() -> None:
    if _early is not None:
        _early.close()


def start(path: str, processes: int, asked: bool = False) -> Twin | None:
    """A twin reading ``path``, or None where one would not pay (see the module's docstring).

    ``asked``: the user asked for two processes (``--jobs 2``), busy cores or not.
    """
    if processes < 2 or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return None
    threading = sys.modules.get("threading")  # not imported: no thread was started from Python
    if threading is not None and threading.active_count() > 1:
        return None
    if not asked and not _core_to_spare():
        return None
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None  # reported by the usual path
    if not stat.S_ISREG(info.st_mode) or info.st_size < MIN_BYTES:
        return None
    from .loader.problem import LoadProblem
    from .loader.source import read_bytes

    try:
        raw = read_bytes(path)
    except LoadProblem:  # reported by the usual path, which reads it again
        return None
    _import_what_both_need()  # before any descriptor is opened: an import that fails leaves none behind
    try:
        read, write = os.pipe()
    except OSError:  # out of file descriptors: one process does it all
        return None
    tickets = _ticket_queue()
    if tickets is None:
        os.close(read)
        os.close(write)
        return None
    board, stacks_board = _board("sc-toolkit-twin-read"), _board("sc-toolkit-twin-stacks")
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:  # out of processes
        for fd in (read, write, tickets[0], board, stacks_board):
            if fd is not None:
                os.close(fd)
        return None
    if pid == 0:  # the twin: never returns
        status = 1
        try:
            os.close(read)
            write, queue, board, stacks_board = (_above_stdio(fd) for fd in (write, tickets[0], board, stacks_board))
            _detach()
            _bind_to(parent)
            status = _serve(raw, path, write, (board, stacks_board), (queue, tickets[1]), parent)
        finally:
            # No atexit handlers, no buffered output written twice, no teardown of the parent's objects.
            os._exit(status)
    os.close(write)
    return Twin(pid, read, (board, stacks_board), tickets, raw, path, processes if asked else None)


def _import_what_both_need() -> None:
    """The modules the twin needs, imported once, before the fork, since this process needs them too.

    Forked first, the twin imported them again while this process did
    (about 30 ms of each process's time at the start of a build); after
    them, it still reads the file before this process has imported the
    checks, the schema and the CLI (about 25 ms), which it does not need.
    """
    import ctypes  # noqa: F401  (_bind_to; output_writer)
    import pickle  # noqa: F401  (results)

    from . import loaded  # noqa: F401
    from .compiler import build, jobs  # noqa: F401
    from .core import parse  # noqa: F401
    from .loader import document  # noqa: F401


def _ticket_queue() -> tuple[int, int] | None:
    """The reading end of a pipe holding the tickets 0, 1, 2... (two bytes each) and their count, or None (no pipe).

    Both processes read it, two bytes at a time: a pipe gives each read its
    bytes under one lock (Linux, fs/pipe.c: pipe_read holds the pipe's mutex
    while it copies), so every ticket goes to exactly one of them, in order.
    Written before the fork, without blocking: as many tickets as the pipe
    holds (4,096 where a pipe holds 64 KB; pipe(7): a user over
    /proc/sys/fs/pipe-user-pages-soft gets a pipe of one page, 2,048 tickets),
    a count both processes know, as ``_claims`` needs.
    """
    try:
        read, write = os.pipe()
    except OSError:
        return None
    os.set_blocking(write, False)
    count = 0
    try:
        for start in range(0, _TICKETS, _TICKETS_AT_ONCE):
            os.write(write, b"".join(_TICKET.pack(t) for t in range(start, start + _TICKETS_AT_ONCE)))
            count += _TICKETS_AT_ONCE
    except BlockingIOError:  # a smaller pipe: pipe(7), writes of up to PIPE_BUF bytes are whole or not at all
        pass
    finally:
        os.close(write)
    if not count:
        os.close(read)
        return None
    os.set_blocking(read, False)  # no ticket left: the read says so at once
    return read, count


def _claims(tickets: int, count: int, order: list[int]):
    """The jobs one process takes: for each ticket it reads, the jobs ``order`` puts there, until none is left.

    Ticket t stands for the position t of ``order``; when there are more jobs
    than ``count`` tickets, for the run of positions from t*n//count up to
    (t+1)*n//count, so that the tickets cover every job and the queue still
    shares all of them.
    """
    n = len(order)
    while True:
        try:
            ticket = os.read(tickets, _TICKET.size)
        except OSError:  # BlockingIOError: the queue is empty
            return
        if len(ticket) != _TICKET.size:
            return
        number = _TICKET.unpack(ticket)[0]
        if n <= count:
            if number >= n:
                return
            yield order[number]
        else:
            yield from order[number * n // count:(number + 1) * n // count]


def _above_stdio(fd: int | None) -> int | None:
    """``fd``, or a copy of it numbered 3 or more: the twin points 0, 1 and 2 at /dev/null (``_detach``).

    A program started with a standard stream closed (``<&- >&-``) gets its
    pipes there (open(2): the lowest free number).
    """
    if fd is None or fd > 2:
        return fd
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return moved


def _board(name: str) -> int | None:
    """An anonymous memory file for a message of the twin, or None (no memfd here): the pipe carries it."""
    try:
        return os.memfd_create(name, os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return None


def _core_to_spare() -> bool:
    """Whether the one-minute load average leaves a core of those this process may use free for a twin.

    The build itself counts about one; half a core of margin, as a load
    average lags. Unknown (no /proc/loadavg): no twin.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    usable = perf.cores()
    return usable >= 2 and load < usable - 0.5


def _detach() -> None:
    """The twin never prints, and a pipeline (``build | tee log``) must not wait for it; Ctrl-C reaches it as it reaches the parent."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a parent that ignores it (nohup, &) makes the twin ignore it
        signal.signal(signal.SIGINT, signal.SIG_DFL)


def _bind_to(parent: int) -> None:
    """Die with the parent: the kernel sends SIGKILL when it ends.

    Set first thing: ctypes is imported before the fork.
    """
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: it stops when it next sends
        pass
    if os.getppid() != parent:  # the parent ended before prctl took effect
        os._exit(1)


def _serve(raw: bytes, path: str, outbox: int, boards: tuple[int | None, int | None], tickets: tuple[int, int],
           parent: int) -> int:
    board, stacks_board = boards
    from .loader import document
    from .loader.problem import LoadProblem

    with perf.gc_paused():
        try:
            data, marks, duplicates = document.load_text(document.decode(raw))
            positions = None if isinstance(marks, LazyMarks) else (marks.values, marks.keys)
            answer = ("loaded", data, positions, [(d.code, d.message, d.line, d.column, d.path) for d in duplicates])
        except LoadProblem as p:
            data, duplicates, answer = None, [], ("problem", p.code, p.message, p.line, p.column, p.path)
        try:
            message = marshal.dumps(answer)
        except ValueError:  # nothing the loader returns is out of marshal's reach; if it were, the parent reads the file
            return 1
    if board is not None:
        # Written where no reader is needed to take it (a pipe holds 64 KB; 1,000 products read are
        # 260 KB, and this process is still importing), then its size goes through the pipe.
        _write_all(board, message)
        os.close(board)  # its pages stay while the parent's descriptor is open, until it has read them
        message = _HEADER.pack(len(message))
    _send(outbox, message)
    del answer, message
    if data is None or duplicates:
        return 0
    # While the parent validates, the twin builds its share: the parent discards it if the
    # configuration is invalid (it stops the twin) or if its plan differs (checked by the weights).
    from .compiler import build, jobs
    from .core.parse import catalogue_from_dict
    from .loaded import LoadedConfig

    done: list = []
    with perf.gc_paused():
        try:
            plan = build.plan(LoadedConfig(path, data, marks, catalogue_from_dict(data)))
        except Exception:  # an invalid configuration: the parent reports it
            return 0
        weights = [job.weight for job in plan.jobs]
        for i in _claims(*tickets, jobs.order(weights)) if jobs.shared(weights) else ():
            try:
                done.append((i, plan.jobs[i].build()))
            except Exception:
                break  # the parent builds this job again and reports its error
    import pickle

    if stacks_board is None:
        _send(outbox, pickle.dumps((weights, done), protocol=pickle.HIGHEST_PROTOCOL))
        return 0
    # Pickled straight into the memory file (no copy of the stacks in this process), whatever the
    # parent is doing: through a 64 KB pipe, the 1.6 MB of 1,000 products' stacks took 25 round
    # trips between the processes, about 3 ms at the end of the build, when the parent waits.
    with open(stacks_board, "wb") as shelf:
        pickle.dump((weights, done), shelf, protocol=pickle.HIGHEST_PROTOCOL)
        size = shelf.tell()
    _send(outbox, _HEADER.pack(size))
    return 0


def _send(fd: int, payload: bytes) -> None:
    # Two writes, not one of their sum: a copy of the payload (the stacks sent back: 20 MB at 10,000 products).
    _write_all(fd, _HEADER.pack(len(payload)))
    _write_all(fd, payload)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_board(board: int, header: bytes) -> bytes | None:
    """The message the twin wrote on the board, whose size ``header`` gives; None if it is torn."""
    if len(header) != _HEADER.size:
        return None
    size, chunks, offset = _HEADER.unpack(header)[0], [], 0
    while offset < size:
        try:
            chunk = os.pread(board, min(size - offset, 1 << 24), offset)
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> bytes | None:
    """One message, or None when the other side closed its end first."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
