"""The example application is complete, deployable, and free of the AWS sample's bugs."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from . import gitflow
from .conftest import ROOT
from .lint import lint

APP = ROOT / "examples" / "app"


def test_service_template_is_lint_clean():
    assert lint((APP / "infra" / "service.yaml").read_text()) == []


@pytest.mark.parametrize("env", ["stage", "qa", "prod"])
def test_parameter_files_use_two_different_subnets_and_no_app_name(env):
    config = json.loads((APP / "infra" / f"{env}.json").read_text())
    subnets = config["Parameters"]["SubnetIds"].split(",")
    assert len(subnets) == 2 and len(set(subnets)) == 2
    assert "ApplicationName" not in config["Parameters"] and "hotfixpoc" not in json.dumps(config)
    template = yaml.load((APP / "infra" / "service.yaml").read_text(), Loader=yaml.BaseLoader)
    assert set(config["Parameters"]) <= set(template["Parameters"])


def test_parameter_files_differ_per_environment():
    files = [(APP / "infra" / f"{env}.json").read_text() for env in ("stage", "qa", "prod")]
    assert len(set(files)) == 3


def test_pipeline_overrides_fill_every_other_parameter():
    template = yaml.load((APP / "infra" / "service.yaml").read_text(), Loader=yaml.BaseLoader)
    hotfix = gitflow.template("products/hotfix-pipeline/v1.json")
    stage = next(s for s in hotfix["Resources"]["Pipeline"]["Properties"]["Stages"] if s["Name"] == "DeployStage")
    overrides = stage["Actions"][0]["Configuration"]["ParameterOverrides"]["Fn::Sub"]
    given = set(re.findall(r'"(\w+)":', overrides)) - {"Fn::GetParam"}
    from_file = set(json.loads((APP / "infra" / "stage.json").read_text())["Parameters"])
    defaults = {k for k, v in template["Parameters"].items() if "Default" in v}
    assert set(template["Parameters"]) == given | from_file | defaults


def test_dockerfile_pins_its_base_image():
    (base,) = re.findall(r"^FROM\s+(\S+)", (APP / "Dockerfile").read_text(), re.M)
    assert not base.endswith(":latest") and re.search(r":\d+\.\d+\.\d+", base), base


def test_buildspec_writes_the_image_file_the_deploy_stages_read():
    spec = yaml.safe_load((APP / "buildspec.yml").read_text())
    assert spec["version"] == 0.2
    assert "image.json" in spec["artifacts"]["files"] and "infra/service.yaml" in spec["artifacts"]["files"]
    assert any("CODEBUILD_RESOLVED_SOURCE_VERSION" in c for c in spec["phases"]["pre_build"]["commands"])
