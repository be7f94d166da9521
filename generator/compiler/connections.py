"""The catalogue's CodeConnections connections in templates: the ones the tools stack creates, and IAM on all of them.

A connection created by CloudFormation is PENDING until a person completes
the handshake with the provider in the console (CodeConnections API
reference, CreateConnection: "The connection is in pending status until
the third-party connection handshake is completed from the console"); the
stack exports its ARN for the launch roles, the pipeline boundary and the
lifecycle Lambda. IAM actions on a connection carry its ARN's service prefix
(Developer Tools console User Guide, "Identity and access management": the
prefix in a policy must match the resource's), so statements are made per
prefix: an AWS::CodeConnections::Connection is codeconnections, an older
connection may be codestar-connections.
"""

from __future__ import annotations

from troposphere import Export, GetAtt, ImportValue, Output, Tags
from troposphere import codeconnections as cc

from ..core import connections, sources
from ..core.model import Catalogue
from . import iam, refs

CREATED_PREFIX = "codeconnections"
PROVIDER_TYPE = {"github": "GitHub", "gitlab": "GitLab", "bitbucket": "Bitbucket"}  # CreateConnection ProviderType


def prefix_of(arn: str) -> str:
    return arn.split(":")[2]


def by_prefix(cat: Catalogue) -> dict[str, list]:
    """Service prefix -> the catalogue's connections under it: configured ARNs, imports of created ones."""
    repos = cat.hotfix.repositories if cat.hotfix else ()
    out: dict[str, list] = {}
    for arn in sorted({r.connection_arn for r in repos if r.connection_arn and not r.create_connection}):
        out.setdefault(prefix_of(arn), []).append(arn)
    for k in connections.created(cat):
        out.setdefault(CREATED_PREFIX, []).append(ImportValue(refs.connection_export(cat, k)))
    return dict(sorted(out.items()))


def statements(cat: Catalogue, action: str, condition=None) -> list[dict]:
    """``action`` (UseConnection, PassConnection) on every connection, one statement per prefix; ``condition(prefix)``
    gives the statement's condition."""
    return [iam.statement(f"{prefix}:{action}", arns, condition(prefix) if condition else None)
            for prefix, arns in by_prefix(cat).items()]


def add_created(t, cat: Catalogue) -> None:
    """One AWS::CodeConnections::Connection per provider and owner that asks for it, retained: a person completed it."""
    for k, repo in connections.created(cat).items():
        lid = "Connection" + k
        t.add_resource(cc.Connection(
            lid, ConnectionName=connections.connection_name(cat.stack_prefix, repo),
            ProviderType=PROVIDER_TYPE[repo.provider],
            Tags=Tags(**{"managed-by": "service-catalog-toolkit", "provider": sources.TITLE[repo.provider]}),
            DeletionPolicy="Retain", UpdateReplacePolicy="Retain"))
        t.add_output(Output(lid + "Arn", Description=f"{sources.TITLE[repo.provider]} connection for "
                                                      f"{connections.owner(repo)}: complete it in the console",
                            Value=GetAtt(lid, "ConnectionArn"), Export=Export(refs.connection_export(cat, k))))
