"""A small reading of generated policies for the deploy-readiness tests: may this role do A on R?

Fn::Sub is resolved with sample values (pseudo parameters, the pipeline's
parameters); IAM wildcards (* and ?) match across ':' and '/'. Conditions are
not evaluated: the tests that need one check it on its own. The sufficiency
gate in generator/gates is the product's full evaluator; this is the
compiler tests' quick one.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

ACCOUNT = "111111111111"
SAMPLE = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": ACCOUNT,
          "PipelineSlug": "sc-pl-0123456789ab", "ApplicationName": "hotfixpoc", "RepositoryName": "hotfixpoc-repository",
          "EcrRepositoryName": "hotfixpoc", "StageAccountId": "222222222222", "ProdAccountId": "333333333333",
          "QaAccountId": "444444444444"}
_VAR = re.compile(r"\$\{([^}!]+)\}")


def resolve(node, values: dict | None = None):
    """A policy Resource as a string, or None when it depends on something only a deploy knows."""
    values = {**SAMPLE, **(values or {})}
    if isinstance(node, str):
        return node
    if isinstance(node, dict) and "Fn::Sub" in node:
        body, extra = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
        names = _VAR.findall(body)
        known = {n: values[n] if n in values else resolve(extra.get(n), values) for n in names}
        if any(v is None for v in known.values()):
            return None
        return _VAR.sub(lambda m: known[m.group(1)], body)
    if isinstance(node, dict) and node.get("Ref") in values:
        return values[node["Ref"]]
    return None


def _listify(value):
    return value if isinstance(value, list) else [value]


def statements(role: dict) -> list[dict]:
    return [s for p in role["Properties"].get("Policies", []) for s in _listify(p["PolicyDocument"]["Statement"])]


def _matches(statement: dict, action: str, arn: str, values: dict | None) -> bool:
    if not any(fnmatchcase(action.lower(), a.lower()) for a in _listify(statement["Action"])):
        return False
    patterns = [resolve(r, values) for r in _listify(statement["Resource"])]
    return any(p is not None and fnmatchcase(arn, p) for p in patterns)


def allows(stmts: list[dict], action: str, arn: str, values: dict | None = None) -> bool:
    """Some Allow matches and no Deny does; arn "*" asks for a statement on every resource."""
    if any(s["Effect"] == "Deny" and _matches(s, action, arn, values) for s in stmts):
        return False
    return any(s["Effect"] == "Allow" and _matches(s, action, arn, values) for s in stmts)
