"""``python -m generator event`` with a webhook delivery: the endpoint's answer without AWS, "signature invalid" included.

A delivery file is ``{"headers", "body"[, "path"]}`` or the Lambda function URL event itself; the secret comes from
``--secret-file`` or ``SC_TOOLKIT_WEBHOOK_SECRET``, and without one the answer says it could not verify.
"""

from __future__ import annotations

import json

import pytest

from generator.core import connections
from generator.hotfix.webhooks import signatures

from .conftest import CONFIGS, run_cli
from .test_webhooks import EXPECTED, NAMES, delivery, fixture, provider_of

CONFIG = str(CONFIGS / "valid" / "providers.yaml")
SECRET = b"a test secret for the CLI"


def delivery_file(tmp_path, name: str, secret: bytes = SECRET, path: bool = True, **kwargs) -> str:
    doc = fixture(name)
    body = json.dumps(doc["payload"])
    headers = dict(doc["headers"])
    headers[signatures.SIGNATURE_HEADER[provider_of(name)]] = signatures.expected(provider_of(name), body.encode(), secret)
    file = tmp_path / f"{name}.json"
    file.write_text(json.dumps({"headers": headers, "body": body, **({"path": doc["path"]} if path else {}), **kwargs}))
    return str(file)


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "webhook.secret"
    path.write_bytes(SECRET + b"\n")  # as an editor saves it: the line feed is not part of the secret
    return str(path)


@pytest.mark.parametrize("name", NAMES)
def test_a_signed_delivery_prints_the_endpoints_answer(cli, tmp_path, secret_file, name):
    code, out, err = cli("event", delivery_file(tmp_path, name), "--config", CONFIG, "--secret-file", secret_file)
    assert code == 0, err
    answer = json.loads(out)
    status, actions = EXPECTED[name]
    assert (answer["status"], [d["action"] for d in answer.get("decisions", [])]) == (status, actions)
    assert answer["verified"] is True and answer["action"] == "webhook"


@pytest.mark.parametrize("name", ["github-push-branch-created", "gitlab-push-branch-created", "bitbucket-push-branch-created"])
def test_a_delivery_signed_with_another_secret_says_signature_invalid(cli, tmp_path, secret_file, name):
    code, out, _ = cli("event", delivery_file(tmp_path, name, secret=b"another"), "--config", CONFIG, "--secret-file", secret_file)
    answer = json.loads(out)
    assert code == 0 and answer["status"] == 403 and answer["verified"] is False and "decisions" not in answer
    assert ("token invalid" if provider_of(name) == "gitlab" else "signature invalid") in answer["reason"]


def test_without_a_secret_it_says_it_cannot_verify(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("SC_TOOLKIT_WEBHOOK_SECRET", raising=False)
    answer = json.loads(cli("event", delivery_file(tmp_path, "bitbucket-push-two-changes"), "--config", CONFIG)[1])
    assert answer["verified"] is None and answer["reason"].startswith("not verified: no webhook secret given")
    assert [d["action"] for d in answer["decisions"]] == ["provision", "terminate"]


def test_the_secret_may_come_from_the_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SC_TOOLKIT_WEBHOOK_SECRET", SECRET.decode())
    assert json.loads(cli("event", delivery_file(tmp_path, "github-delete-branch"), "--config", CONFIG)[1])["verified"] is True
    monkeypatch.setenv("SC_TOOLKIT_WEBHOOK_SECRET", "wrong")
    assert json.loads(cli("event", delivery_file(tmp_path, "github-delete-branch"), "--config", CONFIG)[1])["status"] == 403


def test_the_function_url_event_itself_is_a_delivery(cli, tmp_path, secret_file):
    path = tmp_path / "url-event.json"
    path.write_text(json.dumps(delivery("gitlab-push-branch-deleted", secret=SECRET, encoded=True)))
    answer = json.loads(cli("event", str(path), "--config", CONFIG, "--secret-file", secret_file)[1])
    assert answer["status"] == 202 and answer["decisions"][0]["action"] == "terminate"


def test_without_a_path_the_repository_is_found_from_the_payload(cli, tmp_path, secret_file):
    answer = json.loads(cli("event", delivery_file(tmp_path, "gitlab-push-branch-created", path=False), "--config", CONFIG,
                            "--secret-file", secret_file)[1])
    assert answer["repository"] == "inventory" and answer["status"] == 202
    answer = json.loads(cli("event", delivery_file(tmp_path, "github-push-other-repository", path=False), "--config", CONFIG)[1])
    assert answer["status"] == 404 and "someone/storefront-fork" in answer["reason"]


def test_a_created_connection_is_shown_as_where_its_arn_will_be(cli, tmp_path, secret_file):
    answer = json.loads(cli("event", delivery_file(tmp_path, "gitlab-push-branch-created"), "--config", CONFIG,
                            "--secret-file", secret_file)[1])
    arn = answer["decisions"][0]["parameters"]["ConnectionArn"]
    assert arn.startswith("<deploy-time: the ARN of connection prov-gitlab-acme-") and "Connection" in arn


@pytest.mark.parametrize("content", [b"", b"\n"], ids=["empty", "line-feed-only"])
def test_an_empty_secret_file_exits_1(tmp_path, content):
    secret = tmp_path / "s"
    secret.write_bytes(content)
    result = run_cli("event", delivery_file(tmp_path, "github-ping"), "--config", CONFIG, "--secret-file", str(secret))
    assert result.returncode == 1 and result.stderr.startswith("error: ") and "is empty" in result.stderr


def test_a_missing_secret_file_exits_1(tmp_path):
    result = run_cli("event", delivery_file(tmp_path, "github-ping"), "--config", CONFIG, "--secret-file", str(tmp_path / "nope"))
    assert result.returncode == 1 and "cannot read the secret file" in result.stderr and "Traceback" not in result.stderr


def test_the_placeholder_names_the_connection_the_tools_stack_creates():
    from generator.config_loader import load_config
    from generator.core.parse import canonical, catalogue_from_dict

    cat = connections.placeholders(catalogue_from_dict(canonical(load_config(CONFIG).data)))
    created = [r for r in cat.hotfix.repositories if r.create_connection]
    assert created and all(r.connection_arn.startswith("<deploy-time:") for r in created)
    assert all(r.connection_arn.startswith("arn:") for r in cat.hotfix.repositories if r.provider != "codecommit"
               and not r.create_connection)


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded; charset=utf-8"])
def test_without_a_path_a_form_encoded_github_delivery_is_found_as_the_endpoint_reads_it(cli, tmp_path, secret_file,
                                                                                        content_type):
    # GitHub Docs, "Creating webhooks": a webhook set to application/x-www-form-urlencoded sends the JSON payload as the
    # form parameter "payload"; finding the repository reads the body as the endpoint does (request.json_text).
    from urllib.parse import urlencode

    raw = json.dumps(fixture("github-push-branch-created")["payload"])
    body = raw if content_type == "application/json" else urlencode({"payload": raw})
    headers = {**fixture("github-push-branch-created")["headers"], "Content-Type": content_type,
               "X-Hub-Signature-256": signatures.expected("github", body.encode(), SECRET)}
    file = tmp_path / "delivery.json"
    file.write_text(json.dumps({"headers": headers, "body": body}))
    answer = json.loads(cli("event", str(file), "--config", CONFIG, "--secret-file", secret_file)[1])
    assert (answer["repository"], answer["status"], answer["verified"]) == ("storefront", 202, True), answer


def test_without_a_path_a_form_body_without_a_payload_field_is_a_clear_404(tmp_path):
    headers = {**fixture("github-push-branch-created")["headers"], "Content-Type": "application/x-www-form-urlencoded"}
    file = tmp_path / "delivery.json"
    file.write_text(json.dumps({"headers": headers, "body": "other=1"}))
    result = run_cli("event", str(file), "--config", CONFIG)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["status"] == 404
