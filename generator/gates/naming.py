"""Naming: every name the toolkit gives a resource in an account starts with the catalogue's prefix.

Two catalogues share an account by their ``stack_prefix`` (that is what it
is for). The prefix holds no hyphen, so ``{prefix}-`` is the start of a
name of that catalogue and of no other: as long as every account-wide name
the toolkit writes starts that way, no two catalogues can ever claim the
same role, function, queue, bucket, pipeline or export. This gate proves
the "as long as" over the built templates, so a resource added later
without the prefix is a finding, not a clash in someone's account.

Names are what the CloudFormation registry schema calls the type's name
property (RoleName, FunctionName, ...): the name the resource has in the
account, unique per account or per region. Names the user chose
themselves are theirs (repository names: a CodeCommit or ECR repository is
the user's, shared with whoever else uses it; the launch roles' local
names, which a launch constraint names in every account it launches in),
and so are the templates of the user's own products; display names need
not be unique. A chosen launch-role name without the prefix is a notice,
and so is every tag option: Service Catalog keeps one (key, value) per
account, and the end users' vocabulary takes no prefix.
"""

from __future__ import annotations

import re

from .finding import Finding
from .templates import parse, resource_lines

GATE = "naming"

# type -> (name property, service path before the name). Each property's
# schema (cfnlint/data/schemas/resources/<type>.json) describes it as the
# resource's name; IAM names are unique per account, the others per region.
NAMES = {
    "AWS::IAM::Role": ("RoleName", ""),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", ""),
    "AWS::Lambda::Function": ("FunctionName", ""),
    "AWS::SQS::Queue": ("QueueName", ""),
    "AWS::SNS::Topic": ("TopicName", ""),
    "AWS::S3::Bucket": ("BucketName", ""),
    "AWS::Events::Rule": ("Name", ""),
    "AWS::KMS::Alias": ("AliasName", "alias/"),
    "AWS::Logs::LogGroup": ("LogGroupName", r"/aws/[a-z-]+/"),
    "AWS::CodeBuild::Project": ("Name", ""),
    "AWS::CodePipeline::Pipeline": ("Name", ""),
    "AWS::DynamoDB::Table": ("TableName", ""),
    "AWS::ECS::Cluster": ("ClusterName", ""),
    "AWS::CodeConnections::Connection": ("ConnectionName", ""),
    "AWS::CodeStarConnections::Connection": ("ConnectionName", ""),
    "AWS::SecretsManager::Secret": ("Name", ""),
}
_UNKNOWN = "\x00"  # stands for text the gate cannot know (a pseudo parameter, an attribute)


def _pattern_head(pattern: str) -> str:
    """The literal text every value matching ``pattern`` starts with (``^sc\\-pl\\-[0-9a-f]{14}$`` -> ``sc-pl-``)."""
    if not pattern.startswith("^") or _top_level_alternation(pattern):
        return _UNKNOWN  # unanchored, or "a|b": no text starts every value
    head, i = "", 1
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            literal, width = pattern[i + 1], 2
        elif ch.isalnum() or ch in "-_/:":
            literal, width = ch, 1
        else:
            break
        if pattern[i + width:i + width + 1] in ("?", "*", "{"):
            break  # an optional or repeated character is not part of every value
        head, i = head + literal, i + width
    return head + _UNKNOWN


def _top_level_alternation(pattern: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def _text(value, params: dict) -> str:
    """What a name will start with: literals kept, a parameter by the head of its AllowedPattern."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Ref" and isinstance(arg, str):
            return _pattern_head(params.get(arg, {}).get("AllowedPattern", "")) if arg in params else _UNKNOWN
        if fn == "Fn::Sub":
            text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else ("", {})
            if not isinstance(text, str) or not isinstance(names, dict):
                return _UNKNOWN

            def sub(match):
                name = match.group(1)
                if name in names:
                    return _text(names[name], params)
                return _text({"Ref": name}, params) if name in params else _UNKNOWN

            return re.sub(r"\$\{([^!}][^}]*)\}", sub, text)
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            return str(arg[0]).join(_text(part, params) for part in arg[1])
    return _UNKNOWN


def _prefixed(name: str, prefix: str, path: str) -> bool:
    rest = re.sub(f"^{path}", "", name, count=1) if path else name
    return rest.startswith(f"{prefix}-")


def _tag_option(path: str, lid: str, res: dict, line: int) -> Finding:
    # A tag option is its (key, value), unique in the account: CreateTagOption answers DuplicateResourceException
    # (botocore's servicecatalog model) and the registry schema makes both createOnly. No prefix can make it the
    # catalogue's own: the key and value are the end users' vocabulary.
    props = res.get("Properties") or {}
    return Finding(path, lid, GATE, "NAME-CHOSEN",
                   f"tag option {props.get('Key')!r}={props.get('Value')!r} is unique in the account: another catalogue "
                   "in the account must not define the same key and value (its stack would fail)",
                   severity="notice", line=line)


def toolkit_templates(ctx) -> dict[str, bytes]:
    """The templates the toolkit writes: the stacks and the built-in products (not the user's own)."""
    from ..compiler.products import artifact_path

    cat = ctx.catalogue
    builtin = {artifact_path(p, v) for p in cat.products for v in p.versions if v.template.kind == "builtin"}
    return {path: body for path, body in sorted(ctx.files.items())
            if (path.startswith("stacks/") and path.endswith(".json")) or path in builtin}


def run(ctx) -> list[Finding]:
    if ctx.catalogue is None:
        return []
    from ..launch_roles import generated_roles

    prefix = ctx.catalogue.stack_prefix
    chosen = set(generated_roles(ctx.catalogue))
    out: list[Finding] = []
    for path, body in toolkit_templates(ctx).items():
        try:
            template = parse(body, path)
        except (ValueError, TypeError):
            continue  # cfn-lint reports templates that do not parse
        params = {k: v for k, v in (template.get("Parameters") or {}).items() if isinstance(v, dict)}
        lines = resource_lines(body)
        for lid, res in sorted((template.get("Resources") or {}).items()):
            if isinstance(res, dict) and res.get("Type") == "AWS::ServiceCatalog::TagOption":
                out.append(_tag_option(path, lid, res, lines.get(lid, 1)))
            if not isinstance(res, dict) or res.get("Type") not in NAMES:
                continue
            prop, service_path = NAMES[res["Type"]]
            value = (res.get("Properties") or {}).get(prop)
            if value is None:
                continue  # CloudFormation names it after the stack, which carries the prefix
            name = _text(value, params)
            if _prefixed(name, prefix, service_path):
                continue
            shown = name.replace(_UNKNOWN, "…")
            if res["Type"] == "AWS::IAM::Role" and name in chosen:
                out.append(Finding(path, lid, GATE, "NAME-CHOSEN",
                                   f"launch role {shown!r} is named in the config (a launch constraint's "
                                   f"local_role_name) without the prefix '{prefix}-': another catalogue in the "
                                   "account must not choose the same name", severity="notice",
                                   line=lines.get(lid, 1)))
                continue
            out.append(Finding(path, lid, GATE, "NAME-PREFIX",
                               f"{res['Type']} {prop} {shown!r} does not start with the catalogue's prefix "
                               f"'{prefix}-', so another catalogue in the account could claim the same name",
                               line=lines.get(lid, 1)))
        for key, output in sorted((template.get("Outputs") or {}).items()):
            export = output.get("Export") if isinstance(output, dict) else None
            if isinstance(export, dict) and not _text(export.get("Name"), params).startswith(f"{prefix}:"):
                out.append(Finding(path, f"Outputs.{key}", GATE, "NAME-PREFIX",
                                   f"export name does not start with '{prefix}:', so another catalogue in the "
                                   "region could export the same name"))
    return out
