"""The automation stack: branch events in, hotfix pipelines out.

EventBridge rules per CodeCommit repository (creation and deletion of
branches that start with its prefix, matched on the repository's ARN), the
three Lambdas with code from the bundles the build writes, a KMS-encrypted
dead-letter queue, log groups with retention, and one least-privilege role
per Lambda. With GitHub, GitLab or Bitbucket repositories, whose branch
events come as webhooks, also the webhook endpoint (``webhook_endpoint``).
"""

from __future__ import annotations

from troposphere import Export, GetAtt, ImportValue, Output, Parameter, Ref, Sub, Tags, awslambda, events, logs, sqs

from ..core import connections, sources
from ..core.model import Catalogue
from ..core.naming import FUNCTIONS, WEBHOOKS, camel, function_name, stack_name
from . import iam, products, refs, webhook_endpoint
from .builtin import parts
from .portfolios import LIFECYCLE_PRINCIPAL_ID
from .stack import Stack, make_stack
from .template import new_template

RUNTIME = "python3.14"  # the newest Python runtime cfn-lint does not flag as deprecated
LOG_RETENTION_DAYS = 90
RETRY_ATTEMPTS = 8
MAX_EVENT_AGE_SECONDS = 6 * 3600
# Reserved only when the config asks (hotfix.reserved_concurrency): Lambda
# refuses a reservation that leaves the account's unreserved concurrency under
# 100 ("Configuring reserved concurrency for a function", AWS Lambda Developer
# Guide), and new accounts often have a quota of 10 or 50.
CONCURRENCY = {"branch-lifecycle": 5, "pull-requests": 5, "reconciler": 1, WEBHOOKS: 5}
# The webhook answers its provider within GitHub's 10 seconds (GitHub Docs, "Handling webhook deliveries").
TIMEOUT = {"branch-lifecycle": 60, "pull-requests": 120, "reconciler": 300, WEBHOOKS: 10}
ROLE_SUFFIX = {"branch-lifecycle": "lifecycle", "pull-requests": "pull-requests", "reconciler": "reconciler",
               WEBHOOKS: "webhooks"}


def functions(cat: Catalogue) -> tuple[str, ...]:
    """The automation's Lambdas: the webhook endpoint only for a catalogue with a repository that sends webhooks."""
    connected = cat.hotfix and any(sources.uses_connection(r) for r in cat.hotfix.repositories)
    return FUNCTIONS + ((WEBHOOKS,) if connected else ())


def stack_name_for(cat: Catalogue) -> str:
    return stack_name(cat.stack_prefix, "automation")


def role_name(cat: Catalogue, function: str) -> str:
    return f"{cat.stack_prefix}-automation-{ROLE_SUFFIX[function]}"


def branch_rules(cat: Catalogue) -> dict[str, dict]:
    """Logical id -> EventBridge pattern, one per repository and kind of change."""
    rules = {}
    # Only CodeCommit sends branch events to EventBridge; the others' come as webhooks (webhook_endpoint).
    for repo in sorted((r for r in cat.hotfix.repositories if not sources.uses_connection(r)), key=lambda r: r.name):
        arn = f"arn:aws:codecommit:{cat.region}:{cat.account_id('tools')}:{repo.name}"
        for event, kind in (("referenceCreated", "Created"), ("referenceDeleted", "Deleted")):
            rules[f"Branch{kind}{refs.repo_key(repo.name)}"] = {
                "source": ["aws.codecommit"],
                "detail-type": ["CodeCommit Repository State Change"],
                "resources": [arn],
                "detail": {"event": [event], "referenceType": ["branch"], "repositoryName": [repo.name],
                           "referenceName": [{"prefix": repo.branch_prefix}]},
            }
    return rules


def _fn_arn(cat: Catalogue, function: str):
    return iam.arn("lambda", f"function:{function_name(cat.stack_prefix, function)}")


def _repo_arns(cat: Catalogue):
    return [iam.arn("codecommit", r.name) for r in sorted(cat.hotfix.repositories, key=lambda r: r.name)
            if r.provider == "codecommit"]


def _codecommit(cat: Catalogue, actions: list[str]) -> list[dict]:
    """The statement for the CodeCommit repositories, none when every repository lives elsewhere."""
    arns = _repo_arns(cat)
    return [iam.statement(actions, arns)] if arns else []


def _api_tokens(cat: Catalogue) -> list[dict]:
    """Reading the API tokens of the repositories on GitHub, GitLab or Bitbucket (providers/secrets.py).

    A secret's ARN is its name, '-' and six random characters Secrets Manager
    adds (Secrets Manager API reference, CreateSecret); '-??????' matches
    exactly those, never another secret whose name merely starts the same.
    """
    names = sorted({r.api_token for r in cat.hotfix.repositories if r.provider != "codecommit" and r.api_token})
    return [iam.statement("secretsmanager:GetSecretValue", [iam.arn("secretsmanager", f"secret:{n}-??????") for n in names])] \
        if names else []


# Service Catalog limits describe, search and terminate of provisioned
# products by who launched them: servicecatalog:roleLevel "self" reaches the
# products launched through the caller's role, accountLevel those of the
# account (Service Authorization Reference, Service Catalog condition keys;
# Administrator Guide, "Example access policies for provisioned product
# management"). The calls ask for the same level (AccessLevelFilter).
OWN_PRODUCTS = {"StringEquals": {"servicecatalog:roleLevel": "self"}}
ACCOUNT_PRODUCTS = {"StringEquals": {"servicecatalog:accountLevel": "self"}}


def _statements(cat: Catalogue, function: str) -> list[dict]:
    """What each Lambda's role may call: exactly the calls generator/hotfix makes, on what they target.

    The provider APIs (GitHub, GitLab, Bitbucket) are called with the token in
    each repository's api_token secret, by the three functions that ask about
    branches and pull requests; the webhook endpoint reads only the webhook
    secrets."""
    logs_statement = iam.statement(["logs:CreateLogStream", "logs:PutLogEvents"],
                                   iam.arn("logs", f"log-group:/aws/lambda/{function_name(cat.stack_prefix, function)}:*"))
    if function == WEBHOOKS:
        return [logs_statement, *webhook_endpoint.statements(cat, _fn_arn(cat, "branch-lifecycle"))]
    common = [
        logs_statement,
        iam.statement("sqs:SendMessage", GetAtt("DeadLetterQueue", "Arn")),
        iam.statement(["kms:Decrypt", "kms:GenerateDataKey"], parts.key_arn(cat)),
    ]
    if function == "branch-lifecycle":
        product_arns = [Sub("arn:${AWS::Partition}:catalog:${AWS::Region}:${AWS::AccountId}:product/${Id}",
                            Id=ImportValue(products.product_export(cat, p)))
                        for p in sorted({r.product for r in cat.hotfix.repositories})]
        return common + [
            iam.statement(["servicecatalog:DescribeProduct", "servicecatalog:ProvisionProduct"], product_arns),
            # Only the products this role launched: never a main pipeline or anyone else's.
            iam.statement(["servicecatalog:DescribeProvisionedProduct", "servicecatalog:SearchProvisionedProducts",
                           "servicecatalog:TerminateProvisionedProduct"], "*", OWN_PRODUCTS),
            # Whether the branch of a request still exists when it is carried out (liveness.py).
            *_codecommit(cat, ["codecommit:GetBranch", "codecommit:ListBranches"]),
            *_api_tokens(cat),
        ]
    if function == "pull-requests":
        return common + [
            *_codecommit(cat, ["codecommit:CreatePullRequest", "codecommit:GetPullRequest", "codecommit:ListPullRequests"]),
            *_api_tokens(cat),
            iam.statement(["codepipeline:GetJobDetails", "codepipeline:PutJobFailureResult",
                           "codepipeline:PutJobSuccessResult"], "*"),
        ]
    return common + [
        *_codecommit(cat, ["codecommit:GetBranch", "codecommit:ListBranches"]),
        *_api_tokens(cat),
        iam.statement("servicecatalog:SearchProvisionedProducts", "*", ACCOUNT_PRODUCTS),
        iam.statement("lambda:InvokeFunction", _fn_arn(cat, "branch-lifecycle")),
    ]


CHECKOV_LAMBDA_SKIPS = [
    {"id": "CKV_AWS_117", "comment": "The functions call only AWS APIs; a VPC would add NAT or endpoints and no protection"},
    {"id": "CKV_AWS_272", "comment": "Code comes from a content-addressed bundle the build writes and the pipeline uploads; "
                                     "code signing needs a signing profile this toolkit does not manage"},
    {"id": "CKV_AWS_173", "comment": "The functions have no environment variables to encrypt"},
]
CHECKOV_UNRESERVED = {"id": "CKV_AWS_115", "comment": "Reserved concurrency is off (hotfix.reserved_concurrency): Lambda "
                      "refuses a reservation that leaves the account under 100 unreserved executions"}


CHECKOV_NO_SECRETS_IN_ENVIRONMENT = {
    "id": "CKV_AWS_173", "comment": "The only environment variables are the ARNs of the connections the tools stack "
                                    "created, which are not secret"}


def _environment(cat: Catalogue, function: str) -> dict:
    """The lifecycle Lambda launches pipelines with the ARNs of the connections the tools stack created
    (``core.connections``): no other function needs them."""
    created = connections.created(cat) if function == "branch-lifecycle" else {}
    if not created:
        return {}
    return {"Environment": awslambda.Environment(Variables={
        connections.env_var(k): ImportValue(refs.connection_export(cat, k)) for k in created})}


def _function(t, cat: Catalogue, function: str, bundle_path: str) -> None:
    name = function_name(cat.stack_prefix, function)
    lid = camel(function)
    reserved = cat.hotfix.reserved_concurrency
    log_group = t.add_resource(logs.LogGroup(lid + "Logs", LogGroupName=f"/aws/lambda/{name}",
                                             RetentionInDays=LOG_RETENTION_DAYS, KmsKeyId=parts.key_arn(cat)))
    role = t.add_resource(iam.role(lid + "Role", role_name(cat, function), iam.service_trust("lambda.amazonaws.com"),
                                   _statements(cat, function), f"Execution role of {name}: only what it calls"))
    environment = _environment(cat, function)
    skips = [s for s in CHECKOV_LAMBDA_SKIPS if not (environment and s["id"] == "CKV_AWS_173")]
    skips += [CHECKOV_NO_SECRETS_IN_ENVIRONMENT] if environment else []
    skips += [] if reserved else [CHECKOV_UNRESERVED]
    # Invoked synchronously by its URL, the webhook endpoint has no event for a dead-letter queue to keep.
    dead_letters = {} if function == WEBHOOKS else {
        "DeadLetterConfig": awslambda.DeadLetterConfig(TargetArn=GetAtt("DeadLetterQueue", "Arn"))}
    skips += [webhook_endpoint.CHECKOV_NO_DEAD_LETTERS] if function == WEBHOOKS else []
    t.add_resource(awslambda.Function(
        lid + "Function", FunctionName=name, Runtime=RUNTIME, Handler="handler.handler",
        Description=f"{function}: hotfix automation of catalogue {cat.stack_prefix}",
        Code=awslambda.Code(S3Bucket=Ref("LambdaCodeBucket"), S3Key=Sub("${LambdaCodePrefix}" + bundle_path)),
        Role=GetAtt(role, "Arn"), Timeout=TIMEOUT[function], MemorySize=256,
        **({"ReservedConcurrentExecutions": CONCURRENCY[function]} if reserved else {}),
        **dead_letters, **environment,
        LoggingConfig=awslambda.LoggingConfig(LogGroup=Ref(log_group)),
        TracingConfig=awslambda.TracingConfig(Mode="PassThrough"),
        Tags=Tags(**{"managed-by": "service-catalog-toolkit"}),
        Metadata={"checkov": {"skip": skips}},
    ))


def _rule(t, cat: Catalogue, lid: str, target: str, **rule_props) -> None:
    t.add_resource(events.Rule(lid, State="ENABLED", Targets=[events.Target(
        Id=target, Arn=GetAtt(camel(target) + "Function", "Arn"),
        RetryPolicy=events.RetryPolicy(MaximumRetryAttempts=RETRY_ATTEMPTS, MaximumEventAgeInSeconds=MAX_EVENT_AGE_SECONDS),
        DeadLetterConfig=events.DeadLetterConfig(Arn=GetAtt("DeadLetterQueue", "Arn")))], **rule_props))
    t.add_resource(awslambda.Permission(
        lid + "Invoke", Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
        FunctionName=Ref(camel(target) + "Function"),
        SourceArn=GetAtt(lid, "Arn"), SourceAccount=Ref("AWS::AccountId")))


def build(cat: Catalogue, bundles: dict[str, str], depends_on: list[str]) -> list[Stack]:
    """``bundles``: function -> path of its zip under the uploaded folder."""
    if not cat.hotfix:
        return []
    t = new_template(f"Hotfix automation of catalogue '{cat.stack_prefix}': branch rules, Lambdas, reconciler schedule, "
                     "dead-letter queue. Generated by the toolkit.")
    t.add_parameter(Parameter("LambdaCodeBucket", Type="String", Description="S3 bucket the output folder was uploaded to",
                              AllowedPattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"))
    t.add_parameter(Parameter("LambdaCodePrefix", Type="String", Default="",
                              Description="Key prefix of the uploaded output folder, ending with '/' (empty for the bucket root)",
                              AllowedPattern=r"^([A-Za-z0-9!_.*'()/-]*/)?$"))
    t.add_resource(sqs.Queue("DeadLetterQueue", QueueName=f"{cat.stack_prefix}-automation-dead-letters",
                             MessageRetentionPeriod=14 * 24 * 3600, KmsMasterKeyId=parts.key_arn(cat)))
    for function in sorted(bundles):
        _function(t, cat, function, bundles[function])
    rule_arns = []
    for lid, pattern in branch_rules(cat).items():
        kind = "creation" if "Created" in lid else "deletion"
        _rule(t, cat, lid, "branch-lifecycle", EventPattern=pattern,
              Description=f"Hotfix branch {kind} in {pattern['detail']['repositoryName'][0]}")
        rule_arns.append(GetAtt(lid, "Arn"))
    _rule(t, cat, "ReconcileSchedule", "reconciler", ScheduleExpression=cat.hotfix.reconcile_schedule,
          Description="Repairs what missed branch events left behind")
    rule_arns.append(GetAtt("ReconcileSchedule", "Arn"))
    t.add_resource(sqs.QueuePolicy("DeadLetterQueuePolicy", Queues=[Ref("DeadLetterQueue")], PolicyDocument=iam.document({
        "Sid": "RulesDeadLetter", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": ["sqs:SendMessage"], "Resource": [GetAtt("DeadLetterQueue", "Arn")],
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}}})))
    if WEBHOOKS in bundles:
        webhook_endpoint.add(t, cat)
    t.add_output(Output("LifecycleRoleArn", Value=GetAtt("BranchLifecycleRole", "Arn"),
                        Export=Export(refs.automation_export(cat, "lifecycle-role-arn"))))
    t.add_output(Output("PullRequestFunctionArn", Value=GetAtt("PullRequestsFunction", "Arn")))
    return [make_stack(t, name=stack_name_for(cat), kind="automation", account="tools", region=cat.region,
                       parameters={"LambdaCodeBucket": "<deploy-time: bucket of the uploaded output folder>",
                                   "LambdaCodePrefix": "<deploy-time: key prefix of the uploaded output folder, ending in />"},
                       depends_on=depends_on)]


def lifecycle_principal(cat: Catalogue) -> dict:
    """The hotfix portfolio's only principal: {logical id: ARN expression}."""
    return {LIFECYCLE_PRINCIPAL_ID: ImportValue(refs.automation_export(cat, "lifecycle-role-arn"))}

