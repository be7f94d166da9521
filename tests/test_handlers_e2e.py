"""Each Lambda end to end: handler(event, context) from the unpacked bundle, with its bundled config.

AWS calls go to stubbed clients (Stubber checks them against the service
models); the handler, runner, decide and execute code is what ships.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from botocore.stub import ANY

from generator.core.naming import function_name, pipeline_slug, provisioned_product_name
from generator.hotfix import provisioning

from .bundles import built_bundles, load_handler, unpack
from .hotfix_env import RUNTIME_CONFIG, catalogue
from .stubs import client_error, stubbed

EVENTS = Path(__file__).resolve().parent / "events"
CONTEXT = SimpleNamespace(aws_request_id="req-0001", function_name="test")
CAT = catalogue()
PREFIX = CAT.stack_prefix
REPO = "hotfixpoc-repository"


def event(name):
    return json.loads((EVENTS / name).read_text())


@pytest.fixture(scope="module")
def handlers(tmp_path_factory):
    out = {}
    for function, (_, body) in built_bundles(RUNTIME_CONFIG).items():
        folder = unpack(body, tmp_path_factory.mktemp(function))
        out[function] = load_handler(folder, function.replace("-", "_")).handler
        out[function].folder = folder
    return out


@pytest.fixture(autouse=True)
def fresh_cache():
    provisioning._targets.clear()


def log_lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_lifecycle_provisions_on_branch_creation(handlers, capsys):
    sc, stub = stubbed("servicecatalog")
    cc, cc_stub = stubbed("codecommit")
    handler = handlers["branch-lifecycle"]
    handler.clients.use(servicecatalog=sc, codecommit=cc)
    name = provisioned_product_name(PREFIX, REPO, "hotfix-login-timeout")
    with stub, cc_stub:
        client_error(stub, "describe_provisioned_product", "ResourceNotFoundException", expected_params={"Name": name})
        cc_stub.add_response("get_branch", {"branch": {"branchName": "hotfix-login-timeout", "commitId": "a" * 40}},
                             {"repositoryName": REPO, "branchName": "hotfix-login-timeout"})
        stub.add_response("describe_product", {
            "ProductViewSummary": {"ProductId": "prod-abcdef123456"},
            "ProvisioningArtifacts": [{"Id": "pa-v2", "Name": "v2"}],
            "LaunchPaths": [{"Id": "lpv3-h", "Name": "Hotfix pipelines"}]}, {"Name": "Hotfix pipeline"})
        stub.add_response("provision_product", {"RecordDetail": {"RecordId": "rec-1"}}, {
            "ProductId": "prod-abcdef123456", "ProvisioningArtifactId": "pa-v2", "PathId": "lpv3-h",
            "ProvisionedProductName": name, "ProvisioningParameters": ANY, "Tags": ANY, "ProvisionToken": ANY})
        result = handler(event("hotfix-branch-created.json"), CONTEXT)
        stub.assert_no_pending_responses()
        cc_stub.assert_no_pending_responses()
    assert result["action"] == "provision" and result["outcome"] == "provisioned"
    lines = log_lines(capsys)
    decision = next(line for line in lines if line["message"] == "decision")
    assert decision["request_id"] == "req-0001" and decision["action"] == "provision"
    assert decision["provisioned_product_name"] == name and decision["idempotency_token"]


def test_lifecycle_terminates_on_deletion_and_tolerates_absence(handlers):
    sc, stub = stubbed("servicecatalog")
    handler = handlers["branch-lifecycle"]
    handler.clients.use(servicecatalog=sc)
    with stub:
        client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
        result = handler(event("hotfix-branch-deleted.json"), CONTEXT)
        stub.assert_no_pending_responses()
    assert result["action"] == "terminate" and result["outcome"] == "absent"


@pytest.mark.parametrize("name", ["hotfix-tag-created.json", "codecommit-reference-created.json", "hotfix-branch-updated.json"])
def test_lifecycle_ignores_without_calling_aws(handlers, name):
    sc, stub = stubbed("servicecatalog")
    handlers["branch-lifecycle"].clients.use(servicecatalog=sc)
    with stub:  # no responses queued: any AWS call would fail the test
        assert handlers["branch-lifecycle"](event(name), CONTEXT)["action"] == "ignore"


@pytest.mark.parametrize("name", sorted(p.name for p in EVENTS.glob("malformed-*.json")))
def test_malformed_events_are_dropped_not_raised(handlers, name, capsys):
    result = handlers["branch-lifecycle"](event(name), CONTEXT)
    assert result["action"] == "drop"
    assert log_lines(capsys)[0]["level"] == "ERROR"


def test_pull_request_handler_answers_codepipeline(handlers):
    cc, cc_stub = stubbed("codecommit")
    cp, cp_stub = stubbed("codepipeline")
    handler = handlers["pull-requests"]
    handler.clients.use(codecommit=cc, codepipeline=cp)
    job = "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6"
    with cc_stub, cp_stub:
        cp_stub.add_response("get_job_details", {"jobDetails": {"id": job, "data": {"pipelineContext": {
            "pipelineName": pipeline_slug(PREFIX, REPO, "hotfix-login-timeout")}}}}, {"jobId": job})
        cc_stub.add_response("list_pull_requests", {"pullRequestIds": []})
        for dest, pr in (("develop", "7"), ("main", "8")):
            cc_stub.add_response("create_pull_request", {"pullRequest": {"pullRequestId": pr}}, {
                "title": ANY, "description": ANY, "clientRequestToken": ANY,
                "targets": [{"repositoryName": REPO, "sourceReference": "hotfix-login-timeout", "destinationReference": dest}]})
        cp_stub.add_response("put_job_success_result", {}, {
            "jobId": job, "executionDetails": ANY,
            "outputVariables": {"develop_pull_request_id": "7", "main_pull_request_id": "8"}})
        result = handler(event("pull-request-job.json"), CONTEXT)
        cc_stub.assert_no_pending_responses()
        cp_stub.assert_no_pending_responses()
    assert result["outcome"] == "succeeded"


@pytest.mark.parametrize("name", ["pull-request-job-not-json.json", "pull-request-job-not-object.json",
                                  "pull-request-job-missing-key.json", "pull-request-job-outside-prefix.json",
                                  "pull-request-job-unknown-repository.json", "pull-request-job-no-parameters.json",
                                  "pull-request-job-no-commit.json", "pull-request-job-unresolved-commit.json",
                                  "pull-request-job-deeply-nested.json"])
def test_bad_jobs_get_a_failure_result(handlers, name):
    cp, stub = stubbed("codepipeline")
    handler = handlers["pull-requests"]
    handler.clients.use(codepipeline=cp)
    with stub:
        stub.add_response("put_job_failure_result", {}, {"jobId": "c0d76431-b0e7-4a4e-97e3-e8ee786eb6f6",
                                                         "failureDetails": {"type": "ConfigurationError", "message": ANY}})
        assert handler(event(name), CONTEXT)["outcome"] == "failed"
        stub.assert_no_pending_responses()


def test_reconciler_hands_repairs_to_the_lifecycle_function(handlers, capsys):
    cc, cc_stub = stubbed("codecommit")
    sc, sc_stub = stubbed("servicecatalog")
    lam, lam_stub = stubbed("lambda")
    handler = handlers["reconciler"]
    handler.clients.use(codecommit=cc, servicecatalog=sc, lambda_=lam)
    gone = provisioned_product_name(PREFIX, REPO, "hotfix-gone")
    with cc_stub, sc_stub, lam_stub:
        for repo in sorted(r.name for r in CAT.hotfix.repositories):
            branches = ["main", "hotfix-new", "develop"] if repo == REPO else []
            cc_stub.add_response("list_branches", {"branches": branches}, {"repositoryName": repo})
            if repo == REPO:
                cc_stub.add_response("get_branch", {"branch": {"branchName": "hotfix-new", "commitId": "a" * 40}},
                                     {"repositoryName": REPO, "branchName": "hotfix-new"})
        sc_stub.add_response("search_provisioned_products", {"ProvisionedProducts": [{
            "Name": gone, "Status": "AVAILABLE", "Tags": [
                {"Key": "managed-by", "Value": "service-catalog-toolkit"}, {"Key": "catalogue", "Value": PREFIX},
                {"Key": "repository", "Value": REPO}, {"Key": "branch", "Value": "hotfix-gone"}]}]},
            {"AccessLevelFilter": {"Key": "Account", "Value": "self"}, "PageSize": 100})
        for _ in range(2):
            lam_stub.add_response("invoke", {"StatusCode": 202}, {"FunctionName": function_name(PREFIX, "branch-lifecycle"),
                                                                  "InvocationType": "Event", "Payload": ANY})
        result = handler(event("scheduled-event.json"), CONTEXT)
        for s in (cc_stub, sc_stub, lam_stub):
            s.assert_no_pending_responses()
    assert result["counts"] == {"provision_requests": 1, "terminate_requests": 1}
    assert log_lines(capsys)[-1]["message"] == "reconcile finished"


def test_reconcile_requests_are_decided_by_the_lifecycle_function(handlers):
    from generator.hotfix.decide import decide
    from generator.hotfix.events import reconcile_request
    from generator.hotfix.runner import bundled_config

    cat = bundled_config(str(handlers["branch-lifecycle"].folder))
    provision = decide(event("hotfix-branch-created.json"), cat)
    again = decide(reconcile_request(provision, "run-7"), cat)
    # A lost event and its repair name the same product, which is unique in the
    # account: the second launch finds it (or is refused as a duplicate).
    assert again.action == "provision" and again.provisioned_product_name == provision.provisioned_product_name
    assert again.parameters == provision.parameters
