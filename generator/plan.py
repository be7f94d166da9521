"""What a build would change: the new output compared with the previous one, in reviewers' words.

Resources are matched by stack and logical id. A product or portfolio whose
logical id leaves a stack is deleted by CloudFormation (and created again if
it reappears elsewhere): that breaks every product provisioned from it, so
such changes are flagged as replacements.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPLACEABLE = {"AWS::ServiceCatalog::CloudFormationProduct": "product", "AWS::ServiceCatalog::Portfolio": "portfolio"}
CONSTRAINTS = {
    "AWS::ServiceCatalog::LaunchRoleConstraint": "launch constraint",
    "AWS::ServiceCatalog::LaunchTemplateConstraint": "template constraint",
    "AWS::ServiceCatalog::ResourceUpdateConstraint": "tag update constraint",
    "AWS::ServiceCatalog::LaunchNotificationConstraint": "notification constraint",
    "AWS::ServiceCatalog::StackSetConstraint": "StackSet constraint",
}


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed, replaced
    resource: str
    type: str
    summary: str


@dataclass
class StackPlan:
    id: str
    name: str
    account: str
    status: str  # added, removed, changed
    changes: list[Change] = field(default_factory=list)


def _ref_name(value) -> str:
    """The config name behind an ImportValue of a product or portfolio export."""
    if isinstance(value, dict) and isinstance(value.get("Fn::ImportValue"), str):
        return value["Fn::ImportValue"].rsplit(":", 1)[-1]
    return "this portfolio" if value == {"Ref": "Portfolio"} else json.dumps(value, sort_keys=True)


def _subject(resource: dict) -> str:
    kind, props = resource["Type"], resource.get("Properties", {})
    if kind == "AWS::ServiceCatalog::CloudFormationProduct":
        return f"product '{props.get('Name')}'"
    if kind == "AWS::ServiceCatalog::Portfolio":
        return f"portfolio '{props.get('DisplayName')}'"
    if kind in CONSTRAINTS:
        return f"{CONSTRAINTS[kind]} on product '{_ref_name(props.get('ProductId'))}'"
    if kind == "AWS::ServiceCatalog::PortfolioProductAssociation":
        return f"product '{_ref_name(props.get('ProductId'))}' in the portfolio"
    if kind == "AWS::ServiceCatalog::PortfolioPrincipalAssociation":
        arn = props.get("PrincipalARN")
        return f"access for {arn if isinstance(arn, str) else _ref_name(arn)}"
    if kind == "AWS::ServiceCatalog::PortfolioShare":
        return f"share with account {props.get('AccountId')}"
    if kind == "AWS::ServiceCatalog::TagOption":
        return f"tag option {props.get('Key')}={props.get('Value')}"
    return f"{kind.split('::', 1)[1]} {props.get('RoleName') or props.get('FunctionName') or props.get('BucketName') or ''}".strip()


def _changed_details(old: dict, new: dict) -> str:
    if old["Type"] == "AWS::ServiceCatalog::CloudFormationProduct":
        before = {a["Name"]: a for a in old["Properties"].get("ProvisioningArtifactParameters", [])}
        after = {a["Name"]: a for a in new["Properties"].get("ProvisioningArtifactParameters", [])}
        words = [f"version '{v}' added" for v in sorted(set(after) - set(before))]
        words += [f"version '{v}' removed" for v in sorted(set(before) - set(after))]
        words += [f"version '{v}' changed" for v in sorted(set(before) & set(after)) if before[v] != after[v]]
        rest = sorted(k for k in set(old["Properties"]) | set(new["Properties"])
                      if k != "ProvisioningArtifactParameters" and old["Properties"].get(k) != new["Properties"].get(k))
        return "; ".join(words + [f"{k} changed" for k in rest])
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k) and k != "Properties")
    props = sorted(k for k in set(old.get("Properties", {})) | set(new.get("Properties", {}))
                   if old.get("Properties", {}).get(k) != new.get("Properties", {}).get(k))
    if old["Type"] == "AWS::ServiceCatalog::LaunchRoleConstraint" and props:
        return "launch role changed"
    if old["Type"] == "AWS::Lambda::Function" and props == ["Code"]:
        return "code bundle changed (new code or a new config)"
    return ", ".join(f"{k} changed" for k in props + keys)


def compare_stack(old: dict | None, new: dict | None) -> list[Change]:
    old_res = (old or {}).get("Resources", {})
    new_res = (new or {}).get("Resources", {})
    out = []
    for lid in sorted(set(new_res) - set(old_res)):
        out.append(Change("added", lid, new_res[lid]["Type"], f"{_subject(new_res[lid])} added"))
    for lid in sorted(set(old_res) - set(new_res)):
        res = old_res[lid]
        kind = "replaced" if res["Type"] in REPLACEABLE else "removed"
        out.append(Change(kind, lid, res["Type"], f"{_subject(res)} removed"))
    for lid in sorted(set(old_res) & set(new_res)):
        if old_res[lid] != new_res[lid]:
            if old_res[lid]["Type"] != new_res[lid]["Type"]:
                out.append(Change("replaced", lid, new_res[lid]["Type"], f"{lid} changes type"))
            else:
                out.append(Change("changed", lid, new_res[lid]["Type"],
                                  f"{_subject(new_res[lid])}: {_changed_details(old_res[lid], new_res[lid])}"))
    return out


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def plan(previous: Path, files: dict[str, bytes]) -> dict:
    """The plan as plain data: stacks with their changes, changed uploads, and replacements."""
    old_manifest = _read_json(previous / "manifest.json") or {"stacks": [], "uploads": []}
    new_manifest = json.loads(files["manifest.json"])
    old_stacks = {s.get("id", s["name"]): s for s in old_manifest.get("stacks", [])}
    new_stacks = {s["id"]: s for s in new_manifest["stacks"]}
    stacks = []
    for sid in sorted(set(old_stacks) | set(new_stacks)):
        old_entry, new_entry = old_stacks.get(sid), new_stacks.get(sid)
        old_t = _read_json(previous / old_entry["template"]) if old_entry else None
        new_t = json.loads(files[new_entry["template"]]) if new_entry else None
        changes = compare_stack(old_t, new_t)
        entry = new_entry or old_entry
        status = "added" if old_entry is None else "removed" if new_entry is None else "changed"
        if changes or status != "changed":
            stacks.append(StackPlan(sid, entry["name"], entry["account"], status, changes))
    moved_in = {c.summary[:-len(" added")] for s in stacks for c in s.changes if c.kind == "added" and c.type in REPLACEABLE}
    replacements = []
    for s in stacks:
        for c in s.changes:
            if c.kind == "replaced":
                subject = c.summary[:-len(" removed")]
                how = "deleted and created again in another stack" if subject in moved_in else "deleted"
                replacements.append(f"{subject} would be {how} ({s.name}/{c.resource}): products provisioned from it break")
    from .compiler.versions import changes  # the rule build enforces, in the same words

    uploads = [c.message() for c in changes(old_manifest, new_manifest)]
    return {
        "changed": bool(stacks or uploads),
        "stacks": [{**asdict(s), "changes": [asdict(c) for c in s.changes]} for s in stacks],
        "templates": uploads,
        "replacements": replacements,
    }


def text(result: dict) -> str:
    if not result["changed"]:
        return "No changes: the build matches the previous output.\n"
    lines = []
    marks = {"added": "+", "removed": "-", "changed": "~", "replaced": "!"}
    for s in result["stacks"]:
        lines.append(f"{s['name']} ({s['account']}): stack {s['status']}" + (f", {len(s['changes'])} change(s)" if s["changes"] else ""))
        lines += [f"  {marks[c['kind']]} {c['summary']}" for c in s["changes"]]
    lines += [f"~ {t}" for t in result["templates"]]
    if result["replacements"]:
        lines.append("")
        lines += [f"REPLACEMENT: {r}" for r in result["replacements"]]
    total = sum(len(s["changes"]) for s in result["stacks"])
    lines.append(f"\n{len(result['stacks'])} stack(s) with {total} change(s), {len(result['replacements'])} replacement(s)")
    return "\n".join(lines) + "\n"


# `deploy` says a change set's changes in the same words as `diff`.
subject = _subject
changed_details = _changed_details
