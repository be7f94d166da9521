"""Portfolio stacks: the portfolio, who may use it, where it is shared, and per product
the association and its constraints.

Constraints DependsOn their product's association because Service Catalog
refuses a constraint on a product the portfolio does not hold yet.
"""

from __future__ import annotations

import json
import re
from functools import partial

from troposphere import Export, ImportValue, Output, Ref
from troposphere import servicecatalog as sc

from ..core.model import Catalogue, Constraint, Portfolio
from ..core.naming import export_name, logical_id, short_hash, stack_name
from . import products, tag_options
from .jobs import Job
from .sharding import Unit, shard
from .stack import Stack, make_stack
from .template import new_template

PORTFOLIO_ID = "Portfolio"
PRINCIPAL = "Principal"
# The hotfix portfolio's generated principal (automation.lifecycle_principal); config principals never take this id.
LIFECYCLE_PRINCIPAL_ID = PRINCIPAL + "BranchLifecycleLambda"
# A config principal never takes the generated principal's id.
_GENERATED_PRINCIPAL = re.compile(re.escape(LIFECYCLE_PRINCIPAL_ID[len(PRINCIPAL):]))


def portfolio_export(cat: Catalogue, name: str) -> str:
    return export_name(cat.stack_prefix, "portfolio", name)


def constraint_id(c: Constraint) -> str:
    base = {"launch": "Launch", "template": "Template", "tag_update": "TagUpdate",
            "notifications": "Notification", "stack_set": "StackSet"}[c.kind]
    lid = logical_id(base + "Constraint", c.product)
    if c.kind == "template":  # several per product: told apart by their rule names
        lid += short_hash(",".join(sorted(c.rules)), 8)
    return lid


def _constraint(cat: Catalogue, c: Constraint, portfolio_id, product_id, depends: str):
    lid = constraint_id(c)
    common = {"PortfolioId": portfolio_id, "ProductId": product_id, "DependsOn": depends}
    description = c.description or None
    if c.kind == "launch":
        role = {"RoleArn": c.launch_role_arn} if c.launch_role_arn else {"LocalRoleName": c.launch_local_role_name}
        return sc.LaunchRoleConstraint(lid, **role, **common, **_opt(description))
    if c.kind == "template":
        rules = json.dumps(c.rules, sort_keys=True, separators=(",", ":"))
        return sc.LaunchTemplateConstraint(lid, Rules=rules, **common, **_opt(description))
    if c.kind == "tag_update":
        return sc.ResourceUpdateConstraint(lid, TagUpdateOnProvisionedProduct=c.tag_update.upper(), **common, **_opt(description))
    if c.kind == "notifications":
        return sc.LaunchNotificationConstraint(lid, NotificationArns=list(c.notifications), **common, **_opt(description))
    s = c.stack_set
    return sc.StackSetConstraint(
        lid, AccountList=[cat.account_id(a) for a in s.accounts], RegionList=list(s.regions),
        AdminRole=s.admin_role, ExecutionRole=s.execution_role, StackInstanceControl=s.instance_control.upper(),
        Description=description or f"StackSet deployment of {c.product}", **common)


def _opt(description):
    return {"Description": description} if description else {}


def _by_product(pf: Portfolio) -> dict[str, list[Constraint]]:
    """Each product's constraints, grouped once: a portfolio may hold thousands of each."""
    out: dict[str, list[Constraint]] = {}
    for c in pf.constraints:
        out.setdefault(c.product, []).append(c)
    return out


def _units(pf: Portfolio, by_product: dict[str, list[Constraint]]) -> list[Unit]:
    out = []
    for name in pf.products:
        constraints = by_product.get(name, [])
        size = 500 + sum(600 + (len(repr(c.rules)) if c.rules else 0) + len(c.description) for c in constraints)
        out.append(Unit(name, resources=1 + len(constraints), size=size))
    return out


def _add_unit(t, cat: Catalogue, product: str, constraints: list[Constraint], portfolio_id) -> None:
    association = logical_id("Association", product)
    product_id = ImportValue(products.product_export(cat, product))
    t.add_resource(sc.PortfolioProductAssociation(association, PortfolioId=portfolio_id, ProductId=product_id))
    for c in sorted(constraints, key=constraint_id):
        t.add_resource(_constraint(cat, c, portfolio_id, product_id, association))


def _core(t, cat: Catalogue, pf: Portfolio, extra_principals) -> None:
    props = {"DisplayName": pf.display_name, "ProviderName": pf.provider}
    if pf.description:
        props["Description"] = pf.description
    tags = products.merged_tags(cat, pf.tags)
    if tags:
        props["Tags"] = tags
    t.add_resource(sc.Portfolio(PORTFOLIO_ID, **props))
    t.add_output(Output(PORTFOLIO_ID + "Id", Description=f"Id of portfolio '{pf.name}'", Value=Ref(PORTFOLIO_ID),
                        Export=Export(portfolio_export(cat, pf.name))))
    for name in sorted(pf.principals):
        principal = cat.principal(name)
        t.add_resource(sc.PortfolioPrincipalAssociation(
            logical_id(PRINCIPAL, name, reserved=_GENERATED_PRINCIPAL), PortfolioId=Ref(PORTFOLIO_ID),
            PrincipalARN=principal.arn, PrincipalType=principal.type))
    for lid, arn in sorted(extra_principals.items()):
        t.add_resource(sc.PortfolioPrincipalAssociation(lid, PortfolioId=Ref(PORTFOLIO_ID), PrincipalARN=arn, PrincipalType="IAM"))
    for key, value in products.tag_pairs(cat, pf.tag_options):
        t.add_resource(sc.TagOptionAssociation(
            "Portfolio" + tag_options.option_id(key, value), ResourceId=Ref(PORTFOLIO_ID),
            TagOptionId=ImportValue(tag_options.option_export(cat, key, value))))
    for ref in sorted(pf.share.accounts):
        account_id = cat.account_id(ref)
        t.add_resource(sc.PortfolioShare(
            "Share" + account_id, PortfolioId=Ref(PORTFOLIO_ID), AccountId=account_id,
            ShareTagOptions=pf.share.share_tag_options))


def _core_unit(cat: Catalogue, pf: Portfolio, extra_principals) -> Unit:
    count = 1 + len(pf.principals) + len(extra_principals) + len(products.tag_pairs(cat, pf.tag_options)) + len(pf.share.accounts)
    return Unit(pf.name, resources=count, outputs=1, size=1500 + 400 * count + len(pf.description))


def jobs(cat: Catalogue, placement: dict[str, str], tag_placement: dict, extra_principals: dict[str, dict] | None = None,
         extra_depends: dict[str, list[str]] | None = None) -> list[Job]:
    """One job per portfolio: its stack, and more when its products do not fit in one.

    ``extra_principals`` maps a portfolio name to {logical id: principal ARN
    expression} for principals the build itself creates (the hotfix Lambda).
    """
    # Weight: an association and a constraint cost about 1.5 units each (measured on the benchmarks' catalogues).
    return [Job(3 * (1 + len(pf.products) + len(pf.constraints)) // 2,
                partial(_stacks, cat, pf, placement, tag_placement, (extra_principals or {}).get(pf.name, {}),
                        (extra_depends or {}).get(pf.name, [])))
            for pf in sorted(cat.portfolios, key=lambda p: p.name)]


def _stacks(cat: Catalogue, pf: Portfolio, placement: dict[str, str], tag_placement: dict, principals: dict,
            depends: list[str]) -> list[Stack]:
    base = stack_name(cat.stack_prefix, "portfolio", pf.name)
    description = f"Service Catalog portfolio '{pf.name}' ({pf.display_name}). Generated by the toolkit: edit config/portfolios.yaml."
    by_product = _by_product(pf)
    units = _units(pf, by_product)
    product_stacks = sorted({placement[p] for p in pf.products})
    tags_stack = sorted({tag_placement[pair] for pair in products.tag_pairs(cat, pf.tag_options)})
    core = new_template(description)
    _core(core, cat, pf, principals)
    if len(shard(units, _core_unit(cat, pf, principals))) == 1:
        for unit in units:
            _add_unit(core, cat, unit.key, by_product.get(unit.key, []), Ref(PORTFOLIO_ID))
        return [make_stack(core, name=base, kind="portfolio", account="tools", region=cat.region,
                           depends_on=product_stacks + tags_stack + depends)]
    stacks = [make_stack(core, name=base, kind="portfolio", account="tools", region=cat.region,
                         depends_on=tags_stack + depends)]
    for i, bucket in enumerate(shard(units)):
        if not bucket:
            continue
        part = new_template(f"{description} Part {i}: product associations and constraints.")
        for unit in bucket:
            _add_unit(part, cat, unit.key, by_product.get(unit.key, []), ImportValue(portfolio_export(cat, pf.name)))
        holders = sorted({placement[u.key] for u in bucket})
        stacks.append(make_stack(part, name=f"{base}-part{i}", kind="portfolio-products", account="tools",
                                 region=cat.region, depends_on=[base, *holders]))
    return stacks
