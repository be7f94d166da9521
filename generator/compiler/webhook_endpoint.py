"""The webhook endpoint of GitHub, GitLab and Bitbucket repositories: a Lambda function URL the function guards itself.

These providers do not send branch events to EventBridge; they post
webhooks. Why a function URL (AuthType NONE) and not API Gateway:

- The signature is over the raw body (GitHub X-Hub-Signature-256, Bitbucket
  X-Hub-Signature: HMAC-SHA256 of the payload), and an API Gateway Lambda
  authorizer receives headers, path and query but never the body (API
  Gateway Developer Guide, "Input to an API Gateway Lambda authorizer"), so
  the function would verify every delivery anyway. A function URL hands it
  the body as sent (base64 when binary, ``isBase64Encoded``).
- Size: a function URL takes what a synchronous invocation takes, 6 MB (Lambda
  quotas); a branch creation or deletion is a few kilobytes, and the function
  refuses anything over ``generator.hotfix.webhooks.endpoint.MAX_BODY`` before
  it hashes it.
- Cost and parts: no API, stage or deployment, no per-request charge beyond
  the invocation.
- Throttling and WAF: a function URL has neither; API Gateway REST APIs have
  both. A flood of unsigned requests is refused in milliseconds, each an
  invocation; ``hotfix.reserved_concurrency`` caps how many run at once.
  Providers' address ranges change (GitHub's meta API, Atlassian's and
  GitLab's published ranges), so no allow-list is kept: the signature is the
  control, and a team that wants a WAF puts CloudFront in front.

Access (Lambda Developer Guide, "Control access to Lambda function URLs"):
AuthType NONE still needs the function's resource policy to admit everyone
to lambda:InvokeFunctionUrl, and, for function URLs created from October
2025, lambda:InvokeFunction as well, limited to calls through the URL
(lambda:InvokedViaFunctionUrl). Repeats are recognised through a DynamoDB
table of delivery ids: a claim is a lease for one invocation, then kept a
week once handed over (TimeToLiveSpecification; DynamoDB deletes expired
items within days, so the function also compares the expiry itself); a
repeat is answered 200 with nothing done (generator/hotfix/webhooks/replays.py).
"""

from __future__ import annotations

from troposphere import GetAtt, Output, Ref, Tags, awslambda, dynamodb

from ..core.model import Catalogue
from ..core.naming import WEBHOOKS, camel, webhook_table_name
from . import iam

TABLE = "WebhookDeliveries"
KEY = "delivery"
EXPIRES = "expires_at"
FUNCTION = camel(WEBHOOKS) + "Function"

CHECKOV_NO_DEAD_LETTERS = {"id": "CKV_AWS_116", "comment": "Invoked synchronously through its URL: the provider "
                           "sees the failure and retries; there is no asynchronous event for a dead-letter queue"}
CHECKOV_PUBLIC_URL = [
    {"id": "CKV_AWS_258", "comment": "GitHub, GitLab and Bitbucket cannot sign AWS requests: the function verifies "
                                     "every delivery's signature or token before anything else"},
]
CHECKOV_PUBLIC_PERMISSION = [
    {"id": "CKV_AWS_301", "comment": "The webhook endpoint is public by design (AuthType NONE), limited to calls "
                                     "through its URL; the function refuses unsigned, mis-signed and replayed deliveries"},
]
CHECKOV_TABLE = [
    {"id": "CKV_AWS_28", "comment": "Delivery ids kept a week to refuse replays: nothing a restore would bring back "
                                    "matters, and the reconciler repairs any lost branch event"},
    {"id": "CKV_AWS_119", "comment": "Holds only providers' delivery ids; encrypted at rest with the AWS owned key, "
                                     "as every DynamoDB table is"},
]


def statements(cat: Catalogue, lifecycle_arn) -> list[dict]:
    """The endpoint's calls beyond its logs: claim and release delivery ids, hand branch events to the lifecycle Lambda,
    and read the webhook secrets, each by name: Secrets Manager ends a secret's ARN with a hyphen and six random
    characters (Secrets Manager User Guide, "Secret ARN"), which IAM matches with six '?'."""
    names = sorted({r.webhook_secret for r in cat.hotfix.repositories if r.webhook_secret})
    return [
        iam.statement(["dynamodb:DeleteItem", "dynamodb:PutItem"], GetAtt(TABLE, "Arn")),
        iam.statement("lambda:InvokeFunction", lifecycle_arn),
        *([iam.statement("secretsmanager:GetSecretValue", [iam.arn("secretsmanager", f"secret:{n}-??????")
                                                            for n in names])] if names else []),
    ]


def add(t, cat: Catalogue) -> None:
    """The table, the URL, its two permissions and the output providers are pointed at."""
    t.add_resource(dynamodb.Table(
        TABLE, TableName=webhook_table_name(cat.stack_prefix), BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[dynamodb.AttributeDefinition(AttributeName=KEY, AttributeType="S")],
        KeySchema=[dynamodb.KeySchema(AttributeName=KEY, KeyType="HASH")],
        TimeToLiveSpecification=dynamodb.TimeToLiveSpecification(AttributeName=EXPIRES, Enabled=True),
        Tags=Tags(**{"managed-by": "service-catalog-toolkit"}),
        Metadata={"checkov": {"skip": CHECKOV_TABLE}}))
    t.add_resource(awslambda.Url("WebhookUrl", AuthType="NONE", TargetFunctionArn=GetAtt(FUNCTION, "Arn"),
                                 Metadata={"checkov": {"skip": CHECKOV_PUBLIC_URL}}))
    t.add_resource(awslambda.Permission("WebhookUrlInvoke", Action="lambda:InvokeFunctionUrl", Principal="*",
                                        FunctionName=Ref(FUNCTION), FunctionUrlAuthType="NONE",
                                        Metadata={"checkov": {"skip": CHECKOV_PUBLIC_PERMISSION}}))
    t.add_resource(awslambda.Permission("WebhookUrlInvokeFunction", Action="lambda:InvokeFunction", Principal="*",
                                        FunctionName=Ref(FUNCTION), InvokedViaFunctionUrl=True,
                                        Metadata={"checkov": {"skip": CHECKOV_PUBLIC_PERMISSION}}))
    t.add_output(Output("WebhookUrl", Value=GetAtt("WebhookUrl", "FunctionUrl"),
                        Description="Each GitHub, GitLab or Bitbucket repository's webhook is this URL followed by the "
                                    "repository's name in the configuration"))
