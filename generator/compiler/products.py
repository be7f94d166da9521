"""Product stacks: every product once, with its versions and tag options.

Products live apart from portfolios because one product may sit in many
portfolios; each product's id is exported under a name derived from the
product's name, so that a portfolio stack finds it whichever shard holds it.
"""

from __future__ import annotations

import re
from functools import partial

from troposphere import Export, ImportValue, Output, Parameter, Ref, Sub, Tags
from troposphere import servicecatalog as sc

from ..core.model import Catalogue, Product, Version
from ..core.naming import export_name, logical_id, stack_name
from . import tag_options
from .jobs import Job
from .sharding import Unit, named_shards
from .stack import Stack, make_stack
from .template import new_template

BASE_URL_PARAMETER = "ProductTemplateBaseUrl"
# A product's tag option associations are its id followed by a tag option's
# id: a product whose own id would end like one takes the hashed form.
_ASSOCIATION_SUFFIX = re.compile(r".*" + tag_options.OPTION_ID_PATTERN)


def product_id(product: str) -> str:
    return logical_id("Product", product, reserved=_ASSOCIATION_SUFFIX)


def product_export(cat: Catalogue, product: str) -> str:
    return export_name(cat.stack_prefix, "product", product)


def artifact_path(product: Product, version: Version) -> str:
    """Where a built-in or repository template is written under output/ and uploaded."""
    ext = "json" if version.template.kind == "builtin" else version.template.value.rsplit(".", 1)[-1]
    return f"products/{product.name}/{version.name}.{ext}"


def template_url(product: Product, version: Version):
    source = version.template
    if source.kind == "url":
        if source.value.startswith("s3://"):
            bucket, _, key = source.value[5:].partition("/")
            return f"https://{bucket}.s3.amazonaws.com/{key}"
        return source.value
    return Sub(f"${{{BASE_URL_PARAMETER}}}/{artifact_path(product, version)}")


def merged_tags(cat: Catalogue, own) -> Tags | None:
    tags = {**dict(cat.tags), **dict(own)}
    return Tags(**dict(sorted(tags.items()))) if tags else None


def tag_pairs(cat: Catalogue, keys) -> list[tuple[str, str]]:
    values = {o.key: o.values for o in cat.tag_options}
    return sorted((k, v) for k in set(keys) for v in values.get(k, ()))


def _unit(cat: Catalogue, product: Product) -> Unit:
    size = 900 + sum(len(str(x)) for x in (product.description, product.support, product.tags))
    size += sum(400 + len(v.description) + len(v.template.value) for v in product.versions)
    pairs = len(tag_pairs(cat, product.tag_options))
    return Unit(product.name, resources=1 + pairs, outputs=1, size=size + 300 * pairs)


def _add_product(t, cat: Catalogue, product: Product) -> bool:
    """Add the product and its tag option associations; True if it needs the base URL."""
    lid = product_id(product.name)
    props = {
        "Name": product.display_name,
        "Owner": product.owner,
        "ProvisioningArtifactParameters": [
            sc.ProvisioningArtifactProperties(
                Name=v.name,
                Description=v.description or f"Version {v.name} of {product.display_name}",
                Info=sc.Info(LoadTemplateFromURL=template_url(product, v)),
                Type="CLOUD_FORMATION_TEMPLATE",
                DisableTemplateValidation=False,
            )
            # Sorted by name: the order of versions in the YAML means nothing.
            for v in sorted(product.versions, key=lambda v: v.name)
        ],
    }
    optional = {
        "Description": product.description, "Distributor": product.distributor,
        "SupportDescription": product.support.description, "SupportEmail": product.support.email,
        "SupportUrl": product.support.url,
    }
    props.update({k: v for k, v in optional.items() if v})
    tags = merged_tags(cat, product.tags)
    if tags:
        props["Tags"] = tags
    t.add_resource(sc.CloudFormationProduct(lid, **props))
    t.add_output(Output(lid + "Id", Description=f"Id of product '{product.name}'", Value=Ref(lid),
                        Export=Export(product_export(cat, product.name))))
    for key, value in tag_pairs(cat, product.tag_options):
        t.add_resource(sc.TagOptionAssociation(
            lid + tag_options.option_id(key, value), ResourceId=Ref(lid),
            TagOptionId=ImportValue(tag_options.option_export(cat, key, value))))
    return any(v.template.kind != "url" for v in product.versions)


def jobs(cat: Catalogue, tag_placement: dict) -> tuple[list[Job], dict[str, str]]:
    """The product stacks to build, a job each, and which stack holds each product."""
    by_name = {p.name: p for p in cat.products}
    out, placement = [], {}
    for name, units in named_shards(stack_name(cat.stack_prefix, "products"), [_unit(cat, p) for p in cat.products],
                                    Unit("", 0, 0, 2000)):
        members = [by_name[unit.key] for unit in units]
        placement.update((product.name, name) for product in members)
        # Weight: roughly the troposphere objects each product makes (product, version, template, output).
        out.append(Job(sum(4 + len(p.versions) + len(tag_pairs(cat, p.tag_options)) for p in members), partial(_stack, cat, name, members, tag_placement)))
    return out, placement


def _stack(cat: Catalogue, name: str, members: list[Product], tag_placement: dict) -> list[Stack]:
    t = new_template(f"Service Catalog products of catalogue '{cat.stack_prefix}' ({len(members)}). "
                     "Generated by the toolkit: edit config/portfolios.yaml.")
    needs_url = False
    depends = set()
    for product in members:
        needs_url |= _add_product(t, cat, product)
        depends |= {tag_placement[pair] for pair in tag_pairs(cat, product.tag_options)}
    parameters = {}
    if needs_url:
        t.add_parameter(Parameter(
            BASE_URL_PARAMETER, Type="String",
            Description="HTTPS URL of the folder the build's products/ folder was uploaded to, without a trailing slash",
            AllowedPattern=r"^https://[^\s]+[^/\s]$"))
        parameters[BASE_URL_PARAMETER] = "<deploy-time: https URL of the uploaded output folder>"
    return [make_stack(t, name=name, kind="products", account="tools", region=cat.region,
                       parameters=parameters, depends_on=depends)]
