"""Handler permissions of the resource types the generated roles deploy, shared by those roles.

For each type, what its CloudFormation handlers (create, read, update,
delete, list) list as ``handlers.<op>.permissions`` in the registry schema
that cfn-lint 1.58.0 bundles. A role that deploys the type is granted all of
them on the resource's ARN, except the ones in ``NOT_GRANTED``: each is there
with the reason the template's properties can never need it.
tests/test_deploy_readiness_handlers.py holds these lists to the schemas.
"""

from __future__ import annotations

LOG_GROUP = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteDataProtectionPolicy", "logs:DeleteIndexPolicy",
             "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DescribeIndexPolicies", "logs:DisassociateKmsKey",
             "logs:GetDataProtectionPolicy", "logs:ListTagsForResource", "logs:PutBearerTokenAuthentication",
             "logs:PutDataProtectionPolicy", "logs:PutIndexPolicy", "logs:PutLogGroupDeletionProtection",
             "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"]
# No resource type (Service Authorization Reference, Amazon CloudWatch Logs): granted on "*".
LOG_GROUP_ACCOUNT_READS = ["logs:DescribeLogGroups", "logs:DescribeResourcePolicies"]

_LOG_GROUP_UNUSED = {
    "s3:REST.PUT.OBJECT": "not an IAM action (an S3 REST operation name in the schema)",
    "firehose:TagDeliveryStream": "for log deliveries to Firehose; the templates configure none",
    "logs:CreateLogDelivery": "account-wide vended-log delivery (no resource type); the templates configure none",
    "logs:PutResourcePolicy": "account-level resource policies, only for ResourcePolicyDocument, which no template sets",
    "logs:DeleteResourcePolicy": "account-level resource policies, only for ResourcePolicyDocument, which no template sets",
}

# Per resource type: handler permissions a role deploying it does not get, with the reason.
NOT_GRANTED = {
    "AWS::Logs::LogGroup": _LOG_GROUP_UNUSED,
    "AWS::IAM::Role": {
        "iam:DeleteRolePermissionsBoundary": "denied on purpose: every role the built-in templates create keeps the "
                                             "pipeline boundary, and the update handler calls it only to remove one",
    },
    "AWS::CodePipeline::Pipeline": {
        "codestar-connections:PassConnection": "for connection sources (GitHub, Bitbucket); the pipelines read CodeCommit",
    },
    "AWS::ECS::Cluster": {
        "ecs:PutAccountSetting": "changes an account-wide ECS setting; the cluster template sets none",
        "ecs:PutAccountSettingDefault": "changes an account-wide ECS default; the cluster template sets none",
        "kms:DescribeKey": "for a managed-storage encryption key; examples/app/infra/service.yaml configures none",
    },
    "AWS::ECS::Service": {
        "iam:PassRole": "for the service's Role property, which examples/app/infra/service.yaml leaves to the ECS "
                        "service-linked role",
    },
}
