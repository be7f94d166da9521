"""``python -m generator diff``: what a build would change, in words, with replacements flagged."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from generator.output_writer import write

from . import gitflow
from .conftest import ROOT, benchmark_catalogues


@pytest.fixture
def workspace(tmp_path):
    """The AWS pattern's catalogue and its build, to change freely."""
    (tmp_path / "config").mkdir()
    shutil.copy(gitflow.GITFLOW, tmp_path / "config" / "portfolios.yaml")
    write(tmp_path / "output", gitflow.files())
    return tmp_path


def edit(workspace, change):
    path = workspace / "config" / "portfolios.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def diff(cli, workspace, *extra):
    return cli("diff", "--config", str(workspace / "config" / "portfolios.yaml"),
               "--against", str(workspace / "output"), *extra)


def product(data, name):
    return next(p for p in data["products"] if p["name"] == name)


def test_nothing_changes_exit_0(cli, workspace):
    code, out, _ = diff(cli, workspace)
    assert code == 0 and out == "No changes: the build matches the previous output.\n"


def test_a_new_version_is_named(cli, workspace):
    edit(workspace, lambda d: product(d, "main-pipeline")["versions"].append(
        {"name": "v2", "description": "Second", "template": {"builtin": "main-pipeline"}}))
    code, out, _ = diff(cli, workspace)
    assert code == 3
    assert "  ~ product 'main-pipeline': version 'v2' added" in out
    assert "REPLACEMENT" not in out


def test_a_launch_role_change_is_named(cli, workspace):
    def change(d):
        pf = next(p for p in d["portfolios"] if p["name"] == "main-pipeline")
        pf["constraints"][0]["launch"] = {"role_arn": "arn:aws:iam::111111111111:role/Custom"}
    edit(workspace, change)
    code, out, _ = diff(cli, workspace)
    assert code == 3 and "launch constraint on product 'main-pipeline': launch role changed" in out


def test_renaming_a_product_is_flagged_as_a_replacement(cli, workspace):
    def change(d):
        product(d, "main-pipeline")["name"] = "main-pipeline-2"
        pf = next(p for p in d["portfolios"] if p["name"] == "main-pipeline")
        pf["products"] = ["main-pipeline-2"]
        for c in pf["constraints"]:
            c["product"] = "main-pipeline-2"
    edit(workspace, change)
    code, out, _ = diff(cli, workspace)
    assert code == 3
    assert "REPLACEMENT: product 'main-pipeline' would be deleted (sc-products/ProductMainPipeline)" in out


def test_reordering_the_yaml_changes_nothing(cli, workspace):
    edit(workspace, lambda d: d["portfolios"].reverse() or d["products"].reverse() or d["principals"].reverse())
    assert diff(cli, workspace)[0] == 0


def test_json_format_for_machines(cli, workspace):
    edit(workspace, lambda d: d["tag_options"][0]["values"].append("research"))
    code, out, _ = diff(cli, workspace, "--format", "json")
    result = json.loads(out)
    assert code == 3 and result["changed"] is True and result["replacements"] == []
    stacks = {s["name"]: s for s in result["stacks"]}
    assert [c["kind"] for c in stacks["sc-tag-options"]["changes"]] == ["added"]
    assert stacks["sc-tag-options"]["changes"][0]["summary"] == "tag option cost-center=research added"


def test_a_previous_output_that_does_not_exist_is_an_error_not_everything_added(cli, workspace, tmp_path):
    code, out, err = cli("diff", "--config", str(workspace / "config" / "portfolios.yaml"), "--against", str(tmp_path / "none"))
    assert code == 1 and out == "" and err == f"error: previous output {tmp_path / 'none'} does not exist: pass --against " \
        "a folder a build wrote (python -m generator build --output DIR)\n"


def write_tree(folder, files: dict[str, bytes]) -> None:
    for path, body in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(body)


def test_moving_a_product_to_another_shard_is_a_replacement(tmp_path):
    from generator.plan import plan

    from .buildutil import build_data

    catalogue = benchmark_catalogues().catalogue
    write_tree(tmp_path, build_data(catalogue(150, 50)))
    result = plan(tmp_path, build_data(catalogue(400, 50)))
    moved = [r for r in result["replacements"] if "created again in another stack" in r]
    assert moved, "growing past a shard boundary moves products, and the plan says so"


def test_changing_an_existing_versions_template_is_called_out(tmp_path):
    from generator.plan import plan

    files = gitflow.files()
    write_tree(tmp_path, files)
    manifest = json.loads(files["manifest.json"])
    manifest["versions"]["main-pipeline"]["v1"]["sha256"] = "0" * 64
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    result = plan(tmp_path, files)
    (message,) = result["templates"]  # the words build refuses with (generator/compiler/versions.py)
    assert message.startswith("template of product 'main-pipeline' version 'v1' changed (sha256 000000000000 -> ")
    assert "--allow-version-change main-pipeline@v1" in message



RICH = ROOT / "tests" / "configs" / "valid" / "rich.yaml"


def test_every_resource_the_build_emits_is_named_in_words(tmp_path):
    """The class: every resource of every built stack, as diff describes it, names things, never a dict or a Ref."""
    from generator.plan import plan, text

    from .buildutil import build_file

    (tmp_path / "manifest.json").write_text(json.dumps({"stacks": [], "uploads": [], "files": {}}))
    result = plan(tmp_path, build_file(RICH))
    summaries = [c["summary"] for s in result["stacks"] for c in s["changes"]]
    types = {c["type"] for s in result["stacks"] for c in s["changes"]}
    assert len(types) >= 20, "the rich fixture builds most resource types"
    assert [s for s in summaries if re.search(r"[{}]|'Ref'|\"Ref\"|Fn::", s)] == []
    assert "Lambda::Permission" in "".join(summaries)
    permissions = [s for s in summaries if s.startswith("Lambda::Permission")]
    assert permissions and all(" may invoke " in s and (", for rule '" in s or " through its function URL" in s)
                               for s in permissions), permissions
    assert [s for s in summaries if s.startswith("Events::Rule") and "(" not in s] == [], "a rule says what it is for"
    assert "{" not in text(result)


def test_diff_prints_hostile_names_as_one_line_each(tmp_path, cli):
    """The config refuses control characters in names (test_schema_strings), but a previous output is
    input too: names in a doctored previous template are printed escaped, one line each."""
    import unicodedata

    source = ROOT / "tests" / "configs" / "valid" / "minimal.yaml"
    previous = tmp_path / "output"
    assert cli("build", "--config", str(source), "--output", str(previous))[0] == 0
    manifest = json.loads((previous / "manifest.json").read_text())
    evil = "Main\n::error::forged\x1b[2J\u202e\r"
    for entry in manifest["stacks"]:
        template = json.loads((previous / entry["template"]).read_text())
        template["Resources"]["Gone"] = {"Type": "AWS::ServiceCatalog::CloudFormationProduct", "Properties": {"Name": evil}}
        template["Resources"]["GoneRole"] = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": evil, "Description": evil}}
        (previous / entry["template"]).write_text(json.dumps(template))
    for fmt in ("text", "json"):
        code, out, _ = cli("diff", "--config", str(source), "--against", str(previous), "--format", fmt)
        assert code == 3
        assert [ch for ch in out if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} and ch != "\n"] == []
        assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    code, out, _ = cli("diff", "--config", str(source), "--against", str(previous))
    assert "'Main\\n::error::forged\\x1b[2J\\u202e\\r'" in out
