"""The gates' IAM evaluator: wildcards, conditions, explicit deny, boundaries, resource and key policies.

Semantics per the IAM User Guide ("Policy evaluation logic", "IAM JSON policy
elements: Condition operators", "Cross-account policy evaluation logic") and
the AWS KMS Developer Guide ("Determining access to an AWS KMS key").
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.gates import intrinsics, witness
from generator.gates.access import Principal, check
from generator.gates.policy import Request, conditions, evaluate
from generator.gates.wildcards import action_matches, arn_matches, matches

ROLE = "arn:aws:iam::111111111111:role/sc-pl-abc-pipeline"
OTHER = "arn:aws:iam::222222222222:role/sc-app-deploy"
BUCKET_OBJ = "arn:aws:s3:::bucket/sc-pl-abc/x"


def allow(action, resource, condition=None, effect="Allow", **extra):
    stmt = {"Effect": effect, "Action": action, "Resource": resource, **extra}
    if condition:
        stmt["Condition"] = condition
    return stmt


@pytest.mark.parametrize(("pattern", "value", "expected"), [
    ("s3:Get*", "s3:GetObject", True),
    ("s3:Get?bject", "s3:GetObject", True),
    ("s3:Get?", "s3:GetObject", False),
    ("arn:aws:s3:::bucket/sc-pl-abc/*", BUCKET_OBJ, True),
    ("arn:aws:s3:::bucket/sc-pl-abcdef/*", BUCKET_OBJ, False),
    ("a.b", "axb", False),  # regex characters are literal
])
def test_wildcards(pattern, value, expected):
    assert matches(pattern, value) is expected


def test_actions_ignore_case_and_resources_do_not():
    assert action_matches("S3:getobject", "s3:GetObject")
    assert not arn_matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x")


def test_a_wildcard_in_an_arn_field_does_not_span_fields():
    assert not arn_matches("arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x")
    assert arn_matches("arn:aws:logs:*:*:log-group:/a/*", "arn:aws:logs:us-east-1:1:log-group:/a/b:log-stream:c")


text = st.text(alphabet=string.ascii_letters + string.digits + "/:-_.*?", min_size=0, max_size=30)


@given(text)
def test_every_string_matches_itself_with_its_wildcards_escaped_away(value):
    literal = value.replace("*", "").replace("?", "")
    assert matches(literal, literal)
    assert matches("*", value) and matches(literal + "*", literal + value)


@given(st.text(alphabet="abc", max_size=8), st.text(alphabet="abc", max_size=8))
def test_star_matches_exactly_the_strings_with_that_prefix(prefix, value):
    assert matches(prefix + "*", value) == value.startswith(prefix)


def req(action="s3:GetObject", resource=BUCKET_OBJ, principal=ROLE, **context):
    return Request(principal, action, resource, tuple(sorted(context.items())))


def test_explicit_deny_wins_over_allow():
    stmts = [allow("s3:GetObject", "*"), allow("s3:*", "*", effect="Deny")]
    assert evaluate(stmts, req()).decision == "deny"


def test_implicit_deny_when_nothing_allows():
    assert evaluate([allow("s3:PutObject", "*")], req()).decision == "implicit"


def test_not_action_and_not_resource():
    assert evaluate([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}], req()).allows
    assert not evaluate([{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/*"}], req()).allows


@pytest.mark.parametrize(("block", "context", "expected"), [
    ({"StringEquals": {"iam:PassedToService": "codebuild.amazonaws.com"}}, {"iam:PassedToService": "codebuild.amazonaws.com"}, "yes"),
    ({"StringEquals": {"iam:PassedToService": ["a", "codebuild.amazonaws.com"]}}, {"iam:PassedToService": "codebuild.amazonaws.com"}, "yes"),
    ({"StringEquals": {"iam:PassedToService": "a"}}, {"iam:PassedToService": "codebuild.amazonaws.com"}, "no"),
    ({"StringEquals": {"iam:PassedToService": "a"}}, {}, "unknown"),  # a missing key is not proven
    # A key the gate does not model may be in the real request with any value: IfExists and negated operators are
    # not proven either; only a key the gate knows the request lacks (None) makes them hold.
    ({"StringEqualsIfExists": {"iam:PassedToService": "a"}}, {}, "unknown"),
    ({"StringNotEquals": {"aws:SourceAccount": "1"}}, {}, "unknown"),
    ({"StringEqualsIfExists": {"iam:PassedToService": "a"}}, {"iam:PassedToService": None}, "yes"),
    ({"StringNotEquals": {"aws:SourceAccount": "1"}}, {"aws:SourceAccount": None}, "yes"),
    ({"StringEquals": {"aws:SourceAccount": "1"}}, {"aws:SourceAccount": None}, "no"),
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/sc-pl-*"}}, {}, "yes"),  # from the caller
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/sc-x-*"}}, {}, "no"),
    ({"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/a"}}, {"kms:ResourceAliases": ("alias/b", "alias/a")}, "yes"),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ("a", "b")}, "no"),
    ({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "true"}, "no"),
    ({"NumericLessThan": {"s3:max-keys": "10"}}, {"s3:max-keys": "5"}, "unknown"),  # an operator the gate does not know
])
def test_conditions_are_evaluated_conservatively(block, context, expected):
    assert conditions(block, req(**context)) == expected


def test_an_unproven_allow_does_not_count_and_an_unproven_deny_does():
    stmts = [allow("s3:GetObject", "*", {"StringEquals": {"s3:ExistingObjectTag/x": "true"}})]
    verdict = evaluate(stmts, req())
    assert verdict.decision == "implicit" and verdict.unproven
    deny = [allow("s3:GetObject", "*"), allow("s3:GetObject", "*", {"StringEquals": {"aws:SourceVpc": "vpc-1"}}, effect="Deny")]
    assert evaluate(deny, req()).decision == "deny"


def principal(*statements, boundary=None):
    return Principal(ROLE, "test", tuple(statements), boundary)


def test_a_permissions_boundary_caps_the_identity_policy():
    p = principal(allow("s3:GetObject", "*"), boundary=(allow("s3:PutObject", "*"),))
    assert "boundary" in check(p, req())
    assert check(principal(allow("s3:GetObject", "*"), boundary=(allow("s3:*", "*"),)), req()) is None


def test_same_account_resource_policy_naming_the_role_is_enough():
    policy = [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]
    assert check(principal(), req(), policy, resource_account="111111111111") is None
    assert check(principal(), req(), [], resource_account="111111111111") is not None


def test_across_accounts_both_sides_must_allow():
    other = Principal(OTHER, "deploy", (allow("s3:GetObject", "arn:aws:s3:::bucket/*"),))
    request = req(principal=OTHER)
    granted = [{"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]
    assert check(other, request, granted, resource_account="111111111111") is None
    assert "account 111111111111" in check(other, request, [], resource_account="111111111111")
    assert check(Principal(OTHER, "deploy"), request, granted, resource_account="111111111111") is not None


KEY = "arn:aws:kms:us-east-1:111111111111:key/k"


def test_a_key_policy_that_delegates_to_the_account_needs_the_identity_policy_too():
    root = [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:Decrypt", "Resource": "*"}]
    request = req("kms:Decrypt", KEY)
    assert check(principal(), request, root, kms=True).startswith("the key policy delegates")
    assert check(principal(allow("kms:Decrypt", KEY)), request, root, kms=True) is None
    direct = [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}]
    assert check(principal(), request, direct, kms=True) is None
    assert check(principal(allow("kms:Decrypt", KEY)), request, [], kms=True).startswith("the key policy does not")


def test_a_service_principal_gets_only_what_the_resource_policy_gives():
    events = Principal("service:events.amazonaws.com", "events")
    policy = [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
               "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:events:us-east-1:1:rule/r"}}}]
    ok = Request(events.arn, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", (("aws:SourceArn", "arn:aws:events:us-east-1:1:rule/r"),))
    assert check(events, ok, policy) is None
    assert check(events, Request(events.arn, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", ()), policy) is not None


def test_an_action_aws_grants_only_on_star_needs_star():
    assert evaluate([allow("ecr:GetAuthorizationToken", "arn:aws:ecr:*:*:repository/*")], req("ecr:GetAuthorizationToken", "*")).decision == "implicit"
    assert evaluate([allow("ecr:GetAuthorizationToken", "*")], req("ecr:GetAuthorizationToken", "*")).allows


def test_intrinsics_resolve_against_the_stack():
    env = intrinsics.Env("111111111111", "us-east-1", "stack", parameters={"Slug": "sc-pl-x"},
                         refs={"Key": "k-1"}, attrs={("Key", "Arn"): KEY}, imports={"sc:key": KEY})
    node = {"Fn::Sub": ["arn:${AWS::Partition}:s3:::b/${Slug}/${Other}-${Key.Arn}", {"Other": {"Ref": "Key"}}]}
    assert intrinsics.resolve(node, env) == f"arn:aws:s3:::b/sc-pl-x/k-1-{KEY}"
    assert intrinsics.resolve({"Fn::Join": ["-", ["a", {"Fn::ImportValue": "sc:key"}]]}, env) == f"a-{KEY}"
    with pytest.raises(intrinsics.Unresolved):
        intrinsics.resolve({"Fn::ImportValue": "nobody-exports-this"}, env)


@pytest.mark.parametrize(("pattern", "length"), [(r"^sc-pl-[a-z0-9-]{1,48}$", 54), (r"^sc-pl-[0-9a-f]{14}$", 20), (r"^(a|bc)$", 1)])
def test_witnesses_are_the_longest_values_a_pattern_admits(pattern, length):
    import re

    value = witness.longest(pattern)
    assert re.fullmatch(pattern, value) and len(value) == length


# --- Judgements the review found wrong (IAM User Guide, "IAM JSON policy elements: Condition operators",
# "Single-valued vs. multivalued context keys", "IAM policy elements: Variables and tags", "NotPrincipal") ----------

@pytest.mark.parametrize(("block", "context", "expected"), [
    # ForAnyValue with a negated operator: true when at least one request value matches none of the policy's values.
    ({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ("a", "b")}, "yes"),
    ({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ("a", "b")}, "no"),
    # ForAllValues with a negated operator: true when every request value matches none of them.
    ({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ("a", "b")}, "no"),
    ({"ForAllValues:StringNotLike": {"aws:TagKeys": ["a*"]}}, {"aws:TagKeys": ("b", "c")}, "yes"),
    # Empty sets: ForAllValues holds, ForAnyValue does not.
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ()}, "yes"),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ()}, "no"),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": None}, "yes"),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": None}, "no"),
    # IfExists on a present key is the plain operator.
    ({"StringEqualsIfExists": {"aws:SourceAccount": "1"}}, {"aws:SourceAccount": "2"}, "no"),
    # JSON booleans compare as "true" and "false", under any string operator.
    ({"StringEquals": {"kms:GrantIsForAWSResource": True}}, {"kms:GrantIsForAWSResource": "true"}, "yes"),
    ({"Bool": {"aws:SecureTransport": False}}, {"aws:SecureTransport": "true"}, "no"),
    # Condition key names are case-insensitive, values under StringEquals are not.
    ({"StringEquals": {"AWS:SourceAccount": "1"}}, {"aws:sourceaccount": "1"}, "yes"),
    ({"StringEquals": {"aws:PrincipalTag/team": "Ops"}}, {"aws:PrincipalTag/team": "ops"}, "no"),
    ({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "Ops"}}, {"aws:PrincipalTag/team": "ops"}, "yes"),
    # StringLike's "*" spans colons; ArnLike's does not span the ARN's first five fields.
    ({"StringLike": {"aws:SourceArn": "arn:aws:events:*"}}, {"aws:SourceArn": "arn:aws:events:us-east-1:1:rule/r"}, "yes"),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:events:*:rule/r"}}, {"aws:SourceArn": "arn:aws:events:us-east-1:1:rule/r"}, "no"),
    # StringEquals has no wildcards.
    ({"StringEquals": {"aws:SourceAccount": "*"}}, {"aws:SourceAccount": "1"}, "no"),
    # A policy variable in a condition value: the request's value, or not proven when the request lacks the key.
    ({"StringEquals": {"aws:ResourceTag/owner": "${aws:PrincipalTag/owner}"}},
     {"aws:ResourceTag/owner": "ana", "aws:PrincipalTag/owner": "ana"}, "yes"),
    ({"StringEquals": {"aws:ResourceTag/owner": "${aws:PrincipalTag/owner}"}},
     {"aws:ResourceTag/owner": "ana", "aws:PrincipalTag/owner": "bob"}, "no"),
    ({"StringEquals": {"aws:ResourceTag/owner": "${aws:PrincipalTag/owner}"}}, {"aws:ResourceTag/owner": "ana"}, "unknown"),
])
def test_condition_judgements_the_review_found_wrong(block, context, expected):
    assert conditions(block, req(**context)) == expected


def test_a_deny_whose_any_value_differs_applies():
    """The tag-key allow list pattern: deny a request that carries any tag key outside the list."""
    stmts = [allow("ecs:TagResource", "*"),
             allow("ecs:TagResource", "*", {"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["application"]}}, effect="Deny")]
    assert evaluate(stmts, req("ecs:TagResource", "*", **{"aws:TagKeys": ("application", "owner")})).decision == "deny"
    assert evaluate(stmts, req("ecs:TagResource", "*", **{"aws:TagKeys": ("application",)})).decision == "allow"


def test_an_allow_on_a_negated_condition_of_an_unmodelled_key_does_not_count():
    """The real call carries the resource's tags (aws:ResourceTag/*); the gate does not know them, so it cannot tell."""
    stmts = [allow("s3:GetObject", "*", {"StringNotEquals": {"aws:ResourceTag/stage": "prod"}})]
    assert evaluate(stmts, req()).decision == "implicit"
    assert evaluate(stmts, req(**{"aws:ResourceTag/stage": "dev"})).allows
    assert evaluate(stmts, req(**{"aws:ResourceTag/stage": None})).allows


def test_policy_variables_in_resources():
    own = allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:PrincipalTag/team}/*")
    obj = "arn:aws:s3:::bucket/home/ops/x"
    assert evaluate([own], req(resource=obj, **{"aws:PrincipalTag/team": "ops"})).allows
    assert not evaluate([own], req(resource=obj, **{"aws:PrincipalTag/team": "dev"})).allows
    # A substituted value is literal: its "*" is no wildcard.
    assert not evaluate([own], req(resource=obj, **{"aws:PrincipalTag/team": "o*"})).allows
    # The request lacks the key: an Allow does not count, a Deny does.
    assert evaluate([own], req(resource=obj)).decision == "implicit"
    deny = [allow("s3:*", "*"), allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/*", effect="Deny")]
    assert evaluate(deny, req(resource=obj)).decision == "deny"
    # ${*}, ${?} and ${$} are the literal characters.
    star = allow("s3:GetObject", "arn:aws:s3:::bucket/${*}${?}${$}")
    assert evaluate([star], req(resource="arn:aws:s3:::bucket/*?$")).allows
    assert not evaluate([star], req(resource="arn:aws:s3:::bucket/ab$")).allows
    # A colon inside a variable separates no ARN field.
    assert arn_matches("arn:aws:s3:::bucket/${aws:username}", "arn:aws:s3:::bucket/ana", lambda k: "ana")


def test_a_deny_with_not_principal_applies_to_everyone_else():
    policy = [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
              {"Effect": "Deny", "NotPrincipal": {"AWS": OTHER}, "Action": "s3:GetObject", "Resource": "*"}]
    assert evaluate(policy, req(), resource_policy=True).decision == "deny"
    assert evaluate(policy, req(principal=OTHER), resource_policy=True).allows


def test_an_account_principal_matches_in_every_partition():
    gov = "arn:aws-us-gov:iam::111111111111:role/r"
    policy = [{"Effect": "Deny", "Principal": {"AWS": "arn:aws-us-gov:iam::111111111111:root"}, "Action": "s3:*", "Resource": "*"}]
    assert evaluate(policy, req(principal=gov), resource_policy=True).decision == "deny"


def test_a_resource_policy_naming_the_role_does_not_lift_its_permissions_boundary():
    # IAM User Guide, "Policy evaluation logic": within an account, a resource-based policy that grants a role ARN is
    # limited by an implicit deny in the role's permissions boundary (a grant to a role session or user is not).
    capped = principal(boundary=(allow("s3:PutObject", "*"),))
    bucket = [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]
    assert "boundary" in check(capped, req(), bucket, resource_account="111111111111")
    assert check(principal(boundary=(allow("s3:*", "*"),)), req(), bucket, resource_account="111111111111") is None
    key = [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}]
    assert "boundary" in check(capped, req("kms:Decrypt", KEY), key, kms=True)


def test_a_deny_with_not_principal_denies_every_role_with_a_boundary():
    # IAM User Guide, "Permissions boundaries for IAM entities": a Deny with NotPrincipal always denies a principal that
    # has a permissions boundary, whatever NotPrincipal names.
    bucket = [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "*"},
              {"Effect": "Deny", "NotPrincipal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "*"}]
    assert check(principal(allow("s3:GetObject", "*")), req(), bucket, resource_account="111111111111") is None
    bounded = principal(allow("s3:GetObject", "*"), boundary=(allow("s3:*", "*"),))
    assert check(bounded, req(), bucket, resource_account="111111111111") == "explicitly denied by the resource's policy"
