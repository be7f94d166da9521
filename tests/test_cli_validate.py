"""``python -m generator validate``: exit codes, formats, never a traceback."""

from __future__ import annotations

import json
import shutil

import yaml

from .conftest import CONFIG, CONFIGS, run_cli
from .gitflow import GITFLOW

INVALID = CONFIGS / "invalid"


def test_shipped_config_is_valid(cli):
    code, out, err = cli("validate")
    assert code == 0, err
    data = yaml.safe_load(CONFIG.read_text())
    assert out == f"config/portfolios.yaml: valid ({len(data['portfolios'])} portfolios, {len(data['products'])} products)\n"


def test_the_summary_counts_portfolios_and_products(cli):
    code, out, _ = cli("validate", "--config", str(GITFLOW))
    assert code == 0 and out == f"{GITFLOW}: valid (2 portfolios, 2 products)\n"


def test_text_format_is_file_line_col(cli):
    path = INVALID / "misspelled-products.yaml"
    code, out, err = cli("validate", "--config", str(path))
    assert code == 1 and out == ""
    assert err == f"{path}:21:5: error: unknown key 'prodcts'; did you mean 'products'? (at $.portfolios[0].prodcts)\n"


def test_json_format_lists_every_problem_with_a_code(cli):
    code, out, _ = cli("validate", "--config", str(INVALID / "hotfix-product-not-in-portfolio.yaml"), "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert [p["code"] for p in problems] == ["semantic/hotfix-access", "semantic/unresolved-reference"]
    assert set(problems[0]) == {"file", "line", "column", "code", "message", "path"}
    assert problems[1]["path"] == "$.hotfix.repositories[0].product" and problems[1]["line"] == 47


def test_json_format_on_success_is_an_empty_list(cli):
    assert cli("validate", "--format", "json")[:2] == (0, "[]\n")


def test_github_annotations(cli):
    code, out, _ = cli("validate", "--config", str(INVALID / "bad-region.yaml"), "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={INVALID / 'bad-region.yaml'},line=3,col=9,title=schema/pattern::invalid value 'US East'")


def test_github_escapes_newlines_percent_and_property_separators():
    from generator.formatters import github
    from generator.problems import Problem

    # A newline in a message only ever comes from a config value: shown, not obeyed.
    out = github([Problem("a,b:c.yaml", 3, 4, "x/y", "100%\nsure")])
    assert out == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=x/y::100%25\\nsure\n"


def test_problems_are_collected_not_stopped_at_the_first(cli):
    _, _, err = cli("validate", "--config", str(INVALID / "duplicate-product.yaml"))
    lines = err.strip().splitlines()
    assert len(lines) == 4
    assert sum("is defined twice" in line for line in lines) == 2
    assert sum("which is not defined" in line for line in lines) == 2


def test_usage_errors_exit_2():
    result = run_cli("validate", "--format", "xml")
    assert result.returncode == 2 and "invalid choice" in result.stderr
    assert run_cli("frobnicate").returncode == 2
    assert run_cli().returncode == 2


def test_unreadable_input_exits_1_without_traceback(tmp_path):
    for args in (["--config", str(tmp_path / "missing.yaml")], ["--config", str(tmp_path)]):
        result = run_cli("validate", *args)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_default_config_is_relative_to_the_working_directory(tmp_path):
    shutil.copytree(CONFIG.parent, tmp_path / "config")  # with the template files next to the config
    result = run_cli("validate", cwd=tmp_path)
    # Runs from another folder: generator must be importable (installed) for this to pass.
    assert result.returncode == 0, result.stderr


def test_help_shows_an_example():
    result = run_cli("validate", "--help")
    assert result.returncode == 0 and "example:" in result.stdout


def test_each_missing_key_is_reported_once(tmp_path, cli):
    path = tmp_path / "c.yaml"
    path.write_text("x: 1\n")
    _, _, err = cli("validate", "--config", str(path))
    lines = err.strip().splitlines()
    assert len(lines) == len(set(lines)) == 6  # five required keys and the unknown one
