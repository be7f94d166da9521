"""An ECR repository belongs to one application: its pull policy names that application's task roles."""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/ecr-repository-shared"


def check(cat, ctx):
    if not cat.hotfix:
        return
    owner = {}
    for repo in cat.hotfix.repositories:
        p = repo.parameters
        first = owner.setdefault(p.ecr_repository, (p.application_name, repo))
        if first[0] != p.application_name:
            yield Finding(repo.path + ("parameters",),
                f"hotfix repository '{repo.name}' (line {ctx.line(repo.path)}) pushes application '{p.application_name}' to "
                f"ECR repository '{p.ecr_repository}', which hotfix repository '{first[1].name}' (line {ctx.line(first[1].path)}) "
                f"uses for application '{first[0]}'; give each application its own ECR repository")
