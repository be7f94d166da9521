"""status: what runs in the accounts compared with output/, and the state of the hotfix flow. Read-only."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator status                    # every stack of the manifest, and the hotfix flow
  python -m generator status --drift            # also run CloudFormation drift detection
  python -m generator status --account tools --format json
  python -m generator status --stackset         # the workload prerequisites as deploy --stackset made them

Refuses, as deploy does, an output/ that was edited or that a build of the
config would change: what runs is compared with what the config builds.
Exit codes: 0 everything matches output/, 3 something differs (not deployed,
another template, drift, a hotfix repair pending or something that needs a
person), 1 an error.
"""


def run(args) -> int:
    import json
    from pathlib import Path

    from ..config_loader import load_config
    from ..deploy import artifacts, hotfix_status, selection, settings, stacks, stackset_status, status
    from ..deploy.accounts import Accounts
    from ..deploy.errors import aws_errors
    from .deploy import profiles

    loaded = load_config(args.config)
    cat = loaded.catalogue
    # The baseline: output/ as a build of this config writes it, or the comparison means nothing.
    output = artifacts.load_fresh(Path(args.output), loaded)
    if args.stackset:
        settings.stack_set_targets(cat)
    steps = selection.select(output, args.account, args.stack, args.stackset)
    where = settings.target(cat) if cat.deploy else None
    accounts = Accounts(cat, profiles(args.profile))
    poll = stacks.Poll()
    reports, stack_set = [], None
    for step in steps:
        if step.stackset:
            stack_set = _stack_set(cat, accounts, output, step)
            continue
        entry = step.stacks[0]
        with aws_errors(f"reading stack {entry.name} in account {entry.account}"):
            reports.append(status.report(accounts.client(entry.account, "cloudformation", entry.region), entry, output,
                                         where, poll, args.drift))
    hotfix = None
    automation = next((r for r in reports if output.stack(r.id).kind == "automation"), None)
    if cat.hotfix and automation is not None and automation.status in stacks.UPDATABLE:  # a stack that stands
        with aws_errors("reading the hotfix flow in the tools account"):
            hotfix = _hotfix(cat, accounts, output, output.stack(automation.id))
    stale = sum(not r.in_sync for r in reports) + (stack_set is not None and not stack_set.in_sync)
    pending = hotfix["repairs"] + hotfix_status.needs_a_person(hotfix) if hotfix else 0
    if args.format == "json":
        doc = {"in_sync": not stale and not pending, "stacks": [r.as_dict() for r in reports], "hotfix": hotfix,
               "stack_set": stack_set.as_dict() if stack_set else None}
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True, default=str) + "\n")
    else:
        lines = [line for r in reports for line in status.text(r)]
        if stack_set is not None:
            lines += stackset_status.text(stack_set)
        if hotfix is not None:
            lines += hotfix_status.text(hotfix)
        elif cat.hotfix:
            lines.append("hotfix flow: the automation stack is not deployed (or not selected)")
        lines.append(f"\n{sum(r.in_sync for r in reports)} of {len(reports)} stack(s) in sync with output/"
                     + (f"; the StackSet {'is' if stack_set.in_sync else 'is not'}" if stack_set else "")
                     + (f"; hotfix flow: {hotfix['repairs']} repair(s) for the reconciler, "
                        f"{hotfix_status.needs_a_person(hotfix)} for a person" if hotfix else ""))
        sys.stdout.write("\n".join(lines) + "\n")
    return 3 if stale or pending else 0


def _stack_set(cat, accounts, output, step):
    """The StackSet that stands for the workload prerequisites, read from the tools account in the home region."""
    import json

    from ..deploy import stackset_status, stacksets
    from ..deploy.errors import aws_errors

    first = step.stacks[0]
    request = stacksets.request_for(step.stacks, json.loads(output.body(first.template)), "", cat.deploy.stack_set)
    with aws_errors(f"reading StackSet {request.name} from the tools account"):
        return stackset_status.report(accounts.client("tools", "cloudformation", cat.region), request, first.sha256,
                                      f"tools {accounts.account_id('tools')}", cat.region)


def _hotfix(cat, accounts, output, automation) -> dict:
    import json

    from ..deploy import hotfix_status, stacks

    region = automation.region
    cfn = accounts.client("tools", "cloudformation", region)
    template = json.loads(output.body(automation.template))
    queues = sorted(lid for lid, r in template.get("Resources", {}).items() if r.get("Type") == "AWS::SQS::Queue")
    queue_url, known = None, None
    if queues:
        try:
            queue_url = cfn.describe_stack_resource(StackName=automation.name, LogicalResourceId=queues[0])[
                "StackResourceDetail"].get("PhysicalResourceId")
        except Exception as exc:
            # The deployed stack lacks the queue (DescribeStackResource: ValidationError "Resource ... does not exist").
            if stacks.error_code(exc) != "ValidationError":
                raise
        known = None if queue_url else hotfix_status.absent(None)
    tokens = any(r.provider != "codecommit" for r in cat.hotfix.repositories)
    return hotfix_status.report(cat, accounts.client("tools", "codecommit", region),
                                accounts.client("tools", "servicecatalog", region), accounts.client("tools", "sqs", region),
                                queue_url, known, accounts.client("tools", "secretsmanager", region) if tokens else None)
