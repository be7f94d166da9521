"""decide() on every event variant, from the AWS sample events and what derive.py makes of them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from generator.config_loader import load_config
from generator.core.exceptions import EventError
from generator.core.naming import pipeline_slug, provisioned_product_name
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix.decide import decide, newest_active_version, plan, tag_value
from generator.hotfix.events import reconcile_request

from .hotfix_env import RUNTIME_CONFIG, catalogue

EVENTS = Path(__file__).resolve().parent / "events"
CAT = catalogue()
PREFIX = CAT.stack_prefix
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
        ("hotfixpoc-repository", "hotfix-login-timeout", "hotfix-pipeline", "hotfixes", "v2")
    assert d["provisioned_product_name"] == provisioned_product_name(PREFIX, "hotfixpoc-repository", "hotfix-login-timeout")
    assert d["provisioned_product_name"].startswith(f"{PREFIX}-hotfixpoc-repository-hotfix-login-timeout-")
    assert d["parameters"]["PipelineSlug"] == pipeline_slug(PREFIX, "hotfixpoc-repository", "hotfix-login-timeout")
    assert d["parameters"]["CommitId"] == "3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
    assert d["parameters"]["ApplicationName"] == "poc" and d["parameters"]["BranchName"] == "hotfix-login-timeout"
    assert d["tags"]["managed-by"] == "service-catalog-toolkit"
    assert d["tags"]["pipeline"] == d["parameters"]["PipelineSlug"] and d["tags"]["branch"] == "hotfix-login-timeout"


def test_deletion_terminates_the_same_provisioned_product_and_only_with_its_tags():
    created = decide(event("hotfix-branch-created.json"), CAT)
    deleted = decide(event("hotfix-branch-deleted.json"), CAT).as_dict()
    assert deleted["action"] == "terminate"
    assert deleted["provisioned_product_name"] == created.provisioned_product_name
    assert deleted["idempotency_token"] != created.idempotency_token
    # The branch-deletion path checks the same owner tags the reconciler's does.
    assert deleted["required_tags"] == {k: v for k, v in created.tags if k in ("managed-by", "catalogue", "repository", "branch")}


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


@pytest.mark.parametrize("change", [("commitId", "0" * 40), ("id", "another-event")], ids=["new commit", "new event"])
def test_a_new_creation_is_a_new_provisioning_request(change):
    # Deleted and pushed again, even at the same commit, is a new event with a
    # new id: a token from the commit alone would repeat, and Service Catalog
    # answers a repeated ProvisionToken with the first request (ProvisionProduct,
    # ProvisionToken), whose product is gone.
    again = event("hotfix-branch-created.json")
    if change[0] == "id":
        again["id"] = change[1]
    else:
        again["detail"][change[0]] = change[1]
    first = decide(event("hotfix-branch-created.json"), CAT)
    assert decide(again, CAT).idempotency_token != first.idempotency_token
    assert decide(again, CAT).provisioned_product_name == first.provisioned_product_name


def test_branches_the_pipeline_cannot_carry_are_ignored_with_a_reason():
    d = decide(event("hotfix-branch-with-quote-created.json"), CAT)
    assert d.action == "ignore" and "pull-request step" in d.reason


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
    assert re.fullmatch(rf"{PREFIX}-pl-[0-9a-f]+", slug) and len(slug) == 20
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
    assert d["commit"] == "3b2c4f1e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c"
    assert d["pipeline"] == pipeline_slug(PREFIX, "hotfixpoc-repository", "hotfix-login-timeout")
    assert sorted(t["destination"] for t in d["targets"]) == ["develop", "main"]
    assert len({t["idempotency_token"] for t in d["targets"]}) == 2


def test_a_new_commit_gets_new_pull_request_tokens_and_a_rerun_the_same():
    # CodeCommit answers a repeated clientRequestToken with the first request's
    # pull request (API reference, CreatePullRequest): once that one is merged,
    # only a new token opens another.
    first = decide(event("pull-request-job.json"), CAT)
    later = event("pull-request-job.json")
    params = json.loads(later["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]["UserParameters"])
    later["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]["UserParameters"] = \
        json.dumps({**params, "commit": "f" * 40})
    assert decide(event("pull-request-job.json"), CAT).targets == first.targets
    assert not {t.idempotency_token for t in decide(later, CAT).targets} & {t.idempotency_token for t in first.targets}


@pytest.mark.parametrize("name, fragment", [
    ("codepipeline-invoke-job.json", "missing or not a string: repository, source_branch, commit"),
    ("pull-request-job-outside-prefix.json", "does not start with the hotfix prefix"),
    ("pull-request-job-unknown-repository.json", "repository 'another-repository' has no hotfix pipelines"),
    ("pull-request-job-not-json.json", "UserParameters is not JSON"),
    ("pull-request-job-not-object.json", "must be a JSON object, not list"),
    ("pull-request-job-missing-key.json", "missing or not a string: source_branch"),
    ("pull-request-job-no-commit.json", "missing or not a string: commit"),
    ("pull-request-job-unresolved-commit.json", "is not a commit id"),
    ("pull-request-job-deeply-nested.json", "nests too deeply"),
    ("pull-request-job-no-parameters.json", "has no UserParameters"),
])
def test_bad_jobs_fail_with_a_reason(name, fragment):
    d = decide(event(name), CAT).as_dict()
    assert d["action"] == "fail_job" and fragment in d["reason"]
    assert d["job_id"] == "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6"


def test_scheduled_event_says_it_needs_live_data():
    d = decide(event("scheduled-event.json"), CAT).as_dict()
    assert d["action"] == "reconcile" and d["needs_live_data"] is True
    assert d["repositories"] == sorted(r.name for r in CAT.hotfix.repositories) and d["provision"] == [] and d["terminate"] == []


def test_reconcile_plan_provisions_missing_and_terminates_orphans():
    repo = "hotfixpoc-repository"
    live = {repo: {"hotfix-a": "a" * 40, "hotfix-b": "b" * 40, "main": "c" * 40}}
    have_a = provisioned_product_name(PREFIX, repo, "hotfix-a")
    gone = provisioned_product_name(PREFIX, repo, "hotfix-gone")
    launching = provisioned_product_name(PREFIX, repo, "hotfix-new")
    ours = {"repository": repo, "catalogue": PREFIX}
    provisioned = [
        {"name": have_a, "status": "AVAILABLE", "tags": {**ours, "branch": "hotfix-a"}},
        {"name": gone, "status": "AVAILABLE", "tags": {**ours, "branch": "hotfix-gone"}},
        # Launched for a branch created after the branches were listed: left for the next run.
        {"name": launching, "status": "UNDER_CHANGE", "tags": {**ours, "branch": "hotfix-new"}},
        {"name": "someone-elses", "status": "AVAILABLE", "tags": {"repository": "other", "catalogue": PREFIX}},
        {"name": "other-catalogue", "status": "AVAILABLE", "tags": {"repository": repo, "catalogue": "x"}},
    ]
    p = plan(CAT, live, provisioned, "run-1")
    assert [d.branch for d in p.provision] == ["hotfix-b"]
    assert [d.provisioned_product_name for d in p.terminate] == [gone]
    assert dict(p.terminate[0].required_tags) == {"catalogue": PREFIX, "managed-by": "service-catalog-toolkit",
                                                  "repository": repo, "branch": "hotfix-gone"}
    # Each run's repair is a new request; the lifecycle Lambda decides it with the run's id.
    again = decide(reconcile_request(p.provision[0], "run-1"), CAT)
    assert again.idempotency_token == p.provision[0].idempotency_token
    assert plan(CAT, live, provisioned, "run-2").provision[0].idempotency_token != again.idempotency_token


def test_a_reconciler_terminate_names_the_branch_its_tags_hold():
    d = decide(event("reconcile-terminate-request.json"), CAT)
    assert d.action == "terminate" and d.branch == "hotfix-gone"
    assert d.provisioned_product_name == "sc-hotfixpoc-repository-hotfix-gone-0123456789abcdef"
    assert dict(d.required_tags)["branch"] == "hotfix-gone"


def test_newest_active_version_is_natural_and_order_free():
    data = canonical(load_config(RUNTIME_CONFIG).data)
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
