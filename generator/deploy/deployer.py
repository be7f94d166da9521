"""`deploy`: upload what the stacks read, then every selected stack in manifest order.

The run stops at the first stack that fails, prints the events that explain
it, and names the stacks it did not attempt: none of them runs after a
stack it may depend on has failed. With --no-execute each change set is
created and described, then left for review; a stack whose dependency
still has changes waiting is held back, since its change set would be
computed against a state that is about to change.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from . import changesets, settings, stacks, stacksets, uploads, words
from .accounts import Accounts, role_arn
from .artifacts import Output, StackEntry
from .errors import StackFailed, aws_errors
from .selection import STACKSET_KIND, Step, templates_of

SHOWN_WHEN_EXECUTING = 60


@dataclass(frozen=True)
class Outcome:
    step: str
    result: str  # created, updated, unchanged, previewed, held


class Deployer:
    def __init__(self, output: Output, cat, where: settings.Target, accounts: Accounts, report, poll: stacks.Poll,
                 execute: bool = True, stackset: bool = False) -> None:
        self.output, self.cat, self.where, self.accounts = output, cat, where, accounts
        self.report, self.poll, self.execute, self.stackset = report, poll, execute, stackset

    # -- the run ------------------------------------------------------------------------------

    def run(self, steps: list[Step]) -> list[Outcome]:
        self._upload(steps)
        selected = set().union(*(s.ids for s in steps)) if steps else set()
        waiting: set[str] = set()  # ids with changes not executed, or held back
        outcomes = []
        for i, step in enumerate(steps):
            self.report.line(f"[{i + 1}/{len(steps)}] {step.title}")
            blockers = sorted({d for s in step.stacks for d in s.depends_on} & waiting)
            if blockers:
                self.report.line(f"  held: waits for {', '.join(blockers)} to be executed")
                waiting |= step.ids
                outcomes.append(Outcome(step.stacks[0].id, "held"))
                continue
            try:
                with aws_errors(f"stack {step.stacks[0].name} in account {step.stacks[0].account}", StackFailed):
                    self._check_dependencies(step, selected)
                    result = self._stackset(step) if step.stackset else self._stack(step.stacks[0])
            except StackFailed as failure:
                rest = [s.stacks[0].name if not s.stackset else s.stacks[0].name + " (StackSet)" for s in steps[i + 1:]]
                note = f"\nnot attempted: {', '.join(rest)}" if rest else ""
                raise StackFailed(f"{failure}{note}") from None
            if result == "previewed":
                waiting |= step.ids
            outcomes.append(Outcome(step.stacks[0].id, result))
        return outcomes

    def _upload(self, steps: list[Step]) -> None:
        entries = templates_of(steps)
        with aws_errors(f"uploading to {self.where.location()}"):
            s3 = self.accounts.client("tools", "s3", self.where.region)
            results = uploads.upload(s3, self.output, self.where, entries)
        sent = sum(r.action == "uploaded" for r in results)
        self.report.line(f"uploads to {self.where.location()}: {sent} uploaded, {len(results) - sent} already there")

    def _check_dependencies(self, step: Step, selected: set[str]) -> None:
        """A dependency outside this run must be deployed already."""
        for dep in sorted({d for s in step.stacks for d in s.depends_on} - selected):
            entry = self.output.stack(dep)
            if entry is None:
                continue
            if entry.kind == STACKSET_KIND and self.stackset:  # the workload stacks are the StackSet's instances
                self._check_stack_set(step, entry)
                continue
            current = stacks.describe(self.accounts.client(entry.account, "cloudformation", entry.region), entry.name)
            status = current["StackStatus"] if current else "not deployed"
            if status not in stacks.UPDATABLE:
                raise StackFailed(f"{step.stacks[0].name} depends on {entry.name} in account {entry.account}, which is "
                                  f"{status}: deploy it first (run without --stack/--account, or add it)")

    def _check_stack_set(self, step: Step, entry: StackEntry) -> None:
        copies = tuple(s for s in self.output.stacks if s.kind == STACKSET_KIND)
        request = stacksets.request_for(copies, {}, "", self.cat.deploy.stack_set)
        if stacksets.describe(self.accounts.client("tools", "cloudformation", self.where.region), request) is None:
            raise StackFailed(f"{step.stacks[0].name} depends on {entry.name}, whose StackSet is not deployed: deploy it "
                              "first (deploy --stackset without --stack/--account, or add it)")

    # -- one stack ----------------------------------------------------------------------------

    def _request(self, entry: StackEntry) -> changesets.Request:
        params = settings.parameters(entry, self.where)
        return changesets.Request(
            name=entry.name, template_url=self.where.url(self.where.stack_key(entry)),
            parameters=tuple((p["ParameterKey"], p["ParameterValue"]) for p in params),
            capabilities=entry.capabilities, template_sha256=entry.sha256,
            account=f"{entry.account} {entry.account_id}", region=entry.region)

    def _stack(self, entry: StackEntry) -> str:
        cfn = self.accounts.client(entry.account, "cloudformation", entry.region)
        request = self._request(entry)
        with self.report.stack(entry.name, 0) as watch:  # a stack still busy from an interrupted run
            prepared = changesets.prepare(cfn, request, self.cat.stack_prefix, self.poll, watch)
        if prepared.empty:
            self.report.line("  no changes")
            return "unchanged"
        new = json.loads(self.output.body(entry.template))
        old = None
        if prepared.change_set_type == "UPDATE":
            old = cfn.get_template(StackName=prepared.stack_id, TemplateStage="Original")["TemplateBody"]
            old = json.loads(old) if isinstance(old, str) else old
        verb = "create" if prepared.change_set_type == "CREATE" else "update"
        described = words.lines(prepared.changes, new, old)
        again = " (the change set an earlier run left for review)" if prepared.reused else ""
        self.report.line(f"  {verb}: {len(described)} change(s){again}")
        # All of them for a review (--no-execute); a first deploy of a large catalogue stays readable.
        shown = described if not self.execute else described[:SHOWN_WHEN_EXECUTING]
        for line in shown:
            self.report.line(f"    {line}")
        if len(shown) < len(described):
            self.report.line(f"    … and {len(described) - len(shown)} more (deploy --no-execute lists them all)")
        replacements = [line for line in described if line.replacement]
        if replacements:
            self.report.line(f"  REPLACEMENT: {len(replacements)} resource(s) will be deleted or replaced; "
                             "products provisioned from a replaced product or portfolio break")
        if not self.execute:
            self.report.line(f"  left for review: change set {prepared.change_set_id}")
            return "previewed"
        started = time.monotonic()
        with self.report.stack(entry.name, len(prepared.changes)) as watch:
            final = changesets.execute(cfn, prepared, self.poll, watch)
        self.report.line(f"  {final['StackStatus']} in {time.monotonic() - started:.0f}s")
        return "created" if verb == "create" else "updated"

    # -- the StackSet -------------------------------------------------------------------------

    def _stackset(self, step: Step) -> str:
        first = step.stacks[0]
        request = stacksets.request_for(step.stacks, json.loads(self.output.body(first.template)),
                                        self.where.url(self.where.stack_key(first)),
                                        self.cat.deploy.stack_set)  # the command checked it is there
        if not self.execute:
            self.report.line("  --no-execute: a StackSet has no change sets to review; nothing done")
            return "previewed"
        cfn = self.accounts.client("tools", "cloudformation", self.where.region)
        result = stacksets.deploy(cfn, request, self.poll, self.report.line)
        self.report.line(f"  {result}")
        return result


def describe_plan(output: Output, cat, where: settings.Target, steps: list[Step], profiles: dict[str, str],
                  execute: bool = True) -> str:
    """What `deploy` would do, without calling AWS (`--dry-run`)."""
    lines = ["Dry run: nothing is called in AWS.", f"Uploads to {where.location()} (those already there are skipped):"]
    for item in uploads.items(output, where, templates_of(steps)):
        lines.append(f"  {item.key}  ({item.what}, sha256 {item.sha256[:12]}…)")
    lines.append("Stacks, in order (each one a change set, executed before the next):" if execute else
                 "Stacks, in order (each one a change set left for review, none executed; a stack whose dependency "
                 "has changes waiting is held back):")
    for i, step in enumerate(steps):
        first = step.stacks[0]
        lines.append(f"  [{i + 1}/{len(steps)}] {step.title}")
        lines.append(f"      template: {where.url(where.stack_key(first))}")
        params = settings.parameters(first, where)
        if params:
            lines.append("      parameters: " + ", ".join(f"{p['ParameterKey']}={p['ParameterValue']}" for p in params))
        if first.capabilities:
            lines.append("      capabilities: " + ", ".join(first.capabilities))
        if first.depends_on:
            lines.append("      after: " + ", ".join(first.depends_on))
        account = cat.account("tools" if step.stackset else first.account)
        how = f"profile {profiles[account.role]}" if account.role in profiles else "the environment's credentials"
        if account.deploy_role:
            how = f"role {role_arn(account.id, account.deploy_role)} assumed with {how}"
        lines.append(f"      credentials: {how}")
    return "\n".join(lines) + "\n"
