"""The naming gate: every account-wide name the toolkit writes starts with the catalogue's prefix.

Names are the registry schemas' name properties (cfnlint/data/schemas/resources/aws-iam-role.json
"RoleName", aws-lambda-function.json "FunctionName", ...); export names are unique per account and
region (CloudFormation User Guide, "Exporting stack output values": "export names must be unique
within a Region").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.gates import naming
from generator.gates.context import Context

from .buildutil import build_file

VALID = sorted(Path("tests/configs/valid").glob("*.yaml"))


def findings(files, severity="error"):
    return [f for f in naming.run(Context(files)) if f.severity == severity]


@pytest.fixture(scope="module")
def acme():
    return build_file("tests/configs/valid/pipelines.yaml")  # stack_prefix: acme


def edit(files, path, change):
    template = json.loads(files[path])
    change(template)
    return {**files, path: json.dumps(template).encode()}


@pytest.mark.parametrize("config", VALID, ids=lambda p: p.stem)
def test_every_valid_fixture_names_everything_after_its_prefix(config):
    assert findings(build_file(config)) == []


def set_name(type_, value):
    def change(template):
        lid = next(k for k, r in template["Resources"].items() if r["Type"] == type_)
        template["Resources"][lid]["Properties"][naming.NAMES[type_][0]] = value
    return change


@pytest.mark.parametrize(("path", "type_", "value"), [
    ("stacks/acme-automation.template.json", "AWS::Lambda::Function", "reconciler"),
    ("stacks/acme-automation.template.json", "AWS::Lambda::Function", "acmereconciler"),
    ("stacks/acme-automation.template.json", "AWS::Lambda::Function", {"Fn::Sub": "${AWS::StackName}-reconciler"}),
    ("stacks/acme-automation.template.json", "AWS::SQS::Queue", {"Fn::Join": ["-", ["dead", "letters"]]}),
    ("stacks/acme-tools-prerequisites.template.json", "AWS::KMS::Alias", "alias/pipelines"),
    ("stacks/acme-tools-prerequisites.template.json", "AWS::S3::Bucket", {"Fn::Sub": "artifacts-${AWS::AccountId}"}),
    ("products/hotfix-pipeline/v1.json", "AWS::CodeBuild::Project", {"Fn::Sub": "${AWS::StackName}-build"}),
    ("products/hotfix-pipeline/v1.json", "AWS::Logs::LogGroup", "/aws/codebuild/build"),
])
def test_a_name_without_the_prefix_is_a_finding_that_names_the_resource(acme, path, type_, value):
    found = findings(edit(acme, path, set_name(type_, value)))
    assert [(f.file, f.code) for f in found] == [(path, "NAME-PREFIX")]
    assert type_ in found[0].message and "'acme-'" in found[0].message


def test_a_parameter_counts_by_the_literal_start_of_its_allowed_pattern(acme):
    path = "products/hotfix-pipeline/v1.json"
    assert findings(acme) == []  # the pipeline's names are ${PipelineSlug}-..., pattern ^acme\-pl\-...

    def loosen(template):
        template["Parameters"]["PipelineSlug"]["AllowedPattern"] = "^acme?-pl-[0-9a-f]{8,}$"
    found = findings(edit(acme, path, loosen))
    assert found and {f.file for f in found} == {path}  # "acm-pl-..." would match: the prefix is not proven


def test_exports_carry_the_prefix_and_a_colon(acme):
    path = "stacks/acme-products.template.json"

    def rename(template):
        key = next(iter(template["Outputs"]))
        template["Outputs"][key]["Export"]["Name"] = "product:x"
    assert [f.resource.startswith("Outputs.") for f in findings(edit(acme, path, rename))] == [True]


def test_the_users_own_product_templates_are_theirs():
    files = build_file("tests/configs/valid/every-constraint.yaml")
    own = [p for p in files if p.startswith("products/") and p not in naming.toolkit_templates(Context(files))]
    assert own, "the fixture has a product from a file: template"
    path = own[0]
    body = {"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "mine"}}}}
    assert findings({**files, path: json.dumps(body).encode()}) == []


def test_a_launch_role_named_in_the_config_is_a_notice_not_an_error(acme):
    notices = findings(acme, "notice")
    assert notices and {f.code for f in notices} == {"NAME-CHOSEN"}
    assert findings(acme) == []


@pytest.mark.parametrize(("pattern", "head"), [
    (r"^acme\-pl\-[0-9a-f]{14}$", "acme-pl-"),
    (r"^acme?-pl", "acm"),
    (r"^ac{2}", "a"),
    (r"^(?:a|b)x", ""),
    (r"acme-", ""),  # not anchored: nothing is certain
    (r"^acme\-?pl\-[0-9a-f]{12}$", "acme"),  # an optional escaped character is not certain either
    (r"^acme\-{0}pl", "acme"),
    (r"^acme\-*pl", "acme"),
    (r"^acme\.?x", "acme"),
    (r"^acme\-pl\-[0-9a-f]{12}$|^[a-z]+$", ""),  # a top-level alternative: no common start is proven
    (r"^acme-pl|x", ""),
    (r"^acme-(?:a|b)", "acme-"),  # alternation inside a group ends the head, not the proof
    (r"^acme-[|]x", "acme-"),
])
def test_pattern_head(pattern, head):
    assert naming._pattern_head(pattern) == head + naming._UNKNOWN


def test_every_tag_option_is_a_notice_since_the_account_keeps_one_of_each():
    # botocore servicecatalog model: CreateTagOption raises DuplicateResourceException for a (key, value) that exists.
    files = build_file("tests/configs/valid/rich.yaml")
    options = {(r["Properties"]["Key"], r["Properties"]["Value"]) for body in files.values() if body[:1] == b"{"
               for r in json.loads(body).get("Resources", {}).values() if r["Type"] == "AWS::ServiceCatalog::TagOption"}
    notices = [f for f in findings(files, "notice") if "tag option" in f.message]
    assert options and len(notices) == len(options)
    assert {f.code for f in notices} == {"NAME-CHOSEN"} and findings(files) == []
