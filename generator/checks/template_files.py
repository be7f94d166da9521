"""A version whose template is a repository file needs that file: regular, readable, inside the config's folder."""

from __future__ import annotations

from ..loader.files import Refused, read_template
from .finding import Finding

CODE = "semantic/template-missing"  # kept from when it only meant missing: tools match codes


def check(cat, ctx):
    line = ctx.line
    for product in cat.products:
        for version in product.versions:
            source = version.template
            if source.kind != "file":
                continue
            try:
                read_template(ctx.base_dir, source.value)
            except Refused as why:
                yield Finding(source.path + ("file",),
                    f"product '{product.name}' version '{version.name}' (line {line(version.path)}) uses template file "
                    f"'{source.value}', which {why}")
