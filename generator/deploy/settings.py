"""Where the output goes in S3, and the values of the deploy-time parameters that follow from it.

Keys: product templates keep their output path under the prefix, because
each product version's template URL is built from it and Service Catalog
reads a version's template once, when the version is created; Lambda
bundles carry their content's hash in their name; stack templates go under
``stacks/<name>/<sha256>.template.json``. So every key names one content,
and a second deploy of the same output uploads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.exceptions import UsageError
from ..core.model import Catalogue
from .artifacts import StackEntry
from .errors import DeployError

PRODUCT_TEMPLATE_BASE_URL = "ProductTemplateBaseUrl"
LAMBDA_CODE_BUCKET = "LambdaCodeBucket"
LAMBDA_CODE_PREFIX = "LambdaCodePrefix"


@dataclass(frozen=True)
class Target:
    bucket: str
    prefix: str  # empty or ending in "/"
    region: str  # the home region: the bucket's, and the Lambdas'

    def key(self, path: str) -> str:
        return f"{self.prefix}{path}"

    def stack_key(self, stack: StackEntry) -> str:
        return self.key(f"stacks/{stack.name}/{stack.sha256}.template.json")

    def url(self, key: str) -> str:
        # The regional virtual-hosted form: valid in every region, and what
        # CloudFormation's TemplateURL and Service Catalog's LoadTemplateFromURL
        # accept (CloudFormation user guide, "Selecting a stack template").
        return f"https://{self.bucket}.s3.{self.region}.amazonaws.com/{key}"

    def location(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def parameter_values(self) -> dict[str, str]:
        return {
            PRODUCT_TEMPLATE_BASE_URL: self.url(self.prefix.rstrip("/")).rstrip("/"),
            LAMBDA_CODE_BUCKET: self.bucket,
            LAMBDA_CODE_PREFIX: self.prefix,
        }


def target(cat: Catalogue) -> Target:
    if cat.deploy is None:
        raise DeployError("the config has no deploy section: add deploy.artifacts_bucket (an existing S3 bucket in the tools "
                          "account and the home region) so that deploy knows where to upload the output")
    return Target(cat.deploy.artifacts_bucket, cat.deploy.artifacts_prefix, cat.region)


def stack_set_targets(cat: Catalogue):
    """deploy.stack_set, which --stackset needs (a usage error without it)."""
    if cat.deploy is None or cat.deploy.stack_set is None:
        raise UsageError("--stackset needs deploy.stack_set.organizational_units in the config: the organizational units "
                         "whose accounts receive the workload prerequisites")
    return cat.deploy.stack_set


def parameters(stack: StackEntry, where: Target) -> list[dict[str, str]]:
    """The stack's CloudFormation parameters, deploy-time placeholders filled in."""
    values = where.parameter_values()
    out = []
    for key, value in stack.parameters:
        if key in stack.deploy_time_parameters:
            if key not in values:
                raise DeployError(f"stack {stack.id} takes the deploy-time parameter {key}, which this toolkit's deploy "
                                  "does not know how to fill: rebuild output/ with the same toolkit version")
            value = values[key]
        out.append({"ParameterKey": key, "ParameterValue": str(value)})
    return out
