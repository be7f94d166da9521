"""Executing Provision and Terminate decisions against Service Catalog, idempotently.

Provisioning looks the product up by exact name first: AVAILABLE or
UNDER_CHANGE means an earlier delivery of the same event already launched
it; ERROR or TAINTED needs a person and fails loudly. A name is unique in the
account (ProvisionProduct, ProvisionedProductName), so a concurrent launch
under another token is refused as a duplicate, and one under the same
ProvisionToken is answered with the first request.

The lifecycle role acts on the products it launched and no others: its
policy allows describe, search and terminate only with
``servicecatalog:roleLevel`` ``self`` (Service Catalog Administrator Guide,
"Example access policies for provisioned product management"; Service
Authorization Reference, Service Catalog condition keys), and its searches
ask for that access level (AccessLevelFilter Role/self).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.exceptions import ProvisioningStateError, RetryableError, ToolkitError
from ..core.model import Catalogue
from . import liveness
from .clients import error_code
from .decide import IN_FLIGHT
from .decisions import Provision, Terminate
from .providers import Provider

BROKEN = frozenset({"ERROR", "TAINTED"})


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


def provision(sc, branches: Provider, decision: Provision) -> dict:
    """``branches``: the repository's provider, asked whether the branch exists now."""
    current = status(sc, decision.provisioned_product_name)
    if current in BROKEN:
        raise ProvisioningStateError(
            f"provisioned product '{decision.provisioned_product_name}' is {current}: inspect it in Service Catalog, "
            "terminate it, and recreate the branch (or wait for the reconciler)")
    if current is not None:
        return {"outcome": "exists", "status": current}
    if not liveness.branch_exists(branches, decision.branch):
        # A creation delivered after the branch's deletion: launching now would leave an orphan.
        return {"outcome": "branch gone"}
    target = resolve(sc, decision)
    try:
        response = sc.provision_product(
            ProductId=target.product_id, ProvisioningArtifactId=target.artifact_id, PathId=target.path_id,
            ProvisionedProductName=decision.provisioned_product_name,
            ProvisioningParameters=[{"Key": k, "Value": v} for k, v in decision.parameters],
            Tags=[{"Key": k, "Value": v} for k, v in decision.tags],
            ProvisionToken=decision.idempotency_token,
        )
    except Exception as exc:
        if error_code(exc) == "DuplicateResourceException":
            return {"outcome": "exists", "status": "launched by a concurrent request"}
        raise
    return {"outcome": "provisioned", "record_id": response["RecordDetail"]["RecordId"]}


def _all_pages(search) -> list[dict]:
    """Every provisioned product ``search(**page)`` lists, ``{"name", "status", "tags"}``, all pages.

    No server-side query: tags are matched by the callers, so a query syntax
    that misses a product can never hide an orphan.
    """
    found, page = [], {}
    while True:
        response = search(**page)
        for p in response.get("ProvisionedProducts", []):
            found.append({"name": p["Name"], "status": p.get("Status", ""),
                          "tags": {t["Key"]: t["Value"] for t in p.get("Tags", [])}})
        if not response.get("NextPageToken"):
            return found
        page = {"PageToken": response["NextPageToken"]}


# The access level is spelled at each call, as the roles' policies grant it
# (servicecatalog:roleLevel for the lifecycle role, accountLevel for the
# reconciler's), so that the sufficiency gate can match call and condition.
def own_products(sc) -> list[dict]:
    """The provisioned products launched through the caller's role."""
    return _all_pages(lambda **page: sc.search_provisioned_products(
        AccessLevelFilter={"Key": "Role", "Value": "self"}, PageSize=100, **page))


def account_products(sc) -> list[dict]:
    """Every provisioned product of the account (the reconciler's read-only view)."""
    return _all_pages(lambda **page: sc.search_provisioned_products(
        AccessLevelFilter={"Key": "Account", "Value": "self"}, PageSize=100, **page))


def terminate(sc, branches: Provider, cat: Catalogue, decision: Terminate) -> dict:
    """Terminate the product if no live branch owns it and it carries exactly the owner's tags."""
    name = decision.provisioned_product_name
    current = status(sc, name)
    if current is None:
        return {"outcome": "absent"}
    owner = liveness.live_owner(branches, cat, decision.repository, name, decision.branch)
    if owner is not None:
        # Deleted and created again, or created after the reconciler looked:
        # the product serves a live branch.
        return {"outcome": "kept", "reason": f"branch '{owner}' of '{decision.repository}' exists and owns it"}
    match = [p for p in own_products(sc) if p["name"] == name]
    if not match:
        # Search is eventually consistent: a product launched moments ago may
        # not be listed yet. Its tags are unproven, so try again later.
        raise RetryableError(f"provisioned product '{name}' is not yet listed among this role's products; retrying later")
    wrong = {k: v for k, v in decision.required_tags if match[0]["tags"].get(k) != v}
    if wrong:
        raise ToolkitError(f"refusing to terminate '{name}': it lacks the tags {wrong} "
                           f"that mark it as the pipeline of '{decision.branch}' in '{decision.repository}'")
    if current in IN_FLIGHT:
        # Deleted while its pipeline was still being created: try again later
        # rather than leave an orphan behind.
        raise RetryableError(f"provisioned product '{name}' is {current}; retrying later")
    try:
        response = sc.terminate_provisioned_product(ProvisionedProductName=name, TerminateToken=decision.idempotency_token)
    except Exception as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return {"outcome": "absent"}
        raise
    return {"outcome": "terminated", "record_id": response["RecordDetail"]["RecordId"]}
