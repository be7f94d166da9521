"""``launch-parameters``: what a person needs to launch a main pipeline, which only the toolkit can name."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.core.naming import pipeline_slug, pipeline_slug_pattern, provisioned_product_name
from generator.hotfix import branches
from generator.hotfix.decide import decide
from generator.hotfix.launch import main_pipeline

from .conftest import CONFIGS
from .hotfix_env import RUNTIME_CONFIG, builtin_template, catalogue

CAT = catalogue()
MAIN = builtin_template(CAT, "main-pipeline")
HOTFIX = builtin_template(CAT, "hotfix-pipeline")
REPOS = sorted(r.name for r in CAT.hotfix.repositories)
branch_names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=" ~^:?*[\\\x7f"),
                       min_size=1, max_size=250).filter(lambda b: branches.invalid_reason(b) is None)


def allowed(template: dict, parameters: dict[str, str]) -> list[str]:
    """The parameters a template's AllowedPattern would refuse (CloudFormation validates them at launch)."""
    spec = template["Parameters"]
    assert set(parameters) == set(spec), "parameters and the template's differ"
    return [k for k, v in parameters.items() if not re.search(spec[k]["AllowedPattern"], v)]


def test_prints_every_parameter_of_the_main_pipeline_as_json(cli):
    code, out, err = cli("launch-parameters", "--config", str(RUNTIME_CONFIG), "--repository", "payments.api")
    assert code == 0, err
    request = json.loads(out)
    assert request["parameters"]["PipelineSlug"] == pipeline_slug(CAT.stack_prefix, "payments.api", "main", kind="main")
    assert request["provisioned_product_name"] == provisioned_product_name(CAT.stack_prefix, "payments.api", "main", kind="main")
    assert (request["product"], request["version"], request["portfolio"]) == ("Main pipeline", "v1", "Pipelines")
    assert "managed-by" not in request["tags"]  # the reconciler and the lifecycle Lambda leave it alone
    assert not allowed(MAIN, request["parameters"])


def test_prints_the_same_request_as_an_aws_cli_command(cli):
    _, out, _ = cli("launch-parameters", "--config", str(RUNTIME_CONFIG), "--repository", "hotfixpoc-repository",
                    "--branch", "release/2026 q1".replace(" ", "-"), "--format", "cli")
    args = shlex.split(out)
    assert args[:3] == ["aws", "servicecatalog", "provision-product"]
    options = dict(zip(args[3::2], args[4::2], strict=True))
    request = main_pipeline(CAT, "hotfixpoc-repository", "release/2026-q1")
    assert json.loads(options["--provisioning-parameters"]) == [{"Key": k, "Value": v} for k, v in sorted(request.parameters.items())]
    assert options["--provisioned-product-name"] == request.provisioned_product_name
    assert options["--path-name"] == "Pipelines" and options["--product-name"] == "Main pipeline"


@given(st.sampled_from(REPOS), branch_names)
def test_what_it_prints_the_main_template_accepts(repo, branch):
    request = main_pipeline(CAT, repo, branch)
    assert not allowed(MAIN, request.parameters), request.parameters
    assert re.search(pipeline_slug_pattern(CAT.stack_prefix), request.parameters["PipelineSlug"])


@given(st.sampled_from(REPOS), branch_names)
def test_what_the_lifecycle_lambda_sends_the_hotfix_template_accepts(repo, branch):
    prefix = next(r.branch_prefix for r in CAT.hotfix.repositories if r.name == repo)
    event = {"source": "aws.codecommit", "detail-type": "CodeCommit Repository State Change", "id": "e", "detail": {
        "event": "referenceCreated", "repositoryName": repo, "referenceType": "branch",
        "referenceName": (prefix + branch)[:256], "commitId": "a" * 40}}
    decision = decide(event, CAT)
    if decision.action == "provision":
        assert not allowed(HOTFIX, dict(decision.parameters)), decision.parameters
    else:
        assert "not a valid branch name" in decision.reason


@pytest.mark.parametrize("args, fragment", [
    (["--repository", "nope"], "is not configured under hotfix.repositories"),
    (["--repository", "payments.api", "--product", "hotfix-pipeline"], "only the branch-lifecycle Lambda launches it"),
    (["--repository", "payments.api", "--product", "ghost"], "product 'ghost' is not defined"),
    (["--repository", "payments.api", "--branch", "a..b"], "is not a valid branch name"),
    (["--repository", "payments.api", "--portfolio", "hotfixes"], "does not hold product 'main-pipeline'"),
])
def test_refusals_say_why_with_exit_2(cli, args, fragment):
    code, out, err = cli("launch-parameters", "--config", str(RUNTIME_CONFIG), *args)
    assert code == 2 and out == "" and fragment in err and err.startswith("error: ")


def test_a_catalogue_without_a_main_pipeline_says_so(cli):
    code, _, err = cli("launch-parameters", "--config", str(CONFIGS / "valid" / "minimal.yaml"), "--repository", "r")
    assert code == 2 and "hotfix.repositories" in err
