"""launch-parameters: every parameter of a main pipeline, to launch it by hand."""

from __future__ import annotations

import sys

EPILOG = """example:
  python -m generator launch-parameters --repository hotfixpoc-repository
  python -m generator launch-parameters --repository hotfixpoc-repository --branch main --format cli | sh

Prints what to launch for the main pipeline of a configured repository: the product, version,
portfolio, provisioned product name, parameters (PipelineSlug included, which only the toolkit
derives) and tags, as JSON, or with --format cli as an `aws servicecatalog provision-product` command.
"""


def run(args) -> int:
    import json

    from ..config_loader import load_config
    from ..core.connections import placeholders
    from ..core.parse import canonical, catalogue_from_dict
    from ..hotfix.launch import main_pipeline

    # The canonical compiled form, as the Lambdas read it: the same model, the same names (and a connection the
    # tools stack creates named by where its ARN will be).
    catalogue = placeholders(catalogue_from_dict(canonical(load_config(args.config).data)))
    request = main_pipeline(catalogue, args.repository, args.branch, args.product, args.portfolio)
    if args.format == "cli":
        sys.stdout.write(request.command() + "\n")
    else:
        sys.stdout.write(json.dumps(request.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return 0
