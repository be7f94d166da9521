"""Least privilege, checked over every policy in every generated template.

No "*" action, no service-wide wildcard (s3:*), no "*" resource except for
the actions AWS grants only on "*" (generator.compiler.iam.STAR_ONLY, each
with its reason, and repeated in the template's metadata). Key policies are
the exception the service defines: there "*" means the key itself.
"""

from __future__ import annotations

import pytest

from generator.compiler import iam

from .policies import actions, principals, resources, statements, templates

ALL = statements()
ALLOW = [f for f in ALL if f.statement.get("Effect") == "Allow"]


def test_policies_were_found():
    kinds = {f.kind for f in ALL}
    assert kinds == {"trust", "identity", "resource", "key"} and len(ALL) > 50


@pytest.mark.parametrize("found", ALLOW, ids=lambda f: f.where())
def test_no_wildcard_actions(found):
    for action in actions(found.statement):
        assert action != "*" and not action.endswith(":*"), f"{found.where()} grants {action}"


@pytest.mark.parametrize("found", [f for f in ALLOW if f.kind != "key"], ids=lambda f: f.where())
def test_star_resources_only_where_aws_offers_nothing_narrower(found):
    if "*" in resources(found.statement):
        assert iam.star_allowed(found.statement), f"{found.where()}: {actions(found.statement)} on '*'"


def test_every_star_resource_is_explained_in_the_templates_metadata():
    for name, template in templates().items():
        for lid, res in template.get("Resources", {}).items():
            if res["Type"] != "AWS::IAM::Role":
                continue
            star = sorted({a for p in res["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]
                           if s["Resource"] == ["*"] for a in s["Action"]})
            if star:
                meta = res.get("Metadata", {}).get("StarResource", {})
                assert meta.get("Actions") == star and all(a in meta["Reason"] for a in star), f"{name}:{lid}"


def test_everyone_is_a_principal_only_in_denials():
    for f in ALL:
        if f.statement.get("Effect") == "Deny":
            continue
        assert "*" not in principals(f.statement), f"{f.where()} allows everyone"


@pytest.mark.parametrize("found", [f for f in ALL if f.kind == "trust"], ids=lambda f: f.where())
def test_no_trust_in_a_whole_account_root(found):
    for principal in principals(found.statement):
        if isinstance(principal, str) and principal.endswith(":root"):
            condition = found.statement.get("Condition", {}).get("ArnLike", {})
            assert "aws:PrincipalArn" in condition, f"{found.where()} trusts {principal} without a role pattern"


def test_pass_role_is_limited_by_resource_and_service():
    passes = [f for f in ALLOW if "iam:PassRole" in actions(f.statement)]
    assert passes
    for f in passes:
        assert "*" not in resources(f.statement), f.where()
        assert "iam:PassedToService" in f.statement.get("Condition", {}).get("StringEquals", {}), f.where()


def test_allowlist_reasons_are_written():
    assert all(len(reason) > 20 for reason in iam.STAR_ONLY.values())
    assert all(len(reason) > 20 for _, reason in iam.STAR_WITH_CONDITION.values())


def test_the_walk_catches_what_it_forbids():
    bad = {"Effect": "Allow", "Action": ["s3:GetObject", "ecs:*"], "Resource": ["*"]}
    assert not iam.star_allowed(bad)
    assert iam.star_allowed({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": ["*"]})
    assert not iam.star_allowed({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]})
