"""Logical ids are injective and stable: every family, adversarial names, and whole builds.

Issue 11 ("Logical ids"): pairs such as platform-engineers2 / platform-engineers-2,
product-1-47 / product-14-7 and hotfix/poc / hotfix-poc crashed the build with
"duplicate key" (exit 70). A name AWS accepts must compile, its id must never
depend on other entries (or adding one would rename, and so replace, the
others), and it should stay readable.
"""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compiler import portfolios, products, tag_options
from generator.compiler.automation import LIFECYCLE_PRINCIPAL_ID
from generator.core.naming import logical_id

from .buildutil import build_data, resources, templates

# Names in the config's own alphabets, from few characters so that pairs collide
# under any lossy reading: $defs/name, application_name, ECR and IAM role names.
NAMES = st.text("ab12-", min_size=1, max_size=10).filter(lambda n: n[0] != "-" and n[-1] != "-")
_WORD = st.text("ab12", min_size=1, max_size=4)
ECR = st.tuples(_WORD, st.lists(st.tuples(st.sampled_from("._/-"), _WORD), max_size=3)).map(
    lambda t: t[0] + "".join(sep + word for sep, word in t[1]))
ROLES = st.text("aAbB12.-_@", min_size=1, max_size=10)

NAMED_PAIRS = [
    ("platform-engineers2", "platform-engineers-2"),
    ("product-1-47", "product-14-7"),
    ("hotfix/poc", "hotfix-poc"),
    ("a--b", "a-b"),
    ("a-b", "ab"),
]


def _looks_like(name: str, family: str, **kw) -> str:
    """A plain name whose camel form spells another name's hashed id: the forgery a property test must try."""
    tail = logical_id(family, name, **kw)[len(family):]
    return "-".join(re.findall(r"[A-Za-z][a-z0-9]*|[0-9]+", tail)).lower()


@given(st.lists(NAMES, min_size=2, max_size=6, unique=True))
def test_plain_family_ids_are_injective(names):
    forged = [_looks_like(n, "Product") for n in names]
    names = sorted(set(names) | {f for f in forged if f})
    ids = [logical_id("Product", n) for n in names]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,255}", i) for i in ids)


@given(st.lists(ECR, min_size=2, max_size=6, unique=True))
def test_ecr_ids_are_injective(names):
    ids = [logical_id("Ecr", n) for n in names]
    assert len(set(ids)) == len(ids)


@given(st.lists(ROLES, min_size=2, max_size=6, unique=True))
def test_role_ids_are_injective(names):
    ids = [logical_id("LaunchRole", n, identifier=True) for n in names]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("a, b", NAMED_PAIRS)
def test_the_issues_pairs_get_two_ids(a, b):
    assert logical_id("Principal", a) != logical_id("Principal", b)
    assert logical_id("Ecr", a) != logical_id("Ecr", b)


def test_plain_names_keep_their_readable_ids():
    # The ids a deployed catalogue already has: changing them would replace its products.
    assert logical_id("Product", "main-pipeline") == "ProductMainPipeline"
    assert logical_id("LaunchRole", "MainPipelineLaunchRole", identifier=True) == "LaunchRoleMainPipelineLaunchRole"
    assert logical_id("Principal", "platform-engineers2") == "PrincipalPlatformEngineers2"
    # Others stay recognisable: their letters and digits, then a hash.
    assert logical_id("Principal", "platform-engineers-2").startswith("PrincipalplatformEngineers2")


@given(NAMES, NAMES, st.text("ab", min_size=1, max_size=3))
def test_a_products_tag_option_associations_never_meet_another_products_id(a, b, value):
    # Composite family: product id + tag option id (sc-products stack).
    association = products.product_id(a) + tag_options.option_id("env", value)
    forged = _looks_like(a, "Product") + "-" + "-".join(re.findall(r"[A-Za-z][a-z0-9]*|[0-9]+", tag_options.option_id("env", value))).lower()
    for other in (b, forged):
        if other:
            assert products.product_id(other) != association


def test_no_config_principal_takes_the_generated_principal_id():
    assert portfolios.logical_id(portfolios.PRINCIPAL, "branch-lifecycle-lambda",
                                 reserved=portfolios._GENERATED_PRINCIPAL) != LIFECYCLE_PRINCIPAL_ID


def test_ids_do_not_depend_on_other_entries():
    assert logical_id("Product", "product-1-47") == logical_id("Product", "product-1-47")  # no state: a pure function
    before = logical_id("Product", "x-1")
    for n in ("x1", "x-01", "x--1"):
        logical_id("Product", n)
    assert logical_id("Product", "x-1") == before


# Whole builds: each family in the compiler, with both names of an adversarial pair.

BASE = {
    "version": 1, "region": "us-east-1",
    "accounts": {"tools": {"id": "111111111111"}, "stage": {"id": "222222222222"}, "prod": {"id": "333333333333"}},
    "tag_options": [{"key": "env", "values": ["dev"]}],
    "principals": [],
    "portfolios": [{"name": "hotfix", "display_name": "Hotfix", "provider": "P", "products": ["hotfix-pipeline"],
                    "constraints": [{"product": "hotfix-pipeline", "launch": {"local_role_name": "HotfixLaunch"}}]}],
    "products": [{"name": "hotfix-pipeline", "owner": "P", "versions": [{"name": "v1", "template": {"builtin": "hotfix-pipeline"}}]}],
    "hotfix": {"repositories": []},
}


def catalogue_with(a: str, b: str) -> dict:
    """Both names in every family that takes a config name: principals, products (with tag options),
    portfolios, launch roles, applications and ECR repositories."""
    d = copy.deepcopy(BASE)
    for i, n in enumerate((a, b)):
        d["principals"].append({"name": n, "type": "IAM", "arn": f"arn:aws:iam::111111111111:role/P{i}"})
        d["products"].append({"name": n, "display_name": f"Product {i}", "owner": "P", "tag_options": ["env"],
                              "versions": [{"name": "v1", "template": {"builtin": "main-pipeline"}}]})
        d["portfolios"].append({"name": n, "display_name": f"Portfolio {i}", "provider": "P", "principals": [n],
                                "products": [a, b], "constraints": [
                                    {"product": a, "launch": {"local_role_name": f"{n}-role"}},
                                    {"product": b, "template": {"rules": {"R": {"assertions": [{"assert": {"Fn::Equals": ["a", "a"]}}]}}}}]})
        d["hotfix"]["repositories"].append({
            "name": f"repo{i}", "product": "hotfix-pipeline", "portfolio": "hotfix",
            "parameters": {"application_name": f"app-{n}"[:20].rstrip("-"), "ecr_repository": n.replace("-", "/")}})
    return d


def _one_each(files, a, b):
    ts = templates(files)
    assert len(resources(ts["sc-products"], "AWS::ServiceCatalog::CloudFormationProduct")) == 3
    assert len(resources(ts["sc-products"], "AWS::ServiceCatalog::TagOptionAssociation")) == 2
    assert len(resources(ts["sc-launch-roles"], "AWS::IAM::Role")) == 3
    assert len(resources(ts["sc-tools-prerequisites"], "AWS::ECR::Repository")) == 2
    for n in (a, b):
        pf = ts[f"sc-portfolio-{n}"]
        assert len(resources(pf, "AWS::ServiceCatalog::PortfolioProductAssociation")) == 2
        assert len(resources(pf, "AWS::ServiceCatalog::PortfolioPrincipalAssociation")) == 1


@pytest.mark.parametrize("a, b", [p for p in NAMED_PAIRS if "/" not in p[0]])
def test_the_issues_pairs_compile(a, b):
    _one_each(build_data(catalogue_with(a, b)), a, b)


PAIR = NAMES.filter(lambda n: len(n) <= 12)


@settings(max_examples=15)
@given(PAIR, st.sampled_from(["-", "", "--", "-0", "0"]), st.integers(1, 10))
def test_adversarial_pairs_compile(name, glue, cut):
    # The second name is the first with hyphens moved, removed or doubled: what camel case cannot tell apart.
    other = (name[:cut] + glue + name[cut:]).strip("-")
    if other == name or not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?", other) or "hotfix-pipeline" in (name, other):
        return
    _one_each(build_data(catalogue_with(name, other)), name, other)


def test_ecr_repositories_hotfix_slash_poc_and_hotfix_dash_poc_compile():
    d = copy.deepcopy(BASE)
    for i, ecr in enumerate(("hotfix/poc", "hotfix-poc", "hotfix.poc", "hotfix_poc")):
        d["hotfix"]["repositories"].append({"name": f"repo{i}", "product": "hotfix-pipeline", "portfolio": "hotfix",
                                            "parameters": {"application_name": f"app{i}", "ecr_repository": ecr}})
    repos = resources(templates(build_data(d))["sc-tools-prerequisites"], "AWS::ECR::Repository")
    assert sorted(r["Properties"]["RepositoryName"] for r in repos.values()) == ["hotfix-poc", "hotfix.poc", "hotfix/poc", "hotfix_poc"]
