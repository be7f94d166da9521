"""`check`: the gates as a command, with the output formats and exit codes of `validate`, plus SARIF."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema

from generator.cli import build_parser, prog_name
from generator.gates import report
from generator.gates.finding import Finding

from .conftest import CONFIG, CONFIGS, ROOT

FAST = ("--gate", "least-privilege", "--gate", "sufficiency")

FINDINGS = [
    Finding("stacks/a.template.json", "Role", "sufficiency", "SUF-CFN", "role r cannot x:Y on arn:aws:x, which z needs: no", line=7,
            role="arn:aws:iam::1:role/r", action="x:Y", arn="arn:aws:x", need="z"),
    Finding("products/p/v1.yaml", "Bucket", "cfn-lint", "W3005", "a warning, with: commas\nand a newline", severity="warning", line=3),
    Finding("", "", "checkov", "TOOL-MISSING", "checkov is not installed", severity="notice"),
]

# The SARIF 2.1.0 properties a consumer relies on (OASIS SARIF 2.1.0, sections 3.13 sarifLog, 3.14 run,
# 3.18 tool, 3.19 toolComponent, 3.27 result, 3.11 message, 3.28 location, 3.29 physicalLocation,
# 3.4 artifactLocation, 3.30 region: startLine >= 1; 3.27.10 level values).
SARIF_REQUIRED = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": {
                        "type": "object", "required": ["id"]}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message", "ruleId"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {"physicalLocation": {
                            "type": "object", "required": ["artifactLocation"],
                            "properties": {"artifactLocation": {"type": "object", "required": ["uri"]},
                                           "region": {"type": "object", "required": ["startLine"],
                                                      "properties": {"startLine": {"type": "integer", "minimum": 1}}}}}}}}}}},
            }}},
    },
}


def test_sarif_has_the_required_structure_and_every_finding():
    log = json.loads(report.sarif(FINDINGS, "output"))
    jsonschema.validate(log, SARIF_REQUIRED)
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["ruleId"] for r in results] == ["SUF-CFN", "W3005", "TOOL-MISSING"]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "output/stacks/a.template.json"
    assert results[0]["properties"]["role"] == "arn:aws:iam::1:role/r" and "locations" not in results[2]


def test_text_json_and_github_carry_the_same_findings():
    assert report.text(FINDINGS).splitlines()[-1] == "check: 1 error(s), 1 warning(s), 1 notice(s)"
    assert [f["code"] for f in json.loads(report.as_json(FINDINGS))] == ["SUF-CFN", "W3005", "TOOL-MISSING"]
    lines = report.github(FINDINGS, "output").splitlines()
    assert lines[0].startswith("::error file=output/stacks/a.template.json,line=7,title=SUF-CFN::")
    # A newline in a finding (a template's value quoted) is shown, not obeyed: as validate's annotations do.
    assert lines[1] == "::warning file=output/products/p/v1.yaml,line=3,title=W3005::a warning, with: commas\\nand a newline"
    assert lines[2] == "::notice title=TOOL-MISSING::checkov is not installed"


def test_notices_do_not_fail_a_run_and_warnings_do():
    assert not report.failed([FINDINGS[2]]) and report.failed(FINDINGS[1:2]) and report.failed(FINDINGS[:1])


def test_the_program_is_named_as_it_was_invoked():
    assert prog_name("/usr/local/bin/sc-toolkit") == "sc-toolkit"
    assert prog_name("/x/generator/__main__.py") == "python -m generator"
    assert build_parser("sc-toolkit").format_help().startswith("usage: sc-toolkit")
    code = "import sys; sys.argv[0] = '/venv/bin/sc-toolkit'; from generator.cli import main; main(['check', '--help'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.stdout.startswith("usage: sc-toolkit check") and "sc-toolkit check --output output" in result.stdout


def test_an_invalid_config_is_reported_like_validate(cli):
    code, out, _ = cli("check", "--config", str(CONFIGS / "invalid" / "undefined-product.yaml"), "--format", "github", *FAST)
    assert code == 1 and out.startswith("::error file=") and "not defined" in out


def test_an_output_folder_that_is_not_one_is_an_error(cli, tmp_path):
    code, _, err = cli("check", "--output", str(tmp_path), *FAST)
    assert code == 1 and "no manifest.json" in err


def test_a_usage_error_exits_2():
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--gate", "nonsense"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 2


def test_a_missing_checkov_is_a_notice_unless_required(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("CHECKOV", str(tmp_path / "absent"))
    monkeypatch.setenv("PATH", str(tmp_path))
    config = str(CONFIGS / "valid" / "minimal.yaml")
    code, out, _ = cli("check", "--config", config, "--gate", "checkov", "--format", "json")
    assert code == 0 and [(f["code"], f["severity"]) for f in json.loads(out)] == [("TOOL-MISSING", "notice")]
    assert "checkov==3.3.30" in json.loads(out)[0]["message"]
    code, out, _ = cli("check", "--config", config, "--gate", "checkov", "--require", "checkov", "--format", "json")
    assert code == 1 and json.loads(out)[0]["severity"] == "error"


def test_findings_in_a_users_own_template_point_at_their_file(cli, tmp_path):
    shutil.copytree(CONFIGS / "valid", tmp_path / "cfg")
    # It keeps the parameters the fixture's template constraint names, which validation checks.
    (tmp_path / "cfg" / "templates" / "vpc.yaml").write_text(
        "Parameters:\n  Environment: {Type: String}\n  Cidr: {Type: String}\n"
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      Bogus: 1\n")
    code, out, _ = cli("check", "--config", str(tmp_path / "cfg" / "every-constraint.yaml"), "--gate", "cfn-lint", "--format", "json")
    found = json.loads(out)
    assert code == 1 and found and all(f["file"].endswith("cfg/templates/vpc.yaml") for f in found)
    assert any(f["code"] == "E3002" and f["resource"] == "Queue" for f in found)


def test_check_passes_on_the_shipped_config(cli):
    code, out, _ = cli("check", "--config", str(CONFIG), *FAST)
    assert code == 0, out


def test_findings_in_the_applications_template_point_at_it(cli, tmp_path):
    # The application the pipelines deploy is the user's (--app): a finding in it names its file there, not output/.
    app = tmp_path / "app"
    shutil.copytree(ROOT / "examples" / "app", app)
    service = app / "infra" / "service.yaml"
    service.write_text(service.read_text().replace("Resources:\n", "Resources:\n  Extra:\n    Type: AWS::SQS::Queue\n", 1))
    code, out, _ = cli("check", "--config", str(CONFIG), "--app", str(app), "--gate", "sufficiency", "--format", "json")
    found = json.loads(out)
    assert code == 1 and found and {f["resource"] for f in found} == {"Extra"}
    assert all(f["file"].endswith("app/infra/service.yaml") and "output" not in f["file"] for f in found), found
