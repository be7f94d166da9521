"""Built-in product templates: the pipelines this toolkit generates itself."""

from __future__ import annotations

from ...core import sources
from ...core.exceptions import BuildError
from ...core.model import Catalogue
from ..template import render as _render

NAMES = ("hotfix-pipeline", "main-pipeline", "hotfix-pipeline-codeconnections", "main-pipeline-codeconnections")


def template(name: str, cat: Catalogue):
    """Each built-in pipeline in one variant per kind of source (``core.sources``): CodeCommit, or a connection."""
    if name in sources.HOTFIX.values():
        from .hotfix_pipeline import template as make
    elif name in sources.MAIN.values():
        from .main_pipeline import template as make
    else:
        raise BuildError(f"unknown built-in template {name!r}")
    return make(cat, name)


def render(name: str, cat: Catalogue) -> bytes:
    return _render(template(name, cat))
