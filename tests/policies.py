"""Every IAM policy document in the generated templates, with where it sits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .conftest import ROOT

OUTPUT = ROOT / "output"


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


def documents(template: dict):
    """(resource id, type, kind, policy document) for every policy in a template."""
    for lid, res in template.get("Resources", {}).items():
        props, kind = res.get("Properties", {}), res["Type"]
        if kind == "AWS::IAM::Role":
            yield lid, kind, "trust", props["AssumeRolePolicyDocument"]
            for p in props.get("Policies", []):
                yield lid, kind, "identity", p["PolicyDocument"]
        elif kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            yield lid, kind, "identity", props["PolicyDocument"]
        elif kind in ("AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"):
            yield lid, kind, "resource", props["PolicyDocument"]
        elif kind == "AWS::KMS::Key":
            yield lid, kind, "key", props["KeyPolicy"]
        elif kind == "AWS::ECR::Repository" and "RepositoryPolicyText" in props:
            yield lid, kind, "resource", props["RepositoryPolicyText"]


def templates(folder: Path = OUTPUT) -> dict[str, dict]:
    return {p.relative_to(folder).as_posix(): json.loads(p.read_text())
            for p in sorted(folder.rglob("*.json")) if p.name not in ("manifest.json", "config.json")}


def statements(folder: Path = OUTPUT) -> list[Found]:
    out = []
    for name, template in templates(folder).items():
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
