"""Executing Provision and Terminate decisions against Service Catalog, idempotently.

Provisioning looks the product up by exact name first: AVAILABLE or
UNDER_CHANGE means an earlier delivery of the same event already launched
it; ERROR or TAINTED needs a person and fails loudly. Service Catalog's
ProvisionToken and TerminateToken deduplicate the rest (two deliveries at
the same moment).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.exceptions import ProvisioningStateError, RetryableError, ToolkitError
from .clients import error_code
from .decisions import Provision, Terminate

IN_FLIGHT = {"UNDER_CHANGE", "PLAN_IN_PROGRESS"}
BROKEN = {"ERROR", "TAINTED"}


@dataclass(frozen=True)
class LaunchTarget:
    product_id: str
    artifact_id: str
    path_id: str


# Resolved ids per container: names come from the bundled config, ids from
# Service Catalog, so a new product version needs a rebuild, not pasted ids.
_targets: dict[tuple[str, str, str], LaunchTarget] = {}


def resolve(sc, decision: Provision) -> LaunchTarget:
    key = (decision.product_display_name, decision.version, decision.portfolio_display_name)
    if key in _targets:
        return _targets[key]
    try:
        product = sc.describe_product(Name=decision.product_display_name)
    except Exception as exc:
        if error_code(exc) == "ResourceNotFoundException":
            raise ToolkitError(f"product '{decision.product_display_name}' is not visible to this role: "
                               "is the role a principal of its portfolio?") from exc
        raise
    product_id = product["ProductViewSummary"]["ProductId"]
    artifacts = [a["Id"] for a in product.get("ProvisioningArtifacts", []) if a.get("Name") == decision.version]
    paths = [p["Id"] for p in product.get("LaunchPaths", []) if p.get("Name") == decision.portfolio_display_name]
    if not artifacts:
        raise ToolkitError(f"product '{decision.product_display_name}' has no active version '{decision.version}'")
    if not paths:
        raise ToolkitError(f"product '{decision.product_display_name}' has no launch path through portfolio "
                           f"'{decision.portfolio_display_name}'")
    _targets[key] = LaunchTarget(product_id, artifacts[0], paths[0])
    return _targets[key]


def status(sc, name: str) -> str | None:
    """The provisioned product's status, found by exact name; None when there is none."""
    try:
        detail = sc.describe_provisioned_product(Name=name)
    except Exception as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return None
        raise
    return detail["ProvisionedProductDetail"]["Status"]


def provision(sc, decision: Provision) -> dict:
    current = status(sc, decision.provisioned_product_name)
    if current in BROKEN:
        raise ProvisioningStateError(
            f"provisioned product '{decision.provisioned_product_name}' is {current}: inspect it in Service Catalog, "
            "terminate it, and recreate the branch (or wait for the reconciler)")
    if current is not None:
        return {"outcome": "exists", "status": current}
    target = resolve(sc, decision)
    response = sc.provision_product(
        ProductId=target.product_id, ProvisioningArtifactId=target.artifact_id, PathId=target.path_id,
        ProvisionedProductName=decision.provisioned_product_name,
        ProvisioningParameters=[{"Key": k, "Value": v} for k, v in decision.parameters],
        Tags=[{"Key": k, "Value": v} for k, v in decision.tags],
        ProvisionToken=decision.idempotency_token,
    )
    return {"outcome": "provisioned", "record_id": response["RecordDetail"]["RecordId"]}


def provisioned_products(sc) -> list[dict]:
    """Every provisioned product of this account, ``{"name", "status", "tags"}``, all pages."""
    found, token = [], None
    while True:
        # No server-side query: tags are matched by the callers, so a query
        # syntax that misses a product can never hide an orphan.
        kwargs = {"AccessLevelFilter": {"Key": "Account", "Value": "self"}, "PageSize": 100}
        if token:
            kwargs["PageToken"] = token
        page = sc.search_provisioned_products(**kwargs)
        for p in page.get("ProvisionedProducts", []):
            found.append({"name": p["Name"], "status": p.get("Status", ""),
                          "tags": {t["Key"]: t["Value"] for t in p.get("Tags", [])}})
        token = page.get("NextPageToken")
        if not token:
            return found


def terminate(sc, decision: Terminate) -> dict:
    if decision.required_tags:
        match = [p for p in provisioned_products(sc) if p["name"] == decision.provisioned_product_name]
        if not match:
            return {"outcome": "absent"}
        wrong = {k: v for k, v in decision.required_tags if match[0]["tags"].get(k) != v}
        if wrong:
            raise ToolkitError(f"refusing to terminate '{decision.provisioned_product_name}': it lacks the tags {wrong} "
                               "that mark it as a pipeline of this catalogue")
    current = status(sc, decision.provisioned_product_name)
    if current is None:
        return {"outcome": "absent"}
    if current in IN_FLIGHT:
        # Deleted while its pipeline was still being created: try again later
        # rather than leave an orphan behind.
        raise RetryableError(f"provisioned product '{decision.provisioned_product_name}' is {current}; retrying later")
    try:
        response = sc.terminate_provisioned_product(
            ProvisionedProductName=decision.provisioned_product_name, TerminateToken=decision.idempotency_token)
    except Exception as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return {"outcome": "absent"}
        raise
    return {"outcome": "terminated", "record_id": response["RecordDetail"]["RecordId"]}
