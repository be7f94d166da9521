"""deploy: from output/ to running accounts, stack by stack through change sets."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator deploy --dry-run                  # the plan, without calling AWS
  python -m generator deploy --no-execute               # create and show change sets, execute nothing
  python -m generator deploy                            # upload, then every stack in manifest order
  python -m generator deploy --account stage --profile stage=acme-stage
  python -m generator deploy --stackset                 # workload prerequisites as a StackSet across OUs

Reads output/manifest.json and refuses an output/ that is stale or was edited.
Credentials per account: accounts.<role>.deploy_role in the config is assumed
from the environment's credentials or --profile ROLE=NAME. Safe to run again
after any failure or interruption; a run with nothing changed changes nothing.
Exit codes: 0 deployed (or nothing to do), 1 a stack failed or input is wrong.
"""


def profiles(pairs: list[str] | None) -> dict[str, str]:
    from ..core.exceptions import UsageError

    out = {}
    for pair in pairs or ():
        role, sep, name = pair.partition("=")
        if not sep or not role or not name:
            raise UsageError(f"--profile takes ROLE=NAME (for example tools=acme-tools), not {pair!r}")
        out[role] = name
    return out


def run(args) -> int:
    from pathlib import Path

    from ..config_loader import load_config
    from ..deploy import artifacts, selection, settings

    loaded = load_config(args.config)
    named = profiles(args.profile)
    output = artifacts.load_fresh(Path(args.output), loaded)
    cat = loaded.catalogue
    where = settings.target(cat)
    if args.stackset:
        settings.stack_set_targets(cat)
    steps = selection.select(output, args.account, args.stack, args.stackset)
    from ..deploy.deployer import Deployer, describe_plan

    if args.dry_run:
        from ..deploy.accounts import check_profiles

        sys.stdout.write(describe_plan(output, cat, where, steps, check_profiles(cat, named), execute=not args.no_execute))
        return 0
    from ..deploy import progress, stacks
    from ..deploy.accounts import Accounts

    deployer = Deployer(output, cat, where, Accounts(cat, named), progress.reporter(sys.stdout),
                        stacks.Poll(), execute=not args.no_execute, stackset=args.stackset)
    outcomes = deployer.run(steps)
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.result] = counts.get(o.result, 0) + 1
    print("done: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) if counts else "done: nothing selected")
    return 0
