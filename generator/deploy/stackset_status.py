"""`status --stackset`: the workload prerequisites as the StackSet `deploy --stackset` made, not one stack per account.

Read-only: DescribeStackSet (its TemplateBody, the template as submitted) and
ListStackInstances (each instance's Status: CURRENT, or OUTDATED when its last
operation failed or never reached it, or INOPERABLE; StackInstanceSummary,
CloudFormation API reference). In sync: the StackSet's template is output/'s,
every instance is CURRENT, and every organizational unit of deploy.stack_set
has instances in every workload region. An organizational unit with no
account has no instance to show, and so reads as missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..printable import printable_lines
from . import stacksets
from .status import template_sha256

SHOWN = 10


@dataclass
class StackSetReport:
    name: str
    account: str  # the administering account, role and id
    region: str
    deployed: bool = False
    template: str | None = None  # matches, differs
    deployed_sha256: str | None = None
    output_sha256: str = ""
    instances: dict = field(default_factory=dict)  # Status -> how many
    behind: list = field(default_factory=list)  # instances not CURRENT: account, region, status and reason
    missing: list = field(default_factory=list)  # organizational unit and region without an instance

    @property
    def in_sync(self) -> bool:
        return self.deployed and self.template == "matches" and not self.behind and not self.missing

    def as_dict(self) -> dict:
        return {**asdict(self), "in_sync": self.in_sync}


def report(cfn, request: stacksets.Request, output_sha256: str, account: str, region: str) -> StackSetReport:
    out = StackSetReport(request.name, account, region, output_sha256=output_sha256)
    current = stacksets.describe(cfn, request)
    if current is None:
        return out
    out.deployed = True
    out.deployed_sha256 = template_sha256(current.get("TemplateBody", ""))
    out.template = "matches" if out.deployed_sha256 == output_sha256 else "differs"
    instances = stacksets.list_instances(cfn, request)
    for i in instances:
        out.instances[i.get("Status", "?")] = out.instances.get(i.get("Status", "?"), 0) + 1
    out.behind = sorted(f"{i.get('Account')} {i.get('Region')} {i.get('Status')}: {i.get('StatusReason', 'no reason given')}"
                        for i in instances if i.get("Status") != "CURRENT")
    targeted = {(i.get("OrganizationalUnitId"), i.get("Region")) for i in instances}
    out.missing = [f"{ou} {region}" for ou in request.organizational_units for region in request.regions
                   if (ou, region) not in targeted]
    return out


@printable_lines
def text(r: StackSetReport) -> list[str]:
    head = f"{r.name} (StackSet, administered from {r.account}, {r.region}): "
    if not r.deployed:
        return [head + "not deployed"]
    counts = ", ".join(f"{n} {status}" for status, n in sorted(r.instances.items())) or "no instances"
    words = ["template matches output/" if r.template == "matches" else
             f"template differs from output/ (deployed sha256 {(r.deployed_sha256 or '')[:12]}…, output/ {r.output_sha256[:12]}…)",
             f"stack instances: {counts}"]
    lines = [head + ", ".join(words)]
    lines += [f"    {line}" for line in r.behind[:SHOWN]]
    if len(r.behind) > SHOWN:
        lines.append(f"    … and {len(r.behind) - SHOWN} more")
    lines += [f"    no stack instance for {m}" for m in r.missing]
    return lines
