"""May this generated role do A on R? The gates' evaluator, on one role, with sample values.

The sufficiency gate (generator/gates) proves whole builds; the deploy-readiness tests ask it about
single statements of single roles, with the templates' parameters given sample values. Conditions are
evaluated as the gates do (conservatively): a test that relies on one passes its keys in ``context``.
"""

from __future__ import annotations

from generator.gates.intrinsics import Env, try_resolve
from generator.gates.policy import Request, evaluate

ACCOUNT = "111111111111"
SAMPLE = {"PipelineSlug": "sc-pl-0123456789ab", "ApplicationName": "hotfixpoc", "RepositoryName": "hotfixpoc-repository",
          "EcrRepositoryName": "hotfixpoc", "StageAccountId": "222222222222", "ProdAccountId": "333333333333",
          "QaAccountId": "444444444444"}


def _env(values: dict | None) -> Env:
    values = {**SAMPLE, **(values or {})}
    region = values.pop("AWS::Region", "us-east-1")
    return Env(account=ACCOUNT, region=region, stack_name="sample", parameters=values)


def resolve(node, values: dict | None = None):
    """A policy node with the sample values in place; None when only a deploy could tell."""
    return try_resolve(node, _env(values))


def statements(role: dict) -> list[dict]:
    return [s for p in role["Properties"].get("Policies", []) for s in
            (p["PolicyDocument"]["Statement"] if isinstance(p["PolicyDocument"]["Statement"], list)
             else [p["PolicyDocument"]["Statement"]])]


def allows(stmts: list[dict], action: str, arn: str, values: dict | None = None, context: tuple = ()) -> bool:
    concrete = [s for s in (resolve(s, values) for s in stmts) if s is not None]
    request = Request(f"arn:aws:iam::{ACCOUNT}:role/sample", action, arn, context)
    return evaluate(concrete, request).decision == "allow"
