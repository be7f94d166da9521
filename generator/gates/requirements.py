"""Checking one needed permission against every policy that takes part, and saying what is missing.

A need is (role, action, ARN, condition keys) and where it comes from.
Resource policies are found by the ARN (the bucket of an object, the
key, the queue, the repository); a request into another account needs the
resource's policy as well (IAM User Guide, "Cross-account policy
evaluation logic"). Data a service stores under the customer managed key
needs the key too, as each service's encryption documentation lists it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .access import check
from .finding import Finding
from .policy import Request

# What a caller needs on the key of an encrypted resource, per service and kind of access, and the source.
KEY_USE = {
    # Amazon S3 User Guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)": upload needs
    # kms:GenerateDataKey, download kms:Decrypt.
    ("s3", "write"): ("kms:GenerateDataKey",),
    ("s3", "read"): ("kms:Decrypt",),
    # Amazon SNS Developer Guide, "Data encryption" (encryption at rest): publishers to an encrypted topic
    # need kms:GenerateDataKey and kms:Decrypt.
    ("sns", "write"): ("kms:Decrypt", "kms:GenerateDataKey"),
    # Amazon SQS Developer Guide, "Key management": producers need kms:GenerateDataKey and kms:Decrypt.
    ("sqs", "write"): ("kms:Decrypt", "kms:GenerateDataKey"),
    # AWS CodeCommit User Guide, "AWS Key Management Service and encryption for AWS CodeCommit repositories":
    # users of a repository need these on its key.
    ("codecommit", "read"): ("kms:Decrypt",),
    ("codecommit", "write"): ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"),
}


@dataclass(frozen=True)
class Where:
    file: str
    resource: str
    line: int = 1


def _bucket(arn: str) -> str:
    return arn.split("/", 1)[0] if arn.startswith("arn:aws:s3:::") else arn


def account_of(ctx, arn: str) -> str:
    parts = arn.split(":")
    if len(parts) > 4 and parts[4]:
        return parts[4]
    found = ctx.index.where.get(_bucket(arn))
    return found[0].env.account if found else ""


def need(ctx, principal, action: str, arn: str, why: str, where: Where, context: tuple = (),
         gate: str = "sufficiency", code: str = "SUF") -> list[Finding]:
    """Findings (none when allowed) for one needed permission."""
    base = _bucket(arn)
    key_policy = action.startswith("kms:") and arn in ctx.index.key_arns
    policy = ctx.index.policy(base) if arn != "*" else None
    extra = {("aws:SecureTransport", "true")}
    if key_policy and ctx.index.aliases.get(arn):
        extra.add(("kms:ResourceAliases", tuple(sorted(ctx.index.aliases[arn]))))  # KMS Developer Guide, kms:ResourceAliases
    full = tuple(sorted({*extra, *context}))
    reason = check(principal, Request(principal.arn, action, arn, full), policy,
                   resource_account=account_of(ctx, arn) if arn != "*" else "", kms=key_policy)
    if not reason:
        return []
    return [Finding(where.file, where.resource, gate, code, f"role {principal.arn} cannot {action} on {arn}, which {why} needs: {reason}",
                    role=principal.arn, action=action, arn=arn, need=why, line=where.line)]


def need_key(ctx, principal, resource_arn: str, service: str, access: str, why: str, where: Where,
             gate: str = "sufficiency", code: str = "SUF", key: str | None = None) -> list[Finding]:
    """The key permissions for reading or writing a resource that the build encrypts with its key (``key``, or the
    one the resource names)."""
    key = key or ctx.index.keys.get(_bucket(resource_arn))
    if not key:
        return []
    region = key.split(":")[3]
    context = (("kms:ViaService", f"{service}.{region}.amazonaws.com"), ("kms:CallerAccount", principal.account))
    out = []
    for action in KEY_USE[(service, access)]:
        out += need(ctx, principal, action, key, f"{why} (the data is encrypted with {key})", where, context, gate, code)
    return out
