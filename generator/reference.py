"""docs/config-reference.md, generated from the JSON Schema's descriptions.

The schema is the contract; this page is its readable form and is never
edited by hand: ``python -m generator reference --write`` rewrites it and a
test fails when it is out of date.
"""

from __future__ import annotations

import json

from .schema_check import SCHEMA_PATH, schema

OUTPUT = SCHEMA_PATH.parent.parent / "docs" / "config-reference.md"


def _type(node: dict, defs: dict) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        if target.get("type") == "object" and "properties" in target:
            return f"[{name}](#{name.replace('_', '-')})"
        return _type(target, defs)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " or ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    kind = node.get("type", "any")
    if kind == "array":
        items = node.get("items", {})
        if items.get("type") == "object" and "properties" in items:
            return "list of objects (below)"
        return f"list of {_type(items, defs)}"
    if kind == "object":
        return "object (below)" if "properties" in node else "mapping"
    return kind


def _constraints(node: dict, defs: dict) -> str:
    target = defs[node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    out = []
    for key, word in (("minLength", "min length"), ("maxLength", "max length"), ("minItems", "min entries"),
                      ("maxItems", "max entries"), ("maxProperties", "max keys"), ("minimum", "min"), ("maximum", "max")):
        if key in merged:
            out.append(f"{word} {merged[key]}")
    if "pattern" in merged:
        out.append(f"pattern `{merged['pattern']}`".replace("|", "\\|"))
    if "default" in merged:
        out.append(f"default `{json.dumps(merged['default'])}`")
    return "; ".join(out)


def _table(node: dict, defs: dict) -> list[str]:
    required = set(node.get("required", ()))
    rows = ["| key | type | required | description | constraints |", "| --- | --- | --- | --- | --- |"]
    for key, prop in node.get("properties", {}).items():
        description = prop.get("description", "").replace("|", "\\|")
        rows.append(f"| `{key}` | {_type(prop, defs)} | {'yes' if key in required else 'no'} | {description} | "
                    f"{_constraints(prop, defs)} |")
    return rows


def _inline_objects(node: dict, path: str, defs: dict, out: list[str]) -> None:
    for key, prop in node.get("properties", {}).items():
        target = prop.get("items", prop) if prop.get("type") == "array" else prop
        if isinstance(target.get("additionalProperties"), dict) and "properties" in target["additionalProperties"]:
            # A mapping of names to objects, such as template rules by rule name.
            target, key = target["additionalProperties"], f"{key}.<name>"
        if target.get("type") == "object" and "properties" in target and "$ref" not in target:
            out += ["", f"### `{path}{key}`", "", target.get("description", prop.get("description", "")), ""]
            out += _table(target, defs)
            _inline_objects(target, f"{path}{key}.", defs, out)


def render() -> str:
    s = schema()
    defs = s.get("$defs", {})
    out = ["# Configuration reference", "",
           "Generated from `config/portfolios.schema.json` by `python -m generator reference --write`; do not edit.",
           "Every object refuses keys it does not list. `config/portfolios.yaml` is the worked example.", "",
           "## Top level", "", s.get("description", ""), ""]
    out += _table(s, defs)
    _inline_objects(s, "", defs, out)
    for name in sorted(defs):
        node = defs[name]
        if node.get("type") != "object" or "properties" not in node:
            continue
        out += ["", f"## {name}", "", node.get("description", ""), ""]
        out += _table(node, defs)
        _inline_objects(node, f"{name}.", defs, out)
    return "\n".join(line.rstrip() for line in out).replace("\n\n\n", "\n\n") + "\n"
