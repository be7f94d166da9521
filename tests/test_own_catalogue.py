"""The suite is about the toolkit: a team's day-one edit of config/portfolios.yaml turns no test red (issue 12, item 1).

The proof is the whole suite, not a sample of it: the project (its files as
git lists them, edits not yet committed included) is copied into a
temporary folder, tests/day_one.py edits the copy's config as a platform
team does on its first day, `build` rewrites the copy's output/, and the
copy's own suite (without this file) runs there in a new process, with the
dev hypothesis profile. Any test that still reads what the shipped
catalogue happens to contain (names, counts, accounts, the region, stack
names) fails in there. tests/own_catalogue.py starts that run as soon as
collection has chosen this test, so that it runs beside the outer suite.
"""

from __future__ import annotations

import json

import pytest

from . import day_one, own_catalogue

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inner() -> own_catalogue.Inner:
    started = own_catalogue.start()
    if started is None:
        pytest.skip("the project is not a git working tree: git lists the files this test copies")
    assert not started.problem, started.problem
    return started


def test_the_edit_is_the_one_the_issue_describes(inner):
    output = inner.project / "output"
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["stack_prefix"] == day_one.PREFIX and manifest["region"] == day_one.REGION
    assert all(s["name"].startswith(f"{day_one.PREFIX}-") for s in manifest["stacks"])
    config = json.loads((output / "config.json").read_text())["config"]
    products = {p["name"] for p in config["products"]}
    portfolios = {p["name"]: p for p in config["portfolios"]}
    assert day_one.PRODUCT in products and all(n == day_one.PRODUCT or n.startswith(day_one.RENAMED) for n in products)
    assert {"launch", "template"} <= {k for c in portfolios[day_one.PORTFOLIO]["constraints"] for k in c}
    builtin_main = {p["name"] for p in config["products"] for v in p["versions"] if v["template"].get("builtin") == "main-pipeline"}
    assert not any(builtin_main & set(p["products"]) for p in portfolios.values())
    assert len(config["hotfix"]["repositories"]) >= 2
    assert (output / "products" / day_one.PRODUCT).is_dir()


def test_the_teams_own_template_has_findings(inner):
    # What makes the inner suite's green mean something: the copy holds cfn-lint findings (and checkov's), and
    # they are the team's to see in `check` (the inner run's tests/test_check_examples.py runs it on the copy).
    from .lint import lint

    assert [f for f in lint((inner.project / "config" / day_one.TEMPLATE).read_text()) if f.startswith("W2001")]


def test_the_whole_suite_stays_green_on_the_edited_catalogue(inner):
    code, log = inner.wait()
    lines = log.strip().splitlines()
    failures = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    assert code == 0 and lines and " passed" in lines[-1], "\n".join([*failures, *lines[-1:]]) or log[-3000:]
