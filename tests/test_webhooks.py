"""Webhook deliveries from GitHub, GitLab and Bitbucket: verified before anything else, read as each provider documents
its events, and handed to the lifecycle Lambda as the event CodeCommit's EventBridge rule gives; refused when
unsigned, mis-signed, replayed or oversized, with nothing done.

The fixtures in tests/events/webhooks/ are shaped as the providers document them (GitHub Docs, "Webhook events and
payloads" and delivery headers; GitLab Docs, "Webhook events", push and tag events, and "Webhooks", delivery headers;
Bitbucket Cloud, "Event payloads", repo:push and HTTP headers) and signed here with a test secret. Secrets Manager
and DynamoDB are moto's; Lambda's Invoke goes through botocore's Stubber, which checks each request against the
service model and lists exactly what the lifecycle Lambda receives.
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from botocore.stub import Stubber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from generator.config_loader import load_config
from generator.core.naming import webhook_table_name
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix.clients import WEBHOOK_LIMITS, Clients
from generator.hotfix.decide import decide
from generator.hotfix.decisions import Provision, Terminate
from generator.hotfix.events import ReferenceEvent, parse
from generator.hotfix.webhooks import endpoint, payloads, replays, request, secret_cache, signatures

from .conftest import CONFIGS

FIXTURES = Path(__file__).resolve().parent / "events" / "webhooks"
CAT = catalogue_from_dict(canonical(load_config(CONFIGS / "valid" / "providers.yaml").data))
SECRET = b"webhook-test-secret: not a real one"
SECRETS = {r.name: r.webhook_secret for r in CAT.hotfix.repositories if r.webhook_secret}
REGION = "us-east-1"

# What each fixture must come to: the HTTP status and the decisions' actions, in order.
EXPECTED = {
    "github-push-branch-created": (202, ["provision"]),
    "github-push-branch-deleted": (202, ["terminate"]),
    "github-push-branch-updated": (200, ["ignore"]),
    "github-push-tag-created": (200, ["ignore"]),
    "github-push-feature-branch-created": (200, ["ignore"]),
    "github-push-other-repository": (200, []),
    "github-delete-branch": (202, ["terminate"]),
    "github-create-branch": (200, ["ignore"]),
    "github-ping": (200, ["ignore"]),
    "gitlab-push-branch-created": (202, ["provision"]),
    "gitlab-push-branch-deleted": (202, ["terminate"]),
    "gitlab-push-branch-updated": (200, ["ignore"]),
    "gitlab-tag-push": (200, ["ignore"]),
    "gitlab-merge-request": (200, ["ignore"]),
    "bitbucket-push-branch-created": (202, ["provision"]),
    "bitbucket-push-branch-deleted": (202, ["terminate"]),
    "bitbucket-push-branch-updated": (200, ["ignore"]),
    "bitbucket-push-tag-created": (200, ["ignore"]),
    "bitbucket-push-two-changes": (202, ["provision", "terminate"]),
}
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def provider_of(name: str) -> str:
    return name.split("-", 1)[0]


def delivery(name: str, secret: bytes = SECRET, body: bytes | None = None, sign: bool = True, encoded: bool = False) -> dict:
    """The fixture as a Lambda function URL event (payload format 2.0), its body signed with ``secret``."""
    doc = fixture(name)
    raw = json.dumps(doc["payload"], indent=2).encode() if body is None else body
    headers = {k.lower(): v for k, v in doc["headers"].items()}
    provider = provider_of(name)
    if sign:
        headers[signatures.SIGNATURE_HEADER[provider]] = signatures.expected(provider, raw, secret)
    return {"version": "2.0", "routeKey": "$default", "rawPath": doc["path"], "rawQueryString": "", "headers": headers,
            "requestContext": {"http": {"method": "POST", "path": doc["path"], "protocol": "HTTP/1.1",
                                        "sourceIp": "192.0.2.10", "userAgent": headers.get("user-agent", "")},
                               "requestId": "c0ffee00-0000-4000-8000-000000000001", "timeEpoch": 1772442847000},
            "body": base64.b64encode(raw).decode() if encoded else raw.decode(),
            "isBase64Encoded": encoded}


TABLE = webhook_table_name(CAT.stack_prefix)
# Lambda passes each invocation its own request id (Lambda Developer Guide, "Lambda context object in Python").
CONTEXT = SimpleNamespace(aws_request_id="c0ffee00-0000-4000-8000-00000000000a", function_name="webhooks")
OTHER_CONTEXT = SimpleNamespace(aws_request_id="c0ffee00-0000-4000-8000-00000000000b", function_name="webhooks")


class Aws:
    """moto's Secrets Manager and DynamoDB with the secrets and the deliveries table; Lambda through a Stubber.

    Made once per module (clients are slow to make); ``fresh`` empties the table and gives a new Stubber per test.
    """

    def __init__(self):
        self.sm = boto3.client("secretsmanager", region_name=REGION)
        for name in sorted(set(SECRETS.values())):
            self.sm.create_secret(Name=name, SecretString=SECRET.decode())
        self.ddb = boto3.client("dynamodb", region_name=REGION)
        self.ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "delivery", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "delivery", "KeyType": "HASH"}])
        self.lam = boto3.client("lambda", region_name=REGION)
        self.stub = None

    def fresh(self) -> Aws:
        for item in self.ddb.scan(TableName=TABLE)["Items"]:
            self.ddb.delete_item(TableName=TABLE, Key={"delivery": item["delivery"]})
        if self.stub is not None:
            self.stub.deactivate()
        self.stub = Stubber(self.lam)
        self.stub.activate()
        self.clients = Clients(secretsmanager=self.sm, dynamodb=self.ddb, lambda_=self.lam)
        return self

    def expect_hand_over(self, count: int) -> list[dict]:
        """Expect ``count`` asynchronous invocations of the lifecycle Lambda; returns the events they carried."""
        sent: list[dict] = []
        for _ in range(count):
            self.stub.add_response("invoke", {"StatusCode": 202}, {
                "FunctionName": f"{CAT.stack_prefix}-branch-lifecycle", "InvocationType": "Event",
                "Payload": _Capture(sent)})
        return sent

    def receive(self, event, context=None) -> tuple[int, dict]:
        response = endpoint.receive(event, context, CAT, self.clients)
        assert response["headers"] == {"content-type": "application/json"}
        return response["statusCode"], json.loads(response["body"])

    def claimed(self) -> list[str]:
        return sorted(i["delivery"]["S"] for i in self.ddb.scan(TableName=TABLE)["Items"])


class _Capture:
    """A Stubber parameter that matches any payload and keeps it."""

    def __init__(self, sink: list):
        self.sink = sink

    def __eq__(self, other) -> bool:
        self.sink.append(json.loads(other))
        return True


@pytest.fixture(scope="module")
def world():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        with mock_aws():
            yield Aws()


@pytest.fixture
def aws(world, capsys):
    secret_cache.forget()
    yield world.fresh()
    world.stub.assert_no_pending_responses()
    secret_cache.forget()
    capsys.readouterr()  # the endpoint's JSON log lines


# --- Signatures ------------------------------------------------------------------------------------------------

def test_the_github_signature_matches_githubs_published_example():
    # GitHub Docs, "Validating webhook deliveries", testing the webhook payload validation: this secret and payload
    # give this X-Hub-Signature-256.
    assert signatures.expected("github", b"Hello, World!", b"It's a Secret to Everybody") == \
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


@pytest.mark.parametrize("provider", ["github", "gitlab", "bitbucket"])
@given(body=st.binary(max_size=300), secret=st.binary(min_size=1, max_size=64).filter(lambda s: b"\x00" not in s),
       flip=st.integers(min_value=0, max_value=10_000))
def test_a_signature_holds_for_its_body_and_secret_only(provider, body, secret, flip):
    secret = secret.decode("latin-1").encode("utf-8")  # GitLab's token is text
    header = signatures.SIGNATURE_HEADER[provider]
    good = signatures.expected(provider, body, secret)
    assert signatures.verify(provider, {header: good}, body, secret).status == 200
    assert signatures.verify(provider, {}, body, secret).status == 401
    other = secret + b"x"
    assert signatures.verify(provider, {header: signatures.expected(provider, body, other)}, body, secret).status == 403
    if provider != "gitlab":  # HMACs cover the body; GitLab's token does not (GitLab Docs: the secret itself)
        changed = bytearray(body or b"\x00")
        changed[flip % len(changed)] ^= 0x01
        assert signatures.verify(provider, {header: good}, bytes(changed), secret).status == 403


# --- Every fixture, end to end through the endpoint ----------------------------------------------------------------

def test_every_fixture_has_an_expectation():
    assert sorted(EXPECTED) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_verified_delivery_hands_over_exactly_what_decide_acts_on(aws, name):
    status, actions = EXPECTED[name]
    sent = aws.expect_hand_over(sum(a in ("provision", "terminate") for a in actions))
    got_status, body = aws.receive(delivery(name))
    assert (got_status, [d["action"] for d in body.get("decisions", [])]) == (status, actions), body
    assert body["verified"] is True and body["delivery"]
    # Every verified delivery's id is recorded, so that its replay is refused.
    assert aws.claimed() == [f"{provider_of(name)}:{body['delivery']}"]
    for event in sent:  # what the lifecycle Lambda receives decides as the endpoint said it would
        assert decide(event, CAT).action in ("provision", "terminate")


@pytest.mark.parametrize("name", NAMES)
def test_an_unsigned_delivery_is_401_and_nothing_is_done(aws, name):
    status, body = aws.receive(delivery(name, sign=False))
    assert status == 401 and body["reason"].startswith("unsigned") and "decisions" not in body
    assert aws.claimed() == []


@pytest.mark.parametrize("name", NAMES)
def test_a_delivery_signed_with_another_secret_is_403_and_nothing_is_done(aws, name):
    status, body = aws.receive(delivery(name, secret=b"not the secret"))
    assert status == 403 and "invalid" in body["reason"] and "decisions" not in body
    assert aws.claimed() == []


@pytest.mark.parametrize("name", [n for n in NAMES if provider_of(n) != "gitlab"])
def test_a_body_changed_after_signing_is_403(aws, name):
    event = delivery(name)
    event["body"] += "\n"  # still the same JSON, no longer the bytes that were signed
    assert aws.receive(event)[0] == 403
    assert aws.claimed() == []


@pytest.mark.parametrize("name", NAMES)
def test_a_delivery_received_again_is_200_and_nothing_is_done_again(aws, name):
    # GitLab Docs, "Webhooks": a webhook that fails (4xx or 5xx) 4 times in a row is disabled for a while, 40 times
    # for good; its retries keep their Idempotency-Key, as GitHub's redeliveries keep X-GitHub-Delivery. A genuine
    # delivery received before is therefore 2xx, for every provider, and hands nothing over again.
    status, actions = EXPECTED[name]
    sent = aws.expect_hand_over(sum(a in ("provision", "terminate") for a in actions))
    assert aws.receive(delivery(name), CONTEXT)[0] == status
    again, body = aws.receive(delivery(name), OTHER_CONTEXT)
    assert (again, body["verified"]) == (200, True) and "already received, nothing done" in body["reason"], body
    assert "decisions" not in body and len(sent) == len([a for a in actions if a != "ignore"])


@pytest.fixture
def table():
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        ddb.create_table(TableName="t", BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "delivery", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "delivery", "AttributeType": "S"}])
        yield ddb
        ddb.delete_table(TableName="t")  # the module's moto world may outlive this block


def test_a_claim_is_a_lease_until_completed_then_kept_a_week(table):
    # DynamoDB Developer Guide, "Condition expressions": a PutItem whose condition fails writes nothing. Time to live
    # deletes expired items only eventually ("Time to Live": within days), so the claim compares the expiry itself.
    lease = 10
    until = 1000 + lease + replays.CLOCK_SKEW_SECONDS
    assert replays.claim(table, "t", "github:1", "a", lease, at=1000) == replays.CLAIMED
    assert replays.claim(table, "t", "github:1", "a", lease, at=1005) == replays.CLAIMED  # its own, written before
    assert replays.claim(table, "t", "github:1", "b", lease, at=until) == replays.BUSY  # a's lease is live
    assert replays.claim(table, "t", "github:1", "b", lease, at=until + 1) == replays.CLAIMED  # a died: taken over
    assert not replays.complete(table, "t", "github:1", "a", at=until + 1)  # a's claim is no longer a's
    replays.release(table, "t", "github:1", "a")  # nor is it a's to release
    assert replays.complete(table, "t", "github:1", "b", at=until + 2)
    assert replays.claim(table, "t", "github:1", "c", lease, at=until + 2 + replays.KEEP_SECONDS) == replays.RECEIVED
    assert replays.claim(table, "t", "github:1", "c", lease, at=until + 3 + replays.KEEP_SECONDS) == replays.CLAIMED
    replays.release(table, "t", "github:1", "c")
    assert table.scan(TableName="t")["Items"] == []


def test_an_item_written_before_leases_counts_as_received(table):
    table.put_item(TableName="t", Item={"delivery": {"S": "github:1"}, "expires_at": {"N": str(1000 + replays.KEEP_SECONDS)}})
    assert replays.claim(table, "t", "github:1", "a", 10, at=1001) == replays.RECEIVED


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.floats(min_value=1.7e9, max_value=2e9), lease=st.floats(min_value=0, max_value=900),
       later=st.floats(min_value=0, max_value=1000))
def test_no_claim_is_taken_over_while_its_request_can_still_run(table, start, lease, later):
    # A request may run for ``lease`` seconds more (Lambda's get_remaining_time_in_millis); only after that, and the
    # clock skew between hosts, may another take its delivery over.
    key = f"github:{uuid.uuid4()}"  # a new delivery per example
    assert replays.claim(table, "t", key, "a", lease, at=start) == replays.CLAIMED
    taken = replays.claim(table, "t", key, "b", 10, at=start + later)
    if later <= lease + replays.CLOCK_SKEW_SECONDS:
        assert taken == replays.BUSY
    elif later >= lease + replays.CLOCK_SKEW_SECONDS + 2:
        assert taken == replays.CLAIMED


def test_a_claim_whose_response_was_lost_is_still_the_first_arrival(aws):
    # botocore retries a request whose response was lost (a read timeout), though DynamoDB may have applied it; the
    # retried PutItem then fails its own condition. DynamoDB API Reference, PutItem: with
    # ReturnValuesOnConditionCheckFailure=ALL_OLD the ConditionalCheckFailedException carries the item, whose owner
    # shows the claim is this request's (moto returns the item as DynamoDB does).
    from botocore.exceptions import ReadTimeoutError

    applied = []

    def apply_then_lose_the_response(request, **_):
        if not applied:  # DynamoDB applies the write; its response never arrives
            applied.append(json.loads(request.body))
            aws.ddb.put_item(**applied[0])
            raise ReadTimeoutError(endpoint_url=request.url)

    aws.ddb.meta.events.register_last("before-send.dynamodb.PutItem", apply_then_lose_the_response)
    try:
        sent = aws.expect_hand_over(1)
        status, body = aws.receive(delivery("github-push-branch-created"), CONTEXT)
    finally:
        aws.ddb.meta.events.unregister("before-send.dynamodb.PutItem", apply_then_lose_the_response)
    assert applied and (status, len(sent)) == (202, 1), body
    # A second request with the same id is still answered as received before.
    assert "already received" in aws.receive(delivery("github-push-branch-created"), OTHER_CONTEXT)[1]["reason"]


def test_a_failed_hand_over_releases_the_delivery_for_the_providers_retry(aws):
    aws.stub.add_client_error("invoke", service_error_code="TooManyRequestsException", http_status_code=429)
    status, _ = aws.receive(delivery("github-push-branch-created"))
    assert status == 503 and aws.claimed() == []
    aws.expect_hand_over(1)
    assert aws.receive(delivery("github-push-branch-created"))[0] == 202


def test_an_unreadable_secret_is_503_and_nothing_is_done(aws):
    aws.sm.delete_secret(SecretId=SECRETS["storefront"], ForceDeleteWithoutRecovery=True)
    try:
        status, body = aws.receive(delivery("github-push-branch-created"))
    finally:
        aws.sm.create_secret(Name=SECRETS["storefront"], SecretString=SECRET.decode())
    assert status == 503 and "decisions" not in body and aws.claimed() == []


# --- Requests refused before the body is read -------------------------------------------------------------------

@pytest.mark.parametrize("encoded", [False, True], ids=["text", "base64"])
def test_an_oversized_body_is_413_before_any_secret_is_read(aws, encoded):
    big = b'{"pad": "' + b"x" * request.MAX_BODY + b'"}'
    aws.clients = Clients(secretsmanager=None, dynamodb=None, lambda_=None)  # any call would fail: nothing may be read
    status, _ = aws.receive(delivery("github-push-branch-created", body=big, encoded=encoded))
    assert status == 413


def test_a_base64_body_is_verified_over_its_decoded_bytes(aws):
    # Lambda function URLs base64-encode a body they take for binary (isBase64Encoded: Lambda Developer Guide,
    # "Invoking Lambda function URLs", request payload); the signature is over the bytes sent.
    aws.expect_hand_over(1)
    assert aws.receive(delivery("bitbucket-push-branch-created", encoded=True))[0] == 202
    event = delivery("bitbucket-push-branch-deleted", encoded=True)
    event["body"] = event["body"][:-4] + "!!!!"
    assert aws.receive(event)[0] == 400


@pytest.mark.parametrize("path, method, status", [
    ("/nowhere", "POST", 404), ("/payments", "POST", 404),  # unknown; a CodeCommit repository has no webhook
    ("/", "POST", 404), ("/storefront/extra", "POST", 404), ("/storefront", "GET", 405)])
def test_paths_and_methods_without_a_webhook(aws, path, method, status):
    event = delivery("github-push-branch-created")
    event["rawPath"] = path
    event["requestContext"]["http"]["method"] = method
    assert aws.receive(event)[0] == status
    assert aws.claimed() == []


@pytest.mark.parametrize("name", ["github-push-branch-created", "gitlab-push-branch-created", "bitbucket-push-branch-created"])
def test_a_verified_delivery_without_a_delivery_id_is_400(aws, name):
    event = delivery(name)
    for header in signatures.DELIVERY_HEADERS[provider_of(name)]:
        event["headers"].pop(header, None)
    status, body = aws.receive(event)
    assert status == 400 and "delivery id" in body["reason"] and aws.claimed() == []


def test_gitlab_falls_back_to_the_event_uuid_before_17_4():
    # GitLab sends Idempotency-Key from 17.4 (the same across its retries); X-Gitlab-Event-UUID before.
    headers = {"x-gitlab-event-uuid": "5e1a2b3c-7d8e-4f90-a1b2-c3d4e5f6a7b8"}
    assert signatures.delivery_id("gitlab", headers) == headers["x-gitlab-event-uuid"]
    assert signatures.delivery_id("gitlab", {**headers, "idempotency-key": "k-1"}) == "k-1"


@pytest.mark.parametrize("name", ["github-push-branch-created", "gitlab-push-branch-created", "bitbucket-push-branch-created"])
def test_a_verified_body_that_is_not_the_announced_event_is_400(aws, name):
    for body in (b"not json", b"[]", b'{"ref": 1}'):
        status, answer = aws.receive(delivery(name, body=body))
        assert status == 400, (body, answer)
    assert aws.claimed() == []


# --- What a delivery becomes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n, (_, actions) in EXPECTED.items() if "provision" in actions or "terminate" in actions])
def test_a_branch_change_becomes_the_reference_event_codecommit_gives(name):
    doc = fixture(name)
    repo = CAT.repository(doc["path"].strip("/"))
    raw = json.dumps(doc["payload"]).encode()
    outcome = endpoint.assess(request.Delivery("POST", doc["path"], {k.lower(): v for k, v in doc["headers"].items()}, raw),
                              repo, CAT, None)
    for change in outcome.changes:
        event = parse(change)
        assert isinstance(event, ReferenceEvent)
        assert event.repository == repo.name and event.reference_type == "branch"
        assert event.event in ("referenceCreated", "referenceDeleted")
        # The same change from CodeCommit's rule decides the same, but for the request id in the provision token.
        codecommit = {"version": "0", "id": change["id"], "source": "aws.codecommit",
                      "detail-type": "CodeCommit Repository State Change", "account": change["account"],
                      "region": change["region"], "resources": [], "detail": change["detail"]}
        assert decide(change, CAT) == decide(codecommit, CAT)
        assert isinstance(decide(change, CAT), (Provision, Terminate))


@pytest.mark.parametrize("zeros", [40, 64])
def test_gitlab_zero_commits_of_either_hash_length(zeros):
    # GitLab: a created branch's "before" and a deleted one's "after" are the zero commit; SHA-256 repositories
    # have 64 hex digits.
    repo = CAT.repository("inventory")
    commit = "a" * zeros
    created = payloads.read("gitlab", "Push Hook", {"object_kind": "push", "ref": "refs/heads/hotfix/x", "before": "0" * zeros,
                                                    "after": commit, "project": {"path_with_namespace": repo.full_repository_id}},
                            repo, "d", "111111111111", REGION)
    assert [c["detail"]["commitId"] for c in created.changes] == [commit]


def test_a_provision_through_a_webhook_launches_with_the_connection_and_repository_id():
    change = payloads.read("github", "push", fixture("github-push-branch-created")["payload"], CAT.repository("storefront"),
                           "d-1", "111111111111", REGION).changes[0]
    decision = decide(change, CAT)
    assert isinstance(decision, Provision)
    parameters = dict(decision.parameters)
    repo = CAT.repository("storefront")
    assert parameters["ConnectionArn"] == repo.connection_arn and parameters["FullRepositoryId"] == "acme-shop/storefront"
    assert parameters["RepositoryName"] == "storefront" and parameters["CommitId"] == "6113728f27ae82c7b1a177c8d03f9e96e0adf246"


def test_the_lambda_handler_serves_the_endpoint(aws, monkeypatch, tmp_path):
    # The handler in lambdas/webhooks/ is one line over the endpoint, reading the config bundled next to it.
    import importlib.util

    from generator.core.parse import compiled_json
    from generator.hotfix import runner

    handler_dir = tmp_path / "bundle"
    handler_dir.mkdir()
    (handler_dir / "config.json").write_text(compiled_json(load_config(CONFIGS / "valid" / "providers.yaml").data))
    source = Path(__file__).resolve().parents[1] / "lambdas" / "webhooks" / "handler.py"
    (handler_dir / "handler.py").write_bytes(source.read_bytes())
    spec = importlib.util.spec_from_file_location("webhooks_handler", handler_dir / "handler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.handler.clients.use(secretsmanager=aws.sm, dynamodb=aws.ddb, lambda_=aws.lam)
    runner.bundled_config.cache_clear()
    aws.expect_hand_over(1)
    response = module.handler(delivery("gitlab-push-branch-deleted"), None)
    assert response["statusCode"] == 202


def test_a_github_webhook_set_to_form_encoding_is_read_too(aws):
    # GitHub Docs, "Creating webhooks": with application/x-www-form-urlencoded the JSON is the form field "payload";
    # the signature is over the body as sent.
    from urllib.parse import urlencode

    raw = urlencode({"payload": json.dumps(fixture("github-push-branch-deleted")["payload"])}).encode()
    event = delivery("github-push-branch-deleted", body=raw)
    event["headers"]["content-type"] = "application/x-www-form-urlencoded"
    aws.expect_hand_over(1)
    status, body = aws.receive(event)
    assert status == 202 and body["decisions"][0]["action"] == "terminate"


# --- A request that dies between its claim and its answer -----------------------------------------------------------

class Killed(BaseException):
    """What a function's timeout or an out-of-memory kill is to the code: the call never returns, nothing is caught."""


class _Dying:
    """A client whose calls are counted in ``calls``; the one numbered ``at`` dies, before or after it takes effect."""

    def __init__(self, client, calls: list, at: int, after: bool):
        self._client, self._calls, self._at, self._after = client, calls, at, after

    def __getattr__(self, name):
        method = getattr(self._client, name)

        def call(**kwargs):
            self._calls.append(name)
            if len(self._calls) != self._at:
                return method(**kwargs)
            if self._after:
                method(**kwargs)
            raise Killed(name)
        return call


def _context(request: str, seconds: float = 10.0):
    # Lambda Developer Guide, "Lambda context object in Python": aws_request_id, get_remaining_time_in_millis.
    return SimpleNamespace(aws_request_id=request, function_name="webhooks",
                           get_remaining_time_in_millis=lambda: int(seconds * 1000))


# The endpoint's calls after the secret: 1 the claim (PutItem), 2 the hand-over (Invoke), 3 the completion (PutItem).
# For each call it dies at, before or after the call takes effect: the answer to a redelivery while the dead request's
# lease runs, and after it ran out. GitHub redelivers only by hand (GitHub Docs, "Handling failed webhook deliveries").
KILLS = {
    (1, False): (202, 200),  # nothing was written: the redelivery is the first arrival
    (1, True): (503, 202),
    (2, False): (503, 202),
    (2, True): (503, 202),  # handed over twice in all: the lifecycle Lambda checks the branch each time
    (3, False): (503, 202),
    (3, True): (200, 200),
}


@pytest.mark.parametrize("at, after", sorted(KILLS), ids=[f"call{a}-{'after' if b else 'before'}" for a, b in sorted(KILLS)])
def test_a_request_killed_after_its_claim_blocks_the_delivery_only_for_its_lease(aws, monkeypatch, at, after):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(replays, "now", lambda: clock[0])
    within, beyond = KILLS[(at, after)]
    calls: list = []
    sinks = [aws.expect_hand_over(1 if at > 2 or (at, after) == (2, True) else 0)]
    aws.clients = Clients(secretsmanager=aws.sm, dynamodb=_Dying(aws.ddb, calls, at, after),
                          lambda_=_Dying(aws.lam, calls, at, after))
    with pytest.raises(Killed):
        aws.receive(delivery("github-push-branch-created"), _context("first", seconds=10))
    aws.clients = Clients(secretsmanager=aws.sm, dynamodb=aws.ddb, lambda_=aws.lam)
    clock[0] += 1
    sinks.append(aws.expect_hand_over(1 if within == 202 else 0))
    assert aws.receive(delivery("github-push-branch-created"), _context("second"))[0] == within
    clock[0] += 10 + replays.CLOCK_SKEW_SECONDS + 1  # the first request's 10 s are over
    sinks.append(aws.expect_hand_over(1 if beyond == 202 else 0))
    assert aws.receive(delivery("github-push-branch-created"), _context("third"))[0] == beyond
    sent = [event for sink in sinks for event in sink]  # at least once in all
    assert sent and all(decide(e, CAT).action == "provision" for e in sent)
    state = {i["delivery"]["S"]: i["state"]["S"] for i in aws.ddb.scan(TableName=TABLE)["Items"]}
    assert list(state.values()) == [replays.DONE]


def test_with_too_little_time_left_the_claim_is_released_and_the_answer_is_503(aws):
    # Lambda Developer Guide, "Lambda context object in Python": get_remaining_time_in_millis. With less left than a
    # hand-over may take, the endpoint answers rather than being cut off, and the id is free for the redelivery.
    short = endpoint.HAND_OVER_SECONDS - 0.5
    status, body = aws.receive(delivery("gitlab-push-branch-created"), _context("first", seconds=short))
    assert status == 503 and aws.claimed() == [], body
    aws.expect_hand_over(1)
    assert aws.receive(delivery("gitlab-push-branch-created"), _context("second", seconds=10))[0] == 202


def test_the_webhook_lambdas_clients_fit_its_timeout(monkeypatch, tmp_path):
    # botocore's Config: connect_timeout and read_timeout (default 60 s each) and retries' total_max_attempts; the
    # webhook function's Timeout is automation.TIMEOUT. One call at its worst, and so the hand-over's margin, fits in it.
    import importlib.util

    from generator.compiler.automation import TIMEOUT
    from generator.core.naming import WEBHOOKS

    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    source = Path(__file__).resolve().parents[1] / "lambdas" / "webhooks" / "handler.py"
    spec = importlib.util.spec_from_file_location("webhooks_handler_limits", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for service in ("dynamodb", "lambda_", "secretsmanager"):
        config = getattr(module.handler.clients, service).meta.config  # made here, as in Lambda on first use
        assert (config.connect_timeout, config.read_timeout, config.retries["total_max_attempts"]) == \
            (WEBHOOK_LIMITS.connect_timeout, WEBHOOK_LIMITS.read_timeout, WEBHOOK_LIMITS.attempts)
    assert endpoint.HAND_OVER_SECONDS == WEBHOOK_LIMITS.worst_call_seconds() < TIMEOUT[WEBHOOKS]
