"""Reading files that a configuration or a previous build names, without following them anywhere.

A configuration names template files; a pull request can add one that is a
symbolic link to ``/proc/self/environ`` (the CI runner's secrets), a link to
a folder outside the repository, a named pipe that blocks the build forever,
or a device. ``template_path`` resolves the real path and refuses anything
outside the configuration's folder or that is not a regular file, with the
reason; ``read_regular`` reads a regular file without ever blocking on it.

Hard links cannot be told from ordinary files; git stores none, so a pull
request cannot add one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# CloudFormation reads a template of at most 1 MB from S3 (CloudFormation
# user guide, "AWS CloudFormation quotas": template body size in an Amazon S3
# object); the compiler keeps the same conservative figure (compiler/limits.py).
MAX_TEMPLATE_BYTES = 1_000_000

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (reading it would wait for a writer forever)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Refused(Exception):
    """Why a file may not be read; the message completes 'template file X ...'."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: str | os.PathLike, limit: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``Refused`` otherwise.

    The mode is checked before opening (opening a device can act on it) and
    again on the open descriptor, and the file is opened non-blocking, so
    that a pipe swapped in between is refused rather than waited on.
    """
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        raise Refused("does not exist") from None
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise Refused("is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"is {_kind(info.st_mode)}, not a regular file")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise Refused(f"is {info.st_size:,} bytes; the limit is {limit:,}")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise Refused(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:  # grew while we read it
        raise Refused(f"is larger than the limit of {limit:,} bytes")
    return data


def template_path(base_dir: Path, relative: str) -> Path:
    """The real path of template file ``relative``, which must stay inside ``base_dir``."""
    if os.path.isabs(relative) or ".." in Path(relative).parts:
        raise Refused("must be a relative path inside the configuration's folder, without '..'")
    base = Path(os.path.realpath(base_dir))
    real = Path(os.path.realpath(base / relative))
    if real != base and base not in real.parents:
        raise Refused(f"resolves (through a symbolic link) to {real}, outside the configuration's folder {base}; "
                      f"a template must be a file inside that folder, so that no link can copy another file into output/")
    if os.path.islink(real):  # realpath leaves a loop unresolved
        raise Refused("is a loop of symbolic links")
    if not os.path.lexists(real):
        how = "does not exist next to the configuration" if real == base / relative else \
            f"is a symbolic link to {real}, which does not exist"
        raise Refused(how)
    return real


def read_template(base_dir: Path, relative: str) -> bytes:
    """The bytes of a ``file:`` template, refused with the reason when it is not a regular file inside ``base_dir``."""
    # The resolved path is opened without following links, so that a link
    # swapped in after resolving is refused instead of followed.
    return read_regular(template_path(base_dir, relative), MAX_TEMPLATE_BYTES, follow_symlinks=False)
