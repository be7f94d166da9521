"""IAM policy documents as plain data, with the few shapes every stack uses.

Statements are built here so that the least-privilege walk in the tests has
one vocabulary to check, and actions come out sorted.
"""

from __future__ import annotations

from troposphere import Ref, Sub, iam

# The actions AWS grants only on "*", with their reasons, live with the gates that check them.
from ..gates.resourceless import STAR_ONLY, STAR_WITH_CONDITION, star_allowed, star_reason  # noqa: F401

VERSION = "2012-10-17"

# What a service or role does with the pipeline key, spelled out (no wildcards):
# GenerateDataKey* and ReEncrypt* stand for these, less the key-pair variants,
# which only asymmetric data keys use (AWS KMS developer guide, "AWS KMS
# permissions").
KEY_USE_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
                   "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"]


def statement(actions, resources, condition: dict | None = None, effect: str = "Allow", sid: str | None = None) -> dict:
    actions = sorted(set([actions] if isinstance(actions, str) else actions))
    out = {"Effect": effect, "Action": actions, "Resource": resources if isinstance(resources, list) else [resources]}
    if condition:
        out["Condition"] = condition
    if sid:
        out["Sid"] = sid
    return out


def document(*statements: dict) -> dict:
    return {"Version": VERSION, "Statement": list(statements)}


def service_trust(service: str) -> dict:
    # Only for this account's resources (IAM User Guide, "Cross-service confused deputy prevention").
    # ...IfExists: not every service documents that it sets aws:SourceAccount when it assumes a role
    # (Lambda, CloudFormation, CodeBuild), and a condition on a missing key fails; where the key is
    # set, another account's resource is refused.
    return document({"Effect": "Allow", "Principal": {"Service": service}, "Action": ["sts:AssumeRole"],
                     "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": Ref("AWS::AccountId")}}})


def role(lid: str, name, trust: dict, statements: list[dict], description: str, boundary=None) -> iam.Role:
    """A role with one inline policy; ``name`` may be a string or a Sub; ``boundary`` a managed policy ARN."""
    star = sorted({a for s in statements for a in s["Action"] if s["Resource"] == ["*"]})
    r = iam.Role(
        lid,
        RoleName=name,
        Description=description,
        AssumeRolePolicyDocument=trust,
        Policies=[iam.Policy(PolicyName="least-privilege", PolicyDocument=document(*statements))],
        **({"PermissionsBoundary": boundary} if boundary is not None else {}),
    )
    if star:
        r.Metadata = {"StarResource": {"Actions": star, "Reason": star_reason(star)}}
    return r


def arn(service: str, resource: str, region: str = "${AWS::Region}", account: str = "${AWS::AccountId}") -> Sub:
    return Sub(f"arn:${{AWS::Partition}}:{service}:{region}:{account}:{resource}")
