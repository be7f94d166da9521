"""Pieces both pipeline products share: parameters, the build, deploy actions, roles.

Every name a pipeline creates comes from the ``PipelineSlug`` parameter
(see ``core.naming.pipeline_slug``), so two branches never collide and no
name exceeds its limit. Every parameter carries an AllowedPattern.

A built-in template is published as a product version, and Service Catalog
never reads a version's template again: nothing here may depend on what a
catalogue lists (repositories, branch prefixes, accounts), or adding a
repository would silently change a published version. What varies per
catalogue is a parameter (the workload account ids) or a rule of the
generated template constraint (which repositories, which accounts), and
names in the tools account come from pseudo parameters. Only the catalogue's
``stack_prefix`` appears, and it never changes once deployed.
"""

from __future__ import annotations

from troposphere import Equals, GetAtt, If, Not, Output, Parameter, Ref, Sub, Tags, logs
from troposphere import codebuild as cb
from troposphere import codepipeline as cp
from troposphere import events as ev

from ...core import sources
from ...core.model import Catalogue
from ...core.naming import SOURCE_NAMESPACE, pipeline_slug_pattern
from ...core.pipeline_accounts import OPTIONAL, PARAMETERS, TARGETS
from .. import iam, refs

LOG_RETENTION_DAYS = 90
SOURCE = "SourceOutput"
BUILD = "BuildOutput"
HAS = {role: f"Has{role.capitalize()}Account" for role in OPTIONAL}  # condition: the optional account is configured

# A CodeCommit repository name (CodeCommit API reference, CreateRepository:
# [\w\.-]+, at most 100); the generated template constraint names the ones allowed.
REPOSITORY = r"^[\w.-]{1,100}$"
# A connection's ARN: either service prefix, the connection id a UUID (CodeConnections API reference,
# Connection.ConnectionArn). The prefix is also the IAM service prefix of the actions on it (Developer
# Tools console User Guide, "Identity and access management": the prefix must match the resource's).
CONNECTION_ARN = (r"^arn:aws:(codeconnections|codestar-connections):[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:connection/"
                  r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# A provider's repository id: owner/name, or a GitLab group path (checks/repository_providers.py holds each shape).
FULL_REPOSITORY_ID = r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$"


def add_parameters(t, cat: Catalogue, builtin: str, branch_pattern: str, branch_default: str | None = None) -> None:
    connected = sources.KIND_OF_BUILTIN[builtin] == sources.CONNECTION
    spec = {
        "PipelineSlug": ("Name of this pipeline and base of every name it creates (made by the toolkit from repository and branch)",
                         pipeline_slug_pattern(cat.stack_prefix), None),
        "RepositoryName": (("Repository to build, by its name in the toolkit's configuration" if connected else
                            "CodeCommit repository to build") + " (the template constraint names the allowed ones)", REPOSITORY, None),
        "BranchName": ("Branch the pipeline builds", f"^{branch_pattern}$", branch_default),
        "ApplicationName": ("Application name used in stack and resource names", "^[a-z][a-z0-9-]{1,19}$", None),
        "EcrRepositoryName": ("ECR repository the build pushes to",
                              r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", None),
        "BuildImage": ("CodeBuild image for the build", r"^[A-Za-z0-9][A-Za-z0-9./:@_-]{0,254}$", "aws/codebuild/standard:7.0"),
        "ContainerPort": ("Port the container listens on", r"^[1-9][0-9]{0,4}$", "80"),
        "ContainerCpu": ("Fargate CPU units", r"^(256|512|1024|2048|4096)$", "256"),
        "ContainerMemory": ("Fargate memory in MiB", r"^[1-9][0-9]{2,4}$", "512"),
        "DesiredCount": ("Number of running tasks", r"^([0-9]|10)$", "1"),
    }
    if connected:
        spec["ConnectionArn"] = ("CodeConnections connection that reaches the repository", CONNECTION_ARN, None)
        spec["FullRepositoryId"] = ("The provider's id of the repository: owner/name, or a GitLab group path",
                                    FULL_REPOSITORY_ID, None)
    for role in TARGETS[builtin]:
        optional = role in OPTIONAL
        spec[PARAMETERS[role]] = (
            f"Id of the {role} account the pipeline deploys to" + (" (empty: no such stage)" if optional else ""),
            "^([0-9]{12})?$" if optional else "^[0-9]{12}$", "" if optional else None)
        if optional:
            t.add_condition(HAS[role], Not(Equals(Ref(PARAMETERS[role]), "")))
    for name, (description, pattern, default) in spec.items():
        kwargs = {"Default": default} if default is not None else {}
        t.add_parameter(Parameter(name, Type="String", Description=description, AllowedPattern=pattern, **kwargs))


def only_with(role: str, value):
    """``value`` in a list, or nothing there when the optional account is not configured."""
    return If(HAS[role], value, Ref("AWS::NoValue")) if role in OPTIONAL else value


def name(suffix: str) -> Sub:
    return Sub("${PipelineSlug}-" + suffix)


def tags(t, cat: Catalogue) -> Tags:
    # Not the branch name: it may hold characters tag values refuse ('#', '!'); the slug never does.
    extra = {"commit": Ref("CommitId")} if "CommitId" in t.parameters else {}
    return Tags(**{"managed-by": "service-catalog-toolkit", "catalogue": cat.stack_prefix,
                   "repository": Ref("RepositoryName"), "pipeline": Ref("PipelineSlug"), **extra})


def artifact_bucket(cat: Catalogue) -> str:
    return f"{cat.stack_prefix}-artifacts-{cat.account_id('tools')}-{cat.region}"


def artifact_bucket_in_template(cat: Catalogue) -> str:
    """The artifact bucket's name as a Sub body: a pipeline runs in the tools account and home region."""
    return f"{cat.stack_prefix}-artifacts-${{AWS::AccountId}}-${{AWS::Region}}"


def key_arn(cat: Catalogue):
    return refs.import_tools(cat, "key-arn")


def boundary_name(cat: Catalogue) -> str:
    """The permissions boundary every role of a built-in product carries (made with the launch roles)."""
    return f"{cat.stack_prefix}-pipeline-boundary"


def boundary_arn(cat: Catalogue) -> Sub:
    return Sub(f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/{boundary_name(cat)}")


# What each role does with the artifact bucket, from the documented service-role
# policies: CodePipeline user guide, "Manage the CodePipeline service role"
# (AllowS3BucketAccess: GetBucketVersioning, GetBucketAcl, GetBucketLocation on
# the bucket; AllowS3ObjectAccess: PutObject, PutObjectAcl, GetObject,
# GetObjectVersion on its objects), and CodeBuild user guide, "Allow CodeBuild
# to interact with other AWS services" (GetObject, GetObjectVersion, PutObject,
# GetBucketAcl, GetBucketLocation). Objects only under the pipeline's own
# folder: CodePipeline keeps a pipeline's artifacts under the first 20
# characters of its name, which is the whole slug (core.naming.pipeline_slug).
BUCKET_ACTIONS = {
    "pipeline": (["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl"],
                 ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"]),
    "build": (["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
}


def _bucket_statements(cat: Catalogue, role: str) -> list[dict]:
    bucket = artifact_bucket_in_template(cat)
    objects, bucket_level = BUCKET_ACTIONS[role]
    return [
        iam.statement(objects, Sub(f"arn:${{AWS::Partition}}:s3:::{bucket}/${{PipelineSlug}}/*")),
        iam.statement(bucket_level, Sub(f"arn:${{AWS::Partition}}:s3:::{bucket}"),
                      {"StringEquals": {"aws:ResourceAccount": Ref("AWS::AccountId")}}),
        iam.statement(iam.KEY_USE_ACTIONS, key_arn(cat)),
    ]


# The layer and image actions of a docker push (ECR user guide, "Pushing a Docker image": the
# identity-based policy a pusher needs).
ECR_PUSH = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
            "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]


def build_project(t, cat: Catalogue) -> None:
    """Build stage: a container image pushed to ECR, tagged with the commit."""
    log_group = t.add_resource(logs.LogGroup(
        "BuildLogs", LogGroupName=Sub("/aws/codebuild/${PipelineSlug}-build"),
        RetentionInDays=LOG_RETENTION_DAYS, KmsKeyId=key_arn(cat)))
    ecr_arn = iam.arn("ecr", "repository/${EcrRepositoryName}")
    statements = [
        iam.statement(["logs:CreateLogStream", "logs:PutLogEvents"], GetAtt(log_group, "Arn")),
        *_bucket_statements(cat, "build"),
        iam.statement("ecr:GetAuthorizationToken", "*"),
        # ECR_PUSH: docker push; DescribeImages: examples/app/buildspec.yml asks whether the commit's
        # image exists before pushing, because the repository's tags are immutable.
        iam.statement([*ECR_PUSH, "ecr:DescribeImages"], ecr_arn),
    ]
    t.add_resource(iam.role("BuildRole", name("build"), iam.service_trust("codebuild.amazonaws.com"), statements,
                            "CodeBuild role of one pipeline: its logs, its artifacts, its ECR repository",
                            boundary=boundary_arn(cat)))
    t.add_resource(cb.Project(
        "BuildProject",
        Name=name("build"),
        Description=Sub("Builds ${RepositoryName} ${BranchName} into a container image"),
        ServiceRole=GetAtt("BuildRole", "Arn"),
        EncryptionKey=key_arn(cat),
        Source=cb.Source(Type="CODEPIPELINE", BuildSpec="buildspec.yml"),
        Artifacts=cb.Artifacts(Type="CODEPIPELINE"),
        Environment=cb.Environment(
            Type="LINUX_CONTAINER", ComputeType="BUILD_GENERAL1_SMALL", Image=Ref("BuildImage"),
            PrivilegedMode=True,  # docker build needs the daemon
            EnvironmentVariables=[
                cb.EnvironmentVariable(Name="ECR_REPOSITORY_URI", Type="PLAINTEXT",
                                       Value=Sub("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/${EcrRepositoryName}")),
                cb.EnvironmentVariable(Name="APPLICATION_NAME", Type="PLAINTEXT", Value=Ref("ApplicationName")),
                cb.EnvironmentVariable(Name="CONTAINER_PORT", Type="PLAINTEXT", Value=Ref("ContainerPort")),
                cb.EnvironmentVariable(Name="CONTAINER_CPU", Type="PLAINTEXT", Value=Ref("ContainerCpu")),
                cb.EnvironmentVariable(Name="CONTAINER_MEMORY", Type="PLAINTEXT", Value=Ref("ContainerMemory")),
                cb.EnvironmentVariable(Name="DESIRED_COUNT", Type="PLAINTEXT", Value=Ref("DesiredCount")),
            ]),
        LogsConfig=cb.LogsConfig(CloudWatchLogs=cb.CloudWatchLogs(Status="ENABLED", GroupName=Ref(log_group))),
        TimeoutInMinutes=30,
        Tags=tags(t, cat),
    ))


def source_action(builtin: str) -> cp.Actions:
    """The branch, from CodeCommit or through a connection.

    CodeStarSourceConnection (CodePipeline User Guide, action reference):
    ConnectionArn, FullRepositoryId and BranchName required; OutputArtifactFormat
    CODE_ZIP (CODEBUILD_CLONE_REF would make the build role use the connection
    too); DetectChanges true starts the pipeline on the branch's pushes through
    the connection, where a CodeCommit pipeline needs its EventBridge rule
    (``trigger_on_push``). Its output variables include CommitId, as CodeCommit's
    do, so the pull-request step reads the same #{SourceVariables.CommitId}.
    """
    if sources.KIND_OF_BUILTIN[builtin] == sources.CONNECTION:
        type_id = cp.ActionTypeId(Category="Source", Owner="AWS", Provider="CodeStarSourceConnection", Version="1")
        config = {"ConnectionArn": Ref("ConnectionArn"), "FullRepositoryId": Ref("FullRepositoryId"),
                  "BranchName": Ref("BranchName"), "OutputArtifactFormat": "CODE_ZIP", "DetectChanges": "true"}
    else:
        type_id = cp.ActionTypeId(Category="Source", Owner="AWS", Provider="CodeCommit", Version="1")
        config = {"RepositoryName": Ref("RepositoryName"), "BranchName": Ref("BranchName"),
                  "PollForSourceChanges": "false", "OutputArtifactFormat": "CODE_ZIP"}
    return cp.Actions(Name="Source", RunOrder=1, Namespace=SOURCE_NAMESPACE, ActionTypeId=type_id, Configuration=config,
                      OutputArtifacts=[cp.OutputArtifacts(Name=SOURCE)])


def build_action() -> cp.Actions:
    return cp.Actions(
        Name="Build", RunOrder=1,
        ActionTypeId=cp.ActionTypeId(Category="Build", Owner="AWS", Provider="CodeBuild", Version="1"),
        Configuration={"ProjectName": Ref("BuildProject")},
        InputArtifacts=[cp.InputArtifacts(Name=SOURCE)],
        OutputArtifacts=[cp.OutputArtifacts(Name=BUILD)],
    )


APP = "${ApplicationName}"  # role names take the application from the product's parameter


def _role_arn(account: str, name: str) -> Sub:
    return Sub(f"arn:${{AWS::Partition}}:iam::${{{PARAMETERS[account]}}}:role/{name}")


def deploy_stage(cat: Catalogue, account: str) -> cp.Stages:
    """Deploy to one workload account with a change set whose name belongs to this pipeline alone."""
    deploy_role = _role_arn(account, refs.deploy_role_name(cat, APP))
    exec_role = _role_arn(account, refs.execution_role_name(cat, APP))
    common = {
        "ActionMode": "CHANGE_SET_REPLACE",
        "StackName": Ref("ApplicationName"),
        "ChangeSetName": Ref("PipelineSlug"),  # two pipelines at once never replace each other's change set
        "TemplatePath": f"{BUILD}::infra/service.yaml",
        "TemplateConfiguration": f"{BUILD}::infra/{account}.json",
        "Capabilities": "CAPABILITY_NAMED_IAM",
        "RoleArn": exec_role,
        # ToolkitPrefix: the application template names the task execution role the workload
        # prerequisites made ({prefix}-{application}-task-exec); its default is only "sc".
        "ParameterOverrides": Sub(
            '{"ApplicationName": "${ApplicationName}", "ImageUri": {"Fn::GetParam": ["' + BUILD + '", "image.json", "ImageUri"]}, '
            '"ContainerPort": "${ContainerPort}", "ContainerCpu": "${ContainerCpu}", '
            '"ContainerMemory": "${ContainerMemory}", "DesiredCount": "${DesiredCount}", '
            '"ToolkitPrefix": "' + cat.stack_prefix + '"}'),
    }
    # No Region: the action runs in the pipeline's region (checks/pipeline_regions.py keeps workload
    # accounts there), so the published template names no region.
    title = account.capitalize()
    return cp.Stages(Name=f"Deploy{title}", Actions=[
        cp.Actions(
            Name="CreateChangeSet", RunOrder=1, RoleArn=deploy_role,
            ActionTypeId=cp.ActionTypeId(Category="Deploy", Owner="AWS", Provider="CloudFormation", Version="1"),
            Configuration=common, InputArtifacts=[cp.InputArtifacts(Name=BUILD)]),
        cp.Actions(
            Name="ExecuteChangeSet", RunOrder=2, RoleArn=deploy_role,
            ActionTypeId=cp.ActionTypeId(Category="Deploy", Owner="AWS", Provider="CloudFormation", Version="1"),
            Configuration={"ActionMode": "CHANGE_SET_EXECUTE", "StackName": Ref("ApplicationName"),
                           "ChangeSetName": Ref("PipelineSlug")}),
    ])


def approval_stage(cat: Catalogue, before: str) -> cp.Stages:
    topic = iam.arn("sns", f"{cat.stack_prefix}-${{ApplicationName}}-approvals")
    return cp.Stages(Name="Approval", Actions=[cp.Actions(
        Name=f"Approve{before}", RunOrder=1,
        ActionTypeId=cp.ActionTypeId(Category="Approval", Owner="AWS", Provider="Manual", Version="1"),
        Configuration={"NotificationArn": topic,
                       "CustomData": Sub(f"Approve deploying ${{RepositoryName}} ${{BranchName}} to {before.lower()}")},
    )])


# CodePipeline user guide, "CodeCommit source action reference" and "CodeBuild build and test action
# reference": the service role permissions of each action.
CODECOMMIT_SOURCE = ["codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit",
                     "codecommit:GetRepository", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"]
CODEBUILD_ACTION = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
# CodeStarSourceConnection action reference, service role permissions: UseConnection on the connection.
USE_CONNECTION = "UseConnection"
CONNECTION_PREFIXES = ("codeconnections", "codestar-connections")


def use_connection_statement() -> dict:
    """UseConnection on the launch's connection, in both spellings of the service prefix.

    A published template cannot know which one the catalogue's connections
    use, and IAM matches an action only to a resource of its own prefix, so
    the spelling that is not the ARN's grants nothing. Both in one statement
    keep the policy static, which every gate and checkov read as written (an
    action computed with Fn::Sub is not); the pipeline boundary grants
    exactly each connection's own spelling (``launch_roles``).
    """
    return iam.statement([f"{prefix}:{USE_CONNECTION}" for prefix in CONNECTION_PREFIXES], Ref("ConnectionArn"))


def source_statement(builtin: str) -> dict:
    if sources.KIND_OF_BUILTIN[builtin] == sources.CONNECTION:
        return use_connection_statement()
    return iam.statement(CODECOMMIT_SOURCE, iam.arn("codecommit", "${RepositoryName}"))


def pipeline_role_statements(cat: Catalogue, builtin: str, extra: list[dict]) -> list[dict]:
    deploy_roles = [only_with(a, _role_arn(a, refs.deploy_role_name(cat, APP))) for a in TARGETS[builtin]]
    return [
        source_statement(builtin),
        iam.statement(CODEBUILD_ACTION, GetAtt("BuildProject", "Arn")),
        *_bucket_statements(cat, "pipeline"),
        iam.statement("sts:AssumeRole", deploy_roles),
        iam.statement("sns:Publish", iam.arn("sns", f"{cat.stack_prefix}-${{ApplicationName}}-approvals")),
        *extra,
    ]


def pipeline(t, cat: Catalogue, builtin: str, stages: list, extra_statements: list[dict], description: str) -> None:
    t.add_resource(iam.role("PipelineRole", name("pipeline"), iam.service_trust("codepipeline.amazonaws.com"),
                            pipeline_role_statements(cat, builtin, extra_statements), description,
                            boundary=boundary_arn(cat)))
    t.add_resource(cp.Pipeline(
        "Pipeline", Name=Ref("PipelineSlug"), PipelineType="V2", ExecutionMode="QUEUED",
        RoleArn=GetAtt("PipelineRole", "Arn"),
        ArtifactStore=cp.ArtifactStore(Type="S3", Location=Sub(artifact_bucket_in_template(cat)),
                                       EncryptionKey=cp.EncryptionKey(Id=key_arn(cat), Type="KMS")),
        Stages=stages, Tags=tags(t, cat)))
    if sources.KIND_OF_BUILTIN[builtin] == sources.CODECOMMIT:
        trigger_on_push(t, cat)  # a connection's source action detects its pushes itself (DetectChanges)
    t.add_output(Output("PipelineName", Description="Name of the pipeline", Value=Ref("Pipeline")))
    t.add_output(Output("PipelineArn", Description="ARN of the pipeline",
                        Value=Sub("arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}")))
    t.add_output(Output("BuildProjectName", Description="Name of the CodeBuild project", Value=Ref("BuildProject")))


def trigger_on_push(t, cat: Catalogue) -> None:
    """Start the pipeline when its branch moves (the Source action does not poll)."""
    statements = [iam.statement("codepipeline:StartPipelineExecution",
                                Sub("arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"))]
    t.add_resource(iam.role("TriggerRole", name("trigger"), iam.service_trust("events.amazonaws.com"), statements,
                            "Lets EventBridge start this pipeline and nothing else", boundary=boundary_arn(cat)))
    t.add_resource(ev.Rule(
        "TriggerRule", Name=name("trigger"), Description=Sub("Starts ${PipelineSlug} when ${BranchName} changes"),
        EventPattern={
            "source": ["aws.codecommit"], "detail-type": ["CodeCommit Repository State Change"],
            "resources": [iam.arn("codecommit", "${RepositoryName}")],
            "detail": {"event": ["referenceUpdated"], "referenceType": ["branch"],
                       "referenceName": [Ref("BranchName")]},
        },
        Targets=[ev.Target(Id="pipeline", Arn=Sub("arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"),
                           RoleArn=GetAtt("TriggerRole", "Arn"))],
    ))
