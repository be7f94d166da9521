"""Provision and terminate against Service Catalog, through botocore's Stubber.

moto 5.2 raises NotImplementedError for Service Catalog provisioning, so each
test lists the exact calls AWS would receive; the Stubber checks every
request against the real service model and fails on any call not listed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.stub import ANY

from generator.config_loader import load_config
from generator.core.exceptions import ProvisioningStateError, RetryableError
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix import provisioning
from generator.hotfix.decide import decide

from .conftest import CONFIG
from .stubs import client_error, stubbed

EVENTS = Path(__file__).resolve().parent / "events"
CAT = catalogue_from_dict(canonical(load_config(CONFIG).data))
CREATED = decide(json.loads((EVENTS / "hotfix-branch-created.json").read_text()), CAT)
DELETED = decide(json.loads((EVENTS / "hotfix-branch-deleted.json").read_text()), CAT)
NAME = CREATED.provisioned_product_name
PRODUCT = {"ProductViewSummary": {"Id": "prodview-abc123", "ProductId": "prod-abcdef123456", "Name": "hotfix-pipeline"},
           "ProvisioningArtifacts": [{"Id": "pa-old", "Name": "v0"}, {"Id": "pa-v1abc", "Name": "v1"}],
           "LaunchPaths": [{"Id": "lpv3-other", "Name": "Main pipeline"}, {"Id": "lpv3-hotfix", "Name": "Hotfix pipeline"}]}


@pytest.fixture(autouse=True)
def fresh_cache():
    provisioning._targets.clear()
    yield
    provisioning._targets.clear()


@pytest.fixture
def sc():
    client, stub = stubbed("servicecatalog")
    with stub:
        yield client, stub
        stub.assert_no_pending_responses()


def detail(status: str) -> dict:
    return {"ProvisionedProductDetail": {"Name": NAME, "Id": "pp-abc", "Status": status, "Type": "CFN_STACK"}}


def expect_provision(stub, token=CREATED.idempotency_token):
    stub.add_response("provision_product", {"RecordDetail": {"RecordId": "rec-123"}}, {
        "ProductId": "prod-abcdef123456", "ProvisioningArtifactId": "pa-v1abc", "PathId": "lpv3-hotfix",
        "ProvisionedProductName": NAME, "ProvisioningParameters": ANY, "Tags": ANY, "ProvisionToken": token})


def test_provision_resolves_ids_by_name_and_launches_with_the_token(sc):
    client, stub = sc
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException", expected_params={"Name": NAME})
    stub.add_response("describe_product", PRODUCT, {"Name": "hotfix-pipeline"})
    expect_provision(stub)
    assert provisioning.provision(client, CREATED) == {"outcome": "provisioned", "record_id": "rec-123"}


def test_ids_are_cached_per_container(sc):
    client, stub = sc
    for _ in range(2):
        client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
        if _ == 0:
            stub.add_response("describe_product", PRODUCT, {"Name": "hotfix-pipeline"})
        expect_provision(stub)
    provisioning.provision(client, CREATED)
    provisioning.provision(client, CREATED)  # a second describe_product would be an unexpected call


def test_parameters_and_tags_sent_are_the_decisions(sc):
    client, stub = sc
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    stub.add_response("describe_product", PRODUCT, {"Name": "hotfix-pipeline"})
    stub.add_response("provision_product", {"RecordDetail": {"RecordId": "r"}}, {
        "ProductId": "prod-abcdef123456", "ProvisioningArtifactId": "pa-v1abc", "PathId": "lpv3-hotfix",
        "ProvisionedProductName": NAME, "ProvisionToken": CREATED.idempotency_token,
        "ProvisioningParameters": [{"Key": k, "Value": v} for k, v in CREATED.parameters],
        "Tags": [{"Key": k, "Value": v} for k, v in CREATED.tags]})
    provisioning.provision(client, CREATED)


@pytest.mark.parametrize("status", ["AVAILABLE", "UNDER_CHANGE", "PLAN_IN_PROGRESS"])
def test_duplicate_delivery_finds_it_and_launches_nothing(sc, status):
    client, stub = sc
    stub.add_response("describe_provisioned_product", detail(status), {"Name": NAME})
    assert provisioning.provision(client, CREATED) == {"outcome": "exists", "status": status}


@pytest.mark.parametrize("status", ["ERROR", "TAINTED"])
def test_broken_product_fails_loudly(sc, status):
    client, stub = sc
    stub.add_response("describe_provisioned_product", detail(status), {"Name": NAME})
    with pytest.raises(ProvisioningStateError, match=status):
        provisioning.provision(client, CREATED)


def test_missing_version_or_path_is_a_clear_error(sc):
    client, stub = sc
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    stub.add_response("describe_product", {**PRODUCT, "ProvisioningArtifacts": [{"Id": "pa-old", "Name": "v0"}]})
    with pytest.raises(Exception, match="no active version 'v1'"):
        provisioning.provision(client, CREATED)


def test_product_not_visible_names_the_likely_cause(sc):
    client, stub = sc
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    client_error(stub, "describe_product", "ResourceNotFoundException")
    with pytest.raises(Exception, match="principal of its portfolio"):
        provisioning.provision(client, CREATED)


def test_throttling_after_retries_is_raised_for_the_event_to_be_retried(sc):
    client, stub = sc
    client_error(stub, "describe_provisioned_product", "ThrottlingException", status=400)
    with pytest.raises(Exception) as info:
        provisioning.provision(client, CREATED)
    assert info.value.response["Error"]["Code"] == "ThrottlingException"


def test_terminate_uses_exact_name_and_token(sc):
    client, stub = sc
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"), {"Name": NAME})
    stub.add_response("terminate_provisioned_product", {"RecordDetail": {"RecordId": "rec-9"}},
                      {"ProvisionedProductName": NAME, "TerminateToken": DELETED.idempotency_token})
    assert provisioning.terminate(client, DELETED) == {"outcome": "terminated", "record_id": "rec-9"}


def test_terminate_of_what_never_existed_succeeds(sc):
    client, stub = sc
    client_error(stub, "describe_provisioned_product", "ResourceNotFoundException")
    assert provisioning.terminate(client, DELETED) == {"outcome": "absent"}


def test_terminate_racing_another_delete_succeeds(sc):
    client, stub = sc
    stub.add_response("describe_provisioned_product", detail("AVAILABLE"))
    client_error(stub, "terminate_provisioned_product", "ResourceNotFoundException")
    assert provisioning.terminate(client, DELETED) == {"outcome": "absent"}


def test_terminate_while_under_change_asks_for_a_retry(sc):
    client, stub = sc
    stub.add_response("describe_provisioned_product", detail("UNDER_CHANGE"))
    with pytest.raises(RetryableError):
        provisioning.terminate(client, DELETED)


def test_reconciler_terminate_checks_the_tags_first(sc):
    import dataclasses

    client, stub = sc
    orphan = dataclasses.replace(DELETED, required_tags=(("catalogue", "sc"), ("managed-by", "service-catalog-toolkit")))
    stub.add_response("search_provisioned_products", {"ProvisionedProducts": [
        {"Name": NAME, "Status": "AVAILABLE", "Tags": [{"Key": "catalogue", "Value": "other"}]}]},
        {"AccessLevelFilter": {"Key": "Account", "Value": "self"}, "PageSize": 100})
    with pytest.raises(Exception, match="refusing to terminate"):
        provisioning.terminate(client, orphan)
