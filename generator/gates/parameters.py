"""The parameter values a product template is launched with, as the automation computes them.

The lifecycle Lambda derives a hotfix pipeline's parameters from the
repository and the branch (``generator.hotfix.decide``); the gates ask the
same function, for a short and for the longest branch name CodeCommit
accepts, so a grant is checked against the names a real launch gets
(a truncated artifact folder, a hashed slug). Products that people launch
(the main pipeline) get the configured application's values and witnesses
for the rest.
"""

from __future__ import annotations

from ..core import connections, sources
from ..core.naming import export_name
from ..hotfix.branches import MAX_LENGTH
from ..hotfix.decide import decide
from ..hotfix.decisions import Provision

COMMIT = "3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
PER_BRANCH = ("PipelineSlug", "BranchName", "CommitId")


def _event(cat, repository: str, branch: str) -> dict:
    account, region = cat.account_id("tools"), cat.region
    return {"version": "0", "id": "gates", "detail-type": "CodeCommit Repository State Change", "source": "aws.codecommit",
            "account": account, "region": region, "resources": [f"arn:aws:codecommit:{region}:{account}:{repository}"],
            "detail": {"event": "referenceCreated", "repositoryName": repository, "referenceType": "branch",
                       "referenceName": branch, "referenceFullName": f"refs/heads/{branch}", "commitId": COMMIT}}


def branches(prefix: str) -> list[str]:
    return [f"{prefix}login-fix", prefix + "x" * (MAX_LENGTH - len(prefix))]


def _kinds(product) -> set[str]:
    return {sources.KIND_OF_BUILTIN.get(v.template.value) for v in product.versions if v.template.kind == "builtin"}


def with_imported_connections(cat):
    """The catalogue with each created connection's ARN as the import of the tools stack's export: the gates resolve it
    where the product is launched, as the lifecycle Lambda gets it from its environment (``core.connections``)."""
    return connections.with_arns(cat, lambda k: {"Fn::ImportValue": export_name(cat.stack_prefix, "tools", f"connection-{k}")})


def launches(cat) -> dict[str, list[dict]]:
    """Product name -> parameter sets the automation would launch it with.

    A product is launched for the repositories whose kind of source its
    templates read (the generated template constraint admits no other).
    """
    out: dict[str, list[dict]] = {}
    if not cat or not cat.hotfix:
        return out
    cat = with_imported_connections(cat)
    for repo in sorted(cat.hotfix.repositories, key=lambda r: r.name):
        for branch in branches(repo.branch_prefix):
            decision = decide(_event(cat, repo.name, branch), cat)
            if isinstance(decision, Provision):
                values = dict(decision.parameters)
                out.setdefault(repo.product, []).append(values)
                shared = {k: v for k, v in values.items() if k not in PER_BRANCH}
                for product in cat.products:
                    if product.name != repo.product and sources.kind(repo.provider) in _kinds(product) \
                            and shared not in out.get(product.name, []):
                        out.setdefault(product.name, []).append(shared)
    return out


def provider(cat):
    """``product_parameters`` for ``model.load``: by the product template's path ``products/<product>/<version>.*``."""
    table = launches(cat)

    def sets(path: str):
        parts = path.split("/")
        return table.get(parts[1]) if len(parts) == 3 and parts[0] == "products" else None

    return sets
