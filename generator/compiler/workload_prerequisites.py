"""Prerequisites in each workload account (stage, prod, optional qa): one template for all.

Per application: the deploy role that the tools account's pipeline roles
assume (trusted by role-name pattern, not by the whole account), the
CloudFormation execution role it may pass (and nothing else), and the ECS
task execution role that pulls the application's image. Nothing in the
template names the account it runs in, so it deploys as a plain stack per
account or as a service-managed StackSet across an organizational unit.
"""

from __future__ import annotations

from troposphere import Sub

from ..core.model import Catalogue
from ..core.naming import logical_id, pipeline_role_pattern, stack_name
from . import iam, refs
from .builtin import parts
from .stack import Stack, make_stack
from .template import new_template
from .tools_prerequisites import key_alias, task_role_name

PARTITION = "${AWS::Partition}"


def stack_name_for(cat: Catalogue) -> str:
    return stack_name(cat.stack_prefix, "workload-prerequisites")


def _key_statement(cat: Catalogue, actions) -> dict:
    # The key's ARN is unknown until the tools stack exists, and that stack
    # names these roles in its key policy: match the key by its alias instead.
    return iam.statement(actions, f"arn:aws:kms:{cat.region}:{cat.account_id('tools')}:key/*",
                         {"ForAnyValue:StringEquals": {"kms:ResourceAliases": key_alias(cat)}})


def _deploy_role(cat: Catalogue, app: str):
    tools = cat.account_id("tools")
    trust = iam.document({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{tools}:root"}, "Action": ["sts:AssumeRole"],
        "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{tools}:role/{pipeline_role_pattern(cat.stack_prefix)}"}},
    })
    stack_arn = Sub(f"arn:{PARTITION}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{refs.application_stack_name(app)}/*")
    statements = [
        iam.statement(["cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet",
                       "cloudformation:DescribeStacks", "cloudformation:ExecuteChangeSet"], stack_arn),
        iam.statement("iam:PassRole", Sub(f"arn:{PARTITION}:iam::${{AWS::AccountId}}:role/{refs.execution_role_name(cat, app)}"),
                      {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}),
        iam.statement(["s3:GetObject", "s3:GetObjectVersion"], f"arn:aws:s3:::{parts.artifact_bucket(cat)}/*"),
        _key_statement(cat, ["kms:Decrypt", "kms:DescribeKey"]),
    ]
    return iam.role(logical_id("DeployRole", app), refs.deploy_role_name(cat, app), trust, statements,
                    f"Assumed by the tools account's pipelines to deploy {app}; may only run change sets on its stack")


def _execution_role(cat: Catalogue, app: str):
    """What CloudFormation needs for the example ECS service (examples/app/infra/service.yaml)."""
    region_account = "${AWS::Region}:${AWS::AccountId}"
    tagged = {"StringEquals": {"aws:ResourceTag/application": app}}
    statements = [
        iam.statement(["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:DescribeClusters", "ecs:TagResource"],
                      Sub(f"arn:{PARTITION}:ecs:{region_account}:cluster/{app}")),
        iam.statement(["ecs:CreateService", "ecs:DeleteService", "ecs:DescribeServices", "ecs:TagResource", "ecs:UpdateService"],
                      Sub(f"arn:{PARTITION}:ecs:{region_account}:service/{app}/*")),
        iam.statement(["ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], "*"),
        iam.statement(["ec2:CreateSecurityGroup"], [Sub(f"arn:{PARTITION}:ec2:{region_account}:security-group/*"),
                                                    Sub(f"arn:{PARTITION}:ec2:{region_account}:vpc/*")]),
        iam.statement(["ec2:CreateTags"], Sub(f"arn:{PARTITION}:ec2:{region_account}:security-group/*"),
                      {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}}),
        iam.statement(["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup",
                       "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"],
                      Sub(f"arn:{PARTITION}:ec2:{region_account}:security-group/*"), tagged),
        iam.statement(["ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"], "*"),
        iam.statement(["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:TagResource"],
                      [Sub(f"arn:{PARTITION}:logs:{region_account}:log-group:/ecs/{app}"),
                       Sub(f"arn:{PARTITION}:logs:{region_account}:log-group:/ecs/{app}:*")]),
        iam.statement(["logs:DescribeLogGroups"], "*"),
        iam.statement("iam:PassRole", Sub(f"arn:{PARTITION}:iam::${{AWS::AccountId}}:role/{task_role_name(cat, app)}"),
                      {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}),
    ]
    return iam.role(logical_id("ExecutionRole", app), refs.execution_role_name(cat, app),
                    iam.service_trust("cloudformation.amazonaws.com"), statements,
                    f"CloudFormation creates {app}'s ECS service with this role and nothing else")


def _task_role(cat: Catalogue, app: str, ecr_repositories: list[str]):
    tools = cat.account_id("tools")
    statements = [
        iam.statement("ecr:GetAuthorizationToken", "*"),
        iam.statement(["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                      [f"arn:aws:ecr:{cat.region}:{tools}:repository/{name}" for name in ecr_repositories]),
        iam.statement(["logs:CreateLogStream", "logs:PutLogEvents"],
                      Sub(f"arn:{PARTITION}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/ecs/{app}:*")),
        _key_statement(cat, ["kms:Decrypt", "kms:DescribeKey"]),
    ]
    return iam.role(logical_id("TaskExecutionRole", app), task_role_name(cat, app), iam.service_trust("ecs-tasks.amazonaws.com"),
                    statements, f"ECS pulls {app}'s image from the tools account and writes its logs")


def template(cat: Catalogue):
    t = new_template(f"Workload-account prerequisites of catalogue '{cat.stack_prefix}': deploy, CloudFormation "
                     "execution and task roles per application. Deploy per account or as a StackSet; generated by the toolkit.")
    repos = cat.hotfix.repositories if cat.hotfix else ()
    for app in refs.applications(cat):
        t.add_resource(_deploy_role(cat, app))
        t.add_resource(_execution_role(cat, app))
        ecr_names = sorted({r.parameters.ecr_repository for r in repos if r.parameters.application_name == app})
        t.add_resource(_task_role(cat, app, ecr_names))
    return t


def build(cat: Catalogue) -> list[Stack]:
    if not refs.applications(cat):
        return []
    t = template(cat)
    return [make_stack(t, name=stack_name_for(cat), kind="workload-prerequisites", account=account,
                       region=cat.account(account).region, stack_id=f"{stack_name_for(cat)}@{account}")
            for account in refs.workload_accounts(cat)]
