"""The templates read like the feature list: what is in them, in what order, within which limits."""

from __future__ import annotations

import json

import pytest

from generator.compiler import guardrails, limits
from generator.compiler.manifest import deploy_order
from generator.config_loader import load_config

from . import gitflow
from .buildutil import build_data, build_file, exports, imports, manifest, resources, templates
from .conftest import CONFIG, CONFIGS, benchmark_catalogues

SHIPPED = build_file(CONFIG)
EVERY = build_file(CONFIGS / "valid" / "every-constraint.yaml")
SHARDED = build_file(CONFIGS / "valid" / "sharded.yaml")
BUILDS = {"shipped": SHIPPED, "every-constraint": EVERY, "sharded": SHARDED}
CONSTRAINT_TYPES = {
    "AWS::ServiceCatalog::LaunchRoleConstraint", "AWS::ServiceCatalog::LaunchTemplateConstraint",
    "AWS::ServiceCatalog::ResourceUpdateConstraint", "AWS::ServiceCatalog::LaunchNotificationConstraint",
    "AWS::ServiceCatalog::StackSetConstraint",
}


@pytest.mark.parametrize("name", BUILDS)
def test_every_constraint_depends_on_its_products_association(name):
    for stack, t in templates(BUILDS[name]).items():
        associations = resources(t, "AWS::ServiceCatalog::PortfolioProductAssociation")
        for lid, res in t["Resources"].items():
            if res["Type"] in CONSTRAINT_TYPES:
                dep = res.get("DependsOn")
                assert dep in associations, f"{stack}/{lid} is not ordered after its association"
                assert associations[dep]["Properties"]["ProductId"] == res["Properties"]["ProductId"]


@pytest.mark.parametrize("name, config", [("shipped", CONFIG), ("every-constraint", CONFIGS / "valid" / "every-constraint.yaml"),
                                          ("sharded", CONFIGS / "valid" / "sharded.yaml")])
def test_every_portfolio_product_and_principal_is_associated(name, config):
    cat = guardrails.with_template_constraints(load_config(config).catalogue)
    ts = templates(BUILDS[name])
    prefix = cat.stack_prefix
    for pf in cat.portfolios:
        mine = {s: t for s, t in ts.items() if s == f"{prefix}-portfolio-{pf.name}" or s.startswith(f"{prefix}-portfolio-{pf.name}-part")}
        products = {r["Properties"]["ProductId"]["Fn::ImportValue"].rsplit(":", 1)[1]
                    for t in mine.values() for r in resources(t, "AWS::ServiceCatalog::PortfolioProductAssociation").values()}
        assert products == set(pf.products)
        principals = [r["Properties"]["PrincipalARN"] for t in mine.values()
                      for r in resources(t, "AWS::ServiceCatalog::PortfolioPrincipalAssociation").values()]
        assert sorted(p for p in principals if isinstance(p, str)) == sorted(cat.principal(p).arn for p in pf.principals)
        hotfix = cat.hotfix and pf.name in {r.portfolio for r in cat.hotfix.repositories}
        generated = [p for p in principals if not isinstance(p, str)]
        assert generated == ([{"Fn::ImportValue": f"{prefix}:automation:lifecycle-role-arn"}] if hotfix else [])
        constraints = sum(1 for t in mine.values() for r in t["Resources"].values() if r["Type"] in CONSTRAINT_TYPES)
        assert constraints == len(pf.constraints)


@pytest.mark.parametrize("name", BUILDS)
def test_no_stack_beyond_cloudformation_limits(name):
    for path, body in BUILDS[name].items():
        if path.startswith("stacks/"):
            t = json.loads(body)
            assert len(body) <= limits.MAX_BODY_BYTES
            assert len(t["Resources"]) <= limits.MAX_RESOURCES
            assert len(t.get("Parameters", {})) <= limits.MAX_PARAMETERS
            assert len(t.get("Outputs", {})) <= limits.MAX_OUTPUTS


@pytest.mark.parametrize("name", BUILDS)
def test_every_import_is_exported_by_an_earlier_stack(name):
    files = BUILDS[name]
    ts = templates(files)
    exported: set[str] = set()
    for entry in manifest(files)["stacks"]:
        t = ts[entry["name"]]
        missing = {i for i in imports(t) if not i.startswith("sc:tools:") and not i.startswith("sc:automation:")} - exported
        assert not missing, f"{entry['name']} imports {missing} before any stack exports them"
        exported |= exports(t)
    all_exports = [e for t in ts.values() for e in exports(t)]
    assert len(all_exports) == len(set(all_exports)), "export names are unique"


def test_sharded_fixture_is_split():
    names = [s["name"] for s in manifest(SHARDED)["stacks"]]
    assert sum(n.startswith("sc-products-part") for n in names) >= 2
    assert sum(n.startswith("sc-portfolio-portfolio-0000-part") for n in names) >= 2


def test_manifest_lists_every_stack_with_a_matching_hash():
    import hashlib

    m = manifest(SHIPPED)
    for entry in m["stacks"]:
        body = SHIPPED[entry["template"]]
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert entry["account_id"] == m["accounts"][entry["account"]]["id"]
    assert [e["order"] for e in m["stacks"]] == list(range(1, len(m["stacks"]) + 1))
    for upload in m["uploads"]:
        assert hashlib.sha256(SHIPPED[upload["path"]]).hexdigest() == upload["sha256"]


def test_deploy_order_is_derivable_from_the_manifest_alone():
    m = manifest(SHARDED)
    seen = set()
    for entry in m["stacks"]:
        assert set(entry["depends_on"]) <= seen
        seen.add(entry["name"])


def test_a_dependency_cycle_is_a_build_error():
    from generator.compiler.stack import Stack
    from generator.core.exceptions import BuildError

    a = Stack("a", "k", "tools", "us-east-1", b"{}", depends_on=("b",))
    b = Stack("b", "k", "tools", "us-east-1", b"{}", depends_on=("a",))
    with pytest.raises(BuildError, match="cycle"):
        deploy_order([a, b])


def test_logical_ids_do_not_depend_on_other_entries():
    path = str(CONFIGS / "valid" / "every-constraint.yaml")
    data = load_config(path).data
    before = templates(build_data(data, path))
    data["products"].insert(0, {"name": "aaa-first", "owner": "P", "versions": [{"name": "v1", "template": {"url": "https://e.com/t"}}]})
    data["portfolios"][0]["products"].insert(0, "aaa-first")
    after = templates(build_data(data, path))
    for stack, t in before.items():
        if stack in after:
            assert set(t["Resources"]) <= set(after[stack]["Resources"]), stack


def test_builtin_and_file_templates_are_written_and_referenced():
    m = manifest(EVERY)
    assert [u["path"] for u in m["uploads"]] == ["products/vpc/v1.yaml"]
    product = templates(EVERY)["sc-products"]["Resources"]["ProductVpc"]["Properties"]
    urls = {a["Name"]: a["Info"]["LoadTemplateFromURL"] for a in product["ProvisioningArtifactParameters"]}
    assert urls == {"v1": {"Fn::Sub": "${ProductTemplateBaseUrl}/products/vpc/v1.yaml"},
                    "v2": "https://example-templates.s3.amazonaws.com/vpc-v2.yaml"}
    uploads = {u["path"] for u in manifest(gitflow.files())["uploads"]}
    assert {u for u in uploads if u.startswith("products/")} == {"products/hotfix-pipeline/v1.json", "products/main-pipeline/v1.json"}
    assert sorted(u.split("/")[1].rsplit("-", 1)[0] for u in uploads if u.startswith("lambdas/")) == \
        ["branch_lifecycle", "pull_requests", "reconciler"]


def test_five_thousand_products_build_into_valid_stacks():
    files = build_data(benchmark_catalogues().catalogue(5000))
    ts = templates(files)
    assert sum(len(resources(t, "AWS::ServiceCatalog::CloudFormationProduct")) for t in ts.values()) == 5000
    exported = set()
    for entry in manifest(files)["stacks"]:
        t = ts[entry["name"]]
        assert imports(t) <= exported
        exported |= exports(t)
        assert len(t["Resources"]) <= limits.MAX_RESOURCES and len(t.get("Outputs", {})) <= limits.MAX_OUTPUTS
        assert len(files[entry["template"]]) <= limits.MAX_BODY_BYTES


def test_a_product_with_several_builtin_versions_keeps_its_generated_launch_role():
    # Regression: the role was generated only when the number of distinct built-in
    # templates equalled the number of versions, so adding v2 dropped it.
    data = load_config(gitflow.GITFLOW).data
    main = next(p for p in data["products"] if p["name"] == "main-pipeline")
    main["versions"].append({"name": "v2", "template": {"builtin": "main-pipeline"}})
    roles = resources(templates(build_data(data, str(gitflow.GITFLOW)))["sc-launch-roles"], "AWS::IAM::Role")
    assert sorted(roles) == ["LaunchRoleHotfixPipelineLaunchRole", "LaunchRoleMainPipelineLaunchRole"]


def test_a_portfolio_of_many_products_and_constraints_compiles_in_linear_work():
    """A portfolio's constraints are grouped by product once: 12,000 of each took 23 s of a 34 s build, each product
    scanning every constraint. Work is the compiler's comparisons of product names, counted at two sizes."""
    from .test_checks import BASE, _Counted

    def comparisons(n: int) -> int:
        import copy

        data = copy.deepcopy(BASE)
        names = [_Counted(f"p{i}") for i in range(n)]
        data["products"] += [{"name": name, "owner": "P", "versions": [{"name": "v1", "template": {"url": "https://e.com/t.yaml"}}]}
                             for name in names]
        data["portfolios"][0]["products"] += names
        data["portfolios"][0]["constraints"] += [{"product": name, "tag_update": "allowed"} for name in names]
        _Counted.comparisons = 0
        build_data(data)
        return _Counted.comparisons

    small, large = comparisons(100), comparisons(200)
    assert large <= 2.5 * small + 100, f"100 of each: {small:,} comparisons; 200 of each: {large:,}"
