"""decide() on every event variant, from the AWS sample events and what derive.py makes of them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from generator.config_loader import load_config
from generator.core.exceptions import EventError
from generator.core.naming import provisioned_product_name
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix.decide import decide, newest_active_version, plan, tag_value

from .conftest import CONFIG

EVENTS = Path(__file__).resolve().parent / "events"
CAT = catalogue_from_dict(canonical(load_config(CONFIG).data))
PP_NAME = r"[a-zA-Z0-9][a-zA-Z0-9._-]*"


def event(name: str):
    return json.loads((EVENTS / name).read_text())


def test_derived_event_fixtures_are_current():
    import subprocess
    import sys

    assert subprocess.run([sys.executable, str(EVENTS / "derive.py")], capture_output=True).returncode == 0


def test_hotfix_branch_created_provisions_the_active_version():
    d = decide(event("hotfix-branch-created.json"), CAT).as_dict()
    assert d["action"] == "provision"
    assert (d["repository"], d["branch"], d["product"], d["portfolio"], d["version"]) == \
        ("hotfixpoc-repository", "hotfix-login-timeout", "hotfix-pipeline", "hotfix-pipeline", "v1")
    assert d["provisioned_product_name"] == "sc-hotfixpoc-repository-hotfix-login-timeout"
    assert d["parameters"]["CommitId"] == "3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
    assert d["parameters"]["ApplicationName"] == "hotfixpoc" and d["parameters"]["BranchName"] == "hotfix-login-timeout"
    assert d["tags"]["managed-by"] == "service-catalog-toolkit"


def test_deletion_terminates_the_same_provisioned_product():
    created = decide(event("hotfix-branch-created.json"), CAT)
    deleted = decide(event("hotfix-branch-deleted.json"), CAT).as_dict()
    assert deleted["action"] == "terminate"
    assert deleted["provisioned_product_name"] == created.provisioned_product_name
    assert deleted["idempotency_token"] != created.idempotency_token


@pytest.mark.parametrize("name, fragment", [
    ("codecommit-reference-created.json", "repository 'MyDemoRepo' has no hotfix pipelines"),
    ("codecommit-reference-deleted.json", "repository 'MyDemoRepo' has no hotfix pipelines"),
    ("other-repository-created.json", "repository 'another-repository' has no hotfix pipelines"),
    ("hotfix-tag-created.json", "is a tag, not a branch"),
    ("feature-branch-created.json", "does not start with the hotfix prefix 'hotfix-'"),
    ("capitalised-prefix-created.json", "does not start with the hotfix prefix"),
    ("bare-prefix-created.json", "is only the hotfix prefix"),
    ("hotfix-branch-updated.json", "needs no action"),
])
def test_everything_else_is_ignored_with_a_reason(name, fragment):
    d = decide(event(name), CAT).as_dict()
    assert d["action"] == "ignore" and fragment in d["reason"]


def test_other_sources_are_ignored():
    d = decide({"source": "aws.s3", "detail-type": "Object Created", "detail": {}}, CAT).as_dict()
    assert d["action"] == "ignore"


def test_duplicate_delivery_gives_the_same_decision_and_token():
    assert decide(event("hotfix-branch-created.json"), CAT) == decide(event("hotfix-branch-created.json"), CAT)


def test_recreated_branch_at_a_new_commit_gets_a_new_token():
    again = event("hotfix-branch-created.json")
    again["detail"]["commitId"] = "0" * 40
    assert decide(again, CAT).idempotency_token != decide(event("hotfix-branch-created.json"), CAT).idempotency_token


def test_slash_and_dash_branches_never_share_a_name():
    slash = decide(event("hotfix-branch-with-slash-created.json"), CAT)
    dash = decide(event("hotfix-branch-with-dash-created.json"), CAT)
    assert slash.provisioned_product_name != dash.provisioned_product_name
    assert dict(slash.parameters)["PipelineSlug"] != dict(dash.parameters)["PipelineSlug"]


@pytest.mark.parametrize("name", ["hotfix-branch-with-slash-created.json", "hotfix-branch-unicode-created.json",
                                  "hotfix-branch-256-created.json"])
def test_awkward_branch_names_give_valid_names(name):
    import re

    d = decide(event(name), CAT)
    assert re.fullmatch(PP_NAME, d.provisioned_product_name) and len(d.provisioned_product_name) <= 128
    slug = dict(d.parameters)["PipelineSlug"]
    assert re.fullmatch(r"sc-pl-[a-z0-9-]+", slug) and len(slug) <= 54
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_-]*", d.idempotency_token) and len(d.idempotency_token) <= 128
    assert all(re.fullmatch(r"[\w .:/=+\-@]{1,256}", v) for _, v in d.tags)


def test_256_character_branch_terminates_the_product_it_provisioned():
    assert decide(event("hotfix-branch-256-created.json"), CAT).provisioned_product_name == \
        decide(event("hotfix-branch-256-deleted.json"), CAT).provisioned_product_name


@pytest.mark.parametrize("name", sorted(p.name for p in EVENTS.glob("malformed-*.json")))
def test_malformed_events_raise_event_error(name):
    with pytest.raises(EventError):
        decide(event(name), CAT)


@pytest.mark.parametrize("branch, why", [
    ("hotfix-a..b", "'..'"), ("hotfix-a b", "space"), ("hotfix-a.lock", ".lock"), ("hotfix-x/", "ends with"),
    ("hotfix-" + "y" * 250, "characters long"), ("hotfix-a@{1}", "'@{'"),
])
def test_invalid_git_branch_names_are_ignored(branch, why):
    e = event("hotfix-branch-created.json")
    e["detail"]["referenceName"] = branch
    d = decide(e, CAT)
    assert d.action == "ignore" and "not a valid branch name" in d.reason and why in d.reason


def test_created_event_without_commit_is_ignored():
    e = event("hotfix-branch-created.json")
    del e["detail"]["commitId"]
    assert decide(e, CAT).action == "ignore"


def test_pull_request_job_opens_one_per_merge_target():
    d = decide(event("pull-request-job.json"), CAT).as_dict()
    assert d["action"] == "open_pull_requests"
    assert d["repository"] == "hotfixpoc-repository" and d["source_branch"] == "hotfix-login-timeout"
    assert sorted(t["destination"] for t in d["targets"]) == ["develop", "main"]
    assert len({t["idempotency_token"] for t in d["targets"]}) == 2


@pytest.mark.parametrize("name, fragment", [
    ("codepipeline-invoke-job.json", "missing or not a string: repository, source_branch"),
    ("pull-request-job-outside-prefix.json", "does not start with the hotfix prefix"),
    ("pull-request-job-unknown-repository.json", "repository 'another-repository' has no hotfix pipelines"),
    ("pull-request-job-not-json.json", "UserParameters is not JSON"),
    ("pull-request-job-not-object.json", "must be a JSON object, not list"),
    ("pull-request-job-missing-key.json", "missing or not a string: source_branch"),
    ("pull-request-job-no-parameters.json", "has no UserParameters"),
])
def test_bad_jobs_fail_with_a_reason(name, fragment):
    d = decide(event(name), CAT).as_dict()
    assert d["action"] == "fail_job" and fragment in d["reason"]
    assert d["job_id"] == "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6"


def test_scheduled_event_says_it_needs_live_data():
    d = decide(event("scheduled-event.json"), CAT).as_dict()
    assert d["action"] == "reconcile" and d["needs_live_data"] is True
    assert d["repositories"] == ["hotfixpoc-repository"] and d["provision"] == [] and d["terminate"] == []


def test_reconcile_plan_provisions_missing_and_terminates_orphans():
    live = {"hotfixpoc-repository": {"hotfix-a": "a" * 40, "hotfix-b": "b" * 40, "main": "c" * 40}}
    have_a = provisioned_product_name("sc", "hotfixpoc-repository", "hotfix-a")
    provisioned = [
        {"name": have_a, "status": "AVAILABLE", "tags": {"repository": "hotfixpoc-repository", "catalogue": "sc", "branch": "hotfix-a"}},
        {"name": "sc-hotfixpoc-repository-hotfix-gone", "status": "AVAILABLE",
         "tags": {"repository": "hotfixpoc-repository", "catalogue": "sc", "branch": "hotfix-gone"}},
        {"name": "someone-elses", "status": "AVAILABLE", "tags": {"repository": "other", "catalogue": "sc"}},
        {"name": "other-catalogue", "status": "AVAILABLE", "tags": {"repository": "hotfixpoc-repository", "catalogue": "x"}},
    ]
    p = plan(CAT, live, provisioned)
    assert [d.branch for d in p.provision] == ["hotfix-b"]
    assert [d.provisioned_product_name for d in p.terminate] == ["sc-hotfixpoc-repository-hotfix-gone"]
    assert dict(p.terminate[0].required_tags)["catalogue"] == "sc"


def test_newest_active_version_is_natural_and_order_free():
    data = canonical(load_config(CONFIG).data)
    product = next(p for p in data["products"] if p["name"] == "hotfix-pipeline")
    product["versions"] = [{"name": n, "template": {"builtin": "hotfix-pipeline"}, "active": n != "v11"}
                           for n in ("v9", "v10", "v2", "v11")]
    cat = catalogue_from_dict(data)
    assert newest_active_version(cat.product("hotfix-pipeline")) == "v10"
    product["versions"].reverse()
    assert newest_active_version(catalogue_from_dict(data).product("hotfix-pipeline")) == "v10"


def test_tag_values_are_made_safe():
    assert tag_value("hotfix-#1!") == "hotfix-_1_" and tag_value("") == "_" and len(tag_value("x" * 300)) == 256


def test_decide_does_not_mutate_the_event():
    e = event("hotfix-branch-created.json")
    before = copy.deepcopy(e)
    decide(e, CAT)
    assert e == before
