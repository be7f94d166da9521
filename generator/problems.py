"""Problems: the frozen records every check produces and every formatter reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding. Field order is sort order: by file, then position."""

    file: str
    line: int
    column: int
    code: str
    message: str
    path: str = "$"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "path": self.path,
        }


def json_path(parts: tuple) -> str:
    """``("portfolios", 0, "name")`` -> ``$.portfolios[0].name``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out
