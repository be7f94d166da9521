"""Names derived from config names: logical ids, stack names, export names.

Everything the compiler names comes from here, so that a name never
depends on a list position and the same input always gives the same name.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def camel(name: str) -> str:
    """``main-pipeline`` -> ``MainPipeline``: the readable part of a logical id."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-") if part)


@lru_cache(maxsize=65536)
def logical_id(*parts: str) -> str:
    """A CloudFormation logical id from config names (alphanumeric, at most 255)."""
    text = _NOT_ALNUM.sub("", "".join(camel(p) if "-" in p or p[:1].islower() else p for p in parts))
    if len(text) > 255:
        text = text[:246] + short_hash("\0".join(parts))
    return text


def stack_name(prefix: str, *parts: str) -> str:
    """``sc-portfolio-main-pipeline``: at most 128 characters, letters, digits, hyphens."""
    name = "-".join((prefix, *parts))
    return name if len(name) <= 128 else name[:119] + "-" + short_hash(name)


def export_name(prefix: str, kind: str, name: str) -> str:
    """Export names are per account and region: the prefix keeps catalogues apart."""
    return f"{prefix}:{kind}:{name}"


# Names derived from a repository and a branch. A branch name may hold '/',
# '.', upper case, unicode and up to 256 characters; AWS names are narrower.
# One rule serves every kind: keep what is allowed, replace the rest with
# '-', and where anything was replaced or cut, end with a hash of the
# original, so that 'hotfix-a/b' and 'hotfix-a-b' never meet.

HASH_LENGTH = 8


def _clean(text: str, allowed: str, lower: bool) -> str:
    if lower:
        text = text.lower()
    out = []
    for ch in text:
        ok = ch.isascii() and (ch.isalnum() or ch in allowed)
        out.append(ch if ok else "-")
    cleaned = "".join(out)
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned.strip("-._")


def derived_name(parts: tuple[str, ...], max_length: int, allowed: str = "-", lower: bool = True) -> str:
    """A name made of ``parts`` joined by '-', valid and unique for the given charset and length.

    The result starts with a letter or digit and is at most ``max_length``
    characters. If the joined parts are already valid, they are the name.
    """
    original = "-".join(parts)
    cleaned = _clean(original, allowed, lower)
    # A name kept as it is must not look like a hashed one, or a branch named
    # like another's hash could take its name: those get a hash too.
    looks_hashed = len(original) > HASH_LENGTH and original[-HASH_LENGTH - 1] == "-" and \
        all(c in "0123456789abcdef" for c in original[-HASH_LENGTH:])
    if cleaned == original and 0 < len(cleaned) <= max_length and cleaned[0].isalnum() and not looks_hashed:
        return cleaned
    digest = short_hash("\0".join(parts), HASH_LENGTH)
    room = max_length - HASH_LENGTH - 1
    head = cleaned[:room].rstrip("-._")
    return f"{head}-{digest}" if head else digest


SLUG_LENGTH = 54  # an IAM role name (64) is the slug, "-" and a purpose of at most 9 characters


def pipeline_slug(prefix: str, repository: str, branch: str) -> str:
    """The base of every name a pipeline creates (pipeline, roles, projects, log groups, rules).

    At most 54 characters of [a-z0-9-], lower case because IAM role names
    are unique regardless of case. It always starts with ``{prefix}-pl-``
    (cutting keeps the start), which is what IAM trust patterns match.
    """
    return derived_name((prefix, "pl", repository, branch), SLUG_LENGTH)


def pipeline_role_pattern(prefix: str) -> str:
    """The role-name pattern every pipeline role matches: ``{prefix}-pl-*``."""
    return f"{prefix}-pl-*"


def provisioned_product_name(prefix: str, repository: str, branch: str) -> str:
    """Service Catalog: [a-zA-Z0-9][a-zA-Z0-9._-]*, at most 128 characters."""
    return derived_name((prefix, repository, branch), 128, allowed="-._", lower=False)


def idempotency_token(*parts: str) -> str:
    """Service Catalog and CodeCommit tokens: [a-zA-Z0-9][a-zA-Z0-9_-]*, at most 64 here.

    A digest of the parts, so that the same event always gives the same
    token and any change of a part gives another.
    """
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:64]


FUNCTIONS = ("branch-lifecycle", "pull-requests", "reconciler")


def function_name(prefix: str, function: str) -> str:
    """The automation's Lambda function names: ``{prefix}-branch-lifecycle`` and so on."""
    return f"{prefix}-{function}"
