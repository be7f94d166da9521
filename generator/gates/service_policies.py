"""Key and resource policies that a service or another account must get past.

- Keys that the operator's stacks name: what the resource type's handlers
  call on the key through the service (the ECR repository's create handler
  creates grants; "Encryption at rest" in the ECR User Guide), checked for a
  deployer whose own policies allow everything, so only the key policy can
  refuse it.
- CloudWatch Logs encrypting a log group (CloudWatch Logs User Guide,
  "Encrypt log data in CloudWatch Logs using AWS KMS": the logs service
  principal, with the log group's ARN as encryption context).
- EventBridge dead-letter queues (EventBridge User Guide, "Using dead-letter
  queues to process undelivered events": the queue policy admits the rule by
  aws:SourceArn; an encrypted queue's key admits events.amazonaws.com).
- EventBridge invoking a Lambda (a Lambda permission for the rule).
- ECS pulling the application's image across accounts and writing its logs
  with the task execution role (Amazon ECS Developer Guide, "Amazon ECS task
  execution IAM role"; ECR User Guide, repository policies for cross-account
  pulls).
"""

from __future__ import annotations

from . import deployers
from .access import Principal
from .finding import Finding
from .requirements import Where, need

GATE = "sufficiency"
CODE = "SUF-SERVICE"
ADMIN = ({"Effect": "Allow", "Action": "*", "Resource": "*"},)
LOGS_KEY_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo")
DLQ_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")
ECR_PULL = ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")


def _service(name: str) -> Principal:
    return Principal(f"service:{name}", name)


def _operator(account: str) -> Principal:
    return Principal(f"arn:aws:iam::{account}:role/catalogue-deployer", "the operator deploying the stacks", ADMIN)


def _operator_keys(ctx) -> list[Finding]:
    out = []
    for stack in ctx.model.stacks:
        if stack.kind in ("product", "application"):
            continue
        operator = _operator(stack.env.account)
        for lid in sorted(stack.resources):
            if stack.resources[lid].get("Type") == "AWS::KMS::Key":
                # AWS KMS API Reference, CreateKey (BypassPolicyLockoutSafetyCheck): the new key's policy must let the
                # principal that creates it call PutKeyPolicy on it, or CreateKey fails. The rest of the key's own
                # life cycle is the operator's IAM policy, which the toolkit does not write.
                out += need(ctx, operator, "kms:PutKeyPolicy", stack.arn(lid), "creating the key (KMS policy lockout "
                            "safety check)", Where(stack.path, lid, stack.line(lid)), code=CODE)
                continue
            for action, arn, context, why in deployers.resource_needs(stack, lid):
                if action.startswith("kms:") and arn in ctx.index.key_arns:
                    out += need(ctx, operator, action, arn, why, Where(stack.path, lid, stack.line(lid)), context, code=CODE)
    return out


def _log_groups(ctx) -> list[Finding]:
    out = []
    for stack in ctx.model.stacks:
        region = stack.env.region
        for lid in stack.of_type("AWS::Logs::LogGroup"):
            arn = stack.arn(lid)
            key = ctx.index.keys.get(arn)
            if not key:
                continue
            context = (("kms:EncryptionContext:aws:logs:arn", arn),)
            for action in LOGS_KEY_ACTIONS:
                out += need(ctx, _service(f"logs.{region}.amazonaws.com"), action, key,
                            "CloudWatch Logs encrypting the log group (CloudWatch Logs User Guide, KMS encryption)",
                            Where(stack.path, lid, stack.line(lid)), context, code=CODE)
    return out


def _rules(ctx) -> list[Finding]:
    out = []
    for stack in ctx.model.stacks:
        permissions = [stack.props(p) or {} for p in stack.of_type("AWS::Lambda::Permission")]
        for lid in stack.of_type("AWS::Events::Rule"):
            rule = stack.arn(lid)
            where = Where(stack.path, lid, stack.line(lid))
            context = (("aws:SourceAccount", stack.env.account), ("aws:SourceArn", rule))
            events = _service("events.amazonaws.com")
            for target in (stack.props(lid) or {}).get("Targets", []) or []:
                dlq = str((target.get("DeadLetterConfig") or {}).get("Arn", ""))
                if dlq:
                    why = "EventBridge delivering undeliverable events (EventBridge User Guide, dead-letter queues)"
                    out += need(ctx, events, "sqs:SendMessage", dlq, why, where, context, code=CODE)
                    key = ctx.index.keys.get(dlq)
                    for action in DLQ_KEY_ACTIONS if key else ():
                        out += need(ctx, events, action, key, why, where, context, code=CODE)
                arn = str(target.get("Arn", ""))
                if ":lambda:" in arn and not target.get("RoleArn"):
                    name = arn.rsplit(":", 1)[-1]
                    granted = any(p.get("Principal") == "events.amazonaws.com" and p.get("SourceArn") == rule
                                  and str(p.get("FunctionName", "")).rsplit(":", 1)[-1] == name
                                  and p.get("Action") == "lambda:InvokeFunction" for p in permissions)
                    if not granted:
                        out.append(Finding(stack.path, lid, GATE, CODE,
                                           f"rule {rule} targets function {name}, but no Lambda permission lets "
                                           "events.amazonaws.com invoke it for this rule", action="lambda:InvokeFunction",
                                           arn=arn, need="EventBridge invoking a Lambda target", line=where.line))
    return out


def _tasks(ctx) -> list[Finding]:
    out = []
    for stack in ctx.model.stacks:
        for lid in stack.of_type("AWS::ECS::TaskDefinition"):
            props = stack.props(lid) or {}
            role = ctx.model.role(str(props.get("ExecutionRoleArn", "")))
            if role is None:
                continue
            principal, where = role.principal, Where(stack.path, lid, stack.line(lid))
            why = "ECS starting the task with its execution role (ECS Developer Guide, task execution IAM role)"
            for container in props.get("ContainerDefinitions", []) or []:
                image = str(container.get("Image", ""))
                if ".dkr.ecr." in image:
                    registry, _, rest = image.partition("/")
                    account, region = registry.split(".")[0], registry.split(".")[3]
                    repo = f"arn:aws:ecr:{region}:{account}:repository/{rest.split(':')[0].split('@')[0]}"
                    out += need(ctx, principal, "ecr:GetAuthorizationToken", "*", why, where, code=CODE)
                    for action in ECR_PULL:
                        out += need(ctx, principal, action, repo, why, where, code=CODE)
                options = (container.get("LogConfiguration") or {}).get("Options") or {}
                if options.get("awslogs-group"):
                    env = stack.env
                    stream = f"arn:{env.partition}:logs:{options.get('awslogs-region', env.region)}:{env.account}:log-group:" \
                             f"{options['awslogs-group']}:log-stream:{options.get('awslogs-stream-prefix', 'ecs')}/app/0000"
                    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
                        out += need(ctx, principal, action, stream, why, where, code=CODE)
    return out


def run(ctx) -> list[Finding]:
    return _operator_keys(ctx) + _log_groups(ctx) + _rules(ctx) + _tasks(ctx)
