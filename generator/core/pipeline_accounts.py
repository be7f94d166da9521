"""The workload accounts a built-in pipeline deploys to, as template parameters.

A published template never names an account: Service Catalog never reads a
version's template again, so a template that named them would be wrong for
every provisioned product the day an account changes. The built-in
templates take the ids as parameters instead; the generated template
constraint pins them to the configuration's (it updates in place), and
whoever provisions passes them: the branch-lifecycle Lambda for hotfix
pipelines, the platform team for main pipelines.
"""

from __future__ import annotations

from .model import Catalogue

PARAMETERS = {"qa": "QaAccountId", "stage": "StageAccountId", "prod": "ProdAccountId"}
# Promotion order; the main pipeline deploys to QA only when the parameter is not empty.
TARGETS = {"hotfix-pipeline": ("stage", "prod"), "main-pipeline": ("qa", "stage", "prod"),
           "hotfix-pipeline-codeconnections": ("stage", "prod"), "main-pipeline-codeconnections": ("qa", "stage", "prod")}
OPTIONAL = frozenset({"qa"})


def account_parameters(cat: Catalogue, builtin: str) -> dict[str, str]:
    """Parameter name -> account id ("" for an optional account the catalogue does not have)."""
    return {PARAMETERS[role]: cat.account_id(role) if cat.account(role) else "" for role in TARGETS[builtin]}
