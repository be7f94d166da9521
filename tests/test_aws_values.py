"""Every config value that reaches an AWS API is one the API accepts: the schema is no looser than botocore's model.

The class: a value the schema admits but AWS refuses at deploy time. Each
string of the schema (found by walking it, see test_schema_strings) is
mapped to the botocore shape of the API parameter it ends up in, or listed
as going nowhere or only into names the toolkit derives, with the reason.
For each mapped value: the schema's length bounds lie within the shape's,
its enum within the shape's, and every probe the schema accepts matches
the shape's pattern (botocore's patterns are Java regexes, matched whole;
'\\w' there is ASCII). Where a shape's rule is not a pattern botocore
carries (documented naming rules, \\p{L} classes), the semantic rule that
holds it is named.
"""

from __future__ import annotations

import random
import re

import pytest
from botocore.loaders import Loader
from jsonschema import Draft202012Validator

from generator import checks

from .test_schema_strings import NODES, RICH, UNREACHABLE, probes, samples

# schema path -> (service, shape, rule module that holds what the shape's pattern cannot say)
SENT = {
    ("region",): ("cloudformation", "Region", "regions"),
    ("accounts", "tools", "region"): ("cloudformation", "Region", "regions"),
    ("accounts", "stage", "region"): ("cloudformation", "Region", "regions"),
    ("accounts", "prod", "region"): ("cloudformation", "Region", "regions"),
    ("accounts", "qa", "region"): ("cloudformation", "Region", "regions"),
    ("accounts", "tools", "id"): ("servicecatalog", "AccountId", None),
    ("accounts", "stage", "id"): ("servicecatalog", "AccountId", None),
    ("accounts", "prod", "id"): ("servicecatalog", "AccountId", None),
    ("accounts", "qa", "id"): ("servicecatalog", "AccountId", None),
    ("tags", "<key>"): ("servicecatalog", "TagKey", "tag_characters"),
    ("tags", "*"): ("servicecatalog", "TagValue", "tag_characters"),
    ("tag_options", "*", "key"): ("servicecatalog", "TagOptionKey", "tag_characters"),
    ("tag_options", "*", "values", "*"): ("servicecatalog", "TagOptionValue", "tag_characters"),
    ("principals", "*", "arn"): ("servicecatalog", "PrincipalARN", "arn_accounts"),
    ("portfolios", "*", "display_name"): ("servicecatalog", "PortfolioDisplayName", None),
    ("portfolios", "*", "provider"): ("servicecatalog", "ProviderName", None),
    ("portfolios", "*", "description"): ("servicecatalog", "PortfolioDescription", None),
    ("portfolios", "*", "tags", "<key>"): ("servicecatalog", "TagKey", "tag_characters"),
    ("portfolios", "*", "tags", "*"): ("servicecatalog", "TagValue", "tag_characters"),
    ("portfolios", "*", "constraints", "*", "description"): ("servicecatalog", "ConstraintDescription", None),
    ("portfolios", "*", "constraints", "*", "launch", "role_arn"): ("iam", "arnType", "arn_accounts"),
    ("portfolios", "*", "constraints", "*", "launch", "local_role_name"): ("iam", "roleNameType", None),
    ("portfolios", "*", "constraints", "*", "notifications", "*"): ("sns", "topicARN", "arn_accounts"),
    ("portfolios", "*", "constraints", "*", "stack_set", "regions", "*"): ("cloudformation", "Region", "regions"),
    ("portfolios", "*", "constraints", "*", "stack_set", "admin_role"): ("cloudformation", "RoleARN", "arn_accounts"),
    ("portfolios", "*", "constraints", "*", "stack_set", "execution_role"): ("cloudformation", "ExecutionRoleName", None),
    ("products", "*", "name"): ("servicecatalog", "ProductViewName", None),  # the product's name unless display_name is set
    ("products", "*", "display_name"): ("servicecatalog", "ProductViewName", None),
    ("products", "*", "owner"): ("servicecatalog", "ProductViewOwner", None),
    ("products", "*", "description"): ("servicecatalog", "ProductViewShortDescription", None),
    ("products", "*", "distributor"): ("servicecatalog", "ProductViewDistributor", None),
    ("products", "*", "support", "email"): ("servicecatalog", "SupportEmail", None),
    ("products", "*", "support", "url"): ("servicecatalog", "SupportUrl", None),
    ("products", "*", "support", "description"): ("servicecatalog", "SupportDescription", None),
    ("products", "*", "tags", "<key>"): ("servicecatalog", "TagKey", "tag_characters"),
    ("products", "*", "tags", "*"): ("servicecatalog", "TagValue", "tag_characters"),
    ("products", "*", "versions", "*", "name"): ("servicecatalog", "ProvisioningArtifactName", None),
    ("products", "*", "versions", "*", "description"): ("servicecatalog", "ProvisioningArtifactDescription", None),
    ("hotfix", "reconcile_schedule"): ("events", "ScheduleExpression", "schedules"),
    ("hotfix", "repositories", "*", "name"): ("codecommit", "RepositoryName", "repository_names"),
    ("hotfix", "repositories", "*", "merge_into", "*"): ("codecommit", "BranchName", "branch_names"),
    ("hotfix", "repositories", "*", "parameters", "ecr_repository"): ("ecr", "RepositoryName", None),
    ("hotfix", "repositories", "*", "parameters", "build_image"): ("codebuild", "NonEmptyString", None),
    # The CodeStarSourceConnection action's configuration and the secrets the Lambdas read by name.
    ("hotfix", "repositories", "*", "full_repository_id"): ("codepipeline", "ActionConfigurationValue", "repository_providers"),
    ("hotfix", "repositories", "*", "connection_arn"): ("codeconnections", "ConnectionArn", "repository_providers"),
    ("hotfix", "repositories", "*", "webhook_secret"): ("secretsmanager", "NameType", None),
    ("hotfix", "repositories", "*", "api_token"): ("secretsmanager", "NameType", None),
    ("deploy", "artifacts_bucket"): ("s3", "BucketName", None),
    ("deploy", "stack_set", "organizational_units", "*"): ("cloudformation", "OrganizationalUnitId", None),
}

# Values that reach AWS only through names the toolkit derives (logical ids, stack,
# role, rule and function names: the naming tests hold those), or go nowhere.
DERIVED_OR_LOCAL = {
    ("stack_prefix",): "prefix of stack, role, export and function names (core/naming.py)",
    ("principals", "*", "name"): "a reference inside this file",
    ("portfolios", "*", "name"): "references and the portfolio's stack name and logical ids",
    ("portfolios", "*", "tag_options", "*"): "a reference to a tag option key",
    ("portfolios", "*", "principals", "*"): "a reference to a principal",
    ("portfolios", "*", "products", "*"): "a reference to a product",
    ("portfolios", "*", "share", "accounts", "*"): "an account role or id; ids match servicecatalog AccountId, roles resolve to ids",
    ("portfolios", "*", "share", "organizational_units", "*"): "refused at validation (organizational_units.py): never sent",
    ("portfolios", "*", "constraints", "*", "product"): "a reference to a product",
    ("portfolios", "*", "constraints", "*", "template", "rules", "<key>"): "a rule name in the constraint's JSON rules",
    ("portfolios", "*", "constraints", "*", "template", "rules", "*", "assertions", "*", "description"):
        "inside the template constraint's Rules JSON (ConstraintParameters, no limit of its own)",
    ("portfolios", "*", "constraints", "*", "stack_set", "accounts", "*"): "an account role or id, resolved to an id",
    ("products", "*", "tag_options", "*"): "a reference to a tag option key",
    ("products", "*", "versions", "*", "template", "file"): "read by the build, uploaded under products/",
    ("products", "*", "versions", "*", "template", "url"): "LoadTemplateFromURL inside the artifact's Info map (no shape of its own)",
    ("hotfix", "developers", "*"): "a reference to a principal",
    ("hotfix", "repositories", "*", "branch_prefix"): "an EventBridge prefix and AllowedPattern; held by branch_names",
    ("hotfix", "repositories", "*", "product"): "a reference to a product",
    ("hotfix", "repositories", "*", "portfolio"): "a reference to a portfolio",
    ("hotfix", "repositories", "*", "approvers", "*"): "a reference to a principal",
    ("hotfix", "repositories", "*", "approval_notifications", "*"): "an SNS e-mail subscription endpoint (no shape limits)",
    ("hotfix", "repositories", "*", "parameters", "application_name"): "a prefix of derived stack and role names",
    ("hotfix", "repositories", "*", "api_url"): "the provider's API the Lambdas call over HTTPS: reaches no AWS API",
    ("deploy", "artifacts_prefix"): "a prefix of S3 object keys (ObjectKey: at least 1 character, which the file names add)",
    ("accounts", "tools", "deploy_role"): "forms arn:aws:iam::ID:role/NAME, the RoleArn deploy passes to sts:AssumeRole",
    ("accounts", "stage", "deploy_role"): "forms arn:aws:iam::ID:role/NAME, the RoleArn deploy passes to sts:AssumeRole",
    ("accounts", "prod", "deploy_role"): "forms arn:aws:iam::ID:role/NAME, the RoleArn deploy passes to sts:AssumeRole",
    ("accounts", "qa", "deploy_role"): "forms arn:aws:iam::ID:role/NAME, the RoleArn deploy passes to sts:AssumeRole",
}

LOADER = Loader()
_MODELS: dict = {}


def shape(service: str, name: str) -> dict:
    if service not in _MODELS:
        _MODELS[service] = LOADER.load_service_model(service, "service-2")["shapes"]
    return _MODELS[service][name]


def test_every_string_is_mapped_to_an_aws_shape_or_listed_with_its_reason():
    paths = {path for path, _ in NODES} | UNREACHABLE
    unmapped = sorted("/".join(p) for p in paths - set(SENT) - set(DERIVED_OR_LOCAL))
    assert unmapped == [], "map these to the botocore shape they reach (or say why they reach none)"
    assert sorted("/".join(p) for p in (set(SENT) | set(DERIVED_OR_LOCAL)) - paths) == [], "entries for paths the schema no longer has"


def test_each_rule_named_here_is_a_rule_that_runs():
    modules = {rule.__name__.rsplit(".", 1)[-1] for rule in checks.RULES}
    assert {rule for _, _, rule in SENT.values() if rule} <= modules


def _java_pattern(text: str):
    """botocore's Java pattern as a Python one, matched whole; None where Python's 're' cannot say it (\\p{...})."""
    if "\\p{" in text:
        return None
    return re.compile(text, re.ASCII)


SCHEMA_NODES = dict(NODES)


@pytest.mark.parametrize("path", sorted(SENT), ids=lambda p: "/".join(p))
def test_the_schema_is_within_the_aws_shape(path):
    service, name, rule = SENT[path]
    aws = shape(service, name)
    node = SCHEMA_NODES[path]
    check = Draft202012Validator(node).is_valid
    if "max" in aws and node.get("maxLength", float("inf")) > aws["max"]:
        # No maxLength of its own: the pattern must bound it (a valid value padded past the limit is refused).
        value = next(v for v in samples(RICH, path) if isinstance(v, str))
        padded = value + value[-1] * (aws["max"] + 1 - len(value))
        assert not check(padded), f"{name} takes at most {aws['max']} characters"
    if aws.get("min", 0) > 0:
        assert not Draft202012Validator(node).is_valid(""), f"{name} takes at least {aws['min']} characters"
    if "enum" in aws and "enum" in node:
        assert set(node["enum"]) <= set(aws["enum"])
    pattern = _java_pattern(aws["pattern"]) if "pattern" in aws else None
    if "pattern" in aws and pattern is None:
        assert rule, f"{name}'s pattern {aws['pattern']} needs a semantic rule: name it in SENT"
    if pattern is None:
        return
    accepted = [s for s in probes(node.get("pattern", ""), random.Random(7)) if check(s)]
    accepted += [v for v in samples(RICH, path) if isinstance(v, str)]
    assert accepted, "no probe the schema accepts: the test would prove nothing"
    refused_by_aws = sorted({s for s in accepted if not pattern.fullmatch(s)})
    assert refused_by_aws == [], f"the schema admits values {name} refuses ({aws['pattern']})"
