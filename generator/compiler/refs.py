"""Names that tie the stacks together: exports and the fixed role names.

A stack that creates a thing and a stack that uses it both ask here, so the
two can never disagree.
"""

from __future__ import annotations

from troposphere import ImportValue

from ..core.model import Catalogue
from ..core.naming import export_name, short_hash


def tools_export(cat: Catalogue, what: str) -> str:
    return export_name(cat.stack_prefix, "tools", what)


def automation_export(cat: Catalogue, what: str) -> str:
    return export_name(cat.stack_prefix, "automation", what)


def import_tools(cat: Catalogue, what: str) -> ImportValue:
    return ImportValue(tools_export(cat, what))


def repo_key(repository: str) -> str:
    """Repository names may hold '.' and '_', which export names do not."""
    return short_hash(repository, 10)


def deploy_role_name(cat: Catalogue, application: str) -> str:
    """The role pipelines assume in a workload account to deploy ``application``."""
    return f"{cat.stack_prefix}-{application}-deploy"


def execution_role_name(cat: Catalogue, application: str) -> str:
    """The role CloudFormation uses in a workload account to create ``application``'s resources."""
    return f"{cat.stack_prefix}-{application}-cfn-exec"


def application_stack_name(application: str) -> str:
    """The application's stack in each workload account; main and hotfix pipelines share it."""
    return application


def applications(cat: Catalogue) -> list[str]:
    """Every application the hotfix section names, sorted, each once."""
    if not cat.hotfix:
        return []
    return sorted({r.parameters.application_name for r in cat.hotfix.repositories})


def workload_accounts(cat: Catalogue) -> list[str]:
    """Account roles that receive deployments, in promotion order."""
    return [role for role in ("qa", "stage", "prod") if cat.account(role)]


def connection_export(cat: Catalogue, connection_key: str) -> str:
    """The ARN of a connection the tools stack creates (``core.connections``)."""
    return tools_export(cat, f"connection-{connection_key}")

