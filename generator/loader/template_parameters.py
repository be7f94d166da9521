"""The parameter names a CloudFormation template declares, read without building the template.

Templates are JSON or YAML with CloudFormation's short-form tags (!Ref,
!Sub, !GetAtt ...), which a YAML constructor would refuse. Only the node
graph is composed (tags are labels on nodes there, aliases references) and
the top-level Parameters mapping's keys are read, so that neither a tag nor
an alias bomb in a user's template costs anything.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .problem import LoadProblem

if TYPE_CHECKING:
    import yaml

_MERGE = "tag:yaml.org,2002:merge"


class Unreadable(Exception):
    """The template is neither JSON nor YAML with a Parameters mapping one can read."""


def _from_json(text: str) -> set[str] | None:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict):
        raise Unreadable("is not a JSON object")
    parameters = doc.get("Parameters", {})
    if not isinstance(parameters, dict):
        raise Unreadable("has a Parameters entry that is not a mapping")
    return set(parameters)


def _mapping_keys(node: yaml.Node, seen: set[int]) -> set[str]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise Unreadable("has a Parameters entry that is not a mapping")
    keys: set[str] = set()
    for key, value in node.value:
        if key.tag == _MERGE:  # '<<: *common' merges another mapping's keys
            for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                if id(source) not in seen:
                    seen.add(id(source))
                    keys |= _mapping_keys(source, seen)
        elif isinstance(key, yaml.ScalarNode):
            keys.add(key.value)
    return keys


def parameter_names(body: bytes) -> set[str]:
    """Names of the Parameters of a template; ``Unreadable`` with the reason otherwise."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("is not UTF-8") from None
    names = _from_json(text)
    if names is not None:
        return names
    # Here, not at the top: the configuration's checks import this module, and a build whose
    # configuration another process read (generator/twin.py) should not pay for yaml (~13 ms).
    import yaml

    from .yaml_source import compose

    try:
        root = compose(text)
    except LoadProblem as problem:
        raise Unreadable(f"is neither JSON nor YAML (line {problem.line}: {problem.message})") from None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "Parameters":
            return _mapping_keys(value, set())
    return set()
