"""What a launch role needs to create, update and delete a pipeline product's resources.

Every resource a pipeline product creates is named from its slug, which
starts with ``{prefix}-pl-``: the policy is scoped to that prefix.
"""

from __future__ import annotations

from troposphere import Sub

from ...core.model import Catalogue
from .. import iam


def launch_statements(cat: Catalogue) -> list[dict]:
    """What the launch role needs to create, update and delete a pipeline product's resources."""
    p = cat.stack_prefix
    partition = "${AWS::Partition}"
    own = f"{p}-pl-*"
    return [
        iam.statement(["cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
                       "cloudformation:DescribeStacks", "cloudformation:SetStackPolicy", "cloudformation:UpdateStack"],
                      iam.arn("cloudformation", "stack/SC-*")),
        iam.statement(["cloudformation:GetTemplateSummary", "cloudformation:ValidateTemplate"], "*"),
        iam.statement("s3:GetObject", "*", {"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}}),
        iam.statement(["iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:GetRole", "iam:GetRolePolicy",
                       "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
                       "iam:UpdateRoleDescription"], Sub(f"arn:{partition}:iam::${{AWS::AccountId}}:role/{own}")),
        iam.statement("iam:PassRole", Sub(f"arn:{partition}:iam::${{AWS::AccountId}}:role/{own}"),
                      {"StringEquals": {"iam:PassedToService": ["codebuild.amazonaws.com", "codepipeline.amazonaws.com",
                                                                "events.amazonaws.com"]}}),
        iam.statement(["codebuild:BatchGetProjects", "codebuild:CreateProject", "codebuild:DeleteProject",
                       "codebuild:UpdateProject"], iam.arn("codebuild", f"project/{own}")),
        iam.statement(["codepipeline:CreatePipeline", "codepipeline:DeletePipeline", "codepipeline:GetPipeline",
                       "codepipeline:GetPipelineState", "codepipeline:ListTagsForResource", "codepipeline:TagResource",
                       "codepipeline:UntagResource", "codepipeline:UpdatePipeline"], iam.arn("codepipeline", own)),
        iam.statement(["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy",
                       "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
                      iam.arn("logs", f"log-group:/aws/codebuild/{own}")),
        iam.statement("logs:DescribeLogGroups", "*"),
        iam.statement(["events:DeleteRule", "events:DescribeRule", "events:PutRule", "events:PutTargets",
                       "events:RemoveTargets", "events:TagResource", "events:UntagResource"], iam.arn("events", f"rule/{own}")),
    ]
