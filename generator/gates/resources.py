"""What Ref and Fn::GetAtt return for each resource type, and the ARN a resource will have.

ARN formats: the Service Authorization Reference's "Resource types"
table of each service (docs.aws.amazon.com/service-authorization/latest/
reference/list_<service>.html); return values: each type's page in the
CloudFormation Template Reference ("Return values"). A resource without a
name property gets the name CloudFormation generates, stack name, logical
id and a random suffix (CloudFormation User Guide, "Name type").
Identifiers that AWS assigns (key ids, security group ids, product ids)
are deterministic witnesses in the documented format.
"""

from __future__ import annotations

from dataclasses import dataclass

from .intrinsics import Env, Unresolved, resolve
from .witness import digest


@dataclass(frozen=True)
class Kind:
    name_property: str | None
    arn: str  # format over {p} {r} {a} {name} {id}
    ref: str = "name"  # what Ref returns: name, arn, id, url
    arn_attr_suffix: str = ""  # GetAtt Arn differs from the IAM resource ARN (log groups end in ":*")
    id_format: str = "{hash}"
    extra: tuple = ()  # (attribute, format) pairs


KINDS: dict[str, Kind] = {
    "AWS::IAM::Role": Kind("RoleName", "arn:{p}:iam::{a}:role{path}{name}",
                           extra=(("RoleId", "AROA{HASH}"),)),
    "AWS::IAM::ManagedPolicy": Kind("ManagedPolicyName", "arn:{p}:iam::{a}:policy{path}{name}", ref="arn",
                                    extra=(("PolicyArn", "{arn}"),)),
    "AWS::Logs::LogGroup": Kind("LogGroupName", "arn:{p}:logs:{r}:{a}:log-group:{name}", arn_attr_suffix=":*"),
    "AWS::KMS::Key": Kind(None, "arn:{p}:kms:{r}:{a}:key/{id}", ref="id", id_format="{uuid}", extra=(("KeyId", "{id}"),)),
    "AWS::KMS::Alias": Kind("AliasName", "arn:{p}:kms:{r}:{a}:{name}"),
    "AWS::S3::Bucket": Kind("BucketName", "arn:{p}:s3:::{name}"),
    "AWS::SQS::Queue": Kind("QueueName", "arn:{p}:sqs:{r}:{a}:{name}", ref="url",
                            extra=(("QueueName", "{name}"), ("QueueUrl", "https://sqs.{r}.amazonaws.com/{a}/{name}"))),
    "AWS::SNS::Topic": Kind("TopicName", "arn:{p}:sns:{r}:{a}:{name}", ref="arn",
                            extra=(("TopicArn", "{arn}"), ("TopicName", "{name}"))),
    "AWS::ECR::Repository": Kind("RepositoryName", "arn:{p}:ecr:{r}:{a}:repository/{name}",
                                 extra=(("RepositoryUri", "{a}.dkr.ecr.{r}.amazonaws.com/{name}"),)),
    "AWS::CodeCommit::Repository": Kind("RepositoryName", "arn:{p}:codecommit:{r}:{a}:{name}", ref="id", id_format="{uuid}",
                                        extra=(("Name", "{name}"),)),
    "AWS::CodeBuild::Project": Kind("Name", "arn:{p}:codebuild:{r}:{a}:project/{name}"),
    "AWS::CodePipeline::Pipeline": Kind("Name", "arn:{p}:codepipeline:{r}:{a}:{name}"),
    "AWS::Events::Rule": Kind("Name", "arn:{p}:events:{r}:{a}:rule/{name}"),
    "AWS::Lambda::Function": Kind("FunctionName", "arn:{p}:lambda:{r}:{a}:function:{name}"),
    "AWS::ECS::Cluster": Kind("ClusterName", "arn:{p}:ecs:{r}:{a}:cluster/{name}"),
    "AWS::ECS::Service": Kind("ServiceName", "arn:{p}:ecs:{r}:{a}:service/{cluster}/{name}", ref="arn",
                              extra=(("Name", "{name}"), ("ServiceArn", "{arn}"))),
    "AWS::ECS::TaskDefinition": Kind("Family", "arn:{p}:ecs:{r}:{a}:task-definition/{name}:1", ref="arn",
                                     extra=(("TaskDefinitionArn", "{arn}"),)),
    "AWS::EC2::SecurityGroup": Kind(None, "arn:{p}:ec2:{r}:{a}:security-group/{id}", ref="id", id_format="sg-0{hash17}",
                                    extra=(("GroupId", "{id}"),)),
    # Ref and ConnectionArn are the ARN (CloudFormation Template Reference, AWS::CodeConnections::Connection).
    "AWS::CodeConnections::Connection": Kind("ConnectionName", "arn:{p}:codeconnections:{r}:{a}:connection/{id}", ref="arn",
                                             id_format="{uuid}", extra=(("ConnectionArn", "{arn}"),)),
    "AWS::DynamoDB::Table": Kind("TableName", "arn:{p}:dynamodb:{r}:{a}:table/{name}"),
    "AWS::ServiceCatalog::CloudFormationProduct": Kind(None, "arn:{p}:catalog:{r}:{a}:product/{id}", ref="id",
                                                       id_format="prod-{hash13}"),
    "AWS::ServiceCatalog::Portfolio": Kind(None, "arn:{p}:catalog:{r}:{a}:portfolio/{id}", ref="id", id_format="port-{hash13}"),
}


def _generated_name(env: Env, lid: str) -> str:
    return f"{env.stack_name}-{lid}-{digest(env.stack_name, lid).upper()}"


def _id(kind: Kind, env: Env, lid: str) -> str:
    h = digest(env.account, env.region, env.stack_name, lid, length=32)
    uuid = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"
    return kind.id_format.format(hash=h[:12], hash13=h[:13], hash17=h[:17], uuid=uuid)


def physical(lid: str, resource: dict, env: Env) -> tuple[str, dict]:
    """(what Ref returns, {attribute: value}) for one resource; raises Unresolved while its names depend on others."""
    kind = KINDS.get(resource.get("Type", ""))
    props = resource.get("Properties", {}) or {}
    if kind is None:
        return f"{lid}-{digest(env.stack_name, lid, length=8)}", {}
    name = resolve(props[kind.name_property], env) if kind.name_property and kind.name_property in props else None
    if name is None:
        name = _generated_name(env, lid)
    path = resolve(props.get("Path", "/"), env) or "/"
    cluster = ""
    if resource["Type"] == "AWS::ECS::Service":
        cluster = str(resolve(props.get("Cluster", "default"), env)).rsplit("/", 1)[-1]
    ident = _id(kind, env, lid)
    fields = {"p": env.partition, "r": env.region, "a": env.account, "name": name, "id": ident, "path": path,
              "cluster": cluster, "HASH": digest(lid, env.stack_name, length=17).upper()}
    arn = kind.arn.format(**fields)
    fields["arn"] = arn
    attrs = {"Arn": arn + kind.arn_attr_suffix}
    for attr, fmt in kind.extra:
        attrs[attr] = fmt.format(**fields)
    ref = {"name": name, "arn": arn, "id": ident, "url": attrs.get("QueueUrl", name)}[kind.ref]
    return ref, attrs


def resource_arn(resource_type: str, ref: str, attrs: dict) -> str:
    """The ARN IAM authorises calls on: the GetAtt Arn without return-value decorations."""
    kind = KINDS.get(resource_type)
    arn = attrs.get("Arn", "")
    if kind and kind.arn_attr_suffix and arn.endswith(kind.arn_attr_suffix):
        arn = arn[: -len(kind.arn_attr_suffix)]
    return arn


def populate(resources: dict, env: Env) -> list[str]:
    """Fill ``env.refs`` and ``env.attrs`` for every resource; names that refer to other resources take a few passes.

    Returns the logical ids that could not be resolved (an unknown parameter or export).
    """
    pending = dict(resources)
    for _ in range(4):
        progress = False
        for lid, res in list(pending.items()):
            try:
                ref, attrs = physical(lid, res, env)
            except (Unresolved, KeyError, TypeError):
                continue
            env.refs[lid] = ref
            env.attrs.update({(lid, k): v for k, v in attrs.items()})
            del pending[lid]
            progress = True
        if not pending or not progress:
            break
    return sorted(pending)
