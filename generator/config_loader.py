"""The one way the generator reads a configuration: YAML in, model out.

Stages run in order and each stops the line: reading (file, encoding,
syntax, duplicate keys), the JSON Schema, then the semantic checks. Every
problem of the failing stage is reported at once, sorted by position.
"""

from __future__ import annotations

import os

from . import checks, schema_check
from .core.exceptions import ConfigError
from .core.parse import catalogue_from_dict
from .loaded import LoadedConfig
from .loader.problem import LoadProblem
from .loader.source import DEFAULT_CONFIG
from .perf import gc_paused
from .problems import Problem, json_path

__all__ = ["DEFAULT_CONFIG", "LoadedConfig", "load_config"]  # LoadedConfig lives in loaded.py, for the twin


def _fail(problems: list[Problem]) -> ConfigError:
    problems = sorted(problems)
    return ConfigError(f"{len(problems)} problem(s) in the configuration", problems)


def load_config(path: str | os.PathLike = DEFAULT_CONFIG, twin=None) -> LoadedConfig:
    """``twin``: a ``twin.Twin`` started on the same path, which may have read the file already."""
    with gc_paused():
        return _load(os.fspath(path), twin)


def _load(file: str, twin=None) -> LoadedConfig:
    data, marks, duplicates = _read(file, twin)
    if duplicates:
        raise _fail([Problem(file, p.line, p.column, p.code, p.message, json_path(p.path)) for p in duplicates])
    problems = schema_check.check(data, marks, file)
    if problems:
        raise _fail(problems)
    catalogue = catalogue_from_dict(data)
    problems = checks.run(catalogue, marks, file)
    if problems:
        raise _fail(problems)
    return LoadedConfig(file, data, marks, catalogue)


def _read(file: str, twin):
    try:
        answer = twin.loaded() if twin is not None else None  # what the twin read, from the same bytes
        if answer is None:
            # Imported here: a build whose twin read the file never imports the loader.
            from .loader import document

            answer = document.load(file)
    except LoadProblem as p:
        raise _fail([Problem(file, p.line, p.column, p.code, p.message, json_path(p.path))]) from None
    return answer
