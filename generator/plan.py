"""What a build would change: the new output compared with the previous one, in reviewers' words.

Resources are matched by stack and logical id. A product or portfolio whose
logical id leaves a stack is deleted by CloudFormation (and created again if
it reappears elsewhere): that breaks every product provisioned from it, so
such changes are flagged as replacements.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import previous_output
from .core.exceptions import InputError
from .printable import printable

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
    return "this portfolio" if value == {"Ref": "Portfolio"} else _name(value, None)


_NAME_KEYS = ("Name", "RoleName", "FunctionName", "BucketName", "QueueName", "TopicName", "RepositoryName",
              "LogGroupName", "AliasName", "ManagedPolicyName", "PolicyName", "ProjectName", "DisplayName")


def _label(resource: dict, lid: str) -> str:
    """What a reviewer calls a resource: its name when it has a literal one, else its logical id."""
    props = resource.get("Properties", {}) if isinstance(resource, dict) else {}
    for key in _NAME_KEYS:
        if isinstance(props.get(key), str):
            return props[key]
    return lid


def _name(value, resources: dict | None) -> str:
    """A template value as words: names for references, text for substitutions, never a dict.

    ``resources`` is the template's Resources, or None when the template is not at hand
    (then a reference is named by its logical id).
    """
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(_name(v, resources) for v in value)
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Ref" and isinstance(arg, str):
            if resources is None:
                return arg
            return _label(resources[arg], arg) if arg in resources else f"parameter {arg}"
        if fn == "Fn::GetAtt" and isinstance(arg, list) and arg and isinstance(arg[0], str):
            return _label((resources or {}).get(arg[0], {}), arg[0])
        if fn == "Fn::ImportValue" and isinstance(arg, str):
            return arg
        if fn == "Fn::Sub":
            return _name(arg[0] if isinstance(arg, list) and arg else arg, resources)
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list):
            return arg[0].join(_name(v, resources) for v in arg[1])
        return f"({fn})"
    return "(a computed value)"


def _purpose(resource: dict, resources: dict | None) -> str:
    """What a resource is for, from its Description or, for a permission, from what it admits."""
    props = resource.get("Properties", {})
    if resource["Type"] == "AWS::Lambda::Permission":
        source = props.get("SourceArn")
        target = (resources or {}).get(source["Fn::GetAtt"][0], {}) if isinstance(source, dict) and "Fn::GetAtt" in source else {}
        why = target.get("Properties", {}).get("Description") if isinstance(target, dict) else None
        via_url = props.get("FunctionUrlAuthType") or props.get("InvokedViaFunctionUrl")
        principal = "everyone" if props.get("Principal") == "*" else _name(props.get("Principal"), resources)
        return f"{principal} may invoke {_name(props.get('FunctionName'), resources)}" + \
            (f", for rule '{why}'" if isinstance(why, str) else (f" from {_name(source, resources)}" if source else "")) + \
            (" through its function URL" if via_url else "")
    description = props.get("Description")
    return description if isinstance(description, str) else ""


def _subject(resource: dict, resources: dict | None = None, lid: str = "") -> str:
    """A resource in words; ``resources`` (its template's) and ``lid`` (its logical id) name what it refers to."""
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
        return f"access for {_name(props.get('PrincipalARN'), resources)}"
    if kind == "AWS::ServiceCatalog::PortfolioShare":
        return f"share with account {_name(props.get('AccountId'), resources)}"
    if kind == "AWS::ServiceCatalog::TagOption":
        return f"tag option {_name(props.get('Key'), resources)}={_name(props.get('Value'), resources)}"
    if kind == "AWS::ServiceCatalog::TagOptionAssociation":
        return f"tag option {_name(props.get('TagOptionId'), resources)} on {_name(props.get('ResourceId'), resources)}"
    what = kind.split("::", 1)[1] if "::" in kind else kind
    label = _label(resource, lid)
    for key in ("Bucket", "Queues", "Topics", "Roles"):  # a policy is named by what it governs
        if label == lid and key in props:
            label = f"of {_name(props[key], resources)}"
    purpose = _purpose(resource, resources)
    return what + (f" {label}" if label else "") + (f" ({purpose})" if purpose else "")


def _versions(resource: dict) -> dict:
    artifacts = resource.get("Properties", {}).get("ProvisioningArtifactParameters", [])
    return {_name(a.get("Name"), {}): a for a in artifacts if isinstance(a, dict)} if isinstance(artifacts, list) else {}


def _changed_details(old: dict, new: dict) -> str:
    if old["Type"] == "AWS::ServiceCatalog::CloudFormationProduct":
        before, after = _versions(old), _versions(new)
        words = [f"version '{v}' added" for v in sorted(set(after) - set(before))]
        words += [f"version '{v}' removed" for v in sorted(set(before) - set(after))]
        words += [f"version '{v}' changed" for v in sorted(set(before) & set(after)) if before[v] != after[v]]
        rest = sorted(k for k in set(old.get("Properties", {})) | set(new.get("Properties", {}))
                      if k != "ProvisioningArtifactParameters" and old.get("Properties", {}).get(k) != new.get("Properties", {}).get(k))
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
        out.append(Change("added", lid, new_res[lid]["Type"], f"{_subject(new_res[lid], new_res, lid)} added"))
    for lid in sorted(set(old_res) - set(new_res)):
        res = old_res[lid]
        kind = "replaced" if res["Type"] in REPLACEABLE else "removed"
        out.append(Change(kind, lid, res["Type"], f"{_subject(res, old_res, lid)} removed"))
    for lid in sorted(set(old_res) & set(new_res)):
        if old_res[lid] != new_res[lid]:
            if old_res[lid]["Type"] != new_res[lid]["Type"]:
                out.append(Change("replaced", lid, new_res[lid]["Type"], f"{lid} changes type"))
            else:
                out.append(Change("changed", lid, new_res[lid]["Type"],
                                  f"{_subject(new_res[lid], new_res, lid)}: {_changed_details(old_res[lid], new_res[lid])}"))
    return out


def plan(previous: Path, files: dict[str, bytes]) -> dict:
    """The plan as plain data: stacks with their changes, changed uploads, and replacements.

    ``previous`` must be a folder a build wrote: a missing folder is an error,
    not "everything added", so that a mistyped --against cannot pass for a plan.
    """
    if not previous.is_dir():
        what = "is not a folder" if os.path.lexists(previous) else "does not exist"
        raise InputError(f"previous output {previous} {what}: pass --against a folder a build wrote "
                         f"(python -m generator build --output DIR)")
    old_manifest = previous_output.manifest(previous)
    new_manifest = json.loads(files["manifest.json"])
    old_stacks = {s.get("id", s["name"]): s for s in old_manifest.get("stacks", [])}
    new_stacks = {s["id"]: s for s in new_manifest["stacks"]}
    stacks = []
    for sid in sorted(set(old_stacks) | set(new_stacks)):
        old_entry, new_entry = old_stacks.get(sid), new_stacks.get(sid)
        old_t = previous_output.template(previous, old_entry["template"]) if old_entry else None
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
    """The plan for people; every line through ``printable``, since names and descriptions come from the config."""
    return "".join(printable(line) + "\n" for line in _lines(result))


def _lines(result: dict) -> list[str]:
    if not result["changed"]:
        return ["No changes: the build matches the previous output."]
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
    lines += ["", f"{len(result['stacks'])} stack(s) with {total} change(s), {len(result['replacements'])} replacement(s)"]
    return lines


# `deploy` says a change set's changes in the same words as `diff`.
subject = _subject
changed_details = _changed_details
