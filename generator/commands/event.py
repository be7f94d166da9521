"""event: what the Lambdas would decide for an event, without AWS."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator event tests/events/hotfix-branch-created.json
  python -m generator event - < tests/events/pull-request-job.json   # read the event from stdin

Prints what the Lambdas would decide, as one JSON object, without calling AWS.
"""


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


def run(args) -> int:
    from ..config_loader import load_config
    from ..core.parse import canonical, catalogue_from_dict
    from ..hotfix.decide import decide
    from ..printable import json_text

    payload = _read_event(args.event)
    # The Lambdas read the canonical compiled form: decide on exactly that model.
    catalogue = catalogue_from_dict(canonical(load_config(args.config).data))
    decision = decide(payload, catalogue)
    # Branch names come from the event: readable Unicode, but no raw control or bidi character.
    sys.stdout.write(json_text(decision.as_dict(), indent=2, sort_keys=True) + "\n")
    return 0
