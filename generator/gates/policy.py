"""Does a policy allow a request? Explicit deny, explicit allow, implicit deny.

Statements are plain policy JSON whose strings are already concrete (see
``intrinsics``). The logic follows the IAM User Guide, "Policy evaluation
logic": an explicit Deny in any applicable policy wins, then an Allow is
needed; identity policies and resource policies of the same account are
a union, across accounts both sides must allow, and a permissions boundary
caps what identity policies allow. KMS differs: the key policy must allow,
directly or by naming the account (then IAM policies must allow too); AWS
KMS Developer Guide, "Determining access to an AWS KMS key".

Conditions are evaluated conservatively: a condition key the request is
not known to carry or to lack, a policy variable whose key it does not
carry, or an operator this module does not know, means the condition is
not proven, so that Allow does not count and that Deny does. A gate that
knows a request lacks a key says so with the value None; only then do
``...IfExists``, the negated operators and ``ForAllValues`` hold for it
(IAM User Guide, "Condition operators": a missing key).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .wildcards import Unknown, action_matches, arn_matches, equals, matches

YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Request:
    """Who calls what on which resource, with the condition keys the call carries."""

    principal: str  # role ARN, or "service:<service principal>"
    action: str
    resource: str
    context: tuple = ()  # ((key, value, tuple of values, or None for a key the request lacks), ...)

    def lookup(self, key: str) -> tuple[bool, object]:
        """(known, value): whether the gate knows what the request carries for the key, and the value (None: lacks it)."""
        for k, v in self.context:
            if k.lower() == key.lower():  # condition keys are case-insensitive
                return True, v
        if key.lower() == "aws:principalarn" and not self.principal.startswith("service:"):
            return True, self.principal
        return False, None

    @property
    def account(self) -> str:
        parts = self.principal.split(":")
        return parts[4] if len(parts) > 4 else ""


def listify(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    """A policy value as IAM compares it: JSON true and false are the strings "true" and "false"."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _string_op(op: str, pattern: str, value: str, variables) -> bool:
    if op in ("StringEquals", "StringEqualsIgnoreCase"):
        return equals(pattern, value, op == "StringEqualsIgnoreCase", variables)
    if op == "StringLike":
        return matches(pattern, value, variables=variables)
    if op in ("ArnEquals", "ArnLike"):  # the same operator under two names (IAM User Guide, ARN condition operators)
        return arn_matches(pattern, value, variables, condition=True)
    if op == "Bool":
        return pattern.lower() == value.lower()
    raise KeyError(op)


_NEGATED = {"StringNotEquals": "StringEquals", "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals",
            "ArnNotLike": "ArnLike", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase"}
_KNOWN = ("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool")


def _condition(operator: str, key: str, expected, req: Request) -> str:
    """One operator-key pair of a Condition block: YES, NO or UNKNOWN (IAM User Guide, "Condition operators",
    "Single-valued vs. multivalued context keys")."""
    qualifier, _, op = operator.rpartition(":")
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    negated = op in _NEGATED
    base = _NEGATED.get(op, op)
    if base not in _KNOWN or qualifier not in ("", "ForAllValues", "ForAnyValue"):
        return UNKNOWN
    known, actual = req.lookup(key)
    if not known:
        return UNKNOWN  # the real request may carry the key with any value
    if actual is None:
        # The request lacks the key: ...IfExists and negated operators hold, ForAllValues holds over the empty set,
        # ForAnyValue and the rest do not.
        return YES if (if_exists or negated or qualifier == "ForAllValues") else NO
    values = list(actual) if isinstance(actual, (list, tuple)) else [actual]
    patterns = [_text(p) for p in listify(expected)]
    variables = _variables(req)

    def hit(value) -> bool:
        """Whether the value satisfies the operator against any of the policy's values (negation included)."""
        return any(_string_op(base, p, _text(value), variables) for p in patterns) != negated

    try:
        if qualifier == "ForAllValues":  # every value of the request satisfies the operator (true for none)
            result = all(hit(v) for v in values)
        elif qualifier == "ForAnyValue":  # at least one value satisfies it
            result = any(hit(v) for v in values)
        else:  # a single-valued key: the negated operators hold when the value matches none of the policy's values
            result = any(any(_string_op(base, p, _text(v), variables) for p in patterns) for v in values) != negated
    except Unknown:
        return UNKNOWN
    return YES if result else NO


def _variables(req: Request):
    def variable(name: str):
        known, value = req.lookup(name)
        return value if known else None

    return variable


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


def _root(req: Request) -> str:
    partition = req.principal.split(":")[1] if req.principal.startswith("arn:") else "aws"
    return f"arn:{partition}:iam::{req.account}:root"


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
                if value == req.principal or value in (req.account, _root(req)):
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
    """Whether one statement covers the request: YES, NO, or UNKNOWN (its condition, or a policy variable of its
    resource, is not proven)."""
    if "NotAction" in stmt:
        if any(action_matches(a, req.action) for a in listify(stmt["NotAction"])):
            return NO
    elif not any(action_matches(a, req.action) for a in listify(stmt.get("Action"))):
        return NO
    variables = _variables(req)
    if "NotResource" in stmt:
        resolved = _any(listify(stmt["NotResource"]), lambda r: arn_matches(r, req.resource, variables))
        resolved = {YES: NO, NO: YES}.get(resolved, UNKNOWN)
    elif "Resource" in stmt:
        resolved = _any(listify(stmt["Resource"]), lambda r: _resource_matches(r, req.resource, variables))
    else:
        resolved = YES
    if resolved == NO:
        return NO
    if resource_policy:
        # NotPrincipal: everyone but the principals it names (IAM User Guide, "IAM JSON policy elements: NotPrincipal").
        if "NotPrincipal" in stmt:
            if principal_matches(stmt["NotPrincipal"], req):
                return NO
        elif not principal_matches(stmt.get("Principal"), req):
            return NO
    outcome = conditions(stmt.get("Condition"), req)
    return UNKNOWN if outcome == YES and resolved == UNKNOWN else outcome


def _any(patterns: list, match) -> str:
    """YES when a pattern matches, NO when none can, UNKNOWN when only a pattern with an unknown variable might."""
    outcome = NO
    for pattern in patterns:
        try:
            if match(pattern):
                return YES
        except Unknown:
            outcome = UNKNOWN
    return outcome


def _resource_matches(pattern: str, resource: str, variables=None) -> bool:
    if pattern == "*":
        return True
    if resource == "*":  # an action AWS authorises only on "*" needs "*" in the policy
        return False
    return arn_matches(pattern, resource, variables)


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
