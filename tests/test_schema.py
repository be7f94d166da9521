"""The published JSON Schema is itself well formed and complete."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from generator.schema_check import SCHEMA_PATH

from .conftest import CONFIG

SCHEMA = json.loads(SCHEMA_PATH.read_text())


def walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def objects():
    for path, node in walk(SCHEMA):
        if node.get("type") == "object":
            yield path, node


@pytest.mark.parametrize("path, node", list(objects()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_object_is_closed(path, node):
    # Free-form maps (tags, rules) close themselves through propertyNames instead.
    closed = node.get("additionalProperties") is False or "propertyNames" in node
    assert closed, f"{path} accepts unknown keys"


def test_every_property_has_a_description():
    missing = []
    for path, node in walk(SCHEMA):
        for name, prop in node.get("properties", {}).items() if isinstance(node.get("properties"), dict) else ():
            if "description" not in prop:
                missing.append(f"{path}/properties/{name}")
    assert missing == []


def test_the_config_names_its_schema_for_editors():
    # The YAML language server reads `# yaml-language-server: $schema=<path>` (its README, "Using inlined schema"),
    # relative to the file; a team may drop the line, but a line that is there must name this schema.
    named = re.findall(r"^# yaml-language-server: \$schema=(\S+)$", CONFIG.read_text(), re.M)
    assert all((CONFIG.parent / n).resolve() == SCHEMA_PATH for n in named)
    assert (CONFIG.parent / "portfolios.schema.json").resolve() == SCHEMA_PATH


def test_aws_limits_are_in_the_schema():
    portfolio = SCHEMA["$defs"]["portfolio"]["properties"]
    assert portfolio["display_name"]["maxLength"] == 100
    assert portfolio["provider"]["maxLength"] == 50
    assert SCHEMA["$defs"]["description"]["maxLength"] == 2000
    assert SCHEMA["$defs"]["tags"]["maxProperties"] == 20
    assert SCHEMA["$defs"]["tag_key"]["maxLength"] == 128 and SCHEMA["$defs"]["tag_value"]["maxLength"] == 256


def test_expected_messages_keep_the_case_of_names():
    # "expected a mapping", but "expected CodeCommit repository name", never "expected codeCommit ...".
    import re

    from generator.schema_check import _expected

    for path, node in walk(SCHEMA):
        if not isinstance(node.get("x-format", node.get("description", "")), str):
            continue  # a "properties" map with a key named description
        message = _expected(node)
        first = message.split(" ")[1] if message else ""
        assert not re.match(r"[a-z]+[A-Z]", first), f"{path}: {message}"
        desc = node.get("x-format", node.get("description", ""))
        if desc and len(desc.split(" ", 1)[0]) > 1 and desc.split(" ", 1)[0].isupper():  # an acronym such as ECR
            assert first == desc.split(" ", 1)[0], f"{path}: {message}"
    assert _expected({"description": "A mapping."}) == "expected a mapping"
    assert _expected({"description": "CodeCommit repository name."}) == "expected CodeCommit repository name"
