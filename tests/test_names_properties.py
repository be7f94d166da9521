"""Every name derived from a branch is valid for its AWS resource, and two branches never share one.

Branch names are drawn from what git accepts (check-ref-format: no space,
control characters, ~ ^ : ? * [ \\, no '..' or '@{', no part starting with
'.' or ending with '.lock', no leading '/' or '-', no trailing '/' or '.'),
up to CodeCommit's 256 characters, unicode included.
"""

from __future__ import annotations

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from generator.config_loader import load_config
from generator.core.naming import idempotency_token, pipeline_slug, provisioned_product_name
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix import branches
from generator.hotfix.decide import decide

from .conftest import CONFIG

CAT = catalogue_from_dict(canonical(load_config(CONFIG).data))
REPO = "hotfixpoc-repository"

# What each AWS resource accepts, from the service documentation.
VALID = {
    "provisioned product (Service Catalog)": (r"[a-zA-Z0-9][a-zA-Z0-9._-]*", 128),
    "pipeline (CodePipeline)": (r"[A-Za-z0-9.@\-_]+", 100),
    "IAM role": (r"[\w+=,.@-]+", 64),
    "CodeBuild project": (r"[A-Za-z0-9][A-Za-z0-9\-_]{1,254}", 255),
    "log group (CloudWatch Logs)": (r"[\.\-_/#A-Za-z0-9]+", 512),
    "EventBridge rule": (r"[\.\-_A-Za-z0-9]+", 64),
    "change set (CloudFormation)": (r"[a-zA-Z][-a-zA-Z0-9]*", 128),
    "idempotency token (Service Catalog)": (r"[a-zA-Z0-9][a-zA-Z0-9_-]*", 128),
}

part = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=" ~^:?*[\\\x7f/"),
    min_size=1, max_size=40,
).filter(lambda p: not p.startswith(".") and not p.endswith(".lock"))
tails = st.lists(part, min_size=1, max_size=8).map("/".join)
branch_names = tails.map(lambda tail: ("hotfix-" + tail)[:256]).filter(lambda b: branches.invalid_reason(b) is None)


def derived(branch: str) -> dict[str, str]:
    slug = pipeline_slug("sc", REPO, branch)
    return {
        "provisioned product (Service Catalog)": provisioned_product_name("sc", REPO, branch),
        "pipeline (CodePipeline)": slug,
        "IAM role": max((f"{slug}-{s}" for s in ("pipeline", "build", "trigger")), key=len),
        "CodeBuild project": f"{slug}-build",
        "log group (CloudWatch Logs)": f"/aws/codebuild/{slug}-build",
        "EventBridge rule": f"{slug}-trigger",
        "change set (CloudFormation)": slug,
        "idempotency token (Service Catalog)": idempotency_token("provision", REPO, branch, "a" * 40),
    }


@given(branch_names)
def test_every_derived_name_is_valid_for_its_resource(branch):
    for kind, name in derived(branch).items():
        pattern, limit = VALID[kind]
        assert re.fullmatch(pattern, name) and len(name) <= limit, f"{kind}: {name!r} from {branch!r}"


@given(branch_names, branch_names)
def test_two_branches_never_share_a_name(a, b):
    assume(a != b)
    for kind, name in derived(a).items():
        assert name != derived(b)[kind], f"{kind}: {a!r} and {b!r} both give {name!r}"


@given(branch_names)
def test_decide_accepts_every_valid_hotfix_branch(branch):
    event = {"source": "aws.codecommit", "detail-type": "CodeCommit Repository State Change", "detail": {
        "event": "referenceCreated", "repositoryName": REPO, "referenceType": "branch",
        "referenceName": branch, "commitId": "a" * 40}}
    decision = decide(event, CAT)
    assert decision.action == "provision"
    assert decision.provisioned_product_name == derived(branch)["provisioned product (Service Catalog)"]


def test_known_pairs_that_look_alike():
    pairs = [("hotfix-a/b", "hotfix-a-b"), ("hotfix-A", "hotfix-a"), ("hotfix-a.b", "hotfix-a-b"),
             ("hotfix-é", "hotfix-e"), ("hotfix-" + "x" * 249, "hotfix-" + "x" * 248 + "y")]
    for a, b in pairs:
        for kind, name in derived(a).items():
            assert name != derived(b)[kind], (kind, a, b)


prefixes = st.from_regex(r"\A[a-z](?:[a-z0-9]|-(?!-|\Z)){0,19}\Z")


@given(prefixes, st.sampled_from(["hotfixpoc-repository", "repo.with_dots", "R" * 100]), branch_names)
def test_every_slug_keeps_the_prefix_that_iam_patterns_match(prefix, repo, branch):
    # Trust policies, launch roles and guardrails match pipeline roles by "{prefix}-pl-*".
    import json

    from generator.schema_check import schema

    assert re.fullmatch(schema()["properties"]["stack_prefix"]["pattern"], prefix)
    slug = pipeline_slug(prefix, repo, branch)
    assert slug.startswith(f"{prefix}-pl-") and len(slug) <= 54
    assert json.dumps(slug) == f'"{slug}"'


def test_a_prefix_with_a_trailing_or_double_hyphen_is_refused():
    from generator.schema_check import schema

    pattern = schema()["properties"]["stack_prefix"]["pattern"]
    assert re.fullmatch(pattern, "sc") and re.fullmatch(pattern, "team-a")
    assert not re.fullmatch(pattern, "sc-") and not re.fullmatch(pattern, "a--b")
