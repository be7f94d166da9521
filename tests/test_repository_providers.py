"""GitHub, GitLab and Bitbucket repositories in the config: what each needs, in the shapes the providers and AWS accept.

Each rule is tried on the providers fixture (one repository per provider next to a CodeCommit one) with one key
changed; ``tests/configs/invalid/`` holds a file per class with the line each problem is reported on.
"""

from __future__ import annotations

import copy

import pytest

from generator import checks
from generator.checks.repository_providers import NO_FUNCTION_URLS, NO_SOURCE_CONNECTION, shape_problem
from generator.config_loader import load_config
from generator.core import sources
from generator.core.parse import catalogue_from_dict

from .conftest import CONFIGS

BASE = load_config(CONFIGS / "valid" / "providers.yaml").data
CODE = "semantic/repository-provider"


@pytest.fixture
def data():
    return copy.deepcopy(BASE)


def repo(data, name: str) -> dict:
    return next(r for r in data["hotfix"]["repositories"] if r["name"] == name)


def messages(data, code: str = CODE) -> list[str]:
    return [f.message for c, f in checks.findings(catalogue_from_dict(data)) if c == code]


def test_the_fixture_is_clean(data):
    assert list(checks.findings(catalogue_from_dict(data))) == []


@pytest.mark.parametrize("key, value", [("full_repository_id", "acme/x"), ("webhook_secret", "s"), ("api_token", "t"),
                                        ("api_url", "https://git.example.com/api/v4"), ("create_connection", True),
                                        ("connection_arn", BASE["hotfix"]["repositories"][1]["connection_arn"])])
def test_a_codecommit_repository_takes_none_of_the_provider_keys(data, key, value):
    repo(data, "payments")[key] = value
    found = messages(data)
    assert len(found) == 1 and "CodeCommit repository" in found[0] and ("'" + key + "'" in found[0] or key == "create_connection")


@pytest.mark.parametrize("name", ["storefront", "inventory", "billing"])
@pytest.mark.parametrize("key", ["full_repository_id", "webhook_secret", "api_token"])
def test_every_other_provider_needs_its_id_and_both_secrets(data, name, key):
    del repo(data, name)[key]
    assert any(f"needs '{key}'" in m for m in messages(data))


@pytest.mark.parametrize("name", ["storefront", "inventory", "billing"])
def test_a_connection_is_needed_and_only_one(data, name):
    r = repo(data, name)
    r.pop("connection_arn", None)
    r.pop("create_connection", None)
    assert any("needs a connection" in m for m in messages(data))
    r["connection_arn"] = BASE["hotfix"]["repositories"][1]["connection_arn"]
    r["create_connection"] = True
    assert any("choose one" in m for m in messages(data))


@pytest.mark.parametrize("name", ["storefront", "inventory", "billing"])
def test_the_toolkit_creates_codecommit_repositories_only(data, name):
    repo(data, name)["create"] = True
    assert any("creates CodeCommit repositories only" in m for m in messages(data))
    # Left out, create defaults to false for another provider (and stays true for CodeCommit).
    cat = catalogue_from_dict(BASE)
    assert {r.name: r.create for r in cat.hotfix.repositories} == {"payments": True, "storefront": False,
                                                                   "inventory": False, "billing": False}


def test_api_url_is_for_servers_of_ones_own_and_needs_a_connection_of_ones_own(data):
    repo(data, "billing")["api_url"] = "https://bitbucket.example.com/rest"
    assert any("Bitbucket Cloud" in m for m in messages(data))
    data = copy.deepcopy(BASE)
    repo(data, "inventory")["api_url"] = "https://gitlab.example.com/api/v4"
    assert any("CodeConnections host" in m for m in messages(data))


# The shapes of full_repository_id, provider by provider: accepted and refused examples of each class.
SHAPES = {
    "github": (["octo/hello", "a-b/c.d_e", "A1/" + "r" * 100, "o" * 39 + "/x"],
               ["octo", "octo/a/b", "-octo/x", "octo-/x", "oc--to/x", "o" * 40 + "/x", "octo/.", "octo/..", "octo/a b",
                "octo/" + "r" * 101]),
    "gitlab": (["group/project", "group/sub/sub2/project", "g1/p.2", "a_b/c-d"],
               ["project", "group/-project", "group/project.git", "group/project.atom", "group/pro..ject", "group/project-",
                "_group/p", "group//p"]),
    "bitbucket": (["workspace/repo", "acme-ws/billing.service", "a_b/c_d"],
                  ["Workspace/repo", "workspace/Repo", "workspace", "workspace/a/b", "-ws/repo"]),
}


@pytest.mark.parametrize("provider", sorted(SHAPES))
def test_full_repository_id_shapes(provider):
    good, bad = SHAPES[provider]
    assert [g for g in good if shape_problem(provider, g)] == []
    assert [b for b in bad if not shape_problem(provider, b)] == []


def test_a_provider_repository_is_configured_once(data):
    twin = copy.deepcopy(repo(data, "storefront"))
    twin.update(name="storefront-again", full_repository_id="ACME-SHOP/Storefront")  # GitHub ignores case
    data["hotfix"]["repositories"].append(twin)
    assert any("already configured as 'storefront'" in m for m in messages(data))


@pytest.mark.parametrize("field, value", [(3, "us-west-2"), (4, "999999999999")])
def test_a_named_connection_is_where_the_pipelines_run(data, field, value):
    r = repo(data, "billing")
    parts = r["connection_arn"].split(":")
    parts[field] = value
    r["connection_arn"] = ":".join(parts)
    assert any("use a connection there" in m for m in messages(data))


@pytest.mark.parametrize("region", sorted(set(NO_SOURCE_CONNECTION) | set(NO_FUNCTION_URLS)))
def test_regions_without_the_source_action_or_function_urls_are_refused(data, region):
    # CodePipeline User Guide, CodeStarSourceConnection action reference; Lambda Developer Guide, function URLs.
    data["region"] = region
    for account in data["accounts"].values():
        account.pop("region", None)
    for r in data["hotfix"]["repositories"]:
        if "connection_arn" in r:
            r["connection_arn"] = r["connection_arn"].replace(":us-east-1:", f":{region}:")
    assert any(f"region {region}" in m for m in messages(data))


def test_a_codecommit_only_catalogue_may_live_in_those_regions():
    data = copy.deepcopy(BASE)
    data["hotfix"]["repositories"] = [repo(data, "payments")]
    data["region"] = "eu-central-2"
    assert messages(data) == []


def test_a_hotfix_product_reads_one_kind_of_source(data):
    repo(data, "storefront")["product"] = "hotfix-pipeline"  # the CodeCommit product
    found = messages(data, "semantic/hotfix-template")
    assert any("give each kind its own hotfix product" in m for m in found), found


def test_a_connected_repository_needs_the_connection_template(data):
    for r in data["hotfix"]["repositories"]:
        if r["name"] != "payments":
            r["product"] = "hotfix-pipeline"
    data["hotfix"]["repositories"] = [r for r in data["hotfix"]["repositories"] if r["name"] != "payments"]
    found = messages(data, "semantic/hotfix-template")
    assert any("must use 'builtin: hotfix-pipeline-codeconnections'" in m for m in found), found


def test_each_builtin_belongs_to_one_kind_of_source():
    assert set(sources.KIND_OF_BUILTIN) == set(sources.HOTFIX.values()) | set(sources.MAIN.values())
    assert {sources.kind(p) for p in sources.PROVIDERS} == {sources.CODECOMMIT, sources.CONNECTION}
