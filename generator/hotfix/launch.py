"""The launch parameters of a pipeline product, for the automation and for people.

The lifecycle Lambda launches hotfix pipelines. People launch main
pipelines, and a main pipeline needs a PipelineSlug that only the toolkit
derives (``core.naming.pipeline_slug``): ``launch-parameters`` prints every
parameter, from the same code the Lambda uses for its own.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from ..core import sources
from ..core.exceptions import UsageError
from ..core.model import Catalogue, Product
from ..core.naming import pipeline_slug, provisioned_product_name
from ..core.pipeline_accounts import account_parameters
from . import branches
from .decide import newest_active_version, pipeline_parameters, tag_value


@dataclass(frozen=True)
class LaunchRequest:
    product: str  # its name in Service Catalog
    version: str
    portfolio: str  # the launch path's name in Service Catalog
    provisioned_product_name: str
    parameters: dict[str, str]
    tags: dict[str, str]

    def as_dict(self) -> dict:
        return {"product": self.product, "version": self.version, "portfolio": self.portfolio,
                "provisioned_product_name": self.provisioned_product_name,
                "parameters": self.parameters, "tags": self.tags}

    def command(self) -> str:
        """The same request as an ``aws servicecatalog provision-product`` command line."""
        params = [{"Key": k, "Value": v} for k, v in sorted(self.parameters.items())]
        tags = [{"Key": k, "Value": v} for k, v in sorted(self.tags.items())]
        args = ["aws", "servicecatalog", "provision-product", "--product-name", self.product,
                "--provisioning-artifact-name", self.version, "--path-name", self.portfolio,
                "--provisioned-product-name", self.provisioned_product_name,
                "--provisioning-parameters", json.dumps(params, separators=(",", ":"), ensure_ascii=False),
                "--tags", json.dumps(tags, separators=(",", ":"), ensure_ascii=False)]
        return " ".join(shlex.quote(a) for a in args)


def _builtin(product: Product, version: str) -> str | None:
    chosen = next(v for v in product.versions if v.name == version)
    return chosen.template.value if chosen.template.kind == "builtin" else None


def main_pipeline(cat: Catalogue, repository: str, branch: str = "main", product: str | None = None,
                  portfolio: str | None = None) -> LaunchRequest:
    """What to launch for the main pipeline of ``repository`` at ``branch``; UsageError says why not."""
    repo = cat.repository(repository)
    if repo is None:
        configured = ", ".join(sorted(r.name for r in cat.hotfix.repositories)) if cat.hotfix else "none"
        raise UsageError(f"repository '{repository}' is not configured under hotfix.repositories (configured: {configured}); "
                         "the pipeline templates accept only those")
    problem = branches.invalid_reason(branch)
    if problem:
        raise UsageError(f"'{branch}' is not a valid branch name: {problem}")
    main = sources.main_builtin(repo)  # the main pipeline that reads this repository's kind of source
    candidates = [p for p in cat.products if (v := newest_active_version(p)) and _builtin(p, v) == main]
    if product is None:
        if len(candidates) != 1:
            names = ", ".join(sorted(p.name for p in candidates)) or "none"
            raise UsageError(f"choose the product with --product: products whose newest active version is the built-in "
                             f"{main}: {names}")
        chosen = candidates[0]
    else:
        chosen = cat.product(product)
        if chosen is None:
            raise UsageError(f"product '{product}' is not defined")
        version = newest_active_version(chosen)
        kind = _builtin(chosen, version) if version else None
        if kind in sources.HOTFIX.values():
            raise UsageError(f"product '{product}' is a hotfix pipeline: only the branch-lifecycle Lambda launches it")
        if kind != main:
            raise UsageError(f"product '{product}' has no active version built from the built-in {main} template, which "
                             f"reads {sources.TITLE[repo.provider]} repositories like '{repo.name}'")
    holders = sorted(p.name for p in cat.portfolios if chosen.name in p.products)
    if portfolio is not None and portfolio not in holders:
        raise UsageError(f"portfolio '{portfolio}' does not hold product '{chosen.name}' (portfolios that do: "
                         f"{', '.join(holders) or 'none'})")
    if portfolio is None and len(holders) != 1:
        raise UsageError(f"choose the portfolio with --portfolio: product '{chosen.name}' is in "
                         f"{', '.join(holders) or 'no portfolio'}")
    slug = pipeline_slug(cat.stack_prefix, repo.name, branch, kind="main")
    return LaunchRequest(
        product=chosen.display_name, version=newest_active_version(chosen),
        portfolio=cat.portfolio(portfolio or holders[0]).display_name,
        provisioned_product_name=provisioned_product_name(cat.stack_prefix, repo.name, branch, kind="main"),
        parameters={**pipeline_parameters(repo, branch, slug), **account_parameters(cat, main)},
        # Not managed-by: the reconciler and the lifecycle Lambda leave what people launch alone.
        tags={"catalogue": cat.stack_prefix, "repository": tag_value(repo.name), "branch": tag_value(branch), "pipeline": slug})
