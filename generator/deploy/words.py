"""A change set in reviewers' words: the vocabulary of `diff`, CloudFormation's own verdict on replacement.

CloudFormation says what it will do (Add, Modify, Remove, and whether a
Modify replaces the resource: DescribeChangeSet, ResourceChange.Replacement
True, False or Conditional); generator/plan.py says what the resource is in
the catalogue's terms. A product or portfolio that is removed or replaced
breaks every product provisioned from it, so those lines are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import plan

MARKS = {"Add": "+", "Remove": "-", "Modify": "~", "Import": "<", "Dynamic": "?"}


@dataclass(frozen=True)
class Line:
    mark: str
    text: str
    replacement: bool  # CloudFormation deletes the resource (and maybe creates it again)

    def __str__(self) -> str:
        return f"{self.mark} {self.text}" + ("  [REPLACEMENT]" if self.replacement else "")


def _resource(template: dict | None, logical_id: str, resource_type: str) -> dict:
    found = (template or {}).get("Resources", {}).get(logical_id)
    return found if isinstance(found, dict) and "Type" in found else {"Type": resource_type, "Properties": {}}


def _subject(resource: dict, logical_id: str) -> str:
    words = plan.subject(resource)
    kind = resource["Type"].split("::", 1)[-1]
    # plan names a resource by its physical name; one without (or with a computed one) gets its logical id.
    return f"{kind} {logical_id}" if words == kind or (words.startswith(kind) and "{" in words) else words


def line(change: dict, new_template: dict | None, old_template: dict | None) -> Line:
    rc = change.get("ResourceChange", {})
    action, lid, rtype = rc.get("Action", "Dynamic"), rc.get("LogicalResourceId", "?"), rc.get("ResourceType", "?")
    new, old = _resource(new_template, lid, rtype), _resource(old_template, lid, rtype)
    replacement = rc.get("Replacement") in ("True", "Conditional") and action == "Modify"
    if action == "Add":
        return Line("+", f"{_subject(new, lid)} added", False)
    if action == "Remove":
        return Line("-", f"{_subject(old, lid)} removed", rtype in plan.REPLACEABLE)
    if action == "Modify":
        details = plan.changed_details(old, new) if old_template and new_template else ""
        if not details:
            # Same template text: a parameter or an imported value moved under it.
            causes = sorted({d.get("CausingEntity") or d.get("ChangeSource", "") for d in rc.get("Details", [])} - {""})
            details = "changes with " + (", ".join(causes) if causes else "its inputs")
        verdict = " (CloudFormation may replace it)" if rc.get("Replacement") == "Conditional" else (
            " (CloudFormation replaces it)" if replacement else "")
        return Line("!" if replacement else "~", f"{_subject(new, lid)}: {details}{verdict}", replacement)
    return Line(MARKS.get(action, "?"), f"{_subject(new, lid)}: {action.lower()}", False)


def lines(changes: list[dict], new_template: dict | None, old_template: dict | None) -> list[Line]:
    return [line(c, new_template, old_template) for c in changes if c.get("Type", "Resource") == "Resource"]
