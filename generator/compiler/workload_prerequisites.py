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
from . import handler_actions, iam, refs
from .builtin import parts
from .stack import Stack, make_stack
from .template import new_template
from .tools_prerequisites import key_by_alias, task_role_name

PARTITION = "${AWS::Partition}"


def stack_name_for(cat: Catalogue) -> str:
    return stack_name(cat.stack_prefix, "workload-prerequisites")


def _deploy_role(cat: Catalogue, app: str):
    tools = cat.account_id("tools")
    # Only the pipelines' own roles ({slug}-pipeline), never their build roles: those run the
    # developers' buildspecs in privileged mode, one policy change away from production.
    trust = iam.document({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{tools}:root"}, "Action": ["sts:AssumeRole"],
        "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{tools}:role/{pipeline_role_pattern(cat.stack_prefix)}-pipeline"}},
    })
    stack_arn = Sub(f"arn:{PARTITION}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{refs.application_stack_name(app)}/*")
    statements = [
        # CodePipeline user guide, "CloudFormation deploy action reference": the action role's permissions
        # for CHANGE_SET_REPLACE and CHANGE_SET_EXECUTE, and DescribeStackEvents for the first failed
        # resource in the pipeline's error message. CHANGE_SET_REPLACE never deletes a stack a failed
        # first create left in ROLLBACK_COMPLETE (only REPLACE_ON_FAILURE does): the README says how.
        iam.statement(["cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet",
                       "cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks",
                       "cloudformation:ExecuteChangeSet"], stack_arn),
        iam.statement("iam:PassRole", Sub(f"arn:{PARTITION}:iam::${{AWS::AccountId}}:role/{refs.execution_role_name(cat, app)}"),
                      {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}),
        iam.statement(["s3:GetObject", "s3:GetObjectVersion"], f"arn:aws:s3:::{parts.artifact_bucket(cat)}/*"),
        key_by_alias(cat, ["kms:Decrypt", "kms:DescribeKey"]),
    ]
    return iam.role(logical_id("DeployRole", app), refs.deploy_role_name(cat, app), trust, statements,
                    f"Assumed by the tools account's pipeline roles to deploy {app}; may only run change sets on its stack")


# What CloudFormation does for examples/app/infra/service.yaml: every handler permission of its types
# (cluster, service, task definition, security group, log group) but those only unused properties call
# (generator/gates/handlers.py says which), with the stack's tags (infra/<account>.json) at create.
ECS_CLUSTER = ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:DescribeClusters", "ecs:ListTagsForResource",
               "ecs:PutClusterCapacityProviders", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateCluster",
               "ecs:UpdateClusterSettings"]
ECS_SERVICE = ["ecs:CreateService", "ecs:DeleteService", "ecs:DescribeServiceDeployments", "ecs:DescribeServices",
               "ecs:ListServiceDeployments", "ecs:ListTagsForResource", "ecs:StopServiceDeployment", "ecs:TagResource",
               "ecs:UntagResource", "ecs:UpdateService"]
# Service Authorization Reference, Amazon ECS: RegisterTaskDefinition takes the task-definition resource
# (family:revision), and tagging on create needs ecs:TagResource on it too.
TASK_DEFINITION = ["ecs:ListTagsForResource", "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UntagResource"]
SECURITY_GROUP_CHANGES = ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags",
                          "ec2:DeleteSecurityGroup", "ec2:DeleteTags", "ec2:RevokeSecurityGroupEgress",
                          "ec2:RevokeSecurityGroupIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
                          "ec2:UpdateSecurityGroupRuleDescriptionsIngress"]
# No resource type (Service Authorization Reference): granted on "*".
WORKLOAD_READS = ["ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                  "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListClusters", "ecs:ListServices",
                  "ecs:ListTaskDefinitions", *handler_actions.LOG_GROUP_ACCOUNT_READS]


def _execution_role(cat: Catalogue, app: str):
    """What CloudFormation needs for the example ECS service (examples/app/infra/service.yaml)."""
    region_account = "${AWS::Region}:${AWS::AccountId}"

    def ecs(resource: str) -> Sub:
        return Sub(f"arn:{PARTITION}:ecs:{region_account}:{resource}")

    security_groups = Sub(f"arn:{PARTITION}:ec2:{region_account}:security-group/*")
    task_role = Sub(f"arn:{PARTITION}:iam::${{AWS::AccountId}}:role/{task_role_name(cat, app)}")
    statements = [
        iam.statement(ECS_CLUSTER, ecs(f"cluster/{app}")),
        iam.statement(ECS_SERVICE, [ecs(f"service/{app}/*"), ecs(f"service-deployment/{app}/*")]),
        iam.statement(TASK_DEFINITION, ecs(f"task-definition/{app}:*")),
        # The first cluster of a fresh account creates ECS's service-linked role (the AWS::ECS::Cluster
        # create handler lists iam:CreateServiceLinkedRole; ECS developer guide, "Using service-linked
        # roles for Amazon ECS"): that role only, for that service only.
        iam.statement("iam:CreateServiceLinkedRole",
                      "arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*",
                      {"StringEquals": {"iam:AWSServiceName": "ecs.amazonaws.com"}}),
        iam.statement(["ec2:CreateSecurityGroup"], [security_groups, Sub(f"arn:{PARTITION}:ec2:{region_account}:vpc/*")]),
        iam.statement(["ec2:CreateTags"], security_groups, {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}}),
        iam.statement(SECURITY_GROUP_CHANGES, security_groups, {"StringEquals": {"aws:ResourceTag/application": app}}),
        iam.statement(WORKLOAD_READS, "*"),
        iam.statement(handler_actions.LOG_GROUP,
                      [Sub(f"arn:{PARTITION}:logs:{region_account}:log-group:/ecs/{app}"),
                       Sub(f"arn:{PARTITION}:logs:{region_account}:log-group:/ecs/{app}:*")]),
        iam.statement("iam:GetRole", task_role),
        iam.statement("iam:PassRole", task_role, {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}),
    ]
    return iam.role(logical_id("ExecutionRole", app), refs.execution_role_name(cat, app),
                    iam.service_trust("cloudformation.amazonaws.com"), statements,
                    f"CloudFormation creates, updates and deletes {app}'s ECS service with this role and nothing else")


def _task_role(cat: Catalogue, app: str, ecr_repositories: list[str]):
    tools = cat.account_id("tools")
    statements = [
        iam.statement("ecr:GetAuthorizationToken", "*"),
        iam.statement(["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                      [f"arn:aws:ecr:{cat.region}:{tools}:repository/{name}" for name in ecr_repositories]),
        iam.statement(["logs:CreateLogStream", "logs:PutLogEvents"],
                      Sub(f"arn:{PARTITION}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/ecs/{app}:*")),
        key_by_alias(cat, ["kms:Decrypt", "kms:DescribeKey"]),
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
