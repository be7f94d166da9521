"""Tags a portfolio or product may carry: at most 20 with the shared ones, no reserved keys.

"aws:" keys are AWS's own. "true" and "false" (in any case) are read as
booleans by CloudFormation tooling: cfn-lint compares such a key equal to
every other key of the list (E3024), so the build could not be lint clean.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/tag-limit"

MAX_TAGS = 20


def check(cat, ctx):
    line = ctx.line
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
                elif key.lower() in ("true", "false"):
                    yield Finding(entry.path, f"{kind} '{entry.name}' (line {line(entry.path)}) uses tag key '{key}', which "
                                              "CloudFormation tooling reads as a boolean; choose a key that is not true or false")
