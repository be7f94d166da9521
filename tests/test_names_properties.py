"""Every name derived from a repository and a branch is valid for its AWS resource, and injective.

Branch names are drawn from what git accepts (check-ref-format: no space,
control characters, ~ ^ : ? * [ \\, no '..' or '@{', no part starting with
'.' or ending with '.lock', no leading '/' or '-', no trailing '/' or '.'),
up to CodeCommit's 256 characters, unicode included. Repository names from
CodeCommit's rule (letters, digits, '.', '_', '-', at most 100).

Injective: two distinct (repository, branch) pairs never share any derived
name, whatever the characters and lengths. Every name ends in a sha256
digest of the parts' unambiguous encoding (``naming.encode``), so this holds
up to a collision of the digest: 56 bits for the pipeline of the default
prefix, at least 32 for an 8-character prefix, 64 for product names,
256 for tokens.
"""

from __future__ import annotations

import json
import re

from hypothesis import assume, example, given
from hypothesis import strategies as st

from generator.core.naming import (
    MAX_PREFIX_LENGTH,
    SLUG_LENGTH,
    encode,
    idempotency_token,
    pipeline_slug,
    pipeline_slug_pattern,
    provisioned_product_name,
)
from generator.hotfix import branches
from generator.hotfix.decide import decide
from generator.schema_check import schema

from .hotfix_env import catalogue

CAT = catalogue()
REPO = "hotfixpoc-repository"
PURPOSES = ("pipeline", "build", "trigger")  # every {slug}-{purpose} a pipeline product creates

# What each AWS resource accepts, from the service documentation and botocore's models.
VALID = {
    "provisioned product (Service Catalog)": (r"[a-zA-Z0-9][a-zA-Z0-9._-]*", 128),
    "pipeline (CodePipeline)": (r"[A-Za-z0-9.@\-_]+", SLUG_LENGTH),  # 100, and the artifact folder takes 20
    "IAM role": (r"[\w+=,.@-]+", 64),
    "CodeBuild project": (r"[A-Za-z0-9][A-Za-z0-9\-_]{1,254}", 255),
    "log group (CloudWatch Logs)": (r"[\.\-_/#A-Za-z0-9]+", 512),
    "EventBridge rule": (r"[\.\-_A-Za-z0-9]+", 64),
    "change set (CloudFormation)": (r"[a-zA-Z][-a-zA-Z0-9]*", 128),
    "provision token (Service Catalog)": (r"[a-zA-Z0-9][a-zA-Z0-9_-]*", 128),
    "terminate token (Service Catalog)": (r"[a-zA-Z0-9][a-zA-Z0-9_-]*", 128),
    "pull-request token (CodeCommit)": (r"[a-zA-Z0-9][a-zA-Z0-9_-]*", 128),
}

part = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=" ~^:?*[\\\x7f/"),
    min_size=1, max_size=40,
).filter(lambda p: not p.startswith(".") and not p.endswith(".lock"))
tails = st.lists(part, min_size=1, max_size=8).map("/".join)
branch_names = tails.map(lambda tail: ("hotfix-" + tail)[:256]).filter(lambda b: branches.invalid_reason(b) is None)
repositories = st.from_regex(r"\A[A-Za-z0-9._-]{1,100}\Z").filter(lambda r: r not in (".", ".."))
prefixes = st.from_regex(r"\A[a-z][a-z0-9]{0,7}\Z")


def derived(repo: str, branch: str, prefix: str = "sc") -> dict[str, str]:
    slug = pipeline_slug(prefix, repo, branch)
    return {
        "provisioned product (Service Catalog)": provisioned_product_name(prefix, repo, branch),
        "pipeline (CodePipeline)": slug,
        **{f"IAM role {p}": f"{slug}-{p}" for p in PURPOSES},
        "CodeBuild project": f"{slug}-build",
        "log group (CloudWatch Logs)": f"/aws/codebuild/{slug}-build",
        "EventBridge rule": f"{slug}-trigger",
        "change set (CloudFormation)": slug,
        "provision token (Service Catalog)": idempotency_token("provision", repo, branch, "a" * 40, "event-1"),
        "terminate token (Service Catalog)": idempotency_token("terminate", repo, branch, "a" * 40),
        "pull-request token (CodeCommit)": idempotency_token("pull-request", repo, branch, "main", "a" * 40),
    }


def kind(name: str) -> str:
    return "IAM role" if name.startswith("IAM role") else name


@given(repositories, branch_names, prefixes)
def test_every_derived_name_is_valid_for_its_resource(repo, branch, prefix):
    for what, name in derived(repo, branch, prefix).items():
        pattern, limit = VALID[kind(what)]
        assert re.fullmatch(pattern, name) and len(name) <= limit, f"{what}: {name!r} from {repo!r} {branch!r}"


# Pairs built to collide under any naming that joins, cleans or cuts: the
# same concatenation split differently, characters that clean to the same,
# case, names that end like a hash, and lengths at every limit.
@st.composite
def split_twice(draw):
    """One string cut at two of its hyphens: repository-branch, the same text, two meanings."""
    words = draw(st.lists(st.sampled_from(["hotfix", "hotfixpoc", "repository", "x", "a.b", "r_1", "é"]), min_size=3, max_size=6))
    joined = "-".join(words)
    cuts = [i for i, ch in enumerate(joined) if ch == "-"]
    i, j = draw(st.lists(st.sampled_from(cuts), min_size=2, max_size=2, unique=True))
    return (joined[:i], joined[i + 1:]), (joined[:j], joined[j + 1:])


lookalike = st.sampled_from([
    (("r", "hotfix-a/b"), ("r", "hotfix-a-b")), (("r", "hotfix-A"), ("r", "hotfix-a")), (("r", "hotfix-a.b"), ("r", "hotfix-a-b")),
    (("r", "hotfix-é"), ("r", "hotfix-e")), (("r", "hotfix-a#1"), ("r", "hotfix-a_1")), (("r", "hotfix-x"), ("r", "hotfix-x-")),
    (("R", "hotfix-x"), ("r", "hotfix-x")), (("r.a", "hotfix-x"), ("r-a", "hotfix-x")),
    (("r", "hotfix-" + "x" * 249), ("r", "hotfix-" + "x" * 248 + "y")),
    (("r" * 100, "hotfix-" + "x" * 249), ("r" * 99, "r-hotfix-" + "x" * 248)),
    (("r", "hotfix-0123456789abcdef"), ("r", "hotfix")),  # a branch that ends like another's hash
    (("r", "hotfix-x-" + provisioned_product_name("sc", "r", "hotfix-x")[-16:]), ("r", "hotfix-x")),
])


@given(st.one_of(st.tuples(st.tuples(repositories, branch_names), st.tuples(repositories, branch_names)),
                 split_twice(), lookalike))
@example((("hotfixpoc-repository", "hotfix-hotfix-x"), ("hotfixpoc-repository-hotfix", "hotfix-x")))
def test_two_pairs_never_share_a_name(pairs):
    a, b = pairs
    assume(a != b)
    names_a, names_b = derived(*a), derived(*b)
    for what in names_a:
        assert names_a[what] != names_b[what], f"{what}: {a!r} and {b!r} both give {names_a[what]!r}"
    # Nor does any name of one equal another kind of name of the other.
    assert not set(names_a.values()) & set(names_b.values())


@given(st.lists(st.text(max_size=6), max_size=4), st.lists(st.text(max_size=6), max_size=4))
def test_the_encoding_every_name_hashes_is_injective(a, b):
    assume(a != b)
    assert encode(tuple(a)) != encode(tuple(b))


def test_the_encoding_takes_every_string_a_json_event_can_carry():
    assert encode(("\ud800", "x")) != encode(("\\ud800", "x"))  # a lone surrogate, and its escape spelled out


@given(repositories, branch_names)
def test_main_and_hotfix_pipelines_of_one_branch_never_share_a_name(repo, branch):
    assert pipeline_slug("sc", repo, branch, "main") != pipeline_slug("sc", repo, branch, "hotfix")
    assert provisioned_product_name("sc", repo, branch, "main") != provisioned_product_name("sc", repo, branch)


@given(prefixes, repositories, branch_names)
def test_the_artifact_folder_is_the_whole_slug_and_keeps_the_prefix_iam_matches(prefix, repo, branch):
    # CodePipeline keeps artifacts under the first 20 characters of the pipeline
    # name (CodePipeline User Guide, troubleshooting "Pipeline artifact folder
    # names appear to be truncated"): the slug is the name, and at most 20.
    assert re.fullmatch(schema()["properties"]["stack_prefix"]["pattern"], prefix)
    slug = pipeline_slug(prefix, repo, branch)
    assert slug[:20] == slug and slug.startswith(f"{prefix}-pl-")  # trust and launch policies match "{prefix}-pl-*"
    assert re.search(pipeline_slug_pattern(prefix), slug)  # the PipelineSlug parameter's AllowedPattern
    assert len(slug) - len(prefix) - 4 >= 8  # at least 32 bits of hash
    assert json.dumps(slug) == f'"{slug}"'


@given(branch_names)
def test_decide_accepts_every_valid_hotfix_branch(branch):
    assume(branches.unsupported_reason(branch) is None)
    event = {"source": "aws.codecommit", "detail-type": "CodeCommit Repository State Change", "id": "e", "detail": {
        "event": "referenceCreated", "repositoryName": REPO, "referenceType": "branch",
        "referenceName": branch, "commitId": "a" * 40}}
    decision = decide(event, CAT)
    assert decision.action == "provision"
    assert decision.provisioned_product_name == provisioned_product_name(CAT.stack_prefix, REPO, branch)


def test_stack_prefix_is_at_most_8_characters_and_holds_no_hyphen():
    # No hyphen: every name is "{prefix}-...", so the text before the first hyphen names the catalogue
    # ("sc-x-y-deploy" would otherwise be catalogue sc's role of application x-y and catalogue sc-x's of y).
    prop = schema()["properties"]["stack_prefix"]
    assert prop["maxLength"] == MAX_PREFIX_LENGTH == 8
    for good in ("sc", "teama", "abcdefgh", "a1b2"):
        assert re.search(prop["pattern"], good), good
    for bad in ("abcdefghi", "sc-", "a--b", "-a", "Sc", "sc\n", "sc\r", "1a", "sc-x", "team-a"):
        assert not re.search(prop["pattern"], bad) or len(bad) > prop["maxLength"], bad


@given(prefixes, prefixes, repositories, branch_names, repositories, branch_names)
def test_two_catalogues_never_derive_the_same_name(p, q, repo1, branch1, repo2, branch2):
    assume(p != q)
    ours, theirs = derived(repo1, branch1, p), derived(repo2, branch2, q)
    for what in ours:
        if "token" not in what:  # tokens are per call, not names in the account
            assert ours[what] != theirs[what]
            assert ours[what].replace("/aws/codebuild/", "").split("-", 1)[0] == p
