"""The tools account's prerequisites for the pipelines.

The customer managed key (rotated; workload deploy and task roles may only
decrypt and describe), the artifact bucket and its access-log bucket, one
ECR repository and one approval topic per application, the CodeCommit
repositories the config asks the toolkit to create, and the CodeConnections
connections it asks for (``connections``).
"""

from __future__ import annotations

from troposphere import Export, GetAtt, Output, Ref, Sub, Tags, codecommit, ecr, kms, s3, sns

from ..core.model import Catalogue
from ..core.naming import logical_id, stack_name
from . import connections, iam, refs
from .builtin import parts
from .stack import Stack, make_stack
from .template import new_template

ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
    "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:ListAliases", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource",
    "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
]


def key_alias(cat: Catalogue) -> str:
    return f"alias/{cat.stack_prefix}-pipelines"


def key_by_alias(cat: Catalogue, actions) -> dict:
    """A statement on the pipeline key for a stack that deploys before the key exists (or in another account).

    The key's ARN is unknown until this stack exists, and this stack's key
    policy names roles made earlier: match the key by its alias instead.
    """
    return iam.statement(actions, f"arn:aws:kms:{cat.region}:{cat.account_id('tools')}:key/*",
                         {"ForAnyValue:StringEquals": {"kms:ResourceAliases": key_alias(cat)}})


def log_bucket_name(cat: Catalogue) -> str:
    return f"{cat.stack_prefix}-access-logs-{cat.account_id('tools')}-{cat.region}"


def topic_name(cat: Catalogue, application: str) -> str:
    return f"{cat.stack_prefix}-{application}-approvals"


def task_role_name(cat: Catalogue, application: str) -> str:
    """The ECS task execution role in each workload account (made by the workload prerequisites)."""
    return f"{cat.stack_prefix}-{application}-task-exec"


def workload_role_arns(cat: Catalogue, name_of) -> list[str]:
    return [f"arn:aws:iam::{cat.account_id(a)}:role/{name_of(cat, app)}"
            for a in refs.workload_accounts(cat) for app in refs.applications(cat)]


def stack_name_for(cat: Catalogue) -> str:
    return stack_name(cat.stack_prefix, "tools-prerequisites")


def _root(cat: Catalogue) -> str:
    return f"arn:aws:iam::{cat.account_id('tools')}:root"


def _key_policy(cat: Catalogue) -> dict:
    tools = cat.account_id("tools")
    pipeline_roles = f"arn:aws:iam::{tools}:role/{cat.stack_prefix}-*"
    readers = sorted(workload_role_arns(cat, refs.deploy_role_name) + workload_role_arns(cat, task_role_name))
    statements = [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": _root(cat)}, "Action": ADMIN_ACTIONS, "Resource": "*"},
        {"Sid": "UseByToolkitRoles", "Effect": "Allow", "Principal": {"AWS": _root(cat)}, "Action": iam.KEY_USE_ACTIONS, "Resource": "*",
         "Condition": {"ArnLike": {"aws:PrincipalArn": pipeline_roles}}},
        # ECR user guide, "Encryption at rest": creating a repository with a customer managed key, ECR
        # describes the key and creates grants on it (the AWS::ECR::Repository create handler lists
        # kms:CreateGrant, kms:RetireGrant and kms:DescribeKey); pushes and pulls then go through the
        # grants, so pushers and pullers need no key permission of their own.
        {"Sid": "EcrCreatesGrants", "Effect": "Allow", "Principal": {"AWS": _root(cat)}, "Action": ["kms:CreateGrant"],
         "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": f"ecr.{cat.region}.amazonaws.com",
                                                         "kms:CallerAccount": tools},
                                        "Bool": {"kms:GrantIsForAWSResource": "true"}}},
        {"Sid": "EcrReadsAndRetires", "Effect": "Allow", "Principal": {"AWS": _root(cat)},
         "Action": ["kms:DescribeKey", "kms:RetireGrant"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": f"ecr.{cat.region}.amazonaws.com", "kms:CallerAccount": tools}}},
        {"Sid": "UseByCloudWatchLogs", "Effect": "Allow", "Principal": {"Service": f"logs.{cat.region}.amazonaws.com"},
         "Action": iam.KEY_USE_ACTIONS, "Resource": "*",
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{cat.region}:{tools}:log-group:*"}}},
        {"Sid": "UseByEventsForDeadLetters", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceAccount": tools}}},
    ]
    if readers:
        statements.append({"Sid": "WorkloadRolesDecryptOnly", "Effect": "Allow", "Principal": {"AWS": readers},
                           "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"})
    return iam.document(*statements)


def _tls_only(arn_expr) -> dict:
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [arn_expr, Sub("${Arn}/*", Arn=arn_expr)], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def _public_block() -> s3.PublicAccessBlockConfiguration:
    return s3.PublicAccessBlockConfiguration(BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True,
                                             RestrictPublicBuckets=True)


def _bucket(lid: str, name: str, encryption: s3.ServerSideEncryptionRule, expire_days: int, **extra) -> s3.Bucket:
    """Versioned, private, owner-enforced, expiring: what both buckets share."""
    return s3.Bucket(
        lid, BucketName=name,
        BucketEncryption=s3.BucketEncryption(ServerSideEncryptionConfiguration=[encryption]),
        VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
        PublicAccessBlockConfiguration=_public_block(),
        OwnershipControls=s3.OwnershipControls(Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]),
        LifecycleConfiguration=s3.LifecycleConfiguration(Rules=[s3.LifecycleRule(
            Id="expire", Status="Enabled", ExpirationInDays=expire_days,
            NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(NoncurrentDays=30),
            AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(DaysAfterInitiation=7))]),
        Tags=Tags(**{"managed-by": "service-catalog-toolkit"}),
        **extra,
    )


def _buckets(t, cat: Catalogue) -> None:
    logs = t.add_resource(_bucket(
        "AccessLogBucket", log_bucket_name(cat),
        s3.ServerSideEncryptionRule(ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(SSEAlgorithm="AES256")),
        365,
        Metadata={"checkov": {"skip": [
            {"id": "CKV_AWS_18", "comment": "This is the access-log bucket itself; logging it into itself would loop"},
            {"id": "CKV_AWS_145", "comment": "S3 server access log delivery supports only SSE-S3 on the target bucket"},
        ]}},
    ))
    t.add_resource(s3.BucketPolicy("AccessLogBucketPolicy", Bucket=Ref(logs), PolicyDocument=iam.document(
        _tls_only(GetAtt(logs, "Arn")),
        {"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": ["s3:PutObject"], "Resource": [Sub("${Arn}/artifacts/*", Arn=GetAtt(logs, "Arn"))],
         "Condition": {"StringEquals": {"aws:SourceAccount": cat.account_id("tools")}}},
    )))
    artifacts = t.add_resource(_bucket(
        "ArtifactBucket", parts.artifact_bucket(cat),
        s3.ServerSideEncryptionRule(BucketKeyEnabled=True, ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(
            SSEAlgorithm="aws:kms", KMSMasterKeyID=GetAtt("PipelineKey", "Arn"))),
        180,
        LoggingConfiguration=s3.LoggingConfiguration(DestinationBucketName=Ref(logs), LogFilePrefix="artifacts/"),
        Metadata={"checkov": {"skip": [
            {"id": "CKV_AWS_144", "comment": "Pipeline artifacts are rebuilt from the repository; replication would double cost for no recovery gain"},
        ]}},
    ))
    deploy_roles = sorted(workload_role_arns(cat, refs.deploy_role_name))
    statements = [_tls_only(GetAtt(artifacts, "Arn"))]
    if deploy_roles:
        statements.append({"Sid": "WorkloadDeployRolesReadArtifacts", "Effect": "Allow", "Principal": {"AWS": deploy_roles},
                           "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                           "Resource": [Sub("${Arn}/*", Arn=GetAtt(artifacts, "Arn"))]})
    t.add_resource(s3.BucketPolicy("ArtifactBucketPolicy", Bucket=Ref(artifacts), PolicyDocument=iam.document(*statements)))
    t.add_output(Output("ArtifactBucket", Value=Ref(artifacts), Export=Export(refs.tools_export(cat, "artifact-bucket"))))


ECR_LIFECYCLE = ('{"rules": [{"rulePriority": 1, "description": "Keep the newest 100 images", '
                 '"selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 100}, '
                 '"action": {"type": "expire"}}]}')


def _per_application(t, cat: Catalogue) -> None:
    repos = cat.hotfix.repositories if cat.hotfix else ()
    ecr_names = {r.parameters.ecr_repository: r.parameters.application_name for r in repos}
    for name, app in sorted(ecr_names.items()):
        pullers = sorted(f"arn:aws:iam::{cat.account_id(a)}:role/{task_role_name(cat, app)}" for a in refs.workload_accounts(cat))
        policy = iam.document({"Sid": "WorkloadTasksPull", "Effect": "Allow", "Principal": {"AWS": pullers},
                               "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]})
        lid = logical_id("Ecr", name)
        t.add_resource(ecr.Repository(
            lid, RepositoryName=name, ImageTagMutability="IMMUTABLE",
            ImageScanningConfiguration=ecr.ImageScanningConfiguration(ScanOnPush=True),
            EncryptionConfiguration=ecr.EncryptionConfiguration(EncryptionType="KMS", KmsKey=GetAtt("PipelineKey", "Arn")),
            LifecyclePolicy=ecr.LifecyclePolicy(LifecyclePolicyText=ECR_LIFECYCLE),
            RepositoryPolicyText=policy,
            Tags=Tags(application=app)))
    for app in refs.applications(cat):
        emails = sorted({e for r in repos if r.parameters.application_name == app for e in r.approval_notifications})
        t.add_resource(sns.Topic(
            logical_id("ApprovalTopic", app), TopicName=topic_name(cat, app),
            DisplayName=f"{app} production approvals"[:100], KmsMasterKeyId=GetAtt("PipelineKey", "Arn"),
            Subscription=[sns.Subscription(Protocol="email", Endpoint=e) for e in emails],
            Tags=Tags(application=app)))
    for repo in sorted(repos, key=lambda r: r.name):
        if repo.create:
            # Encrypted with the AWS managed key aws/codecommit, not the pipeline key: with a customer
            # managed key every user of the repository (developers, pipelines, the pull-request and
            # reconciler Lambdas, whatever else the team uses) needs kms:Encrypt, kms:Decrypt,
            # kms:GenerateDataKey and kms:DescribeKey on it (CodeCommit user guide, "AWS Key Management
            # Service and encryption for AWS CodeCommit repositories"), and the key policy would still
            # delegate to IAM: no control gained, every git client broken.
            t.add_resource(codecommit.Repository(
                "Repository" + refs.repo_key(repo.name), RepositoryName=repo.name,
                RepositoryDescription=f"Application {repo.parameters.application_name}; hotfix branches start with {repo.branch_prefix}",
                Tags=Tags(application=repo.parameters.application_name),
                DeletionPolicy="Retain", UpdateReplacePolicy="Retain"))


def build(cat: Catalogue, depends_on: list[str]) -> list[Stack]:
    if not cat.hotfix:
        return []
    t = new_template(f"Tools-account prerequisites of the pipelines of catalogue '{cat.stack_prefix}': key, artifact "
                     "and log buckets, ECR repositories, approval topics, repositories. Generated by the toolkit.")
    key = t.add_resource(kms.Key(
        "PipelineKey", Description=f"Pipelines of catalogue {cat.stack_prefix}: artifacts, images, logs, topics, queues",
        EnableKeyRotation=True, KeyPolicy=_key_policy(cat), PendingWindowInDays=30,
        DeletionPolicy="Retain", UpdateReplacePolicy="Retain"))
    t.add_resource(kms.Alias("PipelineKeyAlias", AliasName=key_alias(cat), TargetKeyId=Ref(key)))
    t.add_output(Output("PipelineKeyArn", Value=GetAtt(key, "Arn"), Export=Export(refs.tools_export(cat, "key-arn"))))
    _buckets(t, cat)
    _per_application(t, cat)
    connections.add_created(t, cat)
    return [make_stack(t, name=stack_name_for(cat), kind="tools-prerequisites", account="tools", region=cat.region,
                       depends_on=depends_on)]
