"""The generated template constraint of a built-in pipeline product: what varies per catalogue.

The built-in templates are the same for every catalogue (see ``parts``); a
template constraint updates in place, so the catalogue's own choices live
here: which repositories may get a pipeline (each with its own application
and ECR repository) and which accounts a pipeline deploys to. Rules only
name parameters that every version of the product's template declares.
"""

from __future__ import annotations

from ...core import sources
from ...core.model import Catalogue
from ...core.pipeline_accounts import PARAMETERS, TARGETS
from .. import refs


def _repositories(cat: Catalogue, builtins: set[str]) -> dict:
    """Only the repositories the product's templates read (by kind of source), each with its own application.

    A connection's templates also pin each repository's provider id, so that
    a launch cannot point a configured name at another repository the
    connection reaches. The connection itself is held by IAM: the launch
    role may pass, and the pipeline boundary use, only the catalogue's.
    """
    kinds = {sources.KIND_OF_BUILTIN[b] for b in builtins}
    repos = sorted((r for r in cat.hotfix.repositories if sources.kind(r.provider) in kinds), key=lambda r: r.name)
    rules = {"ConfiguredRepositoriesOnly": {"Assertions": [{
        "Assert": {"Fn::Contains": [[r.name for r in repos], {"Ref": "RepositoryName"}]},
        "AssertDescription": "Pipelines are provisioned only for repositories in the toolkit's configuration",
    }]}}
    for repo in repos:
        p = repo.parameters
        assertions = [
            {"Assert": {"Fn::Equals": [{"Ref": "ApplicationName"}, p.application_name]},
             "AssertDescription": f"Repository {repo.name} deploys application {p.application_name}"},
            {"Assert": {"Fn::Equals": [{"Ref": "EcrRepositoryName"}, p.ecr_repository]},
             "AssertDescription": f"Repository {repo.name} pushes to ECR repository {p.ecr_repository}"},
        ]
        if kinds == {sources.CONNECTION}:  # rules name only parameters every version declares
            assertions.append({"Assert": {"Fn::Equals": [{"Ref": "FullRepositoryId"}, repo.full_repository_id]},
                               "AssertDescription": f"Repository {repo.name} is {repo.full_repository_id} on "
                                                    f"{sources.TITLE[repo.provider]}"})
        rules["Repository" + refs.repo_key(repo.name)] = {
            "RuleCondition": {"Fn::Equals": [{"Ref": "RepositoryName"}, repo.name]},
            "Assertions": assertions,
        }
    return rules


def _accounts(cat: Catalogue, builtins: set[str]) -> dict:
    roles = [r for r in TARGETS["main-pipeline"] if all(r in TARGETS[b] for b in builtins)]
    assertions = []
    for role in roles:
        account = cat.account_id(role) if cat.account(role) else ""
        assertions.append({"Assert": {"Fn::Equals": [{"Ref": PARAMETERS[role]}, account]},
                           "AssertDescription": f"The {role} stage deploys to account {account}" if account
                           else f"This catalogue has no {role} account"})
    return {"CatalogueAccounts": {"Assertions": assertions}}


def rules(cat: Catalogue, builtins: set[str]) -> dict:
    """Rules for a product whose versions use these built-in templates."""
    return {**(_repositories(cat, builtins) if cat.hotfix else {}), **_accounts(cat, builtins)}
