"""What the YAML reader refuses, and the limits it refuses it by."""

from __future__ import annotations

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "LoadProblem"]  # and Loader, on first use (__getattr__)

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64


class LoadProblem(Exception):
    """One reason the file could not become data, with its position."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1, path: tuple = ()):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.path = code, message, line, column, path


def __getattr__(name: str):
    """``Loader``, imported on first use: a build whose configuration another process read never imports yaml."""
    if name != "Loader":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:  # libyaml is ~10x faster; the pure-Python parser gives the same nodes
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as Loader
    globals()["Loader"] = Loader
    return Loader
