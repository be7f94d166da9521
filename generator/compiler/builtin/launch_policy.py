"""What a launch role needs to create, read, update and delete a pipeline product's resources.

Every resource a pipeline product creates is named from its slug, which
starts with ``{prefix}-pl-``: the policy is scoped to that prefix. For each
resource type in the built-in templates the role holds every permission the
type's CloudFormation handlers list (create, read, update, delete, list:
``handlers.<op>.permissions`` in the registry schema cfn-lint 1.58.0
bundles), except those only properties the templates never set call (the
sufficiency gate, ``generator/gates/handlers.py``, names each with its
reason and proves the rest held). Without the read and delete ones, terminating a provisioned pipeline
fails and leaves the product in ERROR with its pipeline orphaned.

A launch role that can create roles could grant itself anything through
them, so every role it creates must carry the permissions boundary
(``launch_roles.boundary_statements``); it may not remove it or edit the policy.
"""

from __future__ import annotations

from troposphere import Sub

from ...core.model import Catalogue
from ...core.naming import pipeline_role_pattern
from .. import connections, handler_actions, iam
from . import parts

# Service Catalog administrator guide, "AWS Service Catalog launch constraints": the launch role runs the
# CloudFormation stack operations of the provisioned product (stacks Service Catalog names SC-<account>-pp-<id>)
# and reads the template from the service's own bucket, whose objects it tags servicecatalog:provisioning.
STACK_ACTIONS = ["cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
                 "cloudformation:DescribeStacks", "cloudformation:SetStackPolicy", "cloudformation:UpdateStack"]
# IAM actions that change what a role may do: allowed only when the role carries the boundary
# (IAM user guide, "Permissions boundaries for IAM entities": iam:PermissionsBoundary).
ROLE_PERMISSION_CHANGES = ["iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                           "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
ROLE_OTHER = ["iam:DeleteRole", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies",
              "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"]
# AWS::CodeBuild::Project publishes no handlers; its CloudFormation resource calls these CodeBuild APIs
# (CodeBuild API reference; the project's Tags go with CreateProject/UpdateProject).
PROJECT = ["codebuild:BatchGetProjects", "codebuild:CreateProject", "codebuild:DeleteProject", "codebuild:UpdateProject"]
# (and codebuild:ListProjects for its list operation, in LISTS)
PIPELINE = ["codepipeline:CreatePipeline", "codepipeline:DeletePipeline", "codepipeline:DisableStageTransition",
            "codepipeline:EnableStageTransition", "codepipeline:GetPipeline", "codepipeline:GetPipelineState",
            "codepipeline:ListTagsForResource", "codepipeline:StartPipelineExecution", "codepipeline:TagResource",
            "codepipeline:UntagResource", "codepipeline:UpdatePipeline"]
RULE = ["events:DeleteRule", "events:DescribeRule", "events:ListTagsForResource", "events:ListTargetsByRule",
        "events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"]
# List handlers and account-wide reads: no resource type (Service Authorization Reference).
LISTS = ["codebuild:ListProjects", "codepipeline:ListPipelines", "events:ListRules", "iam:ListRoles",
         *handler_actions.LOG_GROUP_ACCOUNT_READS]
PASSED_TO = ["codebuild.amazonaws.com", "codepipeline.amazonaws.com", "events.amazonaws.com"]


def _roles(cat: Catalogue) -> Sub:
    return Sub(f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{pipeline_role_pattern(cat.stack_prefix)}")


def launch_statements(cat: Catalogue) -> list[dict]:
    own = pipeline_role_pattern(cat.stack_prefix)
    return [
        iam.statement(STACK_ACTIONS, iam.arn("cloudformation", "stack/SC-*")),
        iam.statement(["cloudformation:GetTemplateSummary", "cloudformation:ValidateTemplate"], "*"),
        iam.statement("s3:GetObject", "*", {"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}}),
        iam.statement(ROLE_PERMISSION_CHANGES, _roles(cat),
                      {"StringEquals": {"iam:PermissionsBoundary": parts.boundary_arn(cat)}}),
        iam.statement(ROLE_OTHER, _roles(cat)),
        iam.statement("iam:PassRole", _roles(cat), {"StringEquals": {"iam:PassedToService": PASSED_TO}}),
        iam.statement(PROJECT, iam.arn("codebuild", f"project/{own}")),
        iam.statement(PIPELINE, iam.arn("codepipeline", own)),
        iam.statement(handler_actions.LOG_GROUP, iam.arn("logs", f"log-group:/aws/codebuild/{own}")),
        iam.statement(RULE, iam.arn("events", f"rule/{own}")),
        iam.statement(LISTS, "*"),
        # A pipeline whose source is a connection is created only with PassConnection on it, passed to CodePipeline
        # (AWS::CodePipeline::Pipeline create and update handlers; Service Authorization Reference, CodeConnections:
        # PassConnection, condition key PassedToService): only the catalogue's connections.
        *connections.statements(cat, "PassConnection",
                                lambda prefix: {"StringEquals": {f"{prefix}:PassedToService": "codepipeline.amazonaws.com"}}),
        # No way around the boundary: neither removing it from a role nor changing the policy itself.
        iam.statement("iam:DeleteRolePermissionsBoundary", _roles(cat), effect="Deny", sid="KeepTheBoundary"),
        iam.statement(["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
                       "iam:SetDefaultPolicyVersion"], parts.boundary_arn(cat), effect="Deny", sid="BoundaryUnchanged"),
    ]
