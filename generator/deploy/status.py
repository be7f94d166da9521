"""`status`, per stack: deployed or not, in which state, the template of output/ or another, drifted or not.

Read-only: DescribeStacks, GetTemplate (TemplateStage Original: the
template as submitted, which boto3 hands back parsed) and, when asked,
DetectStackDrift, DescribeStackDriftDetectionStatus and
DescribeStackResourceDrifts (CloudFormation API reference). A deployed
template is compared by the sha256 of its rendering in the build's own form
(generator/compiler/template.py), so "matches" means byte for byte what
output/ holds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..compiler.template import render
from ..printable import printable_lines
from . import settings, stacks
from .artifacts import Output, StackEntry, sha256

DRIFT_DONE = {"DETECTION_COMPLETE", "DETECTION_FAILED"}
DRIFTED_RESOURCE = ["MODIFIED", "DELETED"]


@dataclass
class StackReport:
    id: str
    name: str
    account: str
    account_id: str
    region: str
    deployed: bool = False
    status: str | None = None
    template: str | None = None  # matches, differs
    deployed_sha256: str | None = None
    output_sha256: str = ""
    parameters: list = field(default_factory=list)  # differing parameter names
    drift: str | None = None  # IN_SYNC, DRIFTED, ... when asked
    drifted: list = field(default_factory=list)  # {resource, type, status, differences}

    @property
    def in_sync(self) -> bool:
        return (self.deployed and self.status in stacks.SUCCEEDED | stacks.UPDATABLE and self.template == "matches"
                and not self.parameters and self.drift in (None, "IN_SYNC"))

    def as_dict(self) -> dict:
        return {**asdict(self), "in_sync": self.in_sync}


def template_sha256(body) -> str:
    """The sha256 of a deployed template in the build's own rendering; of its text when it is not JSON."""
    if isinstance(body, str):
        # GetTemplate: botocore decodes a JSON body and leaves any other, a YAML one, as
        # the text submitted (botocore/handlers.py, json_decode_template_body);
        # DescribeStackSet's TemplateBody is always text. The build writes JSON only,
        # so a text that is not JSON is another template: hash it as it is.
        try:
            body = json.loads(body)
        except ValueError:
            return sha256(body.encode("utf-8"))
    return sha256(render(json.loads(json.dumps(body))))


def drift(cfn, stack_id: str, poll: stacks.Poll) -> tuple[str, list[dict]]:
    detection = cfn.detect_stack_drift(StackName=stack_id)["StackDriftDetectionId"]
    for delay in poll.delays():
        state = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
        if state["DetectionStatus"] in DRIFT_DONE:
            break
        poll.sleep(delay)
    if state["DetectionStatus"] == "DETECTION_FAILED" and "StackDriftStatus" not in state:
        return "DETECTION_FAILED: " + state.get("DetectionStatusReason", "no reason given"), []
    found, token = [], None
    while True:  # DescribeStackResourceDrifts pages by NextToken; botocore has no paginator for it
        kwargs = {"StackName": stack_id, "StackResourceDriftStatusFilters": DRIFTED_RESOURCE, **({"NextToken": token} if token else {})}
        page = cfn.describe_stack_resource_drifts(**kwargs)
        for d in page.get("StackResourceDrifts", []):
            found.append({"resource": d["LogicalResourceId"], "type": d["ResourceType"],
                          "status": d["StackResourceDriftStatus"], "differences": len(d.get("PropertyDifferences", []))})
        token = page.get("NextToken")
        if not token:
            break
    return state.get("StackDriftStatus", "UNKNOWN"), sorted(found, key=lambda d: d["resource"])


def report(cfn, entry: StackEntry, output: Output, where: settings.Target | None, poll: stacks.Poll,
           with_drift: bool = False) -> StackReport:
    out = StackReport(entry.id, entry.name, entry.account, entry.account_id, entry.region, output_sha256=entry.sha256)
    current = stacks.describe(cfn, entry.name)
    if current is None:
        return out
    out.deployed, out.status = True, current["StackStatus"]
    if out.status == stacks.REVIEW:
        return out  # created by a change set never executed: nothing is deployed yet
    body = cfn.get_template(StackName=current["StackId"], TemplateStage="Original")["TemplateBody"]
    out.deployed_sha256 = template_sha256(body)
    out.template = "matches" if out.deployed_sha256 == entry.sha256 else "differs"
    if where is not None:
        expected = {p["ParameterKey"]: p["ParameterValue"] for p in settings.parameters(entry, where)}
        actual = {p["ParameterKey"]: p.get("ParameterValue") for p in current.get("Parameters", [])}
        out.parameters = sorted(k for k in expected if actual.get(k) != expected[k])
    if with_drift and out.status in stacks.UPDATABLE:  # CloudFormation detects drift on a stack that stands
        out.drift, out.drifted = drift(cfn, current["StackId"], poll)
    return out


@printable_lines
def text(r: StackReport) -> list[str]:
    head = f"{r.name} ({r.account} {r.account_id}, {r.region}): "
    if not r.deployed:
        return [head + "not deployed"]
    if r.template is None:
        return [head + f"{r.status}, nothing deployed yet (a change set waits for review)"]
    words = [r.status or ""]
    words.append("template matches output/" if r.template == "matches" else
                 f"template differs from output/ (deployed sha256 {r.deployed_sha256[:12]}…, output/ {r.output_sha256[:12]}…)")
    if r.parameters:
        words.append("parameters differ: " + ", ".join(r.parameters))
    if r.drift:
        words.append(f"drift: {r.drift}")
    lines = [head + ", ".join(words)]
    lines += [f"    {d['resource']} ({d['type']}) {d['status']}: {d['differences']} property difference(s)" for d in r.drifted]
    return lines
