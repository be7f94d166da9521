"""Whether a principal may make a request, over every policy that takes part.

See ``policy`` for the single-policy rules and their sources. ``check``
returns None when the request is allowed, or the reason it is not, in the
words a finding uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .policy import Request, Verdict, evaluate, names_principal_directly


@dataclass(frozen=True)
class Principal:
    """A role of the build, with the identity statements attached to it and its permissions boundary."""

    arn: str
    label: str  # where it is defined, for findings: "stacks/x.template.json:LogicalId"
    statements: tuple = ()
    boundary: tuple | None = None  # statements of the boundary policy, None when the role has none
    trust: tuple = ()

    @property
    def account(self) -> str:
        return self.arn.split(":")[4] if self.arn.count(":") >= 5 else ""


def _unproven(v: Verdict) -> str:
    conds = "; ".join(json.dumps(s.get("Condition", {}), sort_keys=True) for s in v.unproven[:2])
    return f" (an Allow matches but its condition cannot be proven for this call: {conds})" if v.unproven else ""


def check(principal: Principal | None, req: Request, resource_policy: list[dict] | None = None,
          resource_account: str = "", kms: bool = False) -> str | None:
    """None if allowed; otherwise why not. ``principal`` None means a service principal (resource policy only)."""
    if principal is not None and principal.arn.startswith("service:"):
        principal = None  # an AWS service principal: only resource and key policies can admit it
    verdicts = []
    identity = boundary = None
    if principal is not None:
        identity = evaluate(list(principal.statements), req)
        verdicts.append(identity)
        if principal.boundary is not None:
            boundary = evaluate(list(principal.boundary), req)
            verdicts.append(boundary)
    if resource_policy is not None and principal is not None and principal.boundary is not None:
        # IAM User Guide, "Permissions boundaries for IAM entities": a Deny with NotPrincipal denies every principal
        # that has a permissions boundary, whatever NotPrincipal names.
        resource_policy = [{**{k: v for k, v in s.items() if k != "NotPrincipal"}, "Principal": "*"}
                           if s.get("Effect") == "Deny" and "NotPrincipal" in s else s for s in resource_policy]
    resource = evaluate(resource_policy, req, resource_policy=True) if resource_policy is not None else None
    if resource:
        verdicts.append(resource)
    if any(v.decision == "deny" for v in verdicts):
        where = "its permissions boundary" if boundary and boundary.decision == "deny" else \
            "the resource's policy" if resource and resource.decision == "deny" else "its own policy"
        return f"explicitly denied by {where}"
    identity_ok = identity is not None and identity.allows and (boundary is None or boundary.allows)
    identity_why = "" if identity_ok else (
        "its permissions boundary does not allow it" if identity and identity.allows else
        f"no statement of its policies allows it{_unproven(identity) if identity else ''}")
    if kms or (resource_policy is not None and principal is None):
        if resource is None or not resource.allows:
            what = "the key policy" if kms else "the resource's policy"
            return f"{what} does not allow it{_unproven(resource) if resource else ''}"
        if principal is None:
            return None
        if resource_account and resource_account != principal.account:
            # Across accounts the caller's own policies must allow the key too (KMS Developer Guide,
            # "Allowing users in other accounts to use a KMS key").
            return None if identity_ok else f"the key is in account {resource_account} and {identity_why}"
        if any(names_principal_directly(s.get("Principal"), req) for s in resource.allowed_by):
            return _capped(boundary)
        return None if identity_ok else f"the key policy delegates to the account, but {identity_why}"
    cross = bool(resource_account) and principal is not None and resource_account != principal.account
    if cross:
        if not identity_ok:
            return identity_why
        if resource is None or not resource.allows:
            return f"it crosses into account {resource_account}, whose resource policy does not allow it" + \
                (_unproven(resource) if resource else "")
        return None
    if identity_ok:
        return None
    if resource and resource.allows and any(names_principal_directly(s.get("Principal"), req) for s in resource.allowed_by):
        return _capped(boundary)
    return identity_why


def _capped(boundary: Verdict | None) -> str | None:
    """A resource policy that names the role itself still meets the role's permissions boundary: IAM User Guide,
    "Policy evaluation logic" (a resource-based policy granting a role ARN is limited by an implicit deny in a
    permissions boundary; only a grant to a role session or a user is not)."""
    if boundary is None or boundary.allows:
        return None
    return "the resource's policy names the role, but its permissions boundary does not allow it"
