"""The automation fills the built-in hotfix pipeline's parameters; another template would refuse them.

Each kind of source has its own built-in hotfix template (``core.sources``):
a repository's product launches the one that reads its provider, so every
repository of one hotfix product is of the same kind.
"""

from __future__ import annotations

from ..core import sources
from .finding import Finding

CODE = "semantic/hotfix-template"


def check(cat, ctx):
    if not cat.hotfix:
        return
    owners: dict[str, object] = {}  # product -> the first repository (by name) that launches it
    for repo in sorted(cat.hotfix.repositories, key=lambda r: r.name):
        product = cat.product(repo.product)
        if product is None:
            continue
        first = owners.setdefault(product.name, repo)
        wanted = sources.hotfix_builtin(repo)
        if first is not repo:
            if sources.hotfix_builtin(first) != wanted:
                yield Finding(repo.path + ("product",),
                    f"hotfix repository '{repo.name}' (line {ctx.line(repo.path)}) is a {sources.TITLE[repo.provider]} "
                    f"repository and '{first.name}' (line {ctx.line(first.path)}) a {sources.TITLE[first.provider]} one, "
                    f"but both launch product '{product.name}', whose versions read one kind of source: give each kind "
                    "its own hotfix product")
            continue
        for version in product.active_versions():
            if (version.template.kind, version.template.value) != ("builtin", wanted):
                yield Finding(version.template.path,
                    f"product '{product.name}' version '{version.name}' (line {ctx.line(version.path)}) is launched by hotfix "
                    f"repository '{repo.name}' (line {ctx.line(repo.path)}), so it must use 'builtin: {wanted}', "
                    f"whose parameters the automation fills; mark other versions 'active: false'")
