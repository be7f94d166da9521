"""event: what the Lambdas would decide for an event, without AWS."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator event tests/events/hotfix-branch-created.json
  python -m generator event - < tests/events/pull-request-job.json   # read the event from stdin
  python -m generator event delivery.json --secret-file webhook.secret  # a GitHub, GitLab or Bitbucket webhook

Prints what the Lambdas would decide, as one JSON object, without calling AWS. A webhook delivery is the
Lambda function URL event, or {"headers": {...}, "body": "<the raw body>", "path": "/<repository>"} (without
a path, the repository is found from the headers and the payload): the answer is the endpoint's, with its
HTTP status, "signature invalid" when the secret does not verify it, and the decisions it would hand on.
"""

SECRET_ENV = "SC_TOOLKIT_WEBHOOK_SECRET"


# EventBridge events are at most 256 KB and Lambda payloads 6 MB; anything
# larger is not an event, and is refused before it is read into memory.
MAX_EVENT_BYTES = 6 * 1024 * 1024


def _read_event(path: str):
    import json

    from ..core.exceptions import InputError

    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_EVENT_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_EVENT_BYTES + 1)
        if len(raw) > MAX_EVENT_BYTES:
            raise InputError(f"event {path} is larger than {MAX_EVENT_BYTES:,} bytes, the most a Lambda receives")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read event {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(f"event {path} is not JSON: {exc}") from None
    except RecursionError:
        raise InputError(f"event {path} nests too deeply to be an event") from None


def _secret(path: str | None) -> bytes | None:
    """The webhook secret from --secret-file or the environment; a file's final line feed is not part of it."""
    import os

    from ..core.exceptions import InputError

    if path is None:
        value = os.environ.get(SECRET_ENV)
        return value.encode("utf-8") if value else None
    try:
        with open(path, "rb") as fh:
            raw = fh.read(64 * 1024 + 1)
    except OSError as exc:
        raise InputError(f"cannot read the secret file {path}: {exc.strerror or exc}") from None
    if len(raw) > 64 * 1024:
        raise InputError(f"secret file {path} is larger than 65,536 bytes: not a webhook secret")
    secret = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1] if raw.endswith(b"\n") else raw
    if not secret:
        raise InputError(f"secret file {path} is empty")
    return secret


def _webhook(payload, catalogue, secret: bytes | None) -> dict:
    from ..hotfix.webhooks import endpoint, request
    from ..hotfix.webhooks.find import repository_of

    try:
        delivery = request.parse(payload)
        repo = endpoint.route(delivery, catalogue) if delivery.path else repository_of(delivery, catalogue)
    except request.RequestError as exc:
        return endpoint.Outcome(exc.status, str(exc)).as_dict()
    outcome = endpoint.assess(delivery, repo, catalogue, secret).as_dict()
    if secret is None:
        outcome["reason"] = (f"not verified: no webhook secret given (--secret-file FILE or ${SECRET_ENV}), so this is "
                             f"what the endpoint would do if the signature holds: {outcome['reason']}")
    return outcome


def run(args) -> int:
    from ..config_loader import load_config
    from ..core.connections import placeholders
    from ..core.parse import canonical, catalogue_from_dict
    from ..hotfix.decide import decide
    from ..hotfix.webhooks.request import is_delivery
    from ..printable import json_text

    payload = _read_event(args.event)
    # The Lambdas read the canonical compiled form: decide on exactly that model (a connection the tools stack
    # creates named by where its ARN will be).
    catalogue = placeholders(catalogue_from_dict(canonical(load_config(args.config).data)))
    if is_delivery(payload):
        answer = _webhook(payload, catalogue, _secret(getattr(args, "secret_file", None)))
    else:
        answer = decide(payload, catalogue).as_dict()
    # Branch names come from the event: readable Unicode, but no raw control or bidi character.
    sys.stdout.write(json_text(answer, indent=2, sort_keys=True) + "\n")
    return 0
