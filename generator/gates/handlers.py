"""What CloudFormation needs, per resource type, to create, read, update, delete and list it.

The source is the CloudFormation registry schema of each type, as cfn-lint
1.58.0 bundles it (``cfnlint/data/schemas/resources/*.json``, indexed per
region by ``providers/<region>.json``): ``handlers.<op>.permissions``. A
handler's list is the union over every property the type has; this module
narrows it with two small tables, each entry with its reason, and says
for each permission which ARN it must be allowed on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache

from .resourceless import STAR_ONLY

OPERATIONS = ("create", "read", "update", "delete", "list")
CFN_LINT_VERSION = "1.58.0"

# Types whose registry schema publishes no handlers (legacy, non-registry resource types). What their
# operations call is the service's API for the resource: CodeBuild API Reference, CreateProject,
# BatchGetProjects, UpdateProject, DeleteProject, ListProjects; the service role is passed (iam:PassRole).
SUPPLEMENT = {
    "AWS::CodeBuild::Project": {
        "create": ["codebuild:CreateProject", "codebuild:BatchGetProjects", "iam:PassRole"],
        "read": ["codebuild:BatchGetProjects"],
        "update": ["codebuild:UpdateProject", "codebuild:BatchGetProjects", "iam:PassRole"],
        "delete": ["codebuild:DeleteProject", "codebuild:BatchGetProjects"],
        "list": ["codebuild:ListProjects"],
    },
}

# Strings in handler lists that are not IAM actions.
NOT_IAM_ACTIONS = {
    "s3:REST.PUT.OBJECT": "an S3 REST operation name (log delivery writes it), not an IAM action",
}

# Permissions a handler calls only for an optional property: needed when one of the properties is set.
# The property is the one whose API the action is (the type's schema and the service's API reference).
BY_PROPERTY: dict[str, dict[str, tuple[str, ...]]] = {
    "AWS::Logs::LogGroup": {
        "logs:PutDataProtectionPolicy": ("DataProtectionPolicy",),
        "logs:DeleteDataProtectionPolicy": ("DataProtectionPolicy",),
        "logs:CreateLogDelivery": ("DataProtectionPolicy",),
        "firehose:TagDeliveryStream": ("DataProtectionPolicy",),
        "logs:PutIndexPolicy": ("FieldIndexPolicies",),
        "logs:DeleteIndexPolicy": ("FieldIndexPolicies",),
        "logs:PutResourcePolicy": ("ResourcePolicyDocument",),
        "logs:DeleteResourcePolicy": ("ResourcePolicyDocument",),
        "logs:AssociateKmsKey": ("KmsKeyId",),
        "logs:DisassociateKmsKey": ("KmsKeyId",),
        "logs:PutLogGroupDeletionProtection": ("DeletionProtectionEnabled",),
        "logs:PutBearerTokenAuthentication": ("BearerTokenAuthenticationEnabled",),
    },
    "AWS::IAM::Role": {
        "iam:AttachRolePolicy": ("ManagedPolicyArns",),
        "iam:DetachRolePolicy": ("ManagedPolicyArns",),
        "iam:PutRolePermissionsBoundary": ("PermissionsBoundary",),
        # Called only by an update that removes the boundary; allowing it would let the deployer lift any
        # role's boundary, which the least-privilege gate refuses (privilege escalation).
        "iam:DeleteRolePermissionsBoundary": ("-never-",),
        "iam:PutRolePolicy": ("Policies",),
        "iam:DeleteRolePolicy": ("Policies",),
        "iam:GetRolePolicy": ("Policies",),
    },
    "AWS::CodePipeline::Pipeline": {
        "codestar-connections:PassConnection": ("Stages.*.Actions.*.Configuration.ConnectionArn",),
        "codepipeline:DisableStageTransition": ("DisableInboundStageTransitions",),
        "codepipeline:EnableStageTransition": ("DisableInboundStageTransitions",),
        "codepipeline:StartPipelineExecution": ("RestartExecutionOnUpdate",),
    },
    "AWS::ECS::Cluster": {
        "kms:DescribeKey": ("Configuration.ManagedStorageConfiguration", "Configuration.ExecuteCommandConfiguration.KmsKeyId"),
        "ecs:PutClusterCapacityProviders": ("CapacityProviders", "DefaultCapacityProviderStrategy"),
        "ecs:UpdateClusterSettings": ("ClusterSettings",),
        "ecs:UpdateCluster": ("Configuration", "ServiceConnectDefaults"),
        # Account settings, not cluster settings: no property of the type sets them (the toolkit's reading).
        "ecs:PutAccountSetting": ("-never-",),
        "ecs:PutAccountSettingDefault": ("-never-",),
    },
    "AWS::ECS::Service": {
        "iam:PassRole": ("Role",),
        "ecs:StopServiceDeployment": ("DeploymentController",),
    },
    "AWS::Events::Rule": {
        "iam:PassRole": ("Targets.*.RoleArn",),
    },
}

# For permissions on another resource than the one being deployed: which property names it.
ROLE_PROPERTIES = {
    "AWS::CodePipeline::Pipeline": (("RoleArn",), "codepipeline.amazonaws.com"),
    "AWS::CodeBuild::Project": (("ServiceRole",), "codebuild.amazonaws.com"),
    "AWS::Events::Rule": (("Targets.*.RoleArn",), "events.amazonaws.com"),
    "AWS::ECS::TaskDefinition": (("ExecutionRoleArn", "TaskRoleArn"), "ecs-tasks.amazonaws.com"),
    "AWS::ECS::Service": (("Role",), "ecs.amazonaws.com"),
    "AWS::Lambda::Function": (("Role",), "lambda.amazonaws.com"),
}
KEY_PROPERTIES = {
    "AWS::ECS::Cluster": ("Configuration.ExecuteCommandConfiguration.KmsKeyId", "Configuration.ManagedStorageConfiguration.KmsKeyId"),
    "AWS::CodeBuild::Project": ("EncryptionKey",),
    "AWS::CodePipeline::Pipeline": ("ArtifactStore.EncryptionKey.Id",),
    "AWS::Logs::LogGroup": ("KmsKeyId",),
    "AWS::ECR::Repository": ("EncryptionConfiguration.KmsKey",),
    "AWS::Lambda::Function": ("KmsKeyArn",),
}
# The service that calls KMS on the caller's behalf for a type's key permissions (the kms:ViaService
# condition key; AWS KMS Developer Guide, kms:ViaService). ECR: "Encryption at rest" (ECR creates grants
# on the key when it creates the repository); Lambda: "Data protection" (environment variable encryption).
VIA_SERVICE = {"AWS::ECR::Repository": "ecr", "AWS::Lambda::Function": "lambda"}
# kms:GrantIsForAWSResource is true when an integrated service creates the grant (KMS Developer Guide).
GRANT_ACTIONS = ("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant")
# ECS service-linked role: ECS Developer Guide, "Using service-linked roles for Amazon ECS"; IAM condition key
# iam:AWSServiceName (IAM User Guide, "Creating a service-linked role").
SERVICE_LINKED = {
    "AWS::ECS::Cluster": ("ecs.amazonaws.com", "AWSServiceRoleForECS"),
}


def values_at(node, path: str) -> list:
    """Every value at a dotted path; ``*`` walks a list."""
    current = [node]
    for part in path.split("."):
        nxt = []
        for value in current:
            if part == "*" and isinstance(value, list):
                nxt.extend(value)
            elif isinstance(value, dict) and part in value:
                nxt.append(value[part])
        current = nxt
    return [v for v in current if v not in (None, "", [], {})]


@lru_cache(maxsize=1)
def _schemas_folder() -> str:
    import cfnlint

    return os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")


@lru_cache(maxsize=8)
def _index(region: str) -> dict:
    path = os.path.join(_schemas_folder(), "providers", f"{region}.json")
    if not os.path.exists(path):
        path = os.path.join(_schemas_folder(), "providers", "us-east-1.json")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=256)
def permissions(type_name: str, region: str = "us-east-1") -> dict[str, tuple[str, ...]]:
    """op -> actions of the type's handlers; {} when neither the registry nor SUPPLEMENT knows the type."""
    if type_name in SUPPLEMENT:
        return {op: tuple(v) for op, v in SUPPLEMENT[type_name].items()}
    digest = _index(region).get(type_name)
    if not digest:
        return {}
    with open(os.path.join(_schemas_folder(), "resources", f"{digest}.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    return {op: tuple(h.get("permissions", ())) for op, h in (schema.get("handlers") or {}).items() if op in OPERATIONS}


def source(type_name: str) -> str:
    if type_name in SUPPLEMENT:
        return f"{type_name}: no registry handler is published; its API operations (CodeBuild API Reference)"
    return f"{type_name} handler permissions (cfn-lint {CFN_LINT_VERSION} registry schema)"


@dataclass(frozen=True)
class Need:
    """One permission a deployment needs: the action on an ARN with the request's condition keys."""

    action: str
    arn: str
    context: tuple
    why: str


# A connection passed to a service: the ARN its property names, with the service it is passed to (Service
# Authorization Reference, AWS CodeConnections: PassConnection, condition key PassedToService). The handler lists
# the codestar-connections spelling; IAM authorises the call under the prefix of the connection's own ARN
# (Developer Tools console User Guide, "Identity and access management"), which ``spelled`` applies.
PASSED_CONNECTIONS = {
    "AWS::CodePipeline::Pipeline": ("Stages.*.Actions.*.Configuration.ConnectionArn", "codepipeline.amazonaws.com"),
}
CONNECTION_ACTIONS = ("codestar-connections:", "codeconnections:")


def spelled(action: str, arn: str) -> str:
    """A CodeConnections action under the prefix of the connection it acts on; any other action as it is."""
    if action.startswith(CONNECTION_ACTIONS) and arn.count(":") >= 5:
        return f"{arn.split(':')[2]}:{action.split(':', 1)[1]}"
    return action


def needed(type_name: str, action: str, props: dict) -> bool:
    gate = BY_PROPERTY.get(type_name, {}).get(action)
    if action in NOT_IAM_ACTIONS:
        return False
    return gate is None or any(values_at(props, path) for path in gate)


def targets(type_name: str, action: str, props: dict, own_arn: str, account: str, partition: str,
            region: str) -> list[tuple[str, tuple]]:
    """(ARN, condition keys) pairs the action is checked on; [] when it has nothing to act on."""
    if action in STAR_ONLY:
        return [("*", ())]
    service = action.split(":", 1)[0]
    if action in ("iam:PassRole", "iam:GetRole") and type_name in ROLE_PROPERTIES:
        paths, passed_to = ROLE_PROPERTIES[type_name]
        roles = sorted({str(r) for p in paths for r in values_at(props, p)})
        ctx = (("iam:PassedToService", passed_to),) if action == "iam:PassRole" else ()
        return [(role, ctx) for role in roles]
    if service == "kms" and type_name in KEY_PROPERTIES:
        ctx: tuple = ()
        if type_name in VIA_SERVICE:
            ctx = (("kms:CallerAccount", account), ("kms:ViaService", f"{VIA_SERVICE[type_name]}.{region}.amazonaws.com"))
            if action in GRANT_ACTIONS:
                ctx += (("kms:GrantIsForAWSResource", "true"),)
        return [(str(k), ctx) for p in KEY_PROPERTIES[type_name] for k in values_at(props, p)]
    if action.startswith(CONNECTION_ACTIONS) and action.endswith(":PassConnection") and type_name in PASSED_CONNECTIONS:
        path, passed_to = PASSED_CONNECTIONS[type_name]
        return [(str(arn), ((f"{str(arn).split(':')[2]}:PassedToService", passed_to),))
                for arn in sorted({str(a) for a in values_at(props, path)})]
    if action == "iam:CreateServiceLinkedRole" and type_name in SERVICE_LINKED:
        svc, name = SERVICE_LINKED[type_name]
        return [(f"arn:{partition}:iam::{account}:role/aws-service-role/{svc}/{name}", (("iam:AWSServiceName", svc),))]
    if action == "ec2:CreateSecurityGroup":
        vpcs = [f"arn:{partition}:ec2:{region}:{account}:vpc/{v}" for v in values_at(props, "VpcId")]
        return [(own_arn, ()), *[(v, ()) for v in vpcs]]
    return [(own_arn, ())]
