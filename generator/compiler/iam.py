"""IAM policy documents as plain data, with the few shapes every stack uses.

Statements are built here so that the least-privilege walk in the tests has
one vocabulary to check, and actions come out sorted.
"""

from __future__ import annotations

from troposphere import Sub, iam

VERSION = "2012-10-17"

# Actions AWS grants only on "*": each needs a reason next to it, in the
# template's metadata and in the test allowlist.
STAR_ONLY = {
    "ecr:GetAuthorizationToken": "ECR issues registry tokens per account; the action has no resource type",
    "cloudformation:ValidateTemplate": "template validation is not tied to a stack",
    "cloudformation:GetTemplateSummary": "Service Catalog summarises a template before any stack exists",
    "ecs:RegisterTaskDefinition": "task definition registration has no resource-level permissions",
    "ecs:DeregisterTaskDefinition": "task definition deregistration has no resource-level permissions",
    "ecs:DescribeTaskDefinition": "task definition reads have no resource-level permissions",
    "ec2:DescribeSecurityGroups": "EC2 Describe* actions do not support resource-level permissions",
    "ec2:DescribeVpcs": "EC2 Describe* actions do not support resource-level permissions",
    "ec2:DescribeSubnets": "EC2 Describe* actions do not support resource-level permissions",
    "servicecatalog:SearchProvisionedProducts": "searching provisioned products has no resource type",
    "servicecatalog:SearchProductsAsAdmin": "searching products has no resource type",
    "servicecatalog:ListPortfolios": "listing portfolios has no resource type",
    "codecommit:ListRepositories": "listing repositories has no resource type",
    "logs:DescribeLogGroups": "listing log groups has no resource-level permissions",
    "servicecatalog:DescribeProvisionedProduct": "provisioned products have no IAM resource type",
    "servicecatalog:TerminateProvisionedProduct": "provisioned products have no IAM resource type",
    "servicecatalog:DescribeRecord": "provisioning records have no IAM resource type",
    "servicecatalog:SearchProducts": "the end-user product search has no resource type",
    "codepipeline:PutJobSuccessResult": "job results are not tied to a pipeline resource",
    "codepipeline:PutJobFailureResult": "job results are not tied to a pipeline resource",
}


# Actions allowed on "*" only together with a condition that narrows them.
STAR_WITH_CONDITION = {
    "s3:GetObject": ("s3:ExistingObjectTag/servicecatalog:provisioning",
                     "Service Catalog keeps product templates in a bucket of its own whose name is not published; "
                     "the tag condition limits reads to the objects it marks for provisioning"),
}


def star_allowed(stmt: dict) -> bool:
    """Whether a statement with Resource "*" is one AWS leaves no narrower choice for."""
    conditions = {k for ops in stmt.get("Condition", {}).values() for k in ops}
    return all(a in STAR_ONLY or (a in STAR_WITH_CONDITION and STAR_WITH_CONDITION[a][0] in conditions)
               for a in stmt["Action"])


def statement(actions, resources, condition: dict | None = None, effect: str = "Allow", sid: str | None = None) -> dict:
    actions = sorted(set([actions] if isinstance(actions, str) else actions))
    out = {"Effect": effect, "Action": actions, "Resource": resources if isinstance(resources, list) else [resources]}
    if condition:
        out["Condition"] = condition
    if sid:
        out["Sid"] = sid
    return out


def document(*statements: dict) -> dict:
    return {"Version": VERSION, "Statement": list(statements)}


def service_trust(service: str) -> dict:
    return document({"Effect": "Allow", "Principal": {"Service": service}, "Action": ["sts:AssumeRole"]})


def star_reason(actions) -> str:
    reasons = {**STAR_ONLY, **{a: r for a, (_, r) in STAR_WITH_CONDITION.items()}}
    return "; ".join(f"{a}: {reasons[a]}" for a in sorted(actions))


def role(lid: str, name, trust: dict, statements: list[dict], description: str) -> iam.Role:
    """A role with one inline policy; ``name`` may be a string or a Sub."""
    star = sorted({a for s in statements for a in s["Action"] if s["Resource"] == ["*"]})
    r = iam.Role(
        lid,
        RoleName=name,
        Description=description,
        AssumeRolePolicyDocument=trust,
        Policies=[iam.Policy(PolicyName="least-privilege", PolicyDocument=document(*statements))],
    )
    if star:
        r.Metadata = {"StarResource": {"Actions": star, "Reason": star_reason(star)}}
    return r


def arn(service: str, resource: str, region: str = "${AWS::Region}", account: str = "${AWS::AccountId}") -> Sub:
    return Sub(f"arn:${{AWS::Partition}}:{service}:{region}:{account}:{resource}")
