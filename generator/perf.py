"""What a one-command process may do that a library may not: freeze what the collector pauses for, use a second core, end quickly.

Pausing the cyclic garbage collector around bulk allocation:

Loading a large YAML file or compiling thousands of products allocates
millions of objects and no reference cycles; CPython's collector would walk
the growing heap again and again (5,000 products: 2.7 s of YAML reading
instead of 1.1 s). Reference counting still frees everything as usual.

A pause defers that walk, it does not spare it: what the block allocated is
all still in the youngest generation when the collector resumes, so the
first collections after it walk every object once per generation (10,000
products: ~150 collections, 0.75 s of a build under load). A process that
ends with its command (the command line, ``freeze_after_pauses``) moves those
objects to the permanent generation instead (``gc.freeze``): reference
counting still frees them; a cycle among them would wait for the exit, and
the loader and compiler make none. A library caller (the tests, which load
thousands of configurations in one process) keeps the plain pause.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager

_freeze = False
_processes = 1  # processes a build may use (twin.py): one for a library caller, one per core for the command line
MAX_PROCESSES = 2  # a build uses at most two: this one and its twin


def freeze_after_pauses() -> None:
    """For a process that exits when its command is done: objects a pause allocated are never walked again."""
    global _freeze
    _freeze = True


@contextmanager
def gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def open_missing_streams() -> None:
    """Standard streams where the program was started without them (``build >&-``): what it writes goes nowhere.

    Python then has None for sys.stdout or sys.stderr, and every command
    writes to them (its result, its progress, its problems); a closed stream
    is an answer the caller did not want to read, not an internal error.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # open until the process ends


def exit_process(code: int):
    """End a one-command process without tearing the interpreter down (1,000 products: ~7 ms of freeing; 10,000: ~15 ms).

    Everything the command wrote is closed by then (every file is written in a
    ``with`` block); what remains is flushing the standard streams and running
    the atexit callbacks, done here, before ``os._exit``. A thread still
    running gets the usual exit, which waits for it.
    """
    import atexit

    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):  # never None: cli.main opened the missing ones (open_missing_streams)
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (| head) before the last of the output: as cli.main answers
            code = code or 141
        except (OSError, ValueError):  # a closed stream: nothing more to say
            pass
    os._exit(code)


def cores() -> int:
    """The cores this process may run on, not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def allow_processes() -> None:
    """For the command line: builds may use a second process when this one may run on a second core."""
    global _processes
    _processes = min(cores(), MAX_PROCESSES)


def processes() -> int:
    return _processes
