"""A published version never changes (issue 12 item 4).

Service Catalog reads a provisioning artifact's template once (AWS Service Catalog administrator guide,
"Managing versions": a version is created from a template; updating a product means adding a version), so
a changed template under an existing version silently changes nothing for the products provisioned from it.
The built-in templates do not depend on what a catalogue lists; the manifest records each version's
template; build refuses to change one unless told it was never deployed; diff says the same.
"""

from __future__ import annotations

import copy
import json
import shutil

import pytest
import yaml

from generator.config_loader import load_config

from .buildutil import build_data
from .conftest import CONFIGS
from .gitflow import GITFLOW as CONFIG

PIPELINES = CONFIGS / "valid" / "pipelines.yaml"


def builtin_templates(data: dict, path) -> dict[str, bytes]:
    return {p: b for p, b in build_data(data, str(path)).items() if p.startswith("products/")}


def _add_repository(d):
    d["hotfix"]["repositories"].append({
        "name": "billing-service", "create": True, "branch_prefix": "patch/", "merge_into": ["trunk"],
        "product": d["hotfix"]["repositories"][0]["product"], "portfolio": d["hotfix"]["repositories"][0]["portfolio"],
        "parameters": {"application_name": "billing", "ecr_repository": "billing/api",
                       "container": {"port": 8080, "cpu": 512, "memory": 1024}}})


def _accounts(d):
    d["accounts"]["prod"]["id"] = "555555555555"
    d["accounts"]["stage"]["id"] = "666666666666"
    d["accounts"]["qa"] = {"id": "777777777777"}


def _tools_account_and_region(d):
    old = d["accounts"]["tools"]["id"]
    d["accounts"]["tools"]["id"] = "888888888888"
    for p in d.get("principals", []):
        p["arn"] = p["arn"].replace(f":{old}:", ":888888888888:")
    d["region"] = "ap-southeast-2"
    for role in ("stage", "prod", "qa"):
        if role in d["accounts"]:
            d["accounts"][role].pop("region", None)


def _catalogue_entries(d):
    d.setdefault("tag_options", []).append({"key": "team", "values": ["a", "b"]})
    d.setdefault("tags", {})["owner"] = "platform"
    d["portfolios"].append({"name": "extra", "display_name": "Extra", "provider": "P", "products": ["other"]})
    d["products"].append({"name": "other", "owner": "P", "versions": [{"name": "v1", "template": {"url": "https://e.com/t"}}]})


def _hotfix_settings(d):
    d["hotfix"]["reconcile_schedule"] = "rate(5 minutes)"
    d["hotfix"]["reserved_concurrency"] = not d["hotfix"].get("reserved_concurrency", False)
    for r in d["hotfix"]["repositories"]:
        r["approval_notifications"] = ["someone@example.com"]
        r["merge_into"] = ["main"]


EDITS = {"add a repository with another prefix": _add_repository, "workload accounts": _accounts,
         "tools account and region": _tools_account_and_region, "other catalogue entries": _catalogue_entries,
         "hotfix settings": _hotfix_settings}


@pytest.mark.parametrize("path", [CONFIG, PIPELINES], ids=lambda p: p.name)
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_builtin_templates_do_not_change_when_the_catalogue_does(path, edit):
    data = load_config(path).data
    before = builtin_templates(data, path)
    changed = copy.deepcopy(data)
    edit(changed)
    load_config_data_is_valid(changed, path)
    assert builtin_templates(changed, path) == before


def load_config_data_is_valid(data, path):
    """The edit itself must be a config a team could write: run the same validation the CLI runs."""
    from generator import checks, schema_check
    from generator.core.parse import catalogue_from_dict
    from generator.loader.marks import Marks

    assert schema_check.check(data, Marks(), str(path)) == []
    assert list(checks.run(catalogue_from_dict(data), Marks(), str(path))) == []


def test_the_manifest_records_every_versions_template():
    data = load_config(PIPELINES).data
    data["products"][0]["versions"].append({"name": "v3", "template": {"url": "https://example.com/main-v3.yaml"}})
    files = build_data(data, str(PIPELINES))
    versions = json.loads(files["manifest.json"])["versions"]
    assert versions["main-pipeline"]["v3"] == {"url": "https://example.com/main-v3.yaml"}
    for product, entries in versions.items():
        for name, entry in entries.items():
            if "sha256" in entry:
                from generator.compiler.manifest import sha256

                assert sha256(files[entry["template"]]) == entry["sha256"], (product, name)


# The CLI, on a workspace with a file: template that a team edits in place.

TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n"


@pytest.fixture
def workspace(tmp_path, cli):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "topic.yaml").write_text(TEMPLATE)
    data = yaml.safe_load(CONFIG.read_text())
    data["products"].append({"name": "topic", "owner": "P", "versions": [{"name": "v1", "template": {"file": "templates/topic.yaml"}}]})
    data["portfolios"][0]["products"].append("topic")
    (tmp_path / "portfolios.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = cli("build", "--config", str(tmp_path / "portfolios.yaml"), "--output", str(tmp_path / "output"))
    assert code == 0, err
    return tmp_path


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(cli, ws, *extra):
    return cli("build", "--config", str(ws / "portfolios.yaml"), "--output", str(ws / "output"), *extra)


def test_build_refuses_to_change_a_published_version_and_writes_nothing(cli, workspace):
    before = _tree(workspace / "output")
    (workspace / "templates" / "topic.yaml").write_text(TEMPLATE + "  Other:\n    Type: AWS::SNS::Topic\n")
    code, out, err = _build(cli, workspace)
    assert code == 1 and out == ""
    assert "template of product 'topic' version 'v1' changed" in err
    assert "publish the change as a new version of 'topic'" in err and "--allow-version-change topic@v1" in err
    assert _tree(workspace / "output") == before


def test_a_new_version_is_the_way_to_publish_a_change(cli, workspace):
    (workspace / "templates" / "topic-v2.yaml").write_text(TEMPLATE + "  Other:\n    Type: AWS::SNS::Topic\n")
    data = yaml.safe_load((workspace / "portfolios.yaml").read_text())
    data["products"][-1]["versions"].append({"name": "v2", "template": {"file": "templates/topic-v2.yaml"}})
    (workspace / "portfolios.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert _build(cli, workspace)[0] == 0


def test_the_flag_allows_a_version_that_was_never_deployed(cli, workspace):
    (workspace / "templates" / "topic.yaml").write_text(TEMPLATE + "  Other:\n    Type: AWS::SNS::Topic\n")
    assert _build(cli, workspace, "--allow-version-change", "other@v1")[0] == 1  # only the version named
    code, _, err = _build(cli, workspace, "--allow-version-change", "topic@v1")
    assert code == 0, err
    assert _build(cli, workspace)[0] == 0  # the new output is now the one compared with


def test_an_older_manifest_without_versions_is_guarded_by_its_uploads(cli, workspace):
    manifest = json.loads((workspace / "output" / "manifest.json").read_text())
    del manifest["versions"]
    (workspace / "output" / "manifest.json").write_text(json.dumps(manifest))
    (workspace / "templates" / "topic.yaml").write_text(TEMPLATE + "# changed\n")
    assert _build(cli, workspace)[0] == 1


@pytest.mark.parametrize("body", ["{not json", "[]", '{"versions": {"p": {"v1": {}}}}', "[" * 100000])
def test_an_unreadable_previous_manifest_is_a_clear_error(cli, workspace, body):
    (workspace / "output" / "manifest.json").write_text(body)
    code, _, err = _build(cli, workspace)
    assert code == 1 and "which the build needs to keep every published version's template unchanged" in err
    assert err.count("\n") == 1 and "--force" in err
    # --force replaces the folder anyway, and says that nothing was compared.
    code, _, err = _build(cli, workspace, "--force")
    assert code == 0 and "published versions were not compared" in err


def test_diff_reports_the_same_change(cli, workspace):
    shutil.copy(workspace / "templates" / "topic.yaml", workspace / "topic.bak")
    (workspace / "templates" / "topic.yaml").write_text(TEMPLATE + "# changed\n")
    code, out, _ = cli("diff", "--config", str(workspace / "portfolios.yaml"), "--against", str(workspace / "output"))
    assert code == 3
    assert "template of product 'topic' version 'v1' changed" in out and "--allow-version-change topic@v1" in out


def test_a_builtin_template_rendered_differently_says_how_to_keep_the_published_one(tmp_path, cli):
    # A toolkit upgrade that changes a built-in template changes every version using it: the fix pins the
    # published template as a file: version (the one the previous build wrote) and adds a new built-in one.
    out = tmp_path / "output"
    assert cli("build", "--config", str(CONFIG), "--output", str(out))[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["versions"]["main-pipeline"]["v1"]["sha256"] = "1" * 64
    (out / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(out), "--force")
    assert code == 1
    assert "renders 'builtin: main-pipeline' differently now" in err
    assert "copying the previous products/main-pipeline/v1.json next to the config" in err


def test_the_flag_takes_product_at_version(cli, workspace):
    code, _, err = _build(cli, workspace, "--allow-version-change", "topic")
    assert code == 2 and "takes PRODUCT@VERSION" in err
