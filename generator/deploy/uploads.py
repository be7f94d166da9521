"""Uploading what the stacks read from S3: each object once, each verified by its SHA-256.

HeadObject first: an object whose SHA-256 is the file's is left as it is. A
new object is sent with ChecksumSHA256, which S3 verifies before it stores
anything (S3 user guide, "Checking object integrity"), and its SHA-256 is
read back. S3 hands back the SHA-256 it stored (HeadObject with ChecksumMode
ENABLED); an object stored without one (another tool uploaded it, or it came
in parts, whose checksum is of the parts) is read and hashed instead. Object
metadata is never trusted for it: anyone who can write the object writes it.

A product template whose key already holds another template is refused:
Service Catalog read that version's template when the version was created
and never reads it again, so the change would deploy nothing; it belongs in
a new version.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from .artifacts import Output, StackEntry, sha256
from .errors import DeployError
from .settings import Target


@dataclass(frozen=True)
class Item:
    path: str  # under output/
    key: str  # in the bucket
    sha256: str
    what: str  # product template, Lambda bundle, stack template
    pinned: bool = False  # a product template: never replaced once there


@dataclass(frozen=True)
class Result:
    item: Item
    action: str  # uploaded, present


def items(output: Output, where: Target, stacks: tuple[StackEntry, ...]) -> list[Item]:
    """Everything the given stacks need in S3, each key once, in a stable order."""
    wanted: dict[str, Item] = {}
    names = {s.name for s in stacks}
    for u in output.uploads:
        if u.stack in names:  # the manifest names the stack that reads the upload
            what = "Lambda bundle" if u.function else "product template"
            wanted[u.path] = Item(u.path, where.key(u.path), u.sha256, what, pinned=not u.function)
    for s in stacks:
        key = where.stack_key(s)
        wanted.setdefault(key, Item(s.template, key, s.sha256, "stack template"))
    return sorted(wanted.values(), key=lambda i: i.key)


def _stored_sha256(s3, bucket: str, key: str, head: dict) -> str:
    checksum = head.get("ChecksumSHA256")
    if checksum and "-" not in checksum:  # a multipart checksum is of the parts, not of the object
        try:
            return base64.b64decode(checksum, validate=True).hex()
        except (binascii.Error, ValueError):
            pass
    return sha256(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def _bucket_region(response: dict) -> str | None:
    return response.get("BucketRegion") or response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("x-amz-bucket-region")


def check_bucket(s3, where: Target) -> None:
    """The bucket exists, in the home region, before anything is uploaded or any stack touched.

    The home region because the Lambdas read their code from it, and Lambda takes
    code only from a bucket in the function's region (Lambda API reference,
    FunctionCode.S3Bucket); and because every URL deploy hands CloudFormation and
    Service Catalog names that region. HeadBucket names the bucket's region in
    any region and whatever the caller may do with it (S3 API reference,
    HeadBucket), also in a 403.
    """
    try:
        region = _bucket_region(s3.head_bucket(Bucket=where.bucket))
    except Exception as exc:
        response = getattr(exc, "response", None) or {}
        if str(response.get("Error", {}).get("Code", "")) in ("404", "NoSuchBucket", "NotFound"):
            raise DeployError(f"bucket {where.bucket} does not exist: create it in the tools account and the home region "
                              f"({where.region}), or change deploy.artifacts_bucket") from None
        region = _bucket_region(response)
        if region is None:
            raise
    if region and region != where.region:
        raise DeployError(f"bucket {where.bucket} is in {region}, not in the home region {where.region}: the Lambdas can read "
                          "their code only from a bucket in their own region. Use a bucket in the home region "
                          "(deploy.artifacts_bucket)")


def _head(s3, bucket: str, key: str) -> dict | None:
    try:
        return s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    except Exception as exc:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchKey", "NotFound"):
            return None
        if code in ("NoSuchBucket",):
            raise DeployError(f"bucket {bucket} does not exist: create it in the tools account and the home region, "
                              "or change deploy.artifacts_bucket") from None
        if code in ("403", "AccessDenied", "Forbidden"):
            # Without s3:ListBucket, HeadObject answers 403, not 404, for a key that does not exist yet (S3 API reference).
            raise DeployError(f"access to s3://{bucket}/{key} is denied: the tools account's deploy credentials need "
                              "s3:GetObject and s3:PutObject on the artifacts prefix and s3:ListBucket on the bucket") from None
        raise


def _content_type(key: str) -> str:
    # A product's template may come from a YAML file (its version's `file`), kept under its own extension.
    return {".zip": "application/zip", ".yaml": "application/yaml", ".yml": "application/yaml"}.get(
        key[key.rfind("."):], "application/json")


def ensure(s3, where: Target, item: Item, body: bytes) -> Result:
    head = _head(s3, where.bucket, item.key)
    if head is not None:
        stored = _stored_sha256(s3, where.bucket, item.key, head)
        if stored == item.sha256:
            return Result(item, "present")
        if item.pinned:
            raise DeployError(
                f"s3://{where.bucket}/{item.key} already holds another {item.what} (sha256 {stored[:12]}…, the output's is "
                f"{item.sha256[:12]}…). Service Catalog reads a version's template once, when the version is created, so "
                "replacing it would change nothing that is deployed: publish the change as a new version in the config")
    s3.put_object(Bucket=where.bucket, Key=item.key, Body=body, ChecksumSHA256=base64.b64encode(bytes.fromhex(item.sha256)).decode(),
                  ContentType=_content_type(item.key))
    after = _head(s3, where.bucket, item.key)
    if after is None or _stored_sha256(s3, where.bucket, item.key, after) != item.sha256:
        raise DeployError(f"s3://{where.bucket}/{item.key} does not hold what was uploaded (its stored sha256 differs): "
                          "something else writes to this prefix")
    return Result(item, "uploaded")


def upload(s3, output: Output, where: Target, stacks: tuple[StackEntry, ...], report=None) -> list[Result]:
    check_bucket(s3, where)
    results = []
    for item in items(output, where, stacks):
        result = ensure(s3, where, item, output.body(item.path))
        results.append(result)
        if report:
            report(result)
    return results
