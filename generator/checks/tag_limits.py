"""Service Catalog takes at most 20 tags on a portfolio or product, the shared ones included."""

from __future__ import annotations

CODE = "semantic/tag-limit"

MAX_TAGS = 20


def check(cat, ctx):
    line = ctx.line
    from . import Finding

    shared = dict(cat.tags)
    for kind, entries in (("portfolio", cat.portfolios), ("product", cat.products)):
        for entry in entries:
            merged = {**shared, **dict(entry.tags)}
            if len(merged) > MAX_TAGS:
                yield Finding(entry.path, f"{kind} '{entry.name}' (line {line(entry.path)}) has {len(merged)} tags with the top-level ones; "
                                          f"Service Catalog allows at most {MAX_TAGS}")
            for key in merged:
                if key.lower().startswith("aws:"):
                    yield Finding(entry.path, f"{kind} '{entry.name}' (line {line(entry.path)}) uses tag key '{key}': the 'aws:' prefix is reserved by AWS")
