"""Does a policy allow a request? Explicit deny, explicit allow, implicit deny.

Statements are plain policy JSON whose strings are already concrete (see
``intrinsics``). The logic follows the IAM User Guide, "Policy evaluation
logic": an explicit Deny in any applicable policy wins, then an Allow is
needed; identity policies and resource policies of the same account are
a union, across accounts both sides must allow, and a permissions boundary
caps what identity policies allow. KMS differs: the key policy must allow,
directly or by naming the account (then IAM policies must allow too); AWS
KMS Developer Guide, "Determining access to an AWS KMS key".

Conditions are evaluated conservatively: a condition key the request does
not carry, or an operator this module does not know, means the condition
is not proven, so that Allow does not count and that Deny does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .wildcards import action_matches, arn_matches, matches

YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Request:
    """Who calls what on which resource, with the condition keys the call carries."""

    principal: str  # role ARN, or "service:<service principal>"
    action: str
    resource: str
    context: tuple = ()  # ((key, value or tuple of values), ...)

    def value(self, key: str):
        for k, v in self.context:
            if k.lower() == key.lower():
                return v
        if key.lower() == "aws:principalarn" and not self.principal.startswith("service:"):
            return self.principal
        return None

    @property
    def account(self) -> str:
        parts = self.principal.split(":")
        return parts[4] if len(parts) > 4 else ""


def listify(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _string_op(op: str, pattern: str, value: str) -> bool:
    if op in ("StringEquals", "ArnEquals"):
        return pattern == value if op == "StringEquals" else arn_matches(pattern, value)
    if op == "StringEqualsIgnoreCase":
        return pattern.lower() == value.lower()
    if op == "StringLike":
        return matches(pattern, value)
    if op == "ArnLike":
        return arn_matches(pattern, value)
    if op == "Bool":
        return str(pattern).lower() == str(value).lower()
    raise KeyError(op)


_NEGATED = {"StringNotEquals": "StringEquals", "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals",
            "ArnNotLike": "ArnLike", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase"}


def _condition(operator: str, key: str, expected, req: Request) -> str:
    """One operator-key pair of a Condition block: YES, NO or UNKNOWN."""
    qualifier, _, op = operator.rpartition(":")
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    negated = op in _NEGATED
    base = _NEGATED.get(op, op)
    if base not in ("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool"):
        return UNKNOWN
    actual = req.value(key)
    if actual is None:
        # IAM: a missing key does not match, except that negated operators and ...IfExists are then true.
        return YES if (if_exists or negated or qualifier == "ForAllValues") else UNKNOWN
    values = list(actual) if isinstance(actual, (list, tuple)) else [actual]
    patterns = [str(p) for p in listify(expected)]

    def hit(value) -> bool:
        return any(_string_op(base, p, str(value)) for p in patterns)

    if qualifier == "ForAllValues":
        result = all(hit(v) for v in values)
    else:  # single-valued keys and ForAnyValue
        result = any(hit(v) for v in values)
    return YES if result != negated else NO


def conditions(block: dict | None, req: Request) -> str:
    """All operators and keys must hold (AND); values within a key are alternatives (OR)."""
    outcome = YES
    for operator, keys in (block or {}).items():
        if not isinstance(keys, dict):
            return UNKNOWN
        for key, expected in keys.items():
            result = _condition(operator, key, expected, req)
            if result == NO:
                return NO
            if result == UNKNOWN:
                outcome = UNKNOWN
    return outcome


def principal_matches(principal, req: Request) -> bool:
    """Resource-policy principals: "*", an account (root or id), a role ARN, or a service."""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for kind, values in principal.items():
        for value in listify(values):
            if value == "*":
                return True
            if kind == "Service" and req.principal == f"service:{value}":
                return True
            if kind == "AWS" and not req.principal.startswith("service:"):
                if value == req.principal or value in (req.account, f"arn:aws:iam::{req.account}:root"):
                    return True
    return False


def names_principal_directly(principal, req: Request) -> bool:
    """A grant to the caller itself, not to its whole account (which delegates to IAM policies)."""
    if not isinstance(principal, dict):
        return principal == "*"
    for kind, values in principal.items():
        for value in listify(values):
            if kind == "Service" and req.principal == f"service:{value}":
                return True
            if kind == "AWS" and (value == req.principal or value == "*"):
                return True
    return False


def applies(stmt: dict, req: Request, resource_policy: bool = False) -> str:
    """Whether one statement covers the request: YES, NO, or UNKNOWN (its condition is not proven)."""
    if "NotAction" in stmt:
        if any(action_matches(a, req.action) for a in listify(stmt["NotAction"])):
            return NO
    elif not any(action_matches(a, req.action) for a in listify(stmt.get("Action"))):
        return NO
    if "NotResource" in stmt:
        if any(arn_matches(r, req.resource) for r in listify(stmt["NotResource"])):
            return NO
    elif "Resource" in stmt and not any(_resource_matches(r, req.resource) for r in listify(stmt["Resource"])):
        return NO
    if resource_policy and not principal_matches(stmt.get("Principal"), req):
        return NO
    return conditions(stmt.get("Condition"), req)


def _resource_matches(pattern: str, resource: str) -> bool:
    if pattern == "*":
        return True
    if resource == "*":  # an action AWS authorises only on "*" needs "*" in the policy
        return False
    return arn_matches(pattern, resource)


@dataclass
class Verdict:
    """What one policy says about one request, with the statements that decided it."""

    decision: str  # "allow", "deny", "implicit"
    allowed_by: list = field(default_factory=list)
    denied_by: list = field(default_factory=list)
    unproven: list = field(default_factory=list)  # Allow statements whose condition could not be proven

    @property
    def allows(self) -> bool:
        return self.decision == "allow"


def evaluate(statements: list[dict], req: Request, resource_policy: bool = False) -> Verdict:
    verdict = Verdict("implicit")
    for stmt in statements:
        result = applies(stmt, req, resource_policy)
        if result == NO:
            continue
        if stmt.get("Effect") == "Deny":
            verdict.denied_by.append(stmt)  # an unproven Deny may apply: conservatively it does
        elif result == YES:
            verdict.allowed_by.append(stmt)
        else:
            verdict.unproven.append(stmt)
    if verdict.denied_by:
        verdict.decision = "deny"
    elif verdict.allowed_by:
        verdict.decision = "allow"
    return verdict


def statements_of(document) -> list[dict]:
    return [s for s in listify((document or {}).get("Statement")) if isinstance(s, dict)]
