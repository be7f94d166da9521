"""Rendering templates: sorted keys, two-space indent, a trailing newline."""

from __future__ import annotations

import json

from troposphere import Template

from ..core.exceptions import BuildError
from . import limits


def new_template(description: str) -> Template:
    template = Template(Description=description)
    template.set_version("2010-09-09")
    return template


def render(template: Template | dict) -> bytes:
    data = template.to_dict() if isinstance(template, Template) else template
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def check_limits(name: str, body: bytes, data: dict) -> None:
    """A last guard: sharding should make these unreachable."""
    counts = {
        "resources": (len(data.get("Resources", {})), limits.MAX_RESOURCES),
        "parameters": (len(data.get("Parameters", {})), limits.MAX_PARAMETERS),
        "outputs": (len(data.get("Outputs", {})), limits.MAX_OUTPUTS),
        "bytes": (len(body), limits.MAX_BODY_BYTES),
    }
    for what, (count, limit) in counts.items():
        if count > limit:
            raise BuildError(f"stack {name} has {count} {what}; CloudFormation allows {limit}")
