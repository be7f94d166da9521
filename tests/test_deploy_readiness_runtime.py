"""Runtime rules AWS imposes on what the build deploys (issue 10 item 2, and kin)."""

from __future__ import annotations

from generator.config_loader import load_config

from .buildutil import build_data, resources, templates
from .conftest import CONFIG
from .gitflow import GITFLOW


def _functions(reserved: bool | None) -> dict:
    data = load_config(GITFLOW).data
    if reserved is not None:
        data["hotfix"]["reserved_concurrency"] = reserved
    return resources(templates(build_data(data, str(GITFLOW)))["sc-automation"], "AWS::Lambda::Function")


def test_reserved_concurrency_is_off_unless_the_config_asks():
    # "Configuring reserved concurrency for a function" (AWS Lambda Developer Guide): a reservation may not
    # leave the account's unreserved concurrency under 100, and new accounts often have 10 or 50 in all, so
    # reserving by default fails the automation stack on its first deploy there.
    for reserved in (None, False):
        functions = _functions(reserved)
        assert functions and all("ReservedConcurrentExecutions" not in f["Properties"] for f in functions.values())
        for f in functions.values():  # checkov's concurrency check is suppressed with the reason
            assert "CKV_AWS_115" in {s["id"] for s in f["Metadata"]["checkov"]["skip"]}


def test_reserved_concurrency_when_asked_for():
    functions = _functions(True)
    limits = {f["Properties"]["FunctionName"]: f["Properties"]["ReservedConcurrentExecutions"] for f in functions.values()}
    assert limits == {"sc-branch-lifecycle": 5, "sc-pull-requests": 5, "sc-reconciler": 1}
    assert all("CKV_AWS_115" not in {s["id"] for s in f["Metadata"]["checkov"]["skip"]} for f in functions.values())


def test_the_schema_documents_the_limit_that_makes_it_optional():
    import json

    schema = json.loads((CONFIG.parent / "portfolios.schema.json").read_text())
    option = schema["properties"]["hotfix"]["properties"]["reserved_concurrency"]
    assert option["default"] is False and "under 100" in option["description"]
