"""Which stacks a run deploys, in manifest order, as steps: one stack, or one StackSet for several.

`--account` and `--stack` narrow the run; a dependency left out must already
be deployed (the deployer checks). With `--stackset` the per-account copies
of the workload prerequisites become one StackSet step, placed where the
first of them stood, so every stack that depends on them still comes after.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.exceptions import UsageError
from .artifacts import Output, StackEntry

STACKSET_KIND = "workload-prerequisites"


@dataclass(frozen=True)
class Step:
    stacks: tuple[StackEntry, ...]  # one, or every copy a StackSet replaces
    stackset: bool = False

    @property
    def title(self) -> str:
        first = self.stacks[0]
        if self.stackset:
            return f"{first.name} (StackSet across organizational units, instead of {', '.join(s.account for s in self.stacks)})"
        return f"{first.name} ({first.account} {first.account_id}, {first.region})"

    @property
    def ids(self) -> set[str]:
        return {s.id for s in self.stacks}


def _check(names: list[str], known: set[str], what: str) -> None:
    unknown = sorted(set(names) - known)
    if unknown:
        raise UsageError(f"unknown {what} {', '.join(unknown)}; the manifest has: {', '.join(sorted(known))}")


def select(output: Output, accounts: list[str] | None = None, stacks: list[str] | None = None,
           stackset: bool = False) -> list[Step]:
    accounts, stacks = list(accounts or ()), list(stacks or ())
    _check(accounts, {s.account for s in output.stacks}, "account role(s)")
    _check(stacks, {s.id for s in output.stacks} | {s.name for s in output.stacks}, "stack(s)")
    chosen = [s for s in output.stacks
              if (not accounts or s.account in accounts) and (not stacks or s.id in stacks or s.name in stacks)]
    steps: list[Step] = []
    if stackset:
        # The StackSet goes out whole or not at all: an --account filter does
        # not split it, a --stack filter selects it by name.
        grouped = [s for s in output.stacks if s.kind == STACKSET_KIND]
        if not grouped:
            raise UsageError("--stackset: the manifest has no workload prerequisites to deploy as a StackSet "
                             "(the config has no hotfix section)")
        placed = False
        for s in chosen:
            if s.kind == STACKSET_KIND:
                if not placed:
                    steps.append(Step(tuple(grouped), stackset=True))
                    placed = True
                continue
            steps.append(Step((s,)))
        return steps
    return [Step((s,)) for s in chosen]


def templates_of(steps: list[Step]) -> tuple[StackEntry, ...]:
    """The stacks whose templates a run uploads: every copy of a StackSet shares one template."""
    return tuple(s for step in steps for s in (step.stacks[:1] if step.stackset else step.stacks))
