"""Problems as text for people, JSON for machines, annotations for GitHub.

Every format prints exactly one record per problem, whatever the file name,
key or value holds: text and GitHub annotations go through ``printable``
(newlines, escape sequences and bidi controls become visible escapes), and
JSON escapes everything outside ASCII.
"""

from __future__ import annotations

import json

from .printable import printable
from .problems import Problem


def _file(name: str) -> str:
    # The GitHub runner reads any output line that starts, after spaces, with
    # '::' or '##[' as a command (actions/runner, ActionCommand.TryParseV2
    # trims leading space): a file named so gets './', the same file. The
    # colon that follows the name counts too: a file named ':' starts '::'.
    name = printable(name)
    return "./" + name if (name.lstrip() + ":").startswith(("::", "##[")) else name


def text(problems: list[Problem]) -> str:
    return "".join(f"{_file(p.file)}:{p.line}:{p.column}: error: {printable(p.message)} (at {printable(p.path)})\n"
                   for p in problems)


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], indent=2, sort_keys=True) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    # GitHub workflow command escaping: data and property values differ
    # (actions/toolkit, packages/core/src/command.ts: escapeData, escapeProperty).
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(problems: list[Problem]) -> str:
    # printable first: a newline or escape from the config is shown, not obeyed, in the annotation too.
    return "".join(
        f"::error file={_escape(printable(p.file), True)},line={p.line},col={p.column},"
        f"title={_escape(printable(p.code), True)}::{_escape(printable(p.message))}\n"
        for p in problems
    )


FORMATS = {"text": text, "json": as_json, "github": github}
