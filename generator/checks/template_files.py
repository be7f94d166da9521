"""A version whose template is a repository file needs that file to exist."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/template-missing"


def check(cat, ctx):
    line = ctx.line
    for product in cat.products:
        for version in product.versions:
            source = version.template
            if source.kind == "file" and not (ctx.base_dir / source.value).is_file():
                yield Finding(source.path + ("file",),
                    f"product '{product.name}' version '{version.name}' (line {line(version.path)}) uses template file "
                    f"'{source.value}', which does not exist next to the configuration")
