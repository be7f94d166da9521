"""Names derived from config names: logical ids, stack names, export names.

Everything the compiler names comes from here, so that a name never
depends on a list position and the same input always gives the same name.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
# Names camel() reads back unambiguously: lower-case words, each starting
# with a letter, joined by single hyphens (main-pipeline -> MainPipeline).
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*")
# IAM role names that are already CamelCase identifiers stay as they are.
_IDENTIFIER = re.compile(r"[A-Z][A-Za-z0-9]*")
ID_HASH_LENGTH = 12  # 48 bits: no config can be tuned to meet another's id by trial
MAX_LOGICAL_ID = 255


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def camel(name: str) -> str:
    """``main-pipeline`` -> ``MainPipeline``: the readable part of a logical id."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-") if part)


@lru_cache(maxsize=65536)
def logical_id(family: str, name: str, identifier: bool = False, reserved: re.Pattern | None = None) -> str:
    """A CloudFormation logical id for one config name in one family (``Product``, ``Principal``...).

    Injective and stable: distinct names never share an id, and an id never
    depends on other entries. A plain name reads as CamelCase
    (``main-pipeline`` -> ``ProductMainPipeline``); with ``identifier`` a
    CamelCase IAM role name is kept as it is. Any other name (``product-1-47``,
    ``hotfix/poc``, ``a--b``) keeps its letters and digits, starts lower-case
    and ends with a hash of the exact name (``ProducthotfixPoc`` + 12 hex).
    Plain parts start upper-case and the others do not, so the two never
    meet. ``reserved`` matches plain parts that a family needs for ids of its
    own (a generated principal, an association suffix): those get the hashed
    form too.
    """
    plain = name if identifier and _IDENTIFIER.fullmatch(name) else \
        camel(name) if not identifier and _PLAIN_NAME.fullmatch(name) else ""
    if plain and not (reserved and reserved.fullmatch(plain)) and len(family) + len(plain) <= MAX_LOGICAL_ID:
        return family + plain
    readable = "".join(word[:1].upper() + word[1:] for word in _NOT_ALNUM.split(name))
    readable = readable[:1].lower() + readable[1:]
    room = MAX_LOGICAL_ID - len(family) - ID_HASH_LENGTH
    return family + readable[:room] + short_hash(name, ID_HASH_LENGTH)


def stack_name(prefix: str, *parts: str) -> str:
    """``sc-portfolio-main-pipeline``: at most 128 characters, letters, digits, hyphens."""
    name = "-".join((prefix, *parts))
    return name if len(name) <= 128 else name[:119] + "-" + short_hash(name)


def export_name(prefix: str, kind: str, name: str) -> str:
    """Export names are per account and region: the prefix keeps catalogues apart."""
    return f"{prefix}:{kind}:{name}"


# Names derived from a repository and a branch. One mechanism serves all of
# them: a digest of the parts in an unambiguous encoding (a JSON array, so
# that "a-b" + "c" and "a" + "b-c" never meet), appended to whatever
# readable text the name has room for. A name therefore differs whenever
# any part differs, whatever the characters, lengths or cleaning, unless
# the digests collide (sha256 cut to the length each name affords; see
# README "Names").

def encode(parts: tuple[str, ...]) -> bytes:
    """The unambiguous encoding every derived name and token hashes: a JSON array of the parts.

    ``ensure_ascii`` writes lone surrogates (which a JSON event may carry) as
    escapes, so every Python string encodes, and distinct tuples never share
    an encoding.
    """
    return json.dumps(list(parts), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def digest(parts: tuple[str, ...], length: int) -> str:
    """The first ``length`` lower-case hex characters of the sha256 of ``encode(parts)``."""
    return hashlib.sha256(encode(parts)).hexdigest()[:length]


def _clean(text: str, allowed: str, lower: bool) -> str:
    """Readable text only: characters outside the charset become '-', runs of '-' one."""
    if lower:
        text = text.lower()
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch in allowed) else "-" for ch in text)
    return re.sub(r"-{2,}", "-", cleaned).strip("-._")


# CodePipeline keeps a pipeline's artifacts under the first 20 characters of
# its name (CodePipeline User Guide, "Troubleshooting CodePipeline": pipeline
# artifact folder names appear to be truncated; AWS re:Post "CodePipeline
# truncates folder names in output artifact S3 bucket"). The pipeline's
# name is its whole slug, at most 20 characters, so that folder is the slug
# and belongs to one pipeline alone.
SLUG_LENGTH = 20
SLUG_MARK = "-pl-"
MIN_SLUG_HASH = 8
MAX_PREFIX_LENGTH = SLUG_LENGTH - len(SLUG_MARK) - MIN_SLUG_HASH  # 8: the schema's maxLength of stack_prefix
PIPELINE_KINDS = ("hotfix", "main")


def slug_hash_length(prefix: str) -> int:
    return SLUG_LENGTH - len(prefix) - len(SLUG_MARK)


def pipeline_slug(prefix: str, repository: str, branch: str, kind: str = "hotfix") -> str:
    """The pipeline's name and the base of every name it creates: ``{prefix}-pl-{hash}``, 20 characters at most.

    [a-z0-9-] only (IAM role names are unique regardless of case), always
    starting with ``{prefix}-pl-``, which is what IAM trust patterns match.
    Readability comes from the pipeline's tags and descriptions.
    """
    if kind not in PIPELINE_KINDS:
        raise ValueError(f"unknown pipeline kind {kind!r}")
    length = slug_hash_length(prefix)
    if length < MIN_SLUG_HASH:
        raise ValueError(f"stack_prefix {prefix!r} is longer than {MAX_PREFIX_LENGTH} characters")
    return f"{prefix}{SLUG_MARK}{digest((kind, prefix, repository, branch), length)}"


def pipeline_slug_pattern(prefix: str) -> str:
    """The anchored pattern of every slug ``pipeline_slug`` makes for this prefix (the PipelineSlug AllowedPattern)."""
    return f"^{re.escape(prefix)}{re.escape(SLUG_MARK)}[0-9a-f]{{{slug_hash_length(prefix)}}}$"


# The pipeline products' Source action namespace: later actions read the
# commit it fetched as #{SourceVariables.CommitId} (CodePipeline User Guide,
# "Variables reference", CodeCommit action variables).
SOURCE_NAMESPACE = "SourceVariables"


def pipeline_role_pattern(prefix: str) -> str:
    """The role-name pattern every pipeline role matches: ``{prefix}-pl-*``."""
    return f"{prefix}-pl-*"


PRODUCT_NAME_LENGTH = 128  # Service Catalog: [a-zA-Z0-9][a-zA-Z0-9._-]*, at most 128
PRODUCT_NAME_HASH = 16


def provisioned_product_name(prefix: str, repository: str, branch: str, kind: str = "hotfix") -> str:
    """``{prefix}-{repository}-{branch}-{hash}``, cleaned and cut to fit, the hash always there.

    The readable part is for people; the hash of (kind, prefix, repository,
    branch) is what makes the name unique.
    """
    readable = (repository, branch) if kind == "hotfix" else (kind, repository, branch)
    head = _clean("-".join(readable), "-._", lower=False)
    tail = digest((kind, prefix, repository, branch), PRODUCT_NAME_HASH)
    room = PRODUCT_NAME_LENGTH - len(prefix) - len(tail) - 2
    head = head[:room].rstrip("-._")
    return "-".join(p for p in (prefix, head, tail) if p)


def idempotency_token(*parts: str) -> str:
    """Service Catalog and CodeCommit tokens: 64 hex characters (Service Catalog allows [a-zA-Z0-9][a-zA-Z0-9_-]*, 128).

    A digest of the parts, so that the same request always gives the same
    token and any change of a part gives another.
    """
    return digest(parts, 64)


FUNCTIONS = ("branch-lifecycle", "pull-requests", "reconciler")
WEBHOOKS = "webhooks"  # the fourth function, for catalogues with GitHub, GitLab or Bitbucket repositories


def webhook_table_name(prefix: str) -> str:
    """The DynamoDB table of webhook deliveries already received (replays are refused)."""
    return f"{prefix}-webhook-deliveries"


def function_name(prefix: str, function: str) -> str:
    """The automation's Lambda function names: ``{prefix}-branch-lifecycle`` and so on."""
    return f"{prefix}-{function}"
