"""Names are how entries reference each other, so each must be unique."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/duplicate-name"


def _duplicates(kind, entries, key, line):
    first = {}
    for entry in entries:
        name = key(entry)
        if name in first:
            yield Finding(entry.path, f"{kind} '{name}' is defined twice: first at line {line(first[name].path)}, again at line {line(entry.path)}")
        else:
            first[name] = entry


def check(cat, ctx):
    line = ctx.line
    yield from _duplicates("principal", cat.principals, lambda e: e.name, line)
    yield from _duplicates("tag option", cat.tag_options, lambda e: e.key, line)
    yield from _duplicates("portfolio", cat.portfolios, lambda e: e.name, line)
    yield from _duplicates("portfolio display name", cat.portfolios, lambda e: e.display_name, line)
    yield from _duplicates("product", cat.products, lambda e: e.name, line)
    yield from _duplicates("product display name", cat.products, lambda e: e.display_name, line)
    for product in cat.products:
        yield from _duplicates(f"product '{product.name}': version", product.versions, lambda e: e.name, line)
    if cat.hotfix:
        yield from _duplicates("hotfix repository", cat.hotfix.repositories, lambda e: e.name, line)
