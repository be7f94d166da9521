"""Pull requests go to distinct branches that are not hotfix branches themselves."""

from __future__ import annotations

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/merge-target"


def check(cat, ctx):
    line = ctx.line
    if not cat.hotfix:
        return
    for repo in cat.hotfix.repositories:
        seen = set()
        for i, target in indexed(repo.merge_into):
            path = repo.path + ("merge_into", i)
            if target in seen:
                yield Finding(path, f"hotfix repository '{repo.name}' (line {line(repo.path)}) merges into '{target}' twice")
            seen.add(target)
            if target.startswith(repo.branch_prefix):
                yield Finding(path, f"merge target '{target}' of hotfix repository '{repo.name}' (line {line(repo.path)}) starts with "
                                    f"the hotfix prefix '{repo.branch_prefix}': it would get a hotfix pipeline of its own")
