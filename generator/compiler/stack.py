"""A stack the build emits: its template and what the manifest says of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from troposphere import Template

from .template import check_limits, counts, render


@dataclass(frozen=True)
class Stack:
    """One stack of the build: its rendered template and where and after what it is deployed."""

    name: str  # the CloudFormation stack name
    kind: str  # tag-options, products, portfolio, launch-roles, ...
    account: str  # account role: tools, stage, prod, qa
    region: str
    body: bytes
    parameters: dict = field(default_factory=dict)  # name -> value, or "<deploy-time>" placeholders
    depends_on: tuple[str, ...] = ()  # ids of other stacks
    capabilities: tuple[str, ...] = ()
    stack_id: str = ""  # unique in the manifest; the same name may be deployed to several accounts

    @property
    def id(self) -> str:
        return self.stack_id or self.name

    @property
    def path(self) -> str:
        return f"stacks/{self.name}.template.json"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def make_stack(template: Template, *, name: str, kind: str, account: str, region: str,
               parameters: dict | None = None, depends_on=(), capabilities=(), stack_id: str = "") -> Stack:
    body = render(template)
    check_limits(name, body, counts(template))
    caps = tuple(sorted(set(capabilities) | ({"CAPABILITY_NAMED_IAM"} if _has_named_iam(template) else set())))
    return Stack(name, kind, account, region, body, dict(sorted((parameters or {}).items())),
                 tuple(sorted(set(depends_on))), caps, stack_id)


def _has_named_iam(template: Template) -> bool:
    return any(getattr(r, "resource_type", "").startswith("AWS::IAM::") for r in template.resources.values())
