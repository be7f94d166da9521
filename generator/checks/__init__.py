"""Semantic checks: what the JSON Schema cannot say. One rule per module.

Each rule module has ``CODE`` and ``check(catalogue, ctx)``, which yields
``Finding``s; ``ctx.line(path)`` gives the line an entity starts on, so that
a message can name both ends of a broken reference, and ``ctx.base_dir`` is
the configuration's folder, against which template files resolve.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.model import Catalogue
from ..loader.marks import Marks
from ..problems import Problem, json_path
from . import (
    account_ids,
    active_version,
    arn_accounts,
    arn_partitions,
    branch_names,
    constraint_conflicts,
    ecr_repositories,
    fargate_sizes,
    hotfix_access,
    hotfix_launch_role,
    hotfix_principals,
    hotfix_reach,
    hotfix_template,
    launch_role_reach,
    merge_targets,
    organizational_units,
    pattern_principals,
    pipeline_regions,
    principal_arns,
    references,
    regions,
    repository_names,
    repository_providers,
    role_names,
    schedules,
    share_targets,
    stack_names,
    tag_characters,
    tag_limits,
    template_files,
    template_parameters,
    unique_names,
)
from .finding import Context, Finding

RULES = (
    unique_names, references, account_ids, principal_arns, constraint_conflicts,
    merge_targets, hotfix_access, active_version, tag_limits, organizational_units, template_files,
    hotfix_principals, pipeline_regions, hotfix_template, hotfix_launch_role, ecr_repositories,
    share_targets, role_names, hotfix_reach,
    # Values AWS refuses at deploy time, partitions and accounts (issue 11), template parameters (issue 12).
    regions, arn_partitions, arn_accounts, pattern_principals, schedules, repository_names, branch_names,
    fargate_sizes, tag_characters, template_parameters,
    # Config names that meet in a stack name or a logical id, the hotfix launch role reached another way (review of issue 11).
    stack_names, launch_role_reach,
    # GitHub, GitLab and Bitbucket repositories (issue 15).
    repository_providers,
)


def run(catalogue: Catalogue, marks: Marks, file: str) -> list[Problem]:
    problems = []
    for code, finding in findings(catalogue, Path(file).resolve().parent, marks):
        line, column = marks.locate(finding.path, key=finding.at_key)
        problems.append(Problem(file, line, column, code, finding.message, json_path(finding.path)))
    return problems


def findings(catalogue: Catalogue, base_dir: Path = Path("."), marks: Marks | None = None) -> Iterator[tuple[str, Finding]]:
    """Every finding with its rule's code; for tests and tools without a file."""
    ctx = Context((marks or Marks()).line, base_dir)
    for rule in RULES:
        for finding in rule.check(catalogue, ctx):
            yield rule.CODE, finding
