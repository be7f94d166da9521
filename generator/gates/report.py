"""Findings as text for people, JSON for machines, GitHub annotations, and SARIF.

A finding quotes what a gate read in a template, the user's own included (a
policy's action, a resource name, a value cfn-lint refused): text and
annotations print it through ``printable``, as validate prints a config's
problems (generator/formatters.py), so a template cannot forge a line or a
GitHub command; JSON and SARIF escape everything outside ASCII.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter

from ..formatters import _escape, _file
from ..printable import printable
from .sarif import sarif

FAILING = ("error", "warning")


def path(f, base: str) -> str:
    """Where a finding's file is, seen from where the command ran (``output/...``, or a user's own template)."""
    return posixpath.normpath(f"{base.rstrip('/')}/{f.file}") if base and f.file else f.file or "-"


def text(findings, base: str = "") -> str:
    lines = [f"{_file(path(f, base))}:{f.line}: {f.severity}: [{printable(f.code)}] {printable(f.message)}"
             + (f" ({printable(f.resource)})" if f.resource else "") for f in findings]
    counts = Counter(f.severity for f in findings)
    summary = ", ".join(f"{counts[s]} {s}(s)" for s in ("error", "warning", "notice") if counts[s]) or "no findings"
    return "".join(line + "\n" for line in lines) + f"check: {summary}\n"


def as_json(findings, base: str = "") -> str:
    return json.dumps([{**f.as_dict(), "file": path(f, base)} for f in findings], indent=2, sort_keys=True) + "\n"


def github(findings, base: str = "") -> str:
    out = []
    for f in findings:
        kind = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
        where = f"file={_escape(printable(path(f, base)), True)},line={f.line}," if f.file else ""
        out.append(f"::{kind} {where}title={_escape(printable(f.code), True)}::{_escape(printable(f.message))}\n")
    return "".join(out)


FORMATS = {"text": text, "json": as_json, "github": github, "sarif": sarif}


def failed(findings) -> bool:
    return any(f.severity in FAILING for f in findings)
