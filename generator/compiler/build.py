"""Run every compiler module over the model and collect the files to write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.exceptions import BuildError
from ..core.model import Catalogue
from ..core.parse import compiled_json
from ..launch_roles import generated_roles
from ..loader.files import Refused, read_template
from ..perf import gc_paused
from . import builtin, jobs, manifest, portfolios, products, tag_options
from .jobs import Job
from .stack import Stack
from .template import render

OUTPUT_README = b"""# output/

Everything in this folder is written by `python -m generator build` from
`config/portfolios.yaml`. Do not edit it by hand: the next build replaces it.
The build refuses to replace a folder that holds files it did not write
(see `manifest.json`, key `files`), so nothing of yours is deleted silently.

- `manifest.json`: the stacks to deploy, in order, with their accounts,
  regions, parameters and the sha256 of each template; the files to upload.
- `stacks/`: one CloudFormation template per stack.
- `products/`: product templates, uploaded to S3 and referenced by the
  products through the `ProductTemplateBaseUrl` parameter.
- `lambdas/`: the Lambda bundles, named after their content's hash.
- `config.json`: the compiled configuration the Lambdas read at runtime.
"""


@dataclass(frozen=True)
class BuildResult:
    """Every file of a build, its stacks and its manifest, before anything is written."""

    files: dict[str, bytes]  # path relative to output/ -> content
    stacks: tuple[Stack, ...]
    manifest: dict  # files["manifest.json"] as data: the version guard reads it without parsing it again


@dataclass(frozen=True)
class Plan:
    """What a build decides before the bulk of its work, the same in its twin: small stacks, placements, the jobs."""

    catalogue: Catalogue  # with the generated template constraints
    tag_stacks: list[Stack]
    role_stacks: list[Stack]
    placement: dict[str, str]  # product -> the stack that holds it
    jobs: list[Job]  # config.json, then the product stacks, then the portfolios'
    product_jobs: int


def plan(loaded) -> Plan:
    cat = _with_guardrails(loaded.catalogue)
    tag_stacks, tag_placement = tag_options.build(cat)
    product_jobs, placement = products.jobs(cat, tag_placement)
    role_stacks, after = _launch_role_stacks(cat)
    principals = _hotfix_principals(cat, after)
    portfolio_jobs = portfolios.jobs(cat, placement, tag_placement, extra_principals=principals, extra_depends=after)
    # config.json costs 2 to 4.5 units per product, as rich as the products are (measured on the benchmarks' catalogues).
    config_job = Job(3 * len(cat.products), lambda: [compiled_json(loaded.data).encode("utf-8")])
    return Plan(cat, tag_stacks, role_stacks, placement, [config_job, *product_jobs, *portfolio_jobs], len(product_jobs))


def compile_catalogue(loaded, progress=None, twin=None) -> BuildResult:
    """``loaded`` is a validated ``LoadedConfig``: data, model and file.

    ``progress``, when given, is called with a short message at each stage;
    ``twin``, a ``twin.Twin`` started on the same file, builds some stacks.
    """
    with gc_paused():
        return _compile(loaded, progress or (lambda message: None), twin)


def _compile(loaded, progress, twin) -> BuildResult:
    progress(f"compiling {len(loaded.catalogue.products)} products and {len(loaded.catalogue.portfolios)} portfolios")
    p = plan(loaded)
    built = jobs.run(p.jobs, twin)
    files: dict[str, bytes] = {"config.json": built[0][0]}
    product_stacks, portfolio_stacks = _flat(built[1:1 + p.product_jobs]), _flat(built[1 + p.product_jobs:])
    progress("compiling the pipeline stacks")
    uploads: list[dict] = []
    pipeline_stacks = _pipeline_stacks(p.catalogue, p.placement, files, uploads)
    stacks: list[Stack] = [*p.tag_stacks, *product_stacks, *p.role_stacks, *portfolio_stacks, *pipeline_stacks]

    _product_templates(p.catalogue, Path(loaded.file).resolve().parent, p.placement, files, uploads)
    for stack in stacks:
        files[stack.path] = stack.body  # a stack deployed to several accounts shares one file
    files["README.md"] = OUTPUT_README
    doc = manifest.document(p.catalogue, stacks, uploads, files)
    files["manifest.json"] = render(doc)
    return BuildResult(files, tuple(stacks), doc)


def _flat(groups: list[list[Stack]]) -> list[Stack]:
    return [stack for group in groups for stack in group]


# The modules of the built-in pipelines and the hotfix section (and the
# troposphere modules they use) are imported only for a catalogue that has
# them: a catalogue of URL products never pays for them (~20 ms).

def _with_guardrails(cat):
    """The catalogue with the generated template constraints, which only built-in products get."""
    if not any(v.template.kind == "builtin" for p in cat.products for v in p.versions):
        return cat
    from . import guardrails

    return guardrails.with_template_constraints(cat)


def _launch_role_stacks(cat) -> tuple[list[Stack], dict[str, list[str]]]:
    """The generated launch roles' stack, and the portfolios that must wait for it."""
    roles = generated_roles(cat)
    if not roles:
        return [], {}
    from . import launch_roles

    after = {pf.name: [launch_roles.stack_name_for(cat)] for pf in cat.portfolios
             if any(c.kind == "launch" and c.launch_local_role_name in roles for c in pf.constraints)}
    return launch_roles.build(cat), after


def _hotfix_principals(cat, after) -> dict:
    """The hotfix portfolios' generated principal; adds to ``after`` the automation stack they wait for (it makes the role)."""
    if not cat.hotfix:
        return {}
    from . import automation

    principals = {}
    for repo in cat.hotfix.repositories:
        principals[repo.portfolio] = automation.lifecycle_principal(cat)
        after[repo.portfolio] = sorted({*after.get(repo.portfolio, []), automation.stack_name_for(cat)})
    return principals


def _pipeline_stacks(cat, placement, files, uploads) -> list[Stack]:
    """The hotfix section's stacks; adds the Lambda bundles to ``files`` and ``uploads``."""
    if not cat.hotfix:
        return []
    from . import automation, bundles, guardrails, tools_prerequisites, workload_prerequisites

    workload = workload_prerequisites.build(cat)
    # The tools stack's key policy names the workload roles, which must exist first.
    tools = tools_prerequisites.build(cat, depends_on=[s.id for s in workload])
    bundle_files = bundles.build(files["config.json"], automation.functions(cat))
    for function, (path, body) in sorted(bundle_files.items()):
        files[path] = body
        uploads.append({"path": path, "sha256": manifest.sha256(body), "function": function,
                        "stack": automation.stack_name_for(cat)})
    hotfix_products = sorted({placement[r.product] for r in cat.hotfix.repositories})
    auto = automation.build(cat, {f: path for f, (path, _) in bundle_files.items()},
                            depends_on=[s.id for s in tools] + hotfix_products)
    return [*workload, *tools, *auto, *guardrails.build(cat, placement)]


def _product_templates(cat, base_dir: Path, placement, files, uploads) -> None:
    """Built-in templates rendered and repository files copied under products/."""
    rendered: dict[str, bytes] = {}
    for product in sorted(cat.products, key=lambda p: p.name):
        for version in sorted(product.versions, key=lambda v: v.name):
            source = version.template
            if source.kind == "url":
                continue
            path = products.artifact_path(product, version)
            if source.kind == "builtin":
                if source.value not in rendered:
                    rendered[source.value] = builtin.render(source.value, cat)
                body = rendered[source.value]
            else:
                try:  # never through a link out of the config's folder, never a pipe or device
                    body = read_template(base_dir, source.value)
                except Refused as why:
                    raise BuildError(f"template file {source.value} {why}") from None
            files[path] = body
            uploads.append({"path": path, "sha256": manifest.sha256(body), "product": product.name,
                            "version": version.name, "stack": placement[product.name]})
