"""The pipeline products' structure: stage order, roles, artifacts, parameters, outputs."""

from __future__ import annotations

import json

import pytest

from generator.config_loader import load_config

from . import gitflow
from .buildutil import build_data, resources
from .conftest import ROOT

CONFIG = gitflow.GITFLOW
HOTFIX = gitflow.template("products/hotfix-pipeline/v1.json")
MAIN = gitflow.template("products/main-pipeline/v1.json")


def pipeline(template: dict) -> dict:
    (p,) = resources(template, "AWS::CodePipeline::Pipeline").values()
    return p["Properties"]


def resolved_stages(template: dict, qa: bool = False) -> list[dict]:
    """The stages as CloudFormation leaves them: an optional account's stage only when it is configured."""
    out = []
    for s in pipeline(template)["Stages"]:
        if "Fn::If" in s:
            condition, present, _ = s["Fn::If"]
            assert condition == "HasQaAccount"
            if qa:
                out.append(present)
        else:
            out.append(s)
    return out


def stages(template: dict, qa: bool = False) -> list[str]:
    return [s["Name"] for s in resolved_stages(template, qa)]


def actions(template: dict, qa: bool = False):
    for stage in resolved_stages(template, qa):
        for action in stage["Actions"]:
            yield stage["Name"], action


def test_hotfix_stage_order():
    assert stages(HOTFIX) == ["Source", "Build", "DeployStage", "PullRequests", "Approval", "DeployProd"]


def test_main_stage_order_without_and_with_qa():
    assert stages(MAIN) == ["Source", "Build", "DeployStage", "Approval", "DeployProd"]
    assert stages(MAIN, qa=True) == ["Source", "Build", "DeployQa", "DeployStage", "Approval", "DeployProd"]
    # A QA account is a parameter, not a new template: adding one changes no published version.
    data = load_config(CONFIG).data
    data["accounts"]["qa"] = {"id": "444444444444"}
    assert json.loads(build_data(data, str(CONFIG))["products/main-pipeline/v1.json"]) == MAIN


@pytest.mark.parametrize("template", [HOTFIX, MAIN], ids=["hotfix", "main"])
def test_approval_strictly_before_prod_and_after_stage(template):
    order = stages(template)
    assert order.index("DeployStage") < order.index("Approval") == order.index("DeployProd") - 1
    (approval,) = [a for s, a in actions(template) if s == "Approval"]
    assert approval["ActionTypeId"]["Provider"] == "Manual"
    assert "NotificationArn" in approval["Configuration"]


def test_pull_requests_after_stage_deploy_invoke_the_pull_request_lambda():
    order = stages(HOTFIX)
    assert order.index("DeployStage") < order.index("PullRequests") < order.index("Approval")
    (action,) = [a for s, a in actions(HOTFIX) if s == "PullRequests"]
    assert action["ActionTypeId"] == {"Category": "Invoke", "Owner": "AWS", "Provider": "Lambda", "Version": "1"}
    assert action["Configuration"]["FunctionName"] == "sc-pull-requests"
    params = json.loads(action["Configuration"]["UserParameters"]["Fn::Sub"])
    assert params == {"repository": "${RepositoryName}", "source_branch": "${BranchName}", "commit": "#{SourceVariables.CommitId}"}


@pytest.mark.parametrize("template", [HOTFIX, MAIN], ids=["hotfix", "main"])
def test_artifacts_are_wired(template):
    produced = set()
    for _, action in actions(template):
        for artifact in action.get("InputArtifacts", []):
            assert artifact["Name"] in produced, f"{action['Name']} reads {artifact['Name']} before it exists"
        produced |= {a["Name"] for a in action.get("OutputArtifacts", [])}
        config = action.get("Configuration", {})
        if "TemplatePath" in config:
            assert config["TemplatePath"].split("::")[0] in {a["Name"] for a in action["InputArtifacts"]}
    assert produced == {"SourceOutput", "BuildOutput"}


@pytest.mark.parametrize("template", [HOTFIX, MAIN], ids=["hotfix", "main"])
def test_deploy_actions_assume_the_right_accounts_deploy_role_and_own_change_set(template):
    accounts = {"Qa": "${QaAccountId}", "Stage": "${StageAccountId}", "Prod": "${ProdAccountId}"}
    for stage, action in actions(template, qa=True):
        if action["ActionTypeId"]["Provider"] != "CloudFormation":
            continue
        account = accounts[stage.replace("Deploy", "")]
        assert action["RoleArn"]["Fn::Sub"] == f"arn:${{AWS::Partition}}:iam::{account}:role/sc-${{ApplicationName}}-deploy"
        assert action["Configuration"]["ChangeSetName"] == {"Ref": "PipelineSlug"}
        if action["Configuration"]["ActionMode"] == "CHANGE_SET_REPLACE":
            assert action["Configuration"]["RoleArn"]["Fn::Sub"].endswith(f"{account}:role/sc-${{ApplicationName}}-cfn-exec")


@pytest.mark.parametrize("template", [HOTFIX, MAIN], ids=["hotfix", "main"])
def test_pipeline_is_v2_and_names_come_from_the_slug(template):
    p = pipeline(template)
    assert p["PipelineType"] == "V2" and p["Name"] == {"Ref": "PipelineSlug"}
    for res in template["Resources"].values():
        for key in ("RoleName", "Name", "LogGroupName"):
            value = res["Properties"].get(key)
            if value is not None and res["Type"] != "AWS::CodePipeline::Pipeline":
                assert "${PipelineSlug}" in value["Fn::Sub"], (res["Type"], key)


@pytest.mark.parametrize("template", [HOTFIX, MAIN], ids=["hotfix", "main"])
def test_every_parameter_has_an_allowed_pattern(template):
    assert all("AllowedPattern" in p for p in template["Parameters"].values())


@pytest.mark.parametrize("template", [HOTFIX, MAIN], ids=["hotfix", "main"])
def test_outputs_name_the_pipeline(template):
    assert {"PipelineName", "PipelineArn"} <= set(template["Outputs"])


def test_hotfix_parameters_accept_what_decide_sends_and_refuse_other_repositories():
    import re

    from generator.core.parse import canonical, catalogue_from_dict
    from generator.hotfix.decide import decide

    cat = catalogue_from_dict(canonical(load_config(CONFIG).data))
    for name in ("hotfix-branch-created.json", "hotfix-branch-with-slash-created.json",
                 "hotfix-branch-unicode-created.json", "hotfix-branch-256-created.json"):
        decision = decide(json.loads((ROOT / "tests" / "events" / name).read_text()), cat)
        for key, value in decision.parameters:
            pattern = HOTFIX["Parameters"][key]["AllowedPattern"]
            assert re.fullmatch(pattern, value), (name, key, value)
    # Which repositories may get a pipeline is the template constraint's to say (tests/test_guardrails.py):
    # the published template stays the same when a repository is added.
    for bad in ("main branch", "a~b", "x" * 257):
        assert not re.fullmatch(HOTFIX["Parameters"]["BranchName"]["AllowedPattern"], bad)
