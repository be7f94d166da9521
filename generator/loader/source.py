"""A configuration file's text: read within the size limit, decoded as UTF-8, every refusal a LoadProblem."""

from __future__ import annotations

import os
from pathlib import Path

from .problem import MAX_BYTES, LoadProblem

# The --config every command reads by default, relative to the current folder. Here, in a module
# without yaml, so that the CLI and the build's twin (twin.early) read the one constant.
DEFAULT_CONFIG = os.path.join("config", "portfolios.yaml")


def read_bytes(path: str | os.PathLike) -> bytes:
    p = Path(path)
    try:
        if p.is_dir():
            raise LoadProblem("load/unreadable", "is a directory, not a configuration file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise LoadProblem("load/too-large", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise LoadProblem("load/unreadable", "no such file") from None
    except OSError as exc:
        raise LoadProblem("load/unreadable", f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:  # grew while we read it, or a special file
        raise LoadProblem("load/too-large", f"file is larger than the limit of {MAX_BYTES:,} bytes")
    return data


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadProblem("load/encoding", f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8", line, column) from None
