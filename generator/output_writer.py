"""Writing output/ so that a complete build is there at every instant.

The new build is written into a sibling temporary folder, then the two
folders are exchanged in one system call (Linux ``renameat2`` with
``RENAME_EXCHANGE``, atomic in the kernel): before the exchange ``output/`` is
the previous build, after it the new one, never nothing and never a mix.
The previous build, now in the temporary folder, is then deleted.

Why not a stable link to versioned folders: ``output/`` is committed to git,
which would store the link and not the files. Where the exchange is not
available (another kernel, a file system without it) the build falls back
to two renames, parking the previous build in ``.output.old-*`` for the
moment between them; if that moment is interrupted, the next build puts the
parked folder back before anything else, before it even reads its config
(``recover``): the version guard compares against that build's manifest.

A killed build leaves ``.output.tmp-*`` or ``.output.old-*`` folders next to
``output/``; the next build removes them and says so. Builds hold a shared
lock on the parent folder while they write and take it exclusively to clean
up, so a running build's temporary folder is never mistaken for a leftover.
Files are not fsynced: the promise is about interruption, not power loss.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .core.exceptions import BuildError

MANIFEST = "manifest.json"

Checkpoint = Callable[[str], None]  # called with each step's name; tests inject faults there


@dataclass(frozen=True)
class WriteReport:
    """Where a build was written, and what was repaired on the way."""

    folder: str  # absolute path of the folder written
    notes: tuple[str, ...] = ()  # what was repaired on the way (leftovers, a restored output)


def _owned(output: Path) -> set[str]:
    """Paths the previous build wrote, from its manifest (none when it has no manifest)."""
    from .core.exceptions import InputError
    from .previous_output import manifest

    if not os.path.lexists(output / MANIFEST):
        return set()
    try:
        return set(manifest(output).get("files", {})) | {MANIFEST}
    except InputError as exc:
        raise BuildError(f"{exc}; the build cannot tell which files in {output}/ it wrote before: look at the folder, "
                         f"then pass --force to replace it anyway") from None


def _existing(output: Path) -> set[str]:
    # Everything but real folders: a link, pipe or socket someone put there is theirs too.
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_symlink() or not p.is_dir()}


def foreign_files(output: Path) -> list[str]:
    if not output.exists():
        return []
    existing = _existing(output)
    if not existing:
        return []
    return sorted(existing - _owned(output))


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _ours(parent: Path, name: str) -> list[Path]:
    """Folders that builds of ``name`` create next to it, left behind if a build was killed."""
    prefixes = (f".{name}.tmp-", f".{name}.old-")
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    return [p for p in entries if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink()]


def parked_build(output: Path, leftovers: list[Path] | None = None) -> Path | None:
    """The newest build parked next to ``output`` by a fallback swap that has not finished, or None."""
    ours = _ours(output.parent, output.name) if leftovers is None else leftovers
    parked = [p / "output" for p in ours if p.name.startswith(f".{output.name}.old-") and (p / "output").is_dir()]
    return max(parked, key=lambda p: p.stat().st_mtime, default=None)


def _recover(output: Path, leftovers: list[Path]) -> list[str]:
    """Put back a build parked by an interrupted fallback swap, then remove every leftover."""
    notes = []
    if not os.path.lexists(output):
        newest = parked_build(output, leftovers)
        if newest is not None:
            os.rename(newest, output)
            notes.append(f"{output} was missing after an interrupted build: put back the previous build from {newest.parent.name}")
    removed = []
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            removed.append(path.name)
    if removed:
        notes.append(f"removed {len(removed)} folder(s) left by interrupted builds next to {output}: {', '.join(removed)}")
    return notes


def recover(output: Path) -> tuple[str, ...]:
    """Put back a parked build and remove leftovers, if any: what ``build`` does first, whatever its config."""
    output = Path(os.path.abspath(output))
    if not _ours(output.parent, output.name):
        return ()
    lock = _Lock(output.parent)
    try:
        if not lock.try_exclusive():
            return ()  # a build is running next to this one: its folders are not leftovers
        try:
            return tuple(_recover(output, _ours(output.parent, output.name)))
        except OSError as exc:
            raise BuildError(_explain(exc, output, output.parent)) from None
    finally:
        lock.close()


class _Lock:
    """flock on the parent folder: shared while writing, exclusive to clean up. Best effort where unsupported."""

    def __init__(self, parent: Path):
        self.fd = None
        try:
            import fcntl

            self._fcntl = fcntl
            self.fd = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except (ImportError, OSError):
            self.fd = None

    def try_exclusive(self) -> bool:
        """False only when another build holds the lock; where locks are unsupported, assume none runs."""
        if self.fd is None:
            return True
        try:
            self._fcntl.flock(self.fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        except OSError:  # e.g. ENOLCK on a network file system
            return True

    def shared(self) -> None:
        if self.fd is not None:
            try:
                self._fcntl.flock(self.fd, self._fcntl.LOCK_SH)
            except OSError:
                pass

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the lock


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then the caller falls back)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # not Linux, or a libc older than glibc 2.28
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):  # file system without exchange
        return False
    raise OSError(code, os.strerror(code))


def _swap_by_renames(staging: Path, output: Path, parent: Path, step: Checkpoint) -> None:
    parked = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=parent))
    os.rename(output, parked / "output")
    step("parked")  # the one moment without output/: the next build puts it back
    try:
        os.rename(staging, output)
    except OSError:
        os.rename(parked / "output", output)
        raise
    shutil.rmtree(parked, ignore_errors=True)


def _check_target(output: Path) -> None:
    if output.is_symlink():
        raise BuildError(f"{output} is a symbolic link (to {os.readlink(output)}): the build replaces the folder itself, "
                         f"so it would replace the link with a folder; pass --output with the link's target, or remove the link")
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} exists and is not a folder")


def _explain(exc: OSError, output: Path, parent: Path) -> str:
    if exc.errno in (errno.EXDEV, errno.EBUSY):
        return (f"cannot replace {output}: it is on another file system than {parent} (a mount point?), and a folder "
                f"can only be replaced atomically within one; build into a folder inside it with --output, or unmount it")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"cannot write next to {output} in {parent}: {_why(exc)}; the build replaces {output.name}/ as a whole, "
                f"so it needs write access to the folder that holds it")
    if exc.errno == errno.ENOSPC:
        return f"cannot write {output}: {_why(exc)}; the previous output is unchanged"
    return f"cannot write {output}: {_why(exc)}"


def _check_keeps(output: Path, keep: tuple[str, ...]) -> None:
    """Refuse an ``output`` that is, or holds, the current folder or one of the build's inputs.

    ``--force`` replaces a folder of files the build did not write; an empty
    ``--output "$OUT"`` or ``--output .`` would make that the repository,
    config and templates included. No flag lets the build delete its inputs.
    """
    real = Path(os.path.realpath(output))
    try:
        here = [("the current folder", os.getcwd())]
    except OSError:  # the current folder was deleted: nothing there to keep
        here = []
    for what, path in (*here, *((os.path.normpath(p), p) for p in keep)):
        held = Path(os.path.realpath(path))
        if held == real or real in held.parents:
            raise BuildError(f"{output} holds {what}: the build replaces {output.name or output}/ as a whole and would "
                             f"delete it, so it refuses (even with --force); pass --output with a folder of its own")


def write(output: Path, files: dict[str, bytes], force: bool = False, checkpoint: Checkpoint | None = None,
          keep: tuple[str, ...] = ()) -> WriteReport:
    """Replace ``output`` with exactly ``files`` (relative path -> bytes), atomically; never a folder that holds ``keep``."""
    output = Path(os.path.abspath(output))
    step = checkpoint or (lambda name: None)
    _check_keeps(output, keep)
    _check_target(output)
    for rel in files:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise BuildError(f"refusing to write {rel!r}: outside {output}")  # the compiler names files; a bug otherwise
    parent = output.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(_explain(exc, output, parent)) from None
    lock = _Lock(parent)
    try:
        notes: list[str] = []
        if lock.try_exclusive():
            try:
                notes = _recover(output, _ours(parent, output.name))
            except OSError as exc:
                raise BuildError(_explain(exc, output, parent)) from None
            step("cleaned")
        elif _ours(parent, output.name):
            notes.append("another build is running next to this one: temporary folders left alone")
        lock.shared()
        _check_target(output)
        foreign = [] if force else foreign_files(output)
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise BuildError(f"{output}/ holds files the generator did not write ({shown}); "
                             f"move them elsewhere, or pass --force to replace the folder anyway")
        _replace(output, parent, files, step)
        return WriteReport(str(output), tuple(notes))
    finally:
        lock.close()


def _replace(output: Path, parent: Path, files: dict[str, bytes], step: Checkpoint) -> None:
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=parent))
    except OSError as exc:
        raise BuildError(_explain(exc, output, parent)) from None
    step("staging")
    try:
        for rel, body in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        os.chmod(staging, 0o755)
        step("written")
        if not os.path.lexists(output):
            os.rename(staging, output)
        elif _exchange(staging, output):
            step("exchanged")  # staging now holds the previous build
        else:
            _swap_by_renames(staging, output, parent, step)
        step("swapped")
    except OSError as exc:
        raise BuildError(_explain(exc, output, parent)) from None
    finally:
        if os.path.lexists(staging):
            shutil.rmtree(staging, ignore_errors=True)
    step("done")
