"""Handler permissions that more than one generated role needs: a log group's.

What a type's CloudFormation handlers (create, read, update, delete, list)
list as ``handlers.<op>.permissions`` in the registry schema cfn-lint 1.58.0
bundles. The launch roles (build logs) and the workload CloudFormation role
(the application's log group) both deploy log groups. Not here: what only an
unused property calls (data protection deliveries to Firehose, account-level
resource policies, ``s3:REST.PUT.OBJECT``, which is no IAM action); the
sufficiency gate's ``generator/gates/handlers.py`` gives each its reason and
proves, per build, that every role holds what its templates need.
"""

from __future__ import annotations

LOG_GROUP = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteDataProtectionPolicy",
             "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey",
             "logs:GetDataProtectionPolicy", "logs:ListTagsForResource", "logs:PutBearerTokenAuthentication",
             "logs:PutDataProtectionPolicy", "logs:PutLogGroupDeletionProtection",
             "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"]
# No resource type (Service Authorization Reference, Amazon CloudWatch Logs): granted on "*". The read handler's
# DescribeIndexPolicies is one of them: granted on the log group, it is denied and the read fails. Put/DeleteIndexPolicy
# are "*"-only too, and only FieldIndexPolicies, which no generated log group sets, calls them.
LOG_GROUP_ACCOUNT_READS = ["logs:DescribeIndexPolicies", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies"]
