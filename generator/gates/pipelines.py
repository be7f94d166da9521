"""Sufficiency of the pipelines' roles: what each action of a pipeline does, with which role.

Per action type, what the role that runs it needs (AWS CodePipeline User
Guide, "Manage the CodePipeline service role", the per-action permission
lists; the CodeStarSourceConnection action reference: UseConnection on the
connection; "Artifact store": artifacts live in the bucket under a folder named
after the first 20 characters of the pipeline name). Build actions run
the CodeBuild project's service role (AWS CodeBuild User Guide, "Allow
CodeBuild to interact with other AWS services": its log streams, its
artifacts) and whatever the buildspec calls. CloudFormation actions with
a RoleArn run as that role, which reads the artifacts across accounts and
passes the execution role to CloudFormation. EventBridge starts the
pipeline through its rule's target role.
"""

from __future__ import annotations

import re

from .finding import Finding
from .requirements import Where, account_of, need, need_key

GATE = "sufficiency"
CODE = "SUF-PIPE"
ARTIFACT_FOLDER = 20  # CodePipeline User Guide, "Artifact store": the first 20 characters of the pipeline name
SOURCE = "CodePipeline User Guide, service role permissions for"

CODECOMMIT_SOURCE = ("codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit",
                     "codecommit:GetRepository", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive")
CODEBUILD = ("codebuild:BatchGetBuilds", "codebuild:StartBuild")


def connection_prefix(arn: str) -> str:
    """codeconnections or codestar-connections: the service field of a connection's ARN."""
    parts = arn.split(":")
    return parts[2] if len(parts) > 2 and parts[2] else "codeconnections"
# The change-set modes: create and replace a change set, then execute it (CodePipeline User Guide,
# "CloudFormation deploy action reference").
CHANGE_SET = {"CHANGE_SET_REPLACE": ("cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet",
                                     "cloudformation:DescribeChangeSet", "cloudformation:DescribeStacks"),
              "CHANGE_SET_EXECUTE": ("cloudformation:DescribeChangeSet", "cloudformation:DescribeStacks",
                                     "cloudformation:ExecuteChangeSet"),
              "CREATE_UPDATE": ("cloudformation:CreateStack", "cloudformation:DescribeStacks", "cloudformation:UpdateStack"),
              "DELETE_ONLY": ("cloudformation:DeleteStack", "cloudformation:DescribeStacks")}
# docker push to ECR: Amazon ECR User Guide, "Pushing an image" (required IAM permissions).
DOCKER_PUSH = ("ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage",
               "ecr:UploadLayerPart")
# AWS CLI commands whose IAM action is not the command in CamelCase (AWS CLI Command Reference).
CLI_ACTIONS = {("ecr", "get-login-password"): "ecr:GetAuthorizationToken"}
STAR_CLI = {"ecr:GetAuthorizationToken"}
_AWS_CLI = re.compile(r"\baws\s+([a-z0-9-]+)\s+([a-z0-9-]+)")


def _artifact(store: dict, pipeline: str, artifact: str) -> str:
    return f"arn:aws:s3:::{store.get('Location')}/{pipeline[:ARTIFACT_FOLDER]}/{artifact[:20]}/Xy3Zabc"


def _store_key(ctx, store: dict, env) -> str:
    """The key CodePipeline encrypts the artifacts with: the store's EncryptionKey, or "" for the AWS managed key of
    S3 (CodePipeline API Reference, ArtifactStore.encryptionKey: "If this is undefined, the default key for Amazon S3
    is used")."""
    key = str(((store.get("EncryptionKey") or {}).get("Id")) or "")
    if key and not key.startswith("arn:"):
        key = f"arn:{env.partition}:kms:{env.region}:{env.account}:key/{key}"
    return key


def _artifact_key(ctx, runner, key: str, arn: str, access: str, why: str, where: Where) -> list[Finding]:
    """What reading or writing an artifact needs of the store's key."""
    owner = account_of(ctx, arn)
    if not key:
        if owner and runner.account != owner:
            # AWS KMS Developer Guide, "AWS managed keys": their policies cannot be changed, and admit only the
            # account that owns them, so no role of another account can decrypt what they encrypt.
            return [Finding(where.file, where.resource, GATE, CODE,
                            f"role {runner.arn} cannot read or write {arn} across accounts, which {why} needs: the "
                            "pipeline's artifact store names no EncryptionKey, so CodePipeline encrypts the artifacts "
                            "with the AWS managed key for S3, which no other account can use",
                            role=runner.arn, action="kms:Decrypt", arn=arn, need=why, line=where.line)]
        return []
    if key not in ctx.index.key_arns:
        return []  # a key the build does not define: its policy is not the toolkit's to prove
    return need_key(ctx, runner, arn, "s3", access, why, where, code=CODE, key=key)


def buildspec_calls(text: str) -> list[str]:
    """The IAM actions of the AWS CLI commands a buildspec runs (docker push counts as ECR's push actions)."""
    out = []
    for service, command in _AWS_CLI.findall(text):
        out.append(CLI_ACTIONS.get((service, command), f"{service}:{''.join(p.capitalize() for p in command.split('-'))}"))
    if re.search(r"\bdocker\s+push\b", text):
        out += DOCKER_PUSH
    return sorted(set(out))


def _role(ctx, arn: str):
    role = ctx.model.role(arn)
    return role.principal if role else None


def _pipeline(ctx, stack, lid: str) -> list[Finding]:
    props = stack.props(lid) or {}
    where = Where(stack.path, lid, stack.line(lid))
    principal = _role(ctx, str(props.get("RoleArn", "")))
    if principal is None:
        return []
    name = str(stack.env.refs.get(lid, ""))
    store = props.get("ArtifactStore") or {}
    env = stack.env
    key = _store_key(ctx, store, env)
    out: list[Finding] = []
    for stage in props.get("Stages", []) or []:
        for action in stage.get("Actions", []) or []:
            type_id = action.get("ActionTypeId", {})
            provider = type_id.get("Provider")
            config = action.get("Configuration", {}) or {}
            runner = _role(ctx, str(action["RoleArn"])) if action.get("RoleArn") else principal
            label = f"{provider} action {stage.get('Name')}/{action.get('Name')} ({SOURCE} {provider})"
            if action.get("RoleArn"):
                out += need(ctx, principal, "sts:AssumeRole", str(action["RoleArn"]), label, where, code=CODE)
                if runner is None:
                    continue
            inputs = [_artifact(store, name, a["Name"]) for a in action.get("InputArtifacts", []) or []]
            outputs = [_artifact(store, name, a["Name"]) for a in action.get("OutputArtifacts", []) or []]
            if provider == "CodeCommit":
                repo = f"arn:{env.partition}:codecommit:{env.region}:{env.account}:{config.get('RepositoryName')}"
                for a in CODECOMMIT_SOURCE:
                    out += need(ctx, runner, a, repo, label, where, code=CODE)
                out += need_key(ctx, runner, repo, "codecommit", "read", label, where, code=CODE)
            elif provider == "CodeStarSourceConnection":
                # UseConnection, spelled with the connection ARN's own service prefix (Developer Tools console User
                # Guide, "Identity and access management": a policy's prefix must match the resource's).
                connection = str(config.get("ConnectionArn", ""))
                out += need(ctx, runner, f"{connection_prefix(connection)}:UseConnection", connection, label, where, code=CODE)
            elif provider == "CodeBuild":
                project = f"arn:{env.partition}:codebuild:{env.region}:{env.account}:project/{config.get('ProjectName')}"
                for a in CODEBUILD:
                    out += need(ctx, runner, a, project, label, where, code=CODE)
                out += _build(ctx, stack, str(config.get("ProjectName")), inputs, outputs, key)
                inputs = outputs = []  # the project's role moves these artifacts, not the pipeline's
            elif provider == "CloudFormation":
                stack_arn = f"arn:{env.partition}:cloudformation:{action.get('Region') or env.region}:" \
                            f"{runner.account}:stack/{config.get('StackName')}/00000000-0000-4000-8000-000000000000"
                for a in CHANGE_SET.get(config.get("ActionMode"), ()):
                    out += need(ctx, runner, a, stack_arn, label, where, code=CODE)
                if config.get("RoleArn"):
                    out += need(ctx, runner, "iam:PassRole", str(config["RoleArn"]), label, where,
                                (("iam:PassedToService", "cloudformation.amazonaws.com"),), code=CODE)
            elif provider == "Manual" and config.get("NotificationArn"):
                topic = str(config["NotificationArn"])
                out += need(ctx, runner, "sns:Publish", topic, label, where, code=CODE)
                out += need_key(ctx, runner, topic, "sns", "write", label, where, code=CODE)
            elif provider == "Lambda":
                fn = f"arn:{env.partition}:lambda:{env.region}:{env.account}:function:{config.get('FunctionName')}"
                out += need(ctx, runner, "lambda:InvokeFunction", fn, label, where, code=CODE)
            out += _artifacts(ctx, runner, inputs, outputs, key, label, where)
    return out


def _artifacts(ctx, runner, inputs: list[str], outputs: list[str], key: str, label: str, where: Where) -> list[Finding]:
    """Reading the input artifacts and writing the output artifacts, objects and key."""
    out: list[Finding] = []
    for arn in inputs:
        why = f"{label}, reading its input artifact"
        for a in ("s3:GetObject", "s3:GetObjectVersion"):
            out += need(ctx, runner, a, arn, why, where, code=CODE)
        out += _artifact_key(ctx, runner, key, arn, "read", why, where)
    for arn in outputs:
        why = f"{label}, writing its output artifact"
        out += need(ctx, runner, "s3:PutObject", arn, why, where, code=CODE)
        out += _artifact_key(ctx, runner, key, arn, "write", why, where)
    return out


def _build(ctx, stack, project_name: str, inputs: list[str], outputs: list[str], key: str) -> list[Finding]:
    lid = next((x for x in stack.of_type("AWS::CodeBuild::Project") if stack.env.refs.get(x) == project_name), None)
    if lid is None:
        return []
    props = stack.props(lid) or {}
    where = Where(stack.path, lid, stack.line(lid))
    principal = _role(ctx, str(props.get("ServiceRole", "")))
    if principal is None:
        return []
    env = stack.env
    label = f"CodeBuild project {project_name} (CodeBuild User Guide, service role)"
    out: list[Finding] = []
    group = ((props.get("LogsConfig") or {}).get("CloudWatchLogs") or {}).get("GroupName") or f"/aws/codebuild/{project_name}"
    stream = f"arn:{env.partition}:logs:{env.region}:{env.account}:log-group:{group}:log-stream:build/0000"
    for a in ("logs:CreateLogStream", "logs:PutLogEvents"):
        out += need(ctx, principal, a, stream, label, where, code=CODE)
    out += _artifacts(ctx, principal, inputs, outputs, key, label, where)
    buildspec = ctx.extra.get("buildspec.yml")
    variables = {v.get("Name"): str(v.get("Value")) for v in (props.get("Environment") or {}).get("EnvironmentVariables", []) or []}
    repo_uri = variables.get("ECR_REPOSITORY_URI", "")
    if buildspec and repo_uri:
        repo = repo_uri.split("/", 1)[-1]
        repo_arn = f"arn:{env.partition}:ecr:{env.region}:{env.account}:repository/{repo}"
        text = buildspec.decode("utf-8", "replace")
        for a in buildspec_calls(text):
            arn = "*" if a in STAR_CLI else repo_arn
            out += need(ctx, principal, a, arn, f"{label}, the buildspec's {a.split(':')[1]}", where, code=CODE)
    return out


def _trigger(ctx, stack, lid: str) -> list[Finding]:
    props = stack.props(lid) or {}
    out = []
    for target in props.get("Targets", []) or []:
        principal = _role(ctx, str(target.get("RoleArn", "")))
        arn = str(target.get("Arn", ""))
        if principal and ":codepipeline:" in arn:
            out += need(ctx, principal, "codepipeline:StartPipelineExecution", arn,
                        "an EventBridge rule starting a pipeline (EventBridge User Guide, target roles)",
                        Where(stack.path, lid, stack.line(lid)), code=CODE)
    return out


def run(ctx) -> list[Finding]:
    out: list[Finding] = []
    for stack in ctx.model.stacks:
        for lid in stack.of_type("AWS::CodePipeline::Pipeline"):
            out += _pipeline(ctx, stack, lid)
        for lid in stack.of_type("AWS::Events::Rule"):
            out += _trigger(ctx, stack, lid)
    return out
