"""Reading CloudFormation templates, JSON or YAML with the short-form tags (!Ref, !Sub, ...)."""

from __future__ import annotations

import json
import re

import yaml

_FUNCTIONS = ("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
              "Transform", "And", "Equals", "If", "Not", "Or", "Contains", "EachMemberEquals", "EachMemberIn",
              "RefAll", "ValueOf", "ValueOfAll", "Length", "ToJsonString")


class _Loader(yaml.SafeLoader):
    pass


def _tag(name: str):
    key = "Ref" if name == "Ref" else "Condition" if name == "Condition" else f"Fn::{name}"

    def construct(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {key: value}

    return construct


for _name in (*_FUNCTIONS, "Ref", "Condition"):
    _Loader.add_constructor(f"!{_name}", _tag(_name))


def parse(body: bytes | str, name: str = "") -> dict:
    """A template as plain data; JSON first (every generated template), YAML otherwise."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return json.loads(text)
    data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass that knows CloudFormation tags only
    if not isinstance(data, dict):
        raise ValueError(f"{name or 'template'} is not a mapping")
    return data


def resource_lines(body: bytes | str) -> dict[str, int]:
    """Logical id -> line of its definition, for annotations: the keys one level below ``Resources``."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    lines: dict[str, int] = {}
    outer = inner = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if outer is None:
            if re.match(r'"?Resources"?\s*:', stripped):
                outer = indent
            continue
        if indent <= outer:
            if stripped not in ("}", "},"):
                outer = None if not re.match(r'"?Resources"?\s*:', stripped) else indent
            else:
                break
            continue
        inner = indent if inner is None else inner
        if indent == inner:
            key = re.match(r'"?([A-Za-z0-9]+)"?\s*:', stripped)
            if key:
                lines.setdefault(key.group(1), number)
    return lines
