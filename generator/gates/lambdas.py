"""Sufficiency of the Lambdas' execution roles: every AWS call their bundled code makes, on the ARN it targets.

The calls come from ``lambda_calls`` (read from each bundle). The IAM
action of a call is the operation's name under the service's prefix
(Service Authorization Reference), except where the reference maps an
operation to another action (lambda Invoke -> lambda:InvokeFunction).
What each call targets is named below; the runtime's own needs come from
the AWS Lambda Developer Guide ("Lambda execution role": writing its log
streams; "dead-letter queues": sqs:SendMessage on the queue).
"""

from __future__ import annotations

from .finding import Finding
from .lambda_calls import analyse, bundle_sources, entry_point
from .requirements import Where, need, need_key
from .resourceless import STAR_ONLY

GATE = "sufficiency"
CODE = "SUF-LAMBDA"
UNKNOWN = "SUF-LAMBDA-CALL"

ACTION_EXCEPTIONS = {("lambda", "Invoke"): "lambda:InvokeFunction"}

# What each call acts on: "product" (the hotfix products), "repository" (the configured CodeCommit repositories),
# "api-token" (the Secrets Manager secrets named by repositories on GitHub, GitLab or Bitbucket),
# "lifecycle-function", or "*" for actions in resourceless.STAR_ONLY.
TARGETS = {
    ("servicecatalog", "DescribeProduct"): "product",
    ("servicecatalog", "ProvisionProduct"): "product",
    ("servicecatalog", "DescribeProvisionedProduct"): "*",
    ("servicecatalog", "SearchProvisionedProducts"): "*",
    ("servicecatalog", "TerminateProvisionedProduct"): "*",
    ("codecommit", "ListPullRequests"): "repository",
    ("codecommit", "GetPullRequest"): "repository",
    ("codecommit", "CreatePullRequest"): "repository",
    ("codecommit", "ListBranches"): "repository",
    ("codecommit", "GetBranch"): "repository",
    ("codecommit", "GetRepository"): "repository",
    ("codepipeline", "PutJobSuccessResult"): "*",
    ("codepipeline", "PutJobFailureResult"): "*",
    ("codepipeline", "GetJobDetails"): "*",
    ("lambda", "Invoke"): "lifecycle-function",
    # generator/hotfix/providers/secrets.py: the API token of a repository on GitHub, GitLab or Bitbucket.
    ("secretsmanager", "GetSecretValue"): "api-token",
}
WRITES = {"CreatePullRequest"}
# The webhook endpoint (generator/hotfix/webhooks/) claims and releases delivery ids in its table, and reads the webhook
# secrets, where the functions that call the providers' APIs read the API tokens.
TARGETS |= {("dynamodb", "PutItem"): "webhook-table", ("dynamodb", "DeleteItem"): "webhook-table"}
FUNCTION_TARGETS = {("webhooks", "secretsmanager", "GetSecretValue"): "webhook-secret"}
# Service Catalog's access-level condition keys follow the AccessLevelFilter a call passes
# (Service Authorization Reference, AWS Service Catalog condition keys accountLevel, roleLevel, userLevel).
ACCESS_LEVEL_KEYS = {"Account": "servicecatalog:accountLevel", "Role": "servicecatalog:roleLevel", "User": "servicecatalog:userLevel"}
# Calls that pass no AccessLevelFilter but name one provisioned product: the access-level keys are then
# evaluated against that product (Administrator Guide, "Example access policies for provisioned product
# management": the keys govern TerminateProvisionedProduct too). The lifecycle Lambda names only products
# its role launched: terminate() finds the product with a Role-level search before terminating it
# (generator/hotfix/provisioning.py), and describing another's product is refused, as its policy intends.
NAMED_PRODUCT_LEVEL = {("servicecatalog", "DescribeProvisionedProduct"): "Role",
                       ("servicecatalog", "TerminateProvisionedProduct"): "Role"}


def iam_action(service: str, operation: str) -> str:
    return ACTION_EXCEPTIONS.get((service, operation), f"{service}:{operation}")


def _functions(ctx) -> list[tuple]:
    """(stack, logical id, props, bundle path) for every function whose code is a bundle of the build."""
    out = []
    bundles = {p for p in ctx.files if p.startswith("lambdas/") and p.endswith(".zip")}
    for stack in ctx.model.stacks:
        for lid in stack.of_type("AWS::Lambda::Function"):
            props = stack.props(lid) or {}
            key = str((props.get("Code") or {}).get("S3Key", ""))
            path = next((b for b in sorted(bundles) if key.endswith(b)), None)
            if path:
                out.append((stack, lid, props, path))
    return out


def _targets(ctx, stack, kind: str) -> list[str]:
    cat = ctx.model.catalogue
    env = stack.env
    if kind == "webhook-secret":
        # As for the API tokens: a secret's ARN ends in its name, '-' and six random characters.
        names = sorted({r.webhook_secret for r in (cat.hotfix.repositories if cat and cat.hotfix else ()) if r.webhook_secret})
        return [f"arn:{env.partition}:secretsmanager:{env.region}:{env.account}:secret:{n}-AbC123" for n in names]
    if kind == "webhook-table":
        return sorted(stack.arn(lid) for lid in stack.of_type("AWS::DynamoDB::Table"))
    if kind == "*":
        return ["*"]
    repos = cat.hotfix.repositories if cat and cat.hotfix else ()
    if kind == "repository":
        names = sorted(r.name for r in repos if r.provider == "codecommit")
        return [f"arn:{env.partition}:codecommit:{env.region}:{env.account}:{r}" for r in names]
    if kind == "api-token":
        # A secret's ARN ends in its name, '-' and six random characters (Secrets Manager API reference, CreateSecret ARN).
        names = sorted({r.api_token for r in repos if r.provider != "codecommit" and r.api_token})
        return [f"arn:{env.partition}:secretsmanager:{env.region}:{env.account}:secret:{n}-AbC123" for n in names]
    if kind == "product":
        wanted = {p for r in cat.hotfix.repositories for p in (r.product,)} if cat and cat.hotfix else set()
        names = {n for p in cat.products if p.name in wanted for n in (p.name, p.display_name)} if cat else set()
        return sorted(s.arn(lid) for s in ctx.model.stacks for lid in s.of_type("AWS::ServiceCatalog::CloudFormationProduct")
                      if (s.props(lid) or {}).get("Name") in names)
    if kind == "lifecycle-function":
        return sorted(s.arn(lid) for s, lid, _, path in _functions(ctx) if "branch_lifecycle" in path)
    return []


def run(ctx) -> list[Finding]:
    out: list[Finding] = []
    for stack, lid, props, path in _functions(ctx):
        role = ctx.model.role(str(props.get("Role", "")))
        if role is None:
            continue
        principal = role.principal
        where = Where(stack.path, lid, stack.line(lid))
        name = str(props.get("FunctionName", lid))
        env = stack.env
        group = (props.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{name}"
        stream = f"arn:{env.partition}:logs:{env.region}:{env.account}:log-group:{group}:log-stream:2026/01/01/[$LATEST]0000"
        runtime = f"the Lambda runtime of {name} (Lambda Developer Guide, execution role)"
        for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
            out += need(ctx, principal, action, stream, runtime, where, code=CODE)
        dlq = (props.get("DeadLetterConfig") or {}).get("TargetArn")
        if dlq:
            why = f"{name}'s dead-letter queue (Lambda Developer Guide, dead-letter queues)"
            out += need(ctx, principal, "sqs:SendMessage", str(dlq), why, where, code=CODE)
            out += need_key(ctx, principal, str(dlq), "sqs", "write", why, where, code=CODE)
        sources, handler = bundle_sources(ctx.files[path])
        entry = entry_point(handler)
        if entry is None:
            out.append(Finding(stack.path, lid, GATE, UNKNOWN, f"{path}: handler.py names no runner function", line=where.line))
            continue
        calls, unplaced = analyse(sources, entry)
        for module, line, method in unplaced:
            out.append(Finding(stack.path, lid, GATE, UNKNOWN,
                               f"{name} calls {method} (generator/hotfix/{module}.py:{line}) on a client the gate cannot identify",
                               line=where.line))
        for call in calls:
            action = iam_action(call.service, call.operation)
            function = path.split("/", 1)[-1].rsplit("-", 1)[0]  # lambdas/<function>-<hash>.zip
            kind = FUNCTION_TARGETS.get((function, call.service, call.operation)) or TARGETS.get((call.service, call.operation))
            if kind is None:
                out.append(Finding(stack.path, lid, GATE, UNKNOWN,
                                   f"{name} calls {call.service} {call.operation} (generator/hotfix/{call.module}.py:{call.line}), "
                                   "which the gates' table of call targets does not know: add it to generator/gates/lambdas.py",
                                   action=action, line=where.line))
                continue
            if kind == "*" and action not in STAR_ONLY:
                kind = "?"
            why = f"{name}'s call {call.service}.{call.operation} (generator/hotfix/{call.module}.py:{call.line})"
            level = call.access_level or NAMED_PRODUCT_LEVEL.get((call.service, call.operation), "")
            context = ((ACCESS_LEVEL_KEYS[level], "self"),) if level in ACCESS_LEVEL_KEYS else ()
            for arn in _targets(ctx, stack, kind):
                out += need(ctx, principal, action, arn, why, where, context, code=CODE)
                if call.service == "codecommit":
                    access = "write" if call.operation in WRITES else "read"
                    out += need_key(ctx, principal, arn, "codecommit", access, why, where, code=CODE)
    return out
