"""Actions AWS authorises only on Resource "*", each with the reason, for both least privilege and sufficiency.

Least privilege allows "*" for these actions and no others; sufficiency
checks these actions against "*" (a narrower grant would be denied).
Source for each: the action's row in the Service Authorization Reference
(docs.aws.amazon.com/service-authorization/latest/reference/), where an
empty "Resource types" column means the action takes "*" only.
The compiler imports this table (generator.compiler.iam) to write each
role's reasons into its metadata.
"""

from __future__ import annotations

STAR_ONLY = {
    "ecr:GetAuthorizationToken": "ECR issues registry tokens per account; the action has no resource type",
    "cloudformation:ValidateTemplate": "template validation is not tied to a stack",
    "cloudformation:GetTemplateSummary": "Service Catalog summarises a template before any stack exists",
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
    "codepipeline:GetJobDetails": "jobs are not tied to a pipeline resource",
    # The registry's list handlers (CloudFormation's "list" operation) enumerate a whole account.
    "iam:ListRoles": "listing roles has no resource type",
    "codepipeline:ListPipelines": "listing pipelines has no resource type",
    "codebuild:ListProjects": "listing build projects has no resource type",
    "events:ListRules": "listing rules is an account-wide enumeration",
    "ecs:ListClusters": "listing clusters has no resource type",
    "ecs:ListServices": "listing services has no resource type (the cluster is a condition key)",
    "ecs:ListTaskDefinitions": "listing task definitions has no resource type",
    # Not ecs:RegisterTaskDefinition: it takes task-definition* (Service Authorization Reference, Amazon ECS),
    # so the workload role registers only its application's family.
    "ec2:DescribeInstances": "EC2 Describe* actions do not support resource-level permissions",
    "logs:DescribeResourcePolicies": "resource policies of CloudWatch Logs are account-wide",
    # The log-group handlers' field index policy calls take no resource type either.
    "logs:DescribeIndexPolicies": "field index policies are read account-wide (the action has no resource type)",
    "logs:PutIndexPolicy": "field index policies are written without a resource type",
    "logs:DeleteIndexPolicy": "field index policies are deleted without a resource type",
}


# Actions allowed on "*" only together with a condition that narrows them (any one of the keys). This table wins
# over STAR_ONLY: an action in both takes "*" only, and then only with the condition.
STAR_WITH_CONDITION = {
    "s3:GetObject": (("s3:ExistingObjectTag/servicecatalog:provisioning",),
                     "Service Catalog keeps product templates in a bucket of its own whose name is not published; "
                     "the tag condition limits reads to the objects it marks for provisioning"),
    # Issue 10 item 10. Service Catalog Administrator Guide, "Example access policies for provisioned product
    # management": the access-level keys limit it to the products the caller's role (or user) launched; without
    # one a role may terminate every provisioned product of the account, main pipelines included.
    "servicecatalog:TerminateProvisionedProduct": (("servicecatalog:roleLevel", "servicecatalog:userLevel"),
                                                   "provisioned products have no IAM resource type; the access-level "
                                                   "condition limits it to the products the caller launched"),
}


def star_allowed(stmt: dict) -> bool:
    """Whether a statement with Resource "*" is one AWS leaves no narrower choice for."""
    conditions = {k for ops in stmt.get("Condition", {}).values() for k in ops}
    actions = stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]
    return all(any(k in conditions for k in STAR_WITH_CONDITION[a][0]) if a in STAR_WITH_CONDITION else a in STAR_ONLY
               for a in actions)


def star_reason(actions) -> str:
    reasons = {**STAR_ONLY, **{a: r for a, (_, r) in STAR_WITH_CONDITION.items()}}
    return "; ".join(f"{a}: {reasons[a]}" for a in sorted(actions))
