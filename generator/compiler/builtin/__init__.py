"""Built-in product templates: the pipelines this toolkit generates itself."""

from __future__ import annotations

from ...core.exceptions import BuildError
from ...core.model import Catalogue
from ..template import render as _render

NAMES = ("hotfix-pipeline", "main-pipeline")


def template(name: str, cat: Catalogue):
    if name == "hotfix-pipeline":
        from .hotfix_pipeline import template as make
    elif name == "main-pipeline":
        from .main_pipeline import template as make
    else:
        raise BuildError(f"unknown built-in template {name!r}")
    return make(cat)


def render(name: str, cat: Catalogue) -> bytes:
    return _render(template(name, cat))
