"""Provision and terminate against Service Catalog and CodeCommit, through botocore's Stubber.

moto 5.2 raises NotImplementedError for Service Catalog provisioning, so each
test lists the exact calls AWS would receive; the Stubber checks every
request against the real service model and fails on any call not listed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from botocore.stub import ANY

from generator.core.exceptions import ProvisioningStateError, RetryableError, ToolkitError
from generator.core.naming import provisioned_product_name
from generator.hotfix import provisioning
from generator.hotfix.clients import Clients
from generator.hotfix.decide import decide
from generator.hotfix.events import reconcile_request
from generator.hotfix.providers import for_repository

from .hotfix_env import catalogue
from .stubs import client_error, stubbed

EVENTS = Path(__file__).resolve().parent / "events"
CAT = catalogue()
CREATED = decide(json.loads((EVENTS / "hotfix-branch-created.json").read_text()), CAT)
DELETED = decide(json.loads((EVENTS / "hotfix-branch-deleted.json").read_text()), CAT)
NAME = CREATED.provisioned_product_name
REPO, BRANCH = CREATED.repository, CREATED.branch
PRODUCT = {"ProductViewSummary": {"Id": "prodview-abc123", "ProductId": "prod-abcdef123456", "Name": "Hotfix pipeline"},
           "ProvisioningArtifacts": [{"Id": "pa-old", "Name": "v1"}, {"Id": "pa-v2abc", "Name": "v2"}],
           "LaunchPaths": [{"Id": "lpv3-other", "Name": "Pipelines"}, {"Id": "lpv3-hotfix", "Name": "Hotfix pipelines"}]}
ROLE_LEVEL = {"Key": "Role", "Value": "self"}


@pytest.fixture(autouse=True)
def fresh_cache():
    provisioning._targets.clear()
    yield
    provisioning._targets.clear()


@pytest.fixture
def aws():
    sc, sc_stub = stubbed("servicecatalog")
    cc, cc_stub = stubbed("codecommit")
    with sc_stub, cc_stub:
        # The lifecycle Lambda asks the repository's provider, here CodeCommit through the stubbed client.
        yield sc, sc_stub, for_repository(CAT.repository(REPO), Clients(codecommit=cc)), cc_stub
        sc_stub.assert_no_pending_responses()
        cc_stub.assert_no_pending_responses()


def detail(status: str, name: str = NAME) -> dict:
    return {"ProvisionedProductDetail": {"Name": name, "Id": "pp-abc", "Status": status, "Type": "CFN_STACK"}}


def branch_exists(stub, branch: str = BRANCH, repo: str = REPO) -> None:
    stub.add_response("get_branch", {"branch": {"branchName": branch, "commitId": "a" * 40}},
                      {"repositoryName": repo, "branchName": branch})


def branch_gone(stub, branch: str = BRANCH, repo: str = REPO) -> None:
    client_error(stub, "get_branch", "BranchDoesNotExistException", expected_params={"repositoryName": repo, "branchName": branch})


def listed(stub, tags: dict, name: str = NAME) -> None:
    """Service Catalog lists the product among this role's (AccessLevelFilter Role/self) with ``tags``."""
    stub.add_response("search_provisioned_products", {"ProvisionedProducts": [
        {"Name": name, "Status": "AVAILABLE", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]},
        {"AccessLevelFilter": ROLE_LEVEL, "PageSize": 100})


def expect_provision(stub, token=CREATED.idempotency_token):
    stub.add_response("provision_product", {"RecordDetail": {"RecordId": "rec-123"}}, {
        "ProductId": "prod-abcdef123456", "ProvisioningArtifactId": "pa-v2abc", "PathId": "lpv3-hotfix",
        "ProvisionedProductName": NAME, "ProvisioningParameters": ANY, "Tags": ANY, "ProvisionToken": token})


def test_provision_resolves_ids_by_name_and_launches_with_the_token(aws):
    sc, stub, cc, cc_stub = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException", expected_params={"Name": NAME})
    branch_exists(cc_stub)
    stub.add_response("describe_product", PRODUCT, {"Name": "Hotfix pipeline"})
    expect_provision(stub)
    assert provisioning.provision(sc, cc, CREATED) == {"outcome": "provisioned", "record_id": "rec-123"}


def test_ids_are_cached_per_container(aws):
    sc, stub, cc, cc_stub = aws
    for first in (True, False):
        client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
        branch_exists(cc_stub)
        if first:
            stub.add_response("describe_product", PRODUCT, {"Name": "Hotfix pipeline"})
        expect_provision(stub)
    provisioning.provision(sc, cc, CREATED)
    provisioning.provision(sc, cc, CREATED)  # a second describe_product would be an unexpected call


def test_parameters_and_tags_sent_are_the_decisions(aws):
    sc, stub, cc, cc_stub = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    branch_exists(cc_stub)
    stub.add_response("describe_product", PRODUCT, {"Name": "Hotfix pipeline"})
    stub.add_response("provision_product", {"RecordDetail": {"RecordId": "r"}}, {
        "ProductId": "prod-abcdef123456", "ProvisioningArtifactId": "pa-v2abc", "PathId": "lpv3-hotfix",
        "ProvisionedProductName": NAME, "ProvisionToken": CREATED.idempotency_token,
        "ProvisioningParameters": [{"Key": k, "Value": v} for k, v in CREATED.parameters],
        "Tags": [{"Key": k, "Value": v} for k, v in CREATED.tags]})
    provisioning.provision(sc, cc, CREATED)


@pytest.mark.parametrize("status", ["AVAILABLE", "UNDER_CHANGE", "PLAN_IN_PROGRESS"])
def test_duplicate_delivery_finds_it_and_launches_nothing(aws, status):
    sc, stub, cc, _ = aws
    stub.add_response("describe_provisioned_product", detail(status), {"Name": NAME})
    assert provisioning.provision(sc, cc, CREATED) == {"outcome": "exists", "status": status}


def test_a_launch_racing_another_under_another_token_is_a_duplicate_not_a_failure(aws):
    # Names are unique in the account (ProvisionProduct, ProvisionedProductName);
    # the second launch under the name is refused with DuplicateResourceException.
    sc, stub, cc, cc_stub = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    branch_exists(cc_stub)
    stub.add_response("describe_product", PRODUCT, {"Name": "Hotfix pipeline"})
    client_error(stub, "provision_product", "DuplicateResourceException")
    assert provisioning.provision(sc, cc, CREATED)["outcome"] == "exists"


def test_a_creation_delivered_after_the_deletion_launches_nothing(aws):
    sc, stub, cc, cc_stub = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    branch_gone(cc_stub)
    assert provisioning.provision(sc, cc, CREATED) == {"outcome": "branch gone"}


@pytest.mark.parametrize("status", ["ERROR", "TAINTED"])
def test_broken_product_fails_loudly(aws, status):
    sc, stub, cc, _ = aws
    stub.add_response("describe_provisioned_product", detail(status), {"Name": NAME})
    with pytest.raises(ProvisioningStateError, match=status):
        provisioning.provision(sc, cc, CREATED)


def test_missing_version_or_path_is_a_clear_error(aws):
    sc, stub, cc, cc_stub = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    branch_exists(cc_stub)
    stub.add_response("describe_product", {**PRODUCT, "ProvisioningArtifacts": [{"Id": "pa-old", "Name": "v1"}]})
    with pytest.raises(ToolkitError, match="no active version 'v2'"):
        provisioning.provision(sc, cc, CREATED)


def test_product_not_visible_names_the_likely_cause(aws):
    sc, stub, cc, cc_stub = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    branch_exists(cc_stub)
    client_error(stub, "describe_product", "ResourceNotFoundException")
    with pytest.raises(ToolkitError, match="principal of its portfolio"):
        provisioning.provision(sc, cc, CREATED)


def test_throttling_after_retries_is_raised_for_the_event_to_be_retried(aws):
    sc, stub, cc, _ = aws
    client_error(stub, "describe_provisioned_product", "ThrottlingException", status=400)
    with pytest.raises(Exception) as info:
        provisioning.provision(sc, cc, CREATED)
    assert info.value.response["Error"]["Code"] == "ThrottlingException"


def test_terminate_checks_the_branch_and_the_owner_tags_then_uses_exact_name_and_token(aws):
    sc, stub, cc, cc_stub = aws
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"), {"Name": NAME})
    branch_gone(cc_stub)
    listed(stub, dict(CREATED.tags))
    stub.add_response("terminate_provisioned_product", {"RecordDetail": {"RecordId": "rec-9"}},
                      {"ProvisionedProductName": NAME, "TerminateToken": DELETED.idempotency_token})
    assert provisioning.terminate(sc, cc, CAT, DELETED) == {"outcome": "terminated", "record_id": "rec-9"}


def test_terminate_of_what_never_existed_succeeds(aws):
    sc, stub, cc, _ = aws
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    assert provisioning.terminate(sc, cc, CAT, DELETED) == {"outcome": "absent"}


def test_terminate_racing_another_delete_succeeds(aws):
    sc, stub, cc, cc_stub = aws
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"))
    branch_gone(cc_stub)
    listed(stub, dict(CREATED.tags))
    client_error(stub, "terminate_provisioned_product", "ResourceNotFoundException")
    assert provisioning.terminate(sc, cc, CAT, DELETED) == {"outcome": "absent"}


def test_terminate_while_under_change_asks_for_a_retry(aws):
    sc, stub, cc, cc_stub = aws
    stub.add_response("describe_provisioned_product", detail("UNDER_CHANGE"))
    branch_gone(cc_stub)
    listed(stub, dict(CREATED.tags))
    with pytest.raises(RetryableError):
        provisioning.terminate(sc, cc, CAT, DELETED)


def test_a_deletion_delivered_after_the_branch_came_back_keeps_its_pipeline(aws):
    sc, stub, cc, cc_stub = aws
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"))
    branch_exists(cc_stub)
    result = provisioning.terminate(sc, cc, CAT, DELETED)
    assert result["outcome"] == "kept" and BRANCH in result["reason"]


@pytest.mark.parametrize("wrong", [{"repository": "hotfixpoc-repository-hotfix"}, {"branch": "hotfix-other"},
                                   {"catalogue": "sc"}, {"managed-by": "someone"}], ids=lambda w: next(iter(w)))
def test_terminate_refuses_a_product_without_the_owners_tags(aws, wrong):
    # A name that reached another repository's or branch's product (the old
    # naming's clash) must never delete it: the owner's tags decide.
    sc, stub, cc, cc_stub = aws
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"))
    branch_gone(cc_stub)
    listed(stub, {**dict(CREATED.tags), **wrong})
    with pytest.raises(ToolkitError, match="refusing to terminate"):
        provisioning.terminate(sc, cc, CAT, DELETED)


def test_a_product_not_yet_listed_is_retried_not_terminated_blind(aws):
    # SearchProvisionedProducts lists a product some time after its launch:
    # without its tags, nothing proves whose it is.
    sc, stub, cc, cc_stub = aws
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"))
    branch_gone(cc_stub)
    stub.add_response("search_provisioned_products", {"ProvisionedProducts": []})
    with pytest.raises(RetryableError, match="not yet listed"):
        provisioning.terminate(sc, cc, CAT, DELETED)


def test_a_reconciler_terminate_rechecks_the_branch_when_it_runs(aws):
    # The reconciler listed branches, then the branch was created: its product
    # (UNDER_CHANGE or not) belongs to a live branch again.
    sc, stub, cc, cc_stub = aws
    orphan = decide(reconcile_request(DELETED, "run-1"), CAT)
    stub.add_response("describe_provisioned_product", detail("UNDER_CHANGE"))
    branch_exists(cc_stub)
    assert provisioning.terminate(sc, cc, CAT, orphan)["outcome"] == "kept"


def test_a_reconciler_terminate_with_a_cleaned_branch_tag_compares_every_live_branch(aws):
    # Tag values refuse '#', so the product of "hotfix-a#1" carries the tag
    # "hotfix-a_1": GetBranch on the tag would ask about another branch.
    sc, stub, cc, cc_stub = aws
    name = provisioned_product_name(CAT.stack_prefix, REPO, "hotfix-a#1")
    orphan = dataclasses.replace(decide(reconcile_request(DELETED, "r"), CAT), provisioned_product_name=name,
                                 branch="hotfix-a_1")
    stub.add_response("describe_provisioned_product", detail("AVAILABLE", name), {"Name": name})
    cc_stub.add_response("list_branches", {"branches": ["hotfix-a_1", "main"], "nextToken": "2"}, {"repositoryName": REPO})
    cc_stub.add_response("list_branches", {"branches": ["hotfix-a#1"]}, {"repositoryName": REPO, "nextToken": "2"})
    result = provisioning.terminate(sc, cc, CAT, orphan)
    assert result == {"outcome": "kept", "reason": f"branch 'hotfix-a#1' of '{REPO}' exists and owns it"}


def test_a_reconciler_terminate_of_a_repository_that_is_gone_goes_ahead(aws):
    sc, stub, cc, cc_stub = aws
    name = provisioned_product_name(CAT.stack_prefix, REPO, "hotfix-a#1")
    orphan = dataclasses.replace(decide(reconcile_request(DELETED, "r"), CAT), provisioned_product_name=name, branch="hotfix-a_1")
    stub.add_response("describe_provisioned_product", detail("AVAILABLE", name))
    client_error(cc_stub, "list_branches", "RepositoryDoesNotExistException")
    listed(stub, dict(orphan.required_tags), name)
    stub.add_response("terminate_provisioned_product", {"RecordDetail": {"RecordId": "rec-1"}})
    assert provisioning.terminate(sc, cc, CAT, orphan)["outcome"] == "terminated"
