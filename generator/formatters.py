"""Problems as text for people, JSON for machines, annotations for GitHub."""

from __future__ import annotations

import json

from .problems import Problem


def text(problems: list[Problem]) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: error: {p.message} (at {p.path})\n" for p in problems)


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], indent=2, sort_keys=True) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    # GitHub workflow command escaping: data and property values differ.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(problems: list[Problem]) -> str:
    return "".join(
        f"::error file={_escape(p.file, True)},line={p.line},col={p.column},title={_escape(p.code, True)}::{_escape(p.message)}\n"
        for p in problems
    )


FORMATS = {"text": text, "json": as_json, "github": github}
