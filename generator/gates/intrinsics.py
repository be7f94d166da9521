"""Resolving CloudFormation intrinsic functions to concrete strings.

Ref, Fn::Sub, Fn::GetAtt, Fn::ImportValue, Fn::Join and Fn::Select, as the
CloudFormation User Guide's "Intrinsic function reference" defines them,
over an ``Env`` that holds the stack's parameters, pseudo parameters, the
physical ids and attributes of its resources (see ``resources``) and the
exports of the build's other stacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SUB = re.compile(r"\$\{([^}]*)\}")
NO_VALUE = object()


class Unresolved(Exception):
    """A value the gates cannot know from the build (an unknown export, attribute or function)."""


@dataclass
class Env:
    account: str
    region: str
    stack_name: str
    partition: str = "aws"
    parameters: dict = field(default_factory=dict)
    refs: dict = field(default_factory=dict)  # logical id -> physical id (what Ref returns)
    attrs: dict = field(default_factory=dict)  # (logical id, attribute) -> value
    imports: dict = field(default_factory=dict)  # export name -> value

    def pseudo(self, name: str):
        return {"AWS::Partition": self.partition, "AWS::Region": self.region, "AWS::AccountId": self.account,
                "AWS::StackName": self.stack_name, "AWS::URLSuffix": "amazonaws.com",
                "AWS::StackId": f"arn:{self.partition}:cloudformation:{self.region}:{self.account}:stack/{self.stack_name}/"
                                "00000000-0000-4000-8000-000000000000",
                "AWS::NoValue": NO_VALUE}.get(name)

    def ref(self, name: str):
        for source in (self.pseudo(name), self.parameters.get(name), self.refs.get(name)):
            if source is not None:
                return source
        raise Unresolved(f"Ref {name}")

    def get_att(self, lid: str, attr: str):
        if (lid, attr) in self.attrs:
            return self.attrs[(lid, attr)]
        raise Unresolved(f"Fn::GetAtt {lid}.{attr}")


def _sub(text: str, env: Env, variables: dict) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return str(resolve(variables[name], env))
        if "." in name and not name.startswith("AWS::"):
            lid, attr = name.split(".", 1)
            return str(env.get_att(lid, attr))
        return str(env.ref(name))

    return _SUB.sub(one, text)


def resolve(node, env: Env):
    """The concrete value of a template node; raises Unresolved for what the build cannot tell."""
    if isinstance(node, list):
        return [v for v in (resolve(item, env) for item in node) if v is not NO_VALUE]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (key, arg), = node.items()
        if key == "Ref":
            return env.ref(arg)
        if key == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            return _sub(text, env, variables)
        if key == "Fn::GetAtt":
            lid, attr = arg.split(".", 1) if isinstance(arg, str) else arg
            return env.get_att(lid, resolve(attr, env))
        if key == "Fn::ImportValue":
            name = resolve(arg, env)
            if name not in env.imports:
                raise Unresolved(f"Fn::ImportValue {name}: no stack of the build exports it")
            return env.imports[name]
        if key == "Fn::Join":
            sep, items = arg
            return resolve(sep, env).join(str(v) for v in resolve(items, env))
        if key == "Fn::Select":
            index, items = resolve(arg[0], env), resolve(arg[1], env)
            items = items.split(",") if isinstance(items, str) else items
            return items[int(index)]
        if key.startswith("Fn::") or key == "Condition":
            raise Unresolved(key)
    return {k: resolve(v, env) for k, v in node.items()}


def try_resolve(node, env: Env, default=None):
    try:
        return resolve(node, env)
    except Unresolved:
        return default
