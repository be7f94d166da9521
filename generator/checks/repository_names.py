"""Hotfix repository names CodeCommit accepts.

CodeCommit user guide, "Quotas in AWS CodeCommit": repository names are any
combination of letters, numbers, periods, underscores and dashes, 1 to 100
characters (the schema holds that), and cannot end in .git. The API
reference (CreateRepository) says the same: "The suffix .git is prohibited".
Names made only of periods are refused too: '.' and '..' would be path
segments of the clone URL (.../v1/repos/NAME). No AWS document lists that
case; the toolkit refuses it rather than learn it at deploy time.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/repository-name"


def check(cat, ctx):
    if not cat.hotfix:
        return
    for repo in cat.hotfix.repositories:
        why = ""
        if repo.name.endswith(".git"):
            why = "ends in .git, which CodeCommit prohibits"
        elif set(repo.name) == {"."}:
            why = "is made of periods only, a path segment ('.' or '..') of the repository's clone URL"
        if why:
            yield Finding(repo.path + ("name",), f"hotfix repository '{repo.name}' (line {ctx.line(repo.path)}) {why}")
