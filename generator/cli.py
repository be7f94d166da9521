"""The command line: a thin layer that maps toolkit errors to exit codes.

Exit codes: 0 success, 1 invalid config or unreadable input, 2 usage errors.
Commands import their heavy modules lazily so that ``validate`` never loads
troposphere or boto3.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from .core.exceptions import ConfigError, ToolkitError

EPILOG_VALIDATE = """example:
  python -m generator validate
  python -m generator validate --config config/portfolios.yaml --format github
"""


def _cmd_validate(args) -> int:
    from .config_loader import load_config

    loaded = load_config(args.config)
    if args.format == "json":
        sys.stdout.write("[]\n")
    elif args.format == "text":
        cat = loaded.catalogue
        print(f"{loaded.file}: valid ({len(cat.portfolios)} portfolios, {len(cat.products)} products)")
    return 0


EPILOG_BUILD = """example:
  python -m generator build
  python -m generator build --config config/portfolios.yaml --output output
"""


def _cmd_build(args) -> int:
    from .config_loader import load_config

    loaded = load_config(args.config)
    # After validation: an invalid config is answered without importing troposphere.
    from .compiler.build import compile_catalogue
    from .output_writer import write

    result = compile_catalogue(loaded)
    write(args.output, result.files, force=args.force)
    print(f"{loaded.file}: wrote {len(result.files)} files, {len(result.stacks)} stacks to {args.output}/")
    return 0


EPILOG_EVENT = """example:
  python -m generator event tests/events/codecommit-hotfix-branch-created.json
  aws events test-event-pattern ... | python -m generator event -   # read the event from stdin

Prints what the Lambdas would decide, as one JSON object, without calling AWS.
"""


def _read_event(path: str):
    import json

    from .core.exceptions import InputError

    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read event {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(f"event {path} is not JSON: {exc}") from None
    except RecursionError:
        raise InputError(f"event {path} nests too deeply to be an event") from None


def _cmd_event(args) -> int:
    import json

    from .config_loader import load_config
    from .core.parse import canonical, catalogue_from_dict
    from .hotfix.decide import decide

    payload = _read_event(args.event)
    # The Lambdas read the canonical compiled form: decide on exactly that model.
    catalogue = catalogue_from_dict(canonical(load_config(args.config).data))
    decision = decide(payload, catalogue)
    sys.stdout.write(json.dumps(decision.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Validate and compile an AWS Service Catalog configuration.")
    parser.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = sub.add_parser("validate", help="check the configuration and report every problem",
                              epilog=EPILOG_VALIDATE, formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("--config", default="config/portfolios.yaml", metavar="PATH", help="configuration file (default: %(default)s)")
    validate.add_argument("--format", choices=("text", "json", "github"), default="text", help="how to print problems (default: %(default)s)")
    validate.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback for unexpected errors")
    validate.set_defaults(func=_cmd_validate)

    build = sub.add_parser("build", help="validate, then compile the configuration into CloudFormation under output/",
                           epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--config", default="config/portfolios.yaml", metavar="PATH", help="configuration file (default: %(default)s)")
    build.add_argument("--output", default="output", metavar="DIR", help="folder to write (default: %(default)s)")
    build.add_argument("--format", choices=("text", "json", "github"), default="text", help="how to print config problems")
    build.add_argument("--force", action="store_true", help="replace the output folder even if it holds files the build did not write")
    build.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback for unexpected errors")
    build.set_defaults(func=_cmd_build)

    event = sub.add_parser("event", help="show what the Lambdas would decide for an event, without AWS",
                           epilog=EPILOG_EVENT, formatter_class=argparse.RawDescriptionHelpFormatter)
    event.add_argument("event", metavar="EVENT.json", help="the event as JSON, or - for standard input")
    event.add_argument("--config", default="config/portfolios.yaml", metavar="PATH", help="configuration file (default: %(default)s)")
    event.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback for unexpected errors")
    event.set_defaults(func=_cmd_event, format="text")
    return parser


def _report(error: ConfigError, fmt: str) -> None:
    from . import formatters

    out = formatters.FORMATS[fmt](list(error.problems))
    # Problems are the result of the command: stdout for json/github, stderr for text.
    (sys.stdout if fmt in ("json", "github") else sys.stderr).write(out)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    try:
        return args.func(args)
    except ConfigError as error:
        if error.problems:
            _report(error, getattr(args, "format", "text"))
        else:
            print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except ToolkitError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug, not a user mistake: say so, briefly
        if args.debug:
            traceback.print_exc()
        else:
            print(f"internal error: {type(error).__name__}: {error} (run with --debug for a traceback)", file=sys.stderr)
        return 70
