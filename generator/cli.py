"""The command line: a thin layer that maps toolkit errors to exit codes.

Exit codes: 0 success, 1 invalid config or unreadable input, 2 usage errors.
Commands import their heavy modules lazily so that ``validate`` never loads
troposphere or boto3.
"""

from __future__ import annotations

import argparse
import os
import sys

from .commands import build as build_cmd
from .commands import check as check_cmd
from .commands import deploy as deploy_cmd
from .commands import diff as diff_cmd
from .commands import event as event_cmd
from .commands import graph as graph_cmd
from .commands import launch_parameters as launch_cmd
from .commands import reference as reference_cmd
from .commands import status as status_cmd
from .commands import validate as validate_cmd
from .core.exceptions import ConfigError, ToolkitError
from .loader.source import DEFAULT_CONFIG
from .perf import allow_processes, freeze_after_pauses, open_missing_streams
from .printable import printable


def _command(sub, name: str, help: str, epilog: str, func, config: bool = True, **defaults):
    """A subcommand with the options every command shares."""
    parser = sub.add_parser(name, help=help, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    if config:
        parser.add_argument("--config", default=DEFAULT_CONFIG, metavar="PATH",
                            help="configuration file (default: %(default)s)")
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback for unexpected errors")
    parser.set_defaults(func=func, **defaults)
    return parser


def prog_name(argv0: str | None = None) -> str:
    """The name the user invoked: ``sc-toolkit`` from the console script, ``python -m generator`` otherwise."""
    name = os.path.basename(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else ""))
    return "python -m generator" if not name or name.endswith(".py") or name in ("-c", "-m") else name


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog or prog_name(), description="Validate and compile an AWS Service Catalog configuration.")
    parser.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = _command(sub, "validate", "check the configuration and report every problem", validate_cmd.EPILOG, validate_cmd.run)
    validate.add_argument("files", nargs="*", metavar="FILE", help="configuration files to check instead of --config (as pre-commit passes them)")
    validate.add_argument("--format", choices=("text", "json", "github"), default="text", help="how to print problems (default: %(default)s)")

    diff = _command(sub, "diff", "show what a build would change compared with the previous output", diff_cmd.EPILOG, diff_cmd.run)
    diff.add_argument("--against", default="output", metavar="DIR", help="previous output to compare with (default: %(default)s)")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="how to print the changes (default: %(default)s)")

    build = _command(sub, "build", "validate, then compile the configuration into CloudFormation under output/", build_cmd.EPILOG, build_cmd.run)
    build.add_argument("--output", default="output", metavar="DIR", help="folder to write (default: %(default)s)")
    build.add_argument("--format", choices=("text", "json", "github"), default="text", help="how to print config problems")
    build.add_argument("--force", action="store_true", help="replace the output folder even if it holds files the build did not write")
    build.add_argument("--jobs", type=int, choices=(1, 2), metavar="N",
                       help="processes a large build (128 KB and more) may use: 2 forks a twin that reads the YAML and "
                            "compiles part of the stacks, 1 only this process (default: 2 where this process may use two "
                            "cores and the load average leaves one free, on Linux)")
    build.add_argument("--allow-version-change", action="append", default=[], metavar="PRODUCT@VERSION",
                       help="let the build change this version's template (only for a version never deployed); repeatable")

    check = _command(sub, "check", "run the gates (least privilege, sufficiency, naming, cfn-lint, checkov) over the templates",
                     check_cmd.EPILOG, check_cmd.run)
    check.add_argument("--output", default=None, metavar="DIR", help="check a build output folder instead of building --config in memory")
    check.add_argument("--app", default="examples/app", metavar="DIR",
                       help="application folder the pipelines deploy: infra/ and buildspec.yml (default: %(default)s)")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text", help="how to print findings (default: %(default)s)")
    check.add_argument("--gate", action="append", choices=("least-privilege", "sufficiency", "naming", "cfn-lint", "checkov"),
                       help="run only this gate (repeatable; default: all)")
    check.add_argument("--require", action="append", choices=("checkov",), help="fail when this optional tool is missing")
    check.add_argument("--checkov", default=None, metavar="PATH", help="checkov program (default: $CHECKOV, then PATH)")

    graph = _command(sub, "graph", "draw the catalogue as Mermaid or Graphviz DOT", graph_cmd.EPILOG, graph_cmd.run)
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="picture format (default: %(default)s)")

    event = _command(sub, "event", "show what the Lambdas would decide for an event, without AWS", event_cmd.EPILOG, event_cmd.run,
                     format="text")
    event.add_argument("event", metavar="EVENT.json", help="the event as JSON, or - for standard input")
    event.add_argument("--secret-file", metavar="FILE", default=None,
                       help="the webhook secret, to verify a webhook delivery's signature or token "
                            "(default: $SC_TOOLKIT_WEBHOOK_SECRET; without either the delivery is not verified)")

    deploy = _command(sub, "deploy", "upload output/ and deploy its stacks through change sets", deploy_cmd.EPILOG, deploy_cmd.run)
    deploy.add_argument("--output", default="output", metavar="DIR", help="the built output to deploy (default: %(default)s)")
    deploy.add_argument("--account", action="append", metavar="ROLE", help="only the stacks of this account role (repeatable)")
    deploy.add_argument("--stack", action="append", metavar="NAME", help="only this stack, by name or manifest id (repeatable)")
    deploy.add_argument("--profile", action="append", metavar="ROLE=NAME", help="named AWS profile for an account role (repeatable)")
    deploy.add_argument("--stackset", action="store_true",
                        help="deploy the workload prerequisites as a service-managed StackSet across deploy.stack_set's OUs")
    deploy.add_argument("--no-execute", action="store_true", help="create and show the change sets, execute none")
    deploy.add_argument("--dry-run", action="store_true", help="print the plan without calling AWS")

    status = _command(sub, "status", "compare what runs in the accounts with output/, and report the hotfix flow (read-only)",
                      status_cmd.EPILOG, status_cmd.run)
    status.add_argument("--output", default="output", metavar="DIR", help="the built output to compare with (default: %(default)s)")
    status.add_argument("--account", action="append", metavar="ROLE", help="only the stacks of this account role (repeatable)")
    status.add_argument("--stack", action="append", metavar="NAME", help="only this stack, by name or manifest id (repeatable)")
    status.add_argument("--profile", action="append", metavar="ROLE=NAME", help="named AWS profile for an account role (repeatable)")
    status.add_argument("--drift", action="store_true", help="also run CloudFormation drift detection on every deployed stack")
    status.add_argument("--stackset", action="store_true",
                        help="report the workload prerequisites as the StackSet deploy --stackset made, not one stack per account")
    status.add_argument("--format", choices=("text", "json"), default="text", help="how to print the status (default: %(default)s)")

    launch = _command(sub, "launch-parameters", "print every launch parameter of a main pipeline (JSON or an AWS CLI command)",
                      launch_cmd.EPILOG, launch_cmd.run)
    launch.add_argument("--repository", required=True, help="a repository configured under hotfix.repositories")
    launch.add_argument("--branch", default="main", help="the branch the pipeline builds (default: %(default)s)")
    launch.add_argument("--product", help="the product to launch (default: the one built from the main-pipeline template)")
    launch.add_argument("--portfolio", help="the portfolio to launch it through (default: the one that holds it)")
    launch.add_argument("--format", choices=("json", "cli"), default="json", help="how to print it (default: %(default)s)")

    ref = _command(sub, "reference", "print, write or check docs/config-reference.md (from the JSON Schema)",
                   reference_cmd.EPILOG, reference_cmd.run, config=False, format="text")
    mode = ref.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite docs/config-reference.md")
    mode.add_argument("--check", action="store_true", help="exit 1 if docs/config-reference.md is out of date")
    return parser


def _report(error: ConfigError, fmt: str) -> None:
    from . import formatters

    # A command whose --format names its own output (graph's mermaid, diff's
    # json) reports config problems as validate does: json and github as such,
    # any other as text.
    fmt = fmt if fmt in formatters.FORMATS else "text"
    out = formatters.FORMATS[fmt](list(error.problems))
    # Problems are the result of the command: stdout for json/github, stderr for text.
    (sys.stdout if fmt in ("json", "github") else sys.stderr).write(out)


def run() -> None:
    """The program (``python -m generator``, ``sc-toolkit``): ``main`` on sys.argv, then a quick exit (perf.py)."""
    from .perf import exit_process

    exit_process(main())


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # a program (python -m generator, sc-toolkit) that exits when the command is done: see perf.py
        open_missing_streams()
        freeze_after_pauses()
        allow_processes()
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    try:
        return args.func(args)
    except ConfigError as error:
        if error.problems:
            _report(error, getattr(args, "format", "text"))
        else:
            print(f"error: {printable(error)}", file=sys.stderr)
        return error.exit_code
    except ToolkitError as error:  # messages may quote a config value or an event: one line, no controls
        print(f"error: {printable(error)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (| head): what a program killed by SIGPIPE answers, and no message
        return 141
    except Exception as error:  # a bug, not a user mistake: say so, briefly
        if args.debug:
            import traceback  # only here: every other run spares its import (2 ms)

            traceback.print_exc()
        else:
            print(f"internal error: {type(error).__name__}: {printable(error)} (run with --debug for a traceback)", file=sys.stderr)
        return 70
