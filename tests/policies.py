"""Policies for the tests: every policy statement of a build, and small synthetic builds for the gates.

The walk itself is the least-privilege gate's (generator.gates.least_privilege.documents).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.gates.context import Context
from generator.gates.least_privilege import documents

from .conftest import ROOT

OUTPUT = ROOT / "output"
TOOLS, STAGE = "111111111111", "222222222222"
REGION = "us-east-1"


@dataclass(frozen=True)
class Found:
    file: str
    resource: str
    type: str
    kind: str  # trust, identity, resource, key
    statement: dict

    def where(self) -> str:
        return f"{self.file}:{self.resource} ({self.kind})"


def _listify(value):
    return value if isinstance(value, list) else [value]


def templates(build: Path | dict[str, bytes] = OUTPUT) -> dict[str, dict]:
    """The JSON templates of a build: a folder `build` wrote, or a build's files in memory."""
    files = build if isinstance(build, dict) else folder_files(build)
    return {name: json.loads(body) for name, body in sorted(files.items())
            if name.endswith(".json") and name.rsplit("/", 1)[-1] not in ("manifest.json", "config.json")}


def statements(build: Path | dict[str, bytes] = OUTPUT) -> list[Found]:
    out = []
    for name, template in templates(build).items():
        for lid, kind, doc_kind, doc in documents(template):
            for s in _listify(doc["Statement"]):
                out.append(Found(name, lid, kind, doc_kind, s))
    return out


def actions(s: dict) -> list[str]:
    return _listify(s.get("Action", []))


def resources(s: dict) -> list:
    return _listify(s.get("Resource", []))


def principals(s: dict) -> list:
    p = s.get("Principal", {})
    if p == "*":
        return ["*"]
    return [v for values in p.values() for v in _listify(values)]


def folder_files(folder: Path = OUTPUT) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def app_files(folder: Path = ROOT / "examples" / "app") -> dict[str, bytes]:
    out = {f"infra/{p.name}": p.read_bytes() for p in sorted((folder / "infra").iterdir())}
    out["buildspec.yml"] = (folder / "buildspec.yml").read_bytes()
    return out


def synthetic(stacks: dict[str, dict], accounts: dict[str, str] | None = None, extra: dict | None = None) -> Context:
    """A build of hand-written templates, each a stack deployed in order (account by stack name, tools by default)."""
    accounts = accounts or {}
    entries, files = [], {}
    for name, template in stacks.items():
        path = f"stacks/{name}.template.json"
        files[path] = json.dumps(template, indent=2, sort_keys=True).encode()
        entries.append({"name": name, "template": path, "account_id": accounts.get(name, TOOLS), "region": REGION, "kind": "test"})
    files["manifest.json"] = json.dumps({"region": REGION, "stacks": entries}).encode()
    return Context(files, extra or {})


def role(name: str, statements_: list[dict], service: str | None = None, trust: dict | None = None, **props) -> dict:
    trust = trust or {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}
    return {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": name, "AssumeRolePolicyDocument": trust,
        "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements_}}], **props}}


def allow(actions_, resources_, condition: dict | None = None) -> dict:
    out = {"Effect": "Allow", "Action": _listify(actions_), "Resource": _listify(resources_)}
    if condition:
        out["Condition"] = condition
    return out


def edit_template(files: dict[str, bytes], path: str, change) -> dict[str, bytes]:
    """A copy of a build whose template at ``path`` went through ``change(template)`` (in memory)."""
    template = json.loads(files[path])
    change(template)
    return {**files, path: json.dumps(template, indent=2, sort_keys=True).encode()}
